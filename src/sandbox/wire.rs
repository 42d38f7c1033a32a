//! Small helpers the three dialects share: strict-but-lenient body parsing
//! (unknown fields ignored, missing ones named), request fingerprints for
//! idempotency, key shapes, and payment-method words.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::core::model::PayMethod;

/// Parses a JSON body into `T`, ignoring unknown fields; the error names the
/// field or position that is wrong.
pub fn json_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("request body: {e}"))
}

/// What makes two requests "the same" for idempotency: the operation and the
/// fields the dialect defines (unknown fields and the key itself excluded).
pub fn fingerprint<T: Serialize>(operation: &str, request: &T) -> String {
    let body = serde_json::to_string(request).unwrap_or_default();
    format!("{operation}|{body}")
}

/// A Mobile `Idempotency-Key`: 8–64 characters of `A–Z a–z 0–9 - _`.
pub fn is_token_key(key: &str) -> bool {
    (8..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A Unicom `reqSeq`: exactly 32 hex characters.
pub fn is_hex32(key: &str) -> bool {
    key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A Telecom `requestId`: a UUID, `8-4-4-4-12` hex digits.
pub fn is_uuid(key: &str) -> bool {
    let groups: Vec<&str> = key.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Payment methods by the words Mobile (`BALANCE`) and Telecom (`balance`) use.
pub fn pay_method_word(word: &str) -> Option<PayMethod> {
    match word.to_ascii_lowercase().as_str() {
        "balance" => Some(PayMethod::Balance),
        "card" => Some(PayMethod::Card),
        "alipay" => Some(PayMethod::Alipay),
        "wechat" => Some(PayMethod::WeChat),
        _ => None,
    }
}

/// How a REST-style dialect words a refusal and a malformed request; the
/// rest of the error path is the same for every dialect.
pub trait Dialect {
    /// The carrier's refusal, in the dialect's envelope.
    fn refused(refusal: super::state::Refusal) -> axum::response::Response;
    /// A malformed request (HTTP 400 with the dialect's bad-request code).
    fn bad_request(why: String) -> axum::response::Response;
}

/// Why a call is answered with an error instead of data, in dialect `D`'s words.
pub struct Failure<D> {
    why: Why,
    dialect: std::marker::PhantomData<fn() -> D>,
}

enum Why {
    Refused(super::state::Refusal),
    BadRequest(String),
}

impl<D> Failure<D> {
    /// A malformed request.
    pub fn bad_request(why: impl Into<String>) -> Failure<D> {
        Failure {
            why: Why::BadRequest(why.into()),
            dialect: std::marker::PhantomData,
        }
    }
}

impl<D> From<super::state::Refusal> for Failure<D> {
    fn from(refusal: super::state::Refusal) -> Failure<D> {
        Failure {
            why: Why::Refused(refusal),
            dialect: std::marker::PhantomData,
        }
    }
}

impl<D: Dialect> axum::response::IntoResponse for Failure<D> {
    fn into_response(self) -> axum::response::Response {
        match self.why {
            Why::Refused(refusal) => D::refused(refusal),
            Why::BadRequest(why) => D::bad_request(why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_shapes() {
        assert!(is_hex32("0123456789abcdef0123456789ABCDEF"));
        assert!(!is_hex32("0123456789abcdef0123456789abcde"));
        assert!(!is_hex32("0123456789abcdef0123456789abcdeg"));
        assert!(is_uuid("123e4567-e89b-42d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b42d3a456426614174000"));
        assert!(!is_uuid("123e4567-e89b-42d3-a456-42661417400z"));
        assert!(is_token_key("order-1234"));
        assert!(!is_token_key("short"));
        assert!(!is_token_key("has space in it"));
    }
}
