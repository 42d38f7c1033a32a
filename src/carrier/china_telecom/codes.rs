//! China Telecom's JSON-RPC 2.0 envelope (`result` or `error {code,
//! message, data}`) and its table of error codes (docs/CARRIER-API.md,
//! "China Telecom", error codes), mapped once into [`ErrorKind`].

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::carrier::http::{Reply, from_value, mask_digit_runs, parse_json, protocol};
use crate::core::error::ErrorKind;
use crate::core::model::BlockReason;

#[derive(Deserialize)]
struct Envelope {
    jsonrpc: String,
    #[serde(default)]
    id: Value,
    #[serde(default)]
    result: Option<Value>,
    #[serde(default)]
    error: Option<RpcError>,
}

#[derive(Deserialize)]
struct RpcError {
    code: i64,
    #[serde(default)]
    message: String,
    #[serde(default)]
    data: Value,
}

/// `result` of calls that return `{}`.
#[derive(Deserialize)]
pub(super) struct Empty {}

/// Decodes the answer to request `id` of `method`: its `result` as `T`,
/// its `error` through the code table.
pub(super) fn decode<T: DeserializeOwned>(
    method: &str,
    id: u64,
    reply: &Reply,
) -> Result<T, ErrorKind> {
    let envelope: Envelope = match parse_json(method, &reply.body) {
        Ok(envelope) => envelope,
        Err(_) if !reply.status.is_success() => {
            return Err(protocol(
                method,
                format!("HTTP {} without a JSON-RPC answer", reply.status),
            ));
        }
        Err(e) => return Err(e),
    };
    if envelope.jsonrpc != "2.0" {
        return Err(protocol(
            method,
            format!("jsonrpc is {:?}, not \"2.0\"", envelope.jsonrpc),
        ));
    }
    // A server that could not read the id answers with `null` (JSON-RPC 2.0
    // §5); any other id belongs to a different request.
    if envelope.id != Value::Null && envelope.id != json!(id) {
        return Err(protocol(
            method,
            format!("the answer is for id {}, not {id}", envelope.id),
        ));
    }
    match (envelope.result, envelope.error) {
        (_, Some(error)) => Err(error_kind(method, &error, reply)),
        (Some(result), None) => {
            let result = match result {
                Value::Null => Value::Object(Default::default()),
                result => result,
            };
            from_value(method, "result", result)
        }
        (None, None) => Err(protocol(method, "the answer has neither result nor error")),
    }
}

/// The spec's error codes, one arm each.
fn error_kind(method: &str, error: &RpcError, reply: &Reply) -> ErrorKind {
    match error.code {
        -32001 => ErrorKind::WrongCredentials,
        -32002 => ErrorKind::AccountFrozen,
        -32003 => ErrorKind::CodeTooOften,
        -32004 => ErrorKind::UnknownNumber,
        -32005 => ErrorKind::LoginLocked,
        -32006 => ErrorKind::SessionExpired,
        -32010 => ErrorKind::IdentityMismatch,
        -32011 => ErrorKind::QuoteExpired,
        -32012 => ErrorKind::NotCancellable {
            reason: error
                .data
                .get("cancelBlock")
                .and_then(Value::as_str)
                .map_or(BlockReason::Unspecified, block_reason),
        },
        -32019 => ErrorKind::IdempotencyConflict,
        -32020 => ErrorKind::BalanceInsufficient,
        -32021 => ErrorKind::PaymentDeclined,
        -32099 => ErrorKind::CarrierBusy {
            retry_after_secs: error
                .data
                .get("retryAfterSec")
                .and_then(Value::as_u64)
                .and_then(|s| u32::try_from(s).ok())
                .or_else(|| reply.retry_after_secs()),
        },
        code @ (-32700 | -32603..=-32600) => {
            let name = match code {
                -32700 => "parse error",
                -32600 => "invalid request",
                -32601 => "method not found",
                -32602 => "invalid params",
                _ => "internal error",
            };
            protocol(
                method,
                format!(
                    "JSON-RPC {code} ({name}): {}",
                    mask_digit_runs(&error.message)
                ),
            )
        }
        other => protocol(
            method,
            format!(
                "unknown error code {other}: {}",
                mask_digit_runs(&error.message)
            ),
        ),
    }
}

/// The spec's `cancelBlock` words.
pub(super) fn block_reason(wire: &str) -> BlockReason {
    match wire {
        "expired" => BlockReason::Expired,
        "bundle" => BlockReason::InBundle,
        "arrears" => BlockReason::Arrears,
        _ => BlockReason::Unspecified,
    }
}
