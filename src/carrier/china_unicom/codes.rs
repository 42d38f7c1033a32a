//! China Unicom's envelope (`respCode`, `respDesc`, `result`) and its table
//! of error codes (docs/CARRIER-API.md, "China Unicom", error codes), mapped
//! once into [`ErrorKind`].

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::carrier::http::{self, Reply, mask_digit_runs, protocol};
use crate::core::error::ErrorKind;
use crate::core::model::BlockReason;

/// The success code.
const OK: &str = "0000";

#[derive(Deserialize)]
pub(super) struct Envelope {
    #[serde(rename = "respCode")]
    resp_code: String,
    #[serde(rename = "respDesc", default)]
    resp_desc: String,
    #[serde(default)]
    result: Value,
}

/// `result` of calls that return `{}`.
#[derive(Deserialize)]
pub(super) struct Empty {}

impl http::CodedEnvelope for Envelope {
    const CODE_FIELD: &'static str = "respCode";
    const PAYLOAD_FIELD: &'static str = "result";
    const OK: &'static str = OK;

    fn code(&self) -> &str {
        &self.resp_code
    }

    fn into_payload(self) -> Value {
        self.result
    }
}

/// Decodes a reply's `result` as `T`.
pub(super) fn decode<T: DeserializeOwned>(call: &str, reply: &Reply) -> Result<T, ErrorKind> {
    http::decode_coded(call, reply, |envelope: &Envelope| {
        error_kind(call, envelope, reply)
    })
}

/// The spec's error codes, one arm each.
fn error_kind(call: &str, envelope: &Envelope, reply: &Reply) -> ErrorKind {
    match envelope.resp_code.as_str() {
        "1001" => ErrorKind::SessionExpired,
        "2001" => ErrorKind::WrongCredentials,
        "2002" => ErrorKind::AccountFrozen,
        "2003" => ErrorKind::LoginLocked,
        "2101" => ErrorKind::CodeTooOften,
        "2102" => ErrorKind::UnknownNumber,
        "3001" => ErrorKind::IdentityMismatch,
        "3002" => ErrorKind::QuoteExpired,
        "3003" => ErrorKind::NotCancellable {
            reason: envelope
                .result
                .get("reasonCode")
                .and_then(Value::as_str)
                .map_or(BlockReason::Unspecified, block_reason),
        },
        "3009" => ErrorKind::IdempotencyConflict,
        "4001" => ErrorKind::BalanceInsufficient,
        "4002" => ErrorKind::PaymentDeclined,
        "9999" => ErrorKind::CarrierBusy {
            retry_after_secs: reply.retry_after_secs(),
        },
        "9001" => protocol(
            call,
            format!(
                "the carrier called the request malformed (9001: {})",
                mask_digit_runs(&envelope.resp_desc)
            ),
        ),
        other => protocol(
            call,
            format!(
                "unknown respCode {other:?}: {}",
                mask_digit_runs(&envelope.resp_desc)
            ),
        ),
    }
}

/// The spec's `reasonCode` words.
pub(super) fn block_reason(wire: &str) -> BlockReason {
    match wire {
        "EXPIRED" => BlockReason::Expired,
        "RH_MEMBER" => BlockReason::InBundle,
        "OWING" => BlockReason::Arrears,
        _ => BlockReason::Unspecified,
    }
}
