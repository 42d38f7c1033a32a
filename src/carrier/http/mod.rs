//! The one HTTP client the three adapters share: timeouts from the config,
//! retries for exactly the faults the spec calls retryable, and a trace of
//! every request and response with secrets and personal data masked.
//!
//! An adapter describes a call once as a [`Request`] (method, URL, credential,
//! idempotency key, body) and hands [`Http::send`] a decoder for the reply.
//! The body is encoded once, before the first attempt, so every retry sends
//! the same bytes under the same idempotency key — the carrier then returns
//! the original result instead of creating a second order or charge.
//!
//! Retryable (spec, "Shared semantics"): HTTP 429 (honouring `Retry-After`),
//! 502, 503, 504, connection failures and timeouts, and the dialects' busy
//! codes — which the decoder reports as [`ErrorKind::CarrierBusy`]. Everything
//! else is final and returned at once.
//!
//! - `client`: the [`Http`] client and its send loop;
//! - `retry`: the [`RetryPolicy`] (backoff, jitter, `Retry-After`);
//! - `decode`: the decoding helpers the adapters share;
//! - `limits`: how large an answer may be (body, texts);
//! - `trace`: the masked request and response traces.

mod client;
mod decode;
mod limits;
mod retry;
#[cfg(test)]
mod tests;
mod trace;

use reqwest::header::{HeaderMap, RETRY_AFTER, SET_COOKIE};
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

pub use client::{Http, HttpInitError, read_capped, side_channel_client};
pub use decode::{
    CodedEnvelope, code_sent, decode_coded, from_value, join_url, parse_json, protocol,
};
pub use limits::{MAX_BODY_BYTES, MAX_TEXT_CHARS};
pub use retry::RetryPolicy;
pub use trace::mask_digit_runs;

use crate::core::model::CarrierId;
use crate::core::secret::Token;

/// The credential a call carries.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// None (sending a code, logging in, JSON-RPC with the token in params).
    None,
    /// `Authorization: Bearer <token>` (China Mobile).
    Bearer(&'a Token),
    /// `Cookie: <name>=<value>` (China Unicom's `CUSESSION`).
    Cookie {
        /// The cookie's name.
        name: &'static str,
        /// Its value.
        value: &'a Token,
    },
}

/// A request body, encoded once and sent unchanged on every attempt.
#[derive(Debug, Clone)]
pub enum Body {
    /// No body (GET).
    Empty,
    /// `application/json`.
    Json(Value),
    /// `application/x-www-form-urlencoded`, fields in this order.
    Form(Vec<(&'static str, String)>),
}

/// One call, described once and sent as often as the policy allows.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// Whose API this is (for errors and traces).
    pub carrier: CarrierId,
    /// The call's name in the spec (`POST /cancel/orders`, `cancel.submit`),
    /// used in errors and traces.
    pub call: &'a str,
    /// The HTTP method.
    pub method: Method,
    /// The full URL.
    pub url: Url,
    /// The credential.
    pub auth: Auth<'a>,
    /// Sent as the `Idempotency-Key` header when present (China Mobile).
    pub idempotency_key: Option<String>,
    /// Whether an attempt that got no answer (timeout, broken connection)
    /// may be sent again. True for reads and for calls the carrier
    /// deduplicates; false for login, where a lost attempt may already have
    /// spent the one-time SMS code, so a resend could only be refused as a
    /// wrong code — and count towards the lock after five.
    pub resend_unanswered: bool,
    /// The body.
    pub body: Body,
}

/// What came back from one attempt.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Reply {
    /// `Retry-After` in seconds, when the carrier sent one (the spec uses
    /// seconds only; an HTTP date is ignored).
    pub fn retry_after_secs(&self) -> Option<u32> {
        self.headers
            .get(RETRY_AFTER)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// The value of cookie `name` from the `Set-Cookie` headers, if set.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|header| {
                let pair = header.split(';').next()?;
                let (key, value) = pair.split_once('=')?;
                (key.trim() == name).then(|| value.trim().to_owned())
            })
            .filter(|v| !v.is_empty())
    }
}

/// Where in its retries a call is, for decoders that must tell "the carrier
/// refused" from "an earlier, lost attempt already did it".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first try.
    pub number: u32,
    /// Whether an earlier attempt ended without an answer (timeout or broken
    /// connection), so it may have taken effect.
    pub earlier_outcome_unknown: bool,
}
