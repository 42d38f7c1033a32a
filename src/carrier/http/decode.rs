//! Decoding helpers the adapters share: every malformed answer becomes
//! `ErrorKind::Protocol` naming the call, never a panic.

use reqwest::Url;
use serde_json::Value;

use super::limits::check_text_lengths;
use super::trace::mask_digit_runs;
use super::{Attempt, Reply};
use crate::core::error::ErrorKind;

/// A [`ErrorKind::Protocol`] for `call`.
pub fn protocol(call: &str, detail: impl Into<String>) -> ErrorKind {
    ErrorKind::Protocol {
        call: call.to_owned(),
        detail: detail.into(),
    }
}

/// Parses a body as JSON into a wire type. The parser's message is kept
/// (it names the field and position) with digit runs masked, since it may
/// quote a value. A body with a text longer than [`super::MAX_TEXT_CHARS`] (in any
/// field, read or not) is refused.
pub fn parse_json<T: serde::de::DeserializeOwned>(call: &str, body: &[u8]) -> Result<T, ErrorKind> {
    let typed = serde_json::from_slice(body).map_err(|e| {
        protocol(
            call,
            format!(
                "the body is not the JSON the spec defines: {}",
                mask_digit_runs(&e.to_string())
            ),
        )
    })?;
    // Parsed a second time as a tree to look at every string, also those
    // the wire type skips; the body is at most 1 MiB.
    if let Ok(tree) = serde_json::from_slice::<Value>(body) {
        check_text_lengths(call, &tree)?;
    }
    Ok(typed)
}

/// Reads a JSON value (the `data`/`result` part of an envelope) into a wire
/// type; `part` names it in the error.
pub fn from_value<T: serde::de::DeserializeOwned>(
    call: &str,
    part: &str,
    value: Value,
) -> Result<T, ErrorKind> {
    serde_json::from_value(value).map_err(|e| {
        protocol(
            call,
            format!(
                "`{part}` is not what the spec defines: {}",
                mask_digit_runs(&e.to_string())
            ),
        )
    })
}

/// An answer of the form "a result code, a message, a payload" (China
/// Mobile's `retCode`/`data`, China Unicom's `respCode`/`result`).
pub trait CodedEnvelope: serde::de::DeserializeOwned {
    /// The code field's name, for error messages.
    const CODE_FIELD: &'static str;
    /// The payload field's name, for error messages.
    const PAYLOAD_FIELD: &'static str;
    /// The success code.
    const OK: &'static str;
    /// The result code.
    fn code(&self) -> &str;
    /// The payload, taken out.
    fn into_payload(self) -> Value;
}

/// Reads a coded envelope: the payload of a success into `T`; a refusal
/// through `refused` (the dialect's table of codes); a body that is not the
/// envelope, or an HTTP error that claims success, as a protocol error.
pub fn decode_coded<E: CodedEnvelope, T: serde::de::DeserializeOwned>(
    call: &str,
    reply: &Reply,
    refused: impl FnOnce(&E) -> ErrorKind,
) -> Result<T, ErrorKind> {
    let envelope: E = match parse_json(call, &reply.body) {
        Ok(envelope) => envelope,
        Err(_) if !reply.status.is_success() => {
            return Err(protocol(
                call,
                format!("HTTP {} without a {}", reply.status, E::CODE_FIELD),
            ));
        }
        Err(e) => return Err(e),
    };
    if envelope.code() != E::OK {
        return Err(refused(&envelope));
    }
    if !reply.status.is_success() {
        return Err(protocol(
            call,
            format!("HTTP {} with {} {}", reply.status, E::CODE_FIELD, E::OK),
        ));
    }
    // A success without a payload is an empty object.
    let payload = match envelope.into_payload() {
        Value::Null => Value::Object(Default::default()),
        payload => payload,
    };
    from_value(call, E::PAYLOAD_FIELD, payload)
}

/// `root` with `segments` appended as path segments (percent-encoded, so an
/// order id cannot change the path).
pub fn join_url(root: &Url, segments: &[&str]) -> Url {
    let mut url = root.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// A code request whose earlier attempt got lost may have sent the code:
/// then "too often" on the retry means the code is on its way.
pub fn code_sent(result: Result<(), ErrorKind>, attempt: Attempt) -> Result<(), ErrorKind> {
    match result {
        Err(ErrorKind::CodeTooOften) if attempt.earlier_outcome_unknown => Ok(()),
        other => other,
    }
}
