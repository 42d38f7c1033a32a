//! China Telecom (`ctcc`): JSON-RPC 2.0 at `POST /ctcc/rpc`, in the order of
//! its spec section. HTTP 200 either way; failures are `error` objects.
//! Authenticated calls carry `params.accessToken`; money in integer fen;
//! times RFC 3339 with `+08:00`.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::clock::rfc3339;
use super::shared::Shared;
use super::state::{AttemptState, Refusal};
use super::wire;
use super::world::BlockConfig;
use crate::core::model::{CarrierId, FeeKind, OrderState, PlanKind, PlanStatus};

const ME: CarrierId = CarrierId::ChinaTelecom;

/// What the fault layer needs from a request before it is handled.
#[derive(Debug, Default)]
pub struct RpcPeek {
    /// The RPC method, if the body names one.
    pub method: Option<String>,
    /// The request id, to answer with.
    pub id: Value,
}

/// Reads the method and id from a body, tolerating anything.
pub fn peek(body: &[u8]) -> RpcPeek {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return RpcPeek::default();
    };
    RpcPeek {
        method: map.get("method").and_then(Value::as_str).map(str::to_owned),
        id: map.get("id").cloned().unwrap_or(Value::Null),
    }
}

/// A JSON-RPC error.
struct RpcError {
    code: i64,
    message: String,
}

impl RpcError {
    fn new(code: i64, message: impl Into<String>) -> RpcError {
        RpcError {
            code,
            message: message.into(),
        }
    }
}

impl From<Refusal> for RpcError {
    fn from(refusal: Refusal) -> RpcError {
        let code = match refusal {
            Refusal::WrongCode => -32001,
            Refusal::Frozen => -32002,
            Refusal::TooOften => -32003,
            Refusal::UnknownNumber => -32004,
            Refusal::Locked => -32005,
            Refusal::Unauthorized => -32006,
            Refusal::IdentityMismatch => -32010,
            Refusal::QuoteExpired => -32011,
            Refusal::NotCancellable(_) => -32012,
            Refusal::KeyReused => -32019,
            Refusal::BalanceInsufficient => -32020,
            Refusal::CardDeclined(_) => -32021,
        };
        RpcError::new(code, refusal.message())
    }
}

fn answer(id: Value, outcome: Result<Value, RpcError>) -> Response {
    let body = match outcome {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(e) => json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": {"code": e.code, "message": e.message},
        }),
    };
    axum::Json(body).into_response()
}

/// The dialect's busy answer (fault `busy`), for the request's id.
pub fn busy(id: Value) -> Response {
    answer(id, Err(RpcError::new(-32099, "系统繁忙，请稍后再试")))
}

/// The one endpoint.
pub async fn rpc(State(shared): State<Shared>, body: Bytes) -> Response {
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return answer(
                Value::Null,
                Err(RpcError::new(-32700, format!("parse error: {e}"))),
            );
        }
    };
    let Value::Object(mut map) = request else {
        return answer(
            Value::Null,
            Err(RpcError::new(
                -32600,
                "invalid request: expected one JSON object (batches are not supported)",
            )),
        );
    };
    let id = map.remove("id").unwrap_or(Value::Null);
    if map.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return answer(
            id,
            Err(RpcError::new(
                -32600,
                "invalid request: \"jsonrpc\" must be \"2.0\"",
            )),
        );
    }
    let Some(Value::String(method)) = map.remove("method") else {
        return answer(
            id,
            Err(RpcError::new(
                -32600,
                "invalid request: \"method\" must be a string",
            )),
        );
    };
    let params = map.remove("params").unwrap_or_else(|| json!({}));
    answer(id, dispatch(&shared, &method, params))
}

fn dispatch(shared: &Shared, method: &str, params: Value) -> Result<Value, RpcError> {
    match method {
        "auth.sendCode" => send_code(shared, parse(params)?),
        "auth.login" => login(shared, parse(params)?),
        "product.list" => product_list(shared, parse(params)?),
        "cancel.quote" => quote(shared, parse(params)?),
        "cancel.submit" => submit(shared, parse(params)?),
        "cancel.pay" => pay(shared, parse(params)?),
        "cancel.status" => status(shared, parse(params)?),
        "notice.list" => notice_list(shared, parse(params)?),
        other => Err(RpcError::new(-32601, format!("method not found: {other}"))),
    }
}

fn parse<T: DeserializeOwned>(params: Value) -> Result<T, RpcError> {
    serde_json::from_value(params)
        .map_err(|e| RpcError::new(-32602, format!("invalid params: {e}")))
}

fn signed_in(shared: &Shared, token: Option<&str>) -> Result<String, RpcError> {
    Ok(shared.sim().authenticate(ME, token)?)
}

fn request_id(key: &str) -> Result<(), RpcError> {
    if wire::is_uuid(key) {
        Ok(())
    } else {
        Err(RpcError::new(
            -32602,
            "invalid params: requestId must be a UUID",
        ))
    }
}

#[derive(Deserialize)]
struct SendCode {
    phone: String,
}

fn send_code(shared: &Shared, p: SendCode) -> Result<Value, RpcError> {
    shared.sim().send_code(ME, &p.phone)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
struct Login {
    phone: String,
    code: String,
}

fn login(shared: &Shared, p: Login) -> Result<Value, RpcError> {
    let (token, expires_at) = shared.sim().login(ME, &p.phone, &p.code, None)?;
    Ok(json!({"accessToken": token, "expiresAt": rfc3339(expires_at)}))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Authed {
    #[serde(default)]
    access_token: Option<String>,
}

fn product_list(shared: &Shared, p: Authed) -> Result<Value, RpcError> {
    let msisdn = signed_in(shared, p.access_token.as_deref())?;
    let (balance, plans) = shared.sim().products(&msisdn)?;
    let products: Vec<Value> = plans
        .iter()
        .map(|p| {
            json!({
                "prodId": p.id,
                "name": p.name,
                "category": match p.kind {
                    PlanKind::Broadband => "broadband",
                    PlanKind::DataPack => "data",
                    PlanKind::Bundle => "bundle",
                },
                "monthlyFeeFen": p.monthly_fee.0,
                "status": match p.status {
                    PlanStatus::Active => "active",
                    PlanStatus::Expired => "expired",
                    PlanStatus::PendingCancel => "cancelling",
                },
                "contractEndsOn": p.contract_end.map(|d| d.to_string()),
                "cancelBlock": p.block.map(|b| match b {
                    BlockConfig::Expired => "expired",
                    BlockConfig::InBundle => "bundle",
                    BlockConfig::Arrears => "arrears",
                }),
            })
        })
        .collect();
    Ok(json!({"balanceFen": balance.0, "products": products}))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Quote {
    #[serde(default)]
    access_token: Option<String>,
    prod_id: String,
}

fn quote(shared: &Shared, p: Quote) -> Result<Value, RpcError> {
    let msisdn = signed_in(shared, p.access_token.as_deref())?;
    let quote = shared.sim().quote(ME, &msisdn, &p.prod_id)?;
    let charges: Vec<Value> = quote
        .items
        .iter()
        .map(|i| {
            json!({
                "type": match i.kind {
                    FeeKind::Penalty => "penalty",
                    FeeKind::Equipment => "equipment",
                    FeeKind::Arrears => "arrears",
                    FeeKind::Refund => "refund",
                },
                "label": i.label,
                "fen": i.amount.0,
            })
        })
        .collect();
    Ok(json!({
        "quoteId": quote.id,
        "charges": charges,
        "totalFen": quote.total.0,
        "effectiveOn": quote.effective_date.to_string(),
        "validUntil": rfc3339(quote.expires_at),
        "retentionOffer": quote.retention.map(|r| json!({
            "id": r.id,
            "text": r.description,
            "monthlyFeeFen": r.monthly_fee.0,
        })),
    }))
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct Applicant {
    name: String,
    id_number: String,
    #[serde(default)]
    contact_phone: String,
}

#[derive(Deserialize, Serialize, Default)]
struct Reason {
    #[serde(default)]
    code: String,
    #[serde(default)]
    text: String,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct Submit {
    #[serde(default, skip_serializing)]
    access_token: Option<String>,
    quote_id: String,
    #[serde(skip_serializing)]
    request_id: String,
    applicant: Applicant,
    #[serde(default)]
    reason: Reason,
    #[serde(default)]
    accept_retention: bool,
}

fn order_status(state: &OrderState) -> &'static str {
    match state {
        OrderState::AwaitingPayment => "awaiting_payment",
        OrderState::Processing => "processing",
        OrderState::Completed => "completed",
        OrderState::Rejected(_) => "rejected",
    }
}

fn submit(shared: &Shared, p: Submit) -> Result<Value, RpcError> {
    let msisdn = signed_in(shared, p.access_token.as_deref())?;
    request_id(&p.request_id)?;
    let print = wire::fingerprint("cancel.submit", &p);
    let mut sim = shared.sim();
    if let Some(original) = sim.replay(ME, &msisdn, &p.request_id, &print)? {
        return Ok(original);
    }
    let order = sim.submit(
        ME,
        &msisdn,
        &p.quote_id,
        &p.applicant.name,
        &p.applicant.id_number,
        p.accept_retention,
    )?;
    let result = json!({"orderId": order.id, "status": order_status(&order.state)});
    sim.spend(ME, &msisdn, &p.request_id, &print, &result);
    Ok(result)
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct Pay {
    #[serde(default, skip_serializing)]
    access_token: Option<String>,
    order_id: String,
    #[serde(skip_serializing)]
    request_id: String,
    method: String,
    #[serde(default)]
    card_number: Option<String>,
}

fn pay(shared: &Shared, p: Pay) -> Result<Value, RpcError> {
    let msisdn = signed_in(shared, p.access_token.as_deref())?;
    request_id(&p.request_id)?;
    let method = wire::pay_method_word(&p.method).ok_or_else(|| {
        RpcError::new(
            -32602,
            "invalid params: method must be balance, card, alipay or wechat",
        )
    })?;
    let print = wire::fingerprint("cancel.pay", &p);
    let mut sim = shared.sim();
    if let Some(original) = sim.replay(ME, &msisdn, &p.request_id, &print)? {
        return Ok(original);
    }
    let payment = sim.pay(ME, &msisdn, &p.order_id, method, p.card_number.as_deref())?;
    let mut result = json!({
        "paymentId": payment.id,
        "status": if payment.state == AttemptState::Paid { "paid" } else { "pending" },
    });
    if let (Some(url), Value::Object(map)) = (&payment.pay_url, &mut result) {
        map.insert("qrContent".into(), json!(url));
    }
    sim.spend(ME, &msisdn, &p.request_id, &print, &result);
    Ok(result)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    #[serde(default)]
    access_token: Option<String>,
    order_id: String,
}

fn status(shared: &Shared, p: Status) -> Result<Value, RpcError> {
    let msisdn = signed_in(shared, p.access_token.as_deref())?;
    let view = shared.sim().poll(ME, &msisdn, &p.order_id)?;
    let mut result = json!({
        "orderId": view.order.id,
        "status": order_status(&view.order.state),
        "expectedBy": rfc3339(view.expected_by),
    });
    if let Value::Object(map) = &mut result {
        if let OrderState::Rejected(reason) = &view.order.state {
            map.insert("reason".into(), json!(reason));
        }
        if let Some(secs) = view.retry_after {
            map.insert("retryAfterSec".into(), json!(secs));
        }
    }
    Ok(result)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NoticeList {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    after_id: Option<Value>,
}

fn notice_list(shared: &Shared, p: NoticeList) -> Result<Value, RpcError> {
    let msisdn = signed_in(shared, p.access_token.as_deref())?;
    // Ids are integers; a digit string is taken too.
    let after = match &p.after_id {
        None | Some(Value::Null) => Some(0),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.parse().ok(),
        Some(_) => None,
    }
    .ok_or_else(|| {
        RpcError::new(
            -32602,
            "invalid params: afterId must be a notice id (integer)",
        )
    })?;
    let notices: Vec<Value> = shared
        .sim()
        .notices_since(&msisdn, after)
        .into_iter()
        .map(|m| json!({"id": m.seq, "at": rfc3339(m.sent_at), "text": m.text}))
        .collect();
    Ok(json!({"notices": notices}))
}
