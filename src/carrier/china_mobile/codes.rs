//! China Mobile's envelope (`retCode`, `retMsg`, `data`) and its table of
//! error codes (docs/CARRIER-API.md, "China Mobile", error codes), mapped
//! once into [`ErrorKind`].

use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::carrier::http::{self, Reply, mask_digit_runs, protocol};
use crate::core::error::ErrorKind;
use crate::core::model::BlockReason;

/// The success code.
const OK: &str = "000000";

#[derive(Deserialize)]
pub(super) struct Envelope {
    #[serde(rename = "retCode")]
    ret_code: String,
    #[serde(rename = "retMsg", default)]
    ret_msg: String,
    #[serde(default)]
    data: Value,
}

/// `data` of calls that return `{}`.
#[derive(Deserialize)]
pub(super) struct Empty {}

impl http::CodedEnvelope for Envelope {
    const CODE_FIELD: &'static str = "retCode";
    const PAYLOAD_FIELD: &'static str = "data";
    const OK: &'static str = OK;

    fn code(&self) -> &str {
        &self.ret_code
    }

    fn into_payload(self) -> Value {
        self.data
    }
}

/// Decodes a reply's `data` as `T`; HTTP 401 is an expired session.
pub(super) fn decode<T: DeserializeOwned>(call: &str, reply: &Reply) -> Result<T, ErrorKind> {
    if reply.status == StatusCode::UNAUTHORIZED {
        return Err(ErrorKind::SessionExpired);
    }
    http::decode_coded(call, reply, |envelope: &Envelope| {
        error_kind(call, envelope, reply)
    })
}

/// The spec's error codes, one arm each.
fn error_kind(call: &str, envelope: &Envelope, reply: &Reply) -> ErrorKind {
    match envelope.ret_code.as_str() {
        "100001" => ErrorKind::WrongCredentials,
        "100002" => ErrorKind::AccountFrozen,
        "100003" => ErrorKind::CodeTooOften,
        "100004" => ErrorKind::UnknownNumber,
        "100005" => ErrorKind::LoginLocked,
        "200001" => ErrorKind::IdentityMismatch,
        "200002" => ErrorKind::QuoteExpired,
        "200003" => ErrorKind::NotCancellable {
            reason: envelope
                .data
                .get("blockReason")
                .and_then(Value::as_str)
                .map_or(BlockReason::Unspecified, block_reason),
        },
        "200009" => ErrorKind::IdempotencyConflict,
        "300001" => ErrorKind::BalanceInsufficient,
        "300002" => ErrorKind::PaymentDeclined,
        "999999" => ErrorKind::CarrierBusy {
            retry_after_secs: reply.retry_after_secs(),
        },
        "400001" => protocol(
            call,
            format!(
                "the carrier called the request malformed (400001: {})",
                mask_digit_runs(&envelope.ret_msg)
            ),
        ),
        other => protocol(
            call,
            format!(
                "unknown retCode {other:?}: {}",
                mask_digit_runs(&envelope.ret_msg)
            ),
        ),
    }
}

/// The spec's `blockReason` words.
pub(super) fn block_reason(wire: &str) -> BlockReason {
    match wire {
        "EXPIRED" => BlockReason::Expired,
        "IN_BUNDLE" => BlockReason::InBundle,
        "ARREARS" => BlockReason::Arrears,
        // A reason added after the spec still blocks; the person gets the
        // general advice and the hotline.
        _ => BlockReason::Unspecified,
    }
}
