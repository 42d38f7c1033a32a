//! Traces. The log is a file, but still never holds a secret: credentials,
//! codes, passwords, ID and card numbers are replaced, phone numbers and
//! names masked, and long digit runs in free text masked too (a notice may
//! quote a number).

use std::time::Duration;

use serde_json::Value;

use super::{Auth, Body, Reply, Request};
use crate::core::error::ErrorKind;
use crate::core::model::mask_middle;

/// The request as it may be logged, before each attempt.
pub(super) fn request(request: &Request<'_>, attempt: u32) {
    let auth = match request.auth {
        Auth::None => "none",
        Auth::Bearer(_) => "bearer [redacted]",
        Auth::Cookie { .. } => "cookie [redacted]",
    };
    let body = match &request.body {
        Body::Empty => String::new(),
        Body::Json(value) => redact_json(value, None).to_string(),
        Body::Form(fields) => redact_form(fields),
    };
    tracing::debug!(
        target: "carrier",
        carrier = request.carrier.config_key(),
        call = request.call,
        attempt,
        method = %request.method,
        path = request.url.path(),
        query = request.url.query().unwrap_or(""),
        auth,
        idempotency_key = request.idempotency_key.as_deref().unwrap_or(""),
        body = %body,
        "request"
    );
}

/// The reply as it may be logged, with how long it took.
pub(super) fn reply(request: &Request<'_>, attempt: u32, reply: &Reply, elapsed: Duration) {
    let body = match serde_json::from_slice::<Value>(&reply.body) {
        Ok(value) => redact_json(&value, None).to_string(),
        Err(_) => format!("<{} bytes, not JSON>", reply.body.len()),
    };
    tracing::debug!(
        target: "carrier",
        carrier = request.carrier.config_key(),
        call = request.call,
        attempt,
        status = reply.status.as_u16(),
        retry_after = reply.retry_after_secs(),
        elapsed_ms = elapsed.as_millis() as u64,
        body = %body,
        "response"
    );
}

/// An attempt that got no answer (a timeout, a broken connection).
pub(super) fn no_reply(request: &Request<'_>, attempt: u32, elapsed: Duration, kind: &ErrorKind) {
    tracing::debug!(
        target: "carrier",
        carrier = request.carrier.config_key(),
        call = request.call,
        attempt,
        elapsed_ms = elapsed.as_millis() as u64,
        error = %kind,
        "no reply"
    );
}

/// A failed attempt about to be sent again after `wait`.
pub(super) fn retrying(request: &Request<'_>, attempt: u32, wait: Duration, kind: &ErrorKind) {
    tracing::info!(
        target: "carrier",
        carrier = request.carrier.config_key(),
        call = request.call,
        attempt,
        wait_ms = wait.as_millis() as u64,
        error = %kind,
        "retrying with the same body and key"
    );
}

/// A call that ends in `kind` after `attempts` attempts.
pub(super) fn giving_up(request: &Request<'_>, attempts: u32, kind: &ErrorKind) {
    tracing::info!(
        target: "carrier",
        carrier = request.carrier.config_key(),
        call = request.call,
        attempts,
        error = %kind,
        "giving up"
    );
}

/// Keys whose values are secrets: replaced entirely.
const SECRET_KEYS: &[&str] = &[
    "smsCode",
    "servicePwd",
    "password",
    "token",
    "accessToken",
    "cardNo",
    "cardNumber",
    "idNumber",
    "certNo",
];
/// Keys whose values are phone numbers: `138****8000`.
const PHONE_KEYS: &[&str] = &["msisdn", "mobile", "phone", "contactMsisdn", "contactPhone"];
/// Keys whose values are a person's name: first character kept.
const NAME_KEYS: &[&str] = &["holderName", "custName", "name"];

/// Keys whose values are status codes, logged verbatim (`"000000"` is not
/// an SMS code).
const STATUS_KEYS: &[&str] = &["retCode", "respCode"];

/// How one value under `key` is written to the log.
fn redact_str(key: Option<&str>, value: &str) -> String {
    match key {
        Some(k) if STATUS_KEYS.contains(&k) => value.to_owned(),
        Some(k) if SECRET_KEYS.contains(&k) => "[redacted]".to_owned(),
        // Telecom's login `code` is the SMS code; other `code`s (fee codes,
        // reason codes) are words and stay readable.
        Some("code") if value.bytes().any(|b| b.is_ascii_digit()) => "[redacted]".to_owned(),
        Some(k) if PHONE_KEYS.contains(&k) => mask_middle(value, 3, 4),
        Some(k) if NAME_KEYS.contains(&k) => mask_middle(value, 1, 0),
        _ => mask_digit_runs(value),
    }
}

/// A JSON value as it may be logged.
pub(super) fn redact_json(value: &Value, key: Option<&str>) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), redact_json(v, Some(k))))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| redact_json(v, key)).collect()),
        Value::String(s) => Value::String(redact_str(key, s)),
        Value::Number(_) if key.is_some_and(|k| SECRET_KEYS.contains(&k)) => {
            Value::String("[redacted]".to_owned())
        }
        other => other.clone(),
    }
}

/// A form body as it may be logged.
pub(super) fn redact_form(fields: &[(&'static str, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", redact_str(Some(k), v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Masks digit runs that look like personal data in free text: 6 digits (an
/// SMS code or password) entirely, 11 (a phone number) and 15–19 (an ID or
/// card number, with a trailing `X`) keeping the first 3 and last 4. Dates
/// and times (8 and 14 digits) and amounts stay readable.
pub fn mask_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 17 && i < chars.len() && matches!(chars[i], 'X' | 'x') {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        match run.len() {
            6 => out.push_str("******"),
            11 | 15..=19 => out.push_str(&mask_middle(&run, 3, 4)),
            _ => out.push_str(&run),
        }
    }
    out
}
