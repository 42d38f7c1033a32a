//! What a carrier's answer may be at most. A hostile or broken server must
//! not be able to fill memory (a body that never ends) or hide what matters
//! behind a megabyte of text: an answer beyond these bounds is a protocol
//! error, which the flow treats like any garbled answer. Nor may it make the
//! wizard wait for ever: every wait it asks for is shortened to the
//! configured `network.max_wait_secs`.

use serde_json::Value;

use super::decode::protocol;
use crate::core::error::ErrorKind;

/// The largest body read from a carrier. The spec's largest answer (a plan
/// list) is a few kilobytes; a mebibyte leaves room for any real one.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The longest string value in an answer, in characters. Long enough for a
/// 10,000-character retention text or a 5,000-character QR link (which the
/// screens scroll or elide), far below what would crowd out memory or logs.
pub const MAX_TEXT_CHARS: usize = 16 * 1024;

/// The protocol error for a body over [`MAX_BODY_BYTES`].
pub fn body_too_large(call: &str) -> ErrorKind {
    protocol(
        call,
        "the answer is larger than 1 MiB, far more than any answer of the spec; it was not read further",
    )
}

/// Refuses `value` when one of its strings (or object keys) is longer than
/// [`MAX_TEXT_CHARS`].
pub fn check_text_lengths(call: &str, value: &Value) -> Result<(), ErrorKind> {
    let too_long = |s: &str| s.len() > MAX_TEXT_CHARS && s.chars().count() > MAX_TEXT_CHARS;
    let refuse = |s: &str| {
        protocol(
            call,
            format!(
                "a text in the answer is {} characters long (at most {MAX_TEXT_CHARS})",
                s.chars().count()
            ),
        )
    };
    match value {
        Value::String(s) if too_long(s) => Err(refuse(s)),
        Value::Array(items) => items.iter().try_for_each(|v| check_text_lengths(call, v)),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            if too_long(k) {
                return Err(refuse(k));
            }
            check_text_lengths(call, v)
        }),
        _ => Ok(()),
    }
}

/// A carrier-given wait in seconds, at most `max_secs`: a `Retry-After` of
/// 136 years must not stop the wizard from asking again (and from noticing
/// a stalled order).
pub fn bound_wait(asked: Option<u32>, max_secs: u32) -> Option<u32> {
    asked.map(|secs| secs.min(max_secs))
}

/// `kind` with a carrier-given wait bounded as by [`bound_wait`].
pub fn bound_busy(kind: ErrorKind, max_secs: u32) -> ErrorKind {
    match kind {
        ErrorKind::CarrierBusy { retry_after_secs } => ErrorKind::CarrierBusy {
            retry_after_secs: bound_wait(retry_after_secs, max_secs),
        },
        other => other,
    }
}
