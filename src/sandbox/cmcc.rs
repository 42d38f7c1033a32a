//! China Mobile (`cmcc`): REST + JSON under `/cmcc/v2`, in the order of its
//! spec section. Every answer is HTTP 200 `{"retCode","retMsg","data"}`,
//! except 401 (token missing/expired) and 400 `400001` (bad request or
//! idempotency key). Money in integer fen.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::clock::rfc3339;
use super::shared::Shared;
use super::state::{AttemptState, PaymentRec, Refusal, SESSION_SECS, StatusView};
use super::wire;
use super::world::BlockConfig;
use crate::core::model::{CarrierId, FeeKind, OrderState, PlanKind, PlanStatus};

const ME: CarrierId = CarrierId::ChinaMobile;

/// The dialect's routes, relative to `/cmcc/v2`.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/auth/sms-code", post(sms_code))
        .route("/auth/login", post(login))
        .route("/subscriptions", get(subscriptions))
        .route("/cancel/quote", post(quote))
        .route("/cancel/orders", post(submit))
        .route("/cancel/orders/{order_id}/payments", post(pay))
        .route("/cancel/orders/{order_id}", get(status))
        .route("/messages", get(messages))
}

/// This dialect's error replies.
struct Cmcc;

impl wire::Dialect for Cmcc {
    fn refused(refusal: Refusal) -> Response {
        refused(refusal)
    }

    fn bad_request(why: String) -> Response {
        bad_request(why)
    }
}

/// Why a call is answered with an error instead of data.
type Failure = wire::Failure<Cmcc>;

/// What a handler returns.
type Answer = Result<Response, Failure>;

fn bad<T>(why: &str) -> Result<T, Failure> {
    Err(Failure::bad_request(why.to_owned()))
}

fn ok(data: Value) -> Answer {
    Ok(envelope(data))
}

fn envelope(data: Value) -> Response {
    reply(json!({"retCode": "000000", "retMsg": "成功", "data": data}))
}

fn reply(v: Value) -> Response {
    axum::Json(v).into_response()
}

fn refused(refusal: Refusal) -> Response {
    let code = match refusal {
        Refusal::Unauthorized => {
            return (
                StatusCode::UNAUTHORIZED,
                axum::Json(json!({"retCode": "401", "retMsg": refusal.message(), "data": null})),
            )
                .into_response();
        }
        Refusal::WrongCode => "100001",
        Refusal::Frozen => "100002",
        Refusal::TooOften => "100003",
        Refusal::UnknownNumber => "100004",
        Refusal::Locked => "100005",
        Refusal::IdentityMismatch => "200001",
        Refusal::QuoteExpired => "200002",
        Refusal::NotCancellable(_) => "200003",
        Refusal::KeyReused => "200009",
        Refusal::BalanceInsufficient => "300001",
        Refusal::CardDeclined(_) => "300002",
    };
    reply(json!({"retCode": code, "retMsg": refusal.message(), "data": null}))
}

fn bad_request(why: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"retCode": "400001", "retMsg": why.into(), "data": null})),
    )
        .into_response()
}

/// The dialect's busy answer (fault `busy`).
pub fn busy() -> Response {
    reply(json!({"retCode": "999999", "retMsg": "系统繁忙，请稍后再试", "data": null}))
}

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, Failure> {
    wire::json_body(body).map_err(Failure::bad_request)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn signed_in(shared: &Shared, headers: &HeaderMap) -> Result<String, Failure> {
    Ok(shared.sim().authenticate(ME, bearer(headers))?)
}

fn idempotency_key(headers: &HeaderMap) -> Result<String, Failure> {
    let key = headers
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| Failure::bad_request("缺少 Idempotency-Key 请求头"))?;
    if !wire::is_token_key(key) {
        return bad("Idempotency-Key 格式错误：应为8–64位字母、数字、- 或 _");
    }
    Ok(key.to_owned())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CodeRequest {
    msisdn: String,
}

async fn sms_code(State(shared): State<Shared>, body: Bytes) -> Answer {
    let req: CodeRequest = parse(&body)?;
    match shared.sim().send_code(ME, &req.msisdn) {
        Ok(()) => ok(json!({})),
        Err(r) => Err(r.into()),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginRequest {
    msisdn: String,
    sms_code: String,
}

async fn login(State(shared): State<Shared>, body: Bytes) -> Answer {
    let req: LoginRequest = parse(&body)?;
    match shared.sim().login(ME, &req.msisdn, &req.sms_code, None) {
        Ok((token, _)) => ok(json!({"token": token, "expiresIn": SESSION_SECS})),
        Err(r) => Err(r.into()),
    }
}

async fn subscriptions(State(shared): State<Shared>, headers: HeaderMap) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let (balance, plans) = shared.sim().products(&msisdn)?;
    let items: Vec<Value> = plans
        .iter()
        .map(|p| {
            json!({
                "offerId": p.id,
                "offerName": p.name,
                "type": match p.kind {
                    PlanKind::Broadband => "BROADBAND",
                    PlanKind::DataPack => "DATA_PACK",
                    PlanKind::Bundle => "BUNDLE",
                },
                "monthlyFee": p.monthly_fee.0,
                "status": match p.status {
                    PlanStatus::Active => "ACTIVE",
                    PlanStatus::Expired => "EXPIRED",
                    PlanStatus::PendingCancel => "PENDING_CANCEL",
                },
                "contractEnd": p.contract_end.map(|d| d.to_string()),
                "cancellable": p.cancellable,
                "blockReason": p.block.map(|b| match b {
                    BlockConfig::Expired => "EXPIRED",
                    BlockConfig::InBundle => "IN_BUNDLE",
                    BlockConfig::Arrears => "ARREARS",
                }),
            })
        })
        .collect();
    ok(json!({"balance": balance.0, "items": items}))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QuoteRequest {
    offer_id: String,
}

async fn quote(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let req: QuoteRequest = parse(&body)?;
    let quote = shared.sim().quote(ME, &msisdn, &req.offer_id)?;
    let items: Vec<Value> = quote
        .items
        .iter()
        .map(|i| {
            json!({
                "code": match i.kind {
                    FeeKind::Penalty => "PENALTY",
                    FeeKind::Equipment => "EQUIPMENT",
                    FeeKind::Arrears => "ARREARS",
                    FeeKind::Refund => "REFUND",
                },
                "name": i.label,
                "amount": i.amount.0,
            })
        })
        .collect();
    ok(json!({
        "quoteId": quote.id,
        "items": items,
        "total": quote.total.0,
        "effectiveDate": quote.effective_date.to_string(),
        "expiresAt": rfc3339(quote.expires_at),
        "retention": quote.retention.map(|r| json!({
            "offerCode": r.id,
            "description": r.description,
            "monthlyFee": r.monthly_fee.0,
        })),
    }))
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct SubmitRequest {
    quote_id: String,
    holder_name: String,
    id_number: String,
    #[serde(default)]
    contact_msisdn: String,
    #[serde(default)]
    reason_code: String,
    #[serde(default)]
    reason_text: String,
    #[serde(default)]
    retention_accepted: bool,
}

fn order_state(state: &OrderState) -> &'static str {
    match state {
        OrderState::AwaitingPayment => "WAIT_PAY",
        OrderState::Processing => "PROCESSING",
        OrderState::Completed => "DONE",
        OrderState::Rejected(_) => "REJECTED",
    }
}

async fn submit(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let key = idempotency_key(&headers)?;
    let req: SubmitRequest = parse(&body)?;
    let print = wire::fingerprint("submit", &req);
    let mut sim = shared.sim();
    if let Some(answer) = sim.replay(ME, &msisdn, &key, &print)? {
        return ok(answer);
    }
    let order = sim.submit(
        ME,
        &msisdn,
        &req.quote_id,
        &req.holder_name,
        &req.id_number,
        req.retention_accepted,
    )?;
    let answer = json!({
        "orderId": order.id,
        "state": order_state(&order.state),
        "amountDue": order.amount_due.0,
    });
    sim.spend(ME, &msisdn, &key, &print, &answer);
    ok(answer)
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct PayRequest {
    method: String,
    #[serde(default)]
    card_no: Option<String>,
}

fn payment_answer(payment: &PaymentRec) -> Value {
    let mut answer = json!({
        "paymentId": payment.id,
        "state": if payment.state == AttemptState::Paid { "PAID" } else { "PENDING" },
    });
    if let (Some(url), Value::Object(map)) = (&payment.pay_url, &mut answer) {
        map.insert("payUrl".into(), json!(url));
    }
    answer
}

async fn pay(
    State(shared): State<Shared>,
    Path(order_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let key = idempotency_key(&headers)?;
    let req: PayRequest = parse(&body)?;
    let Some(method) = wire::pay_method_word(&req.method) else {
        return bad("method 应为 BALANCE、CARD、ALIPAY 或 WECHAT");
    };
    let print = wire::fingerprint(&format!("pay {order_id}"), &req);
    let mut sim = shared.sim();
    if let Some(answer) = sim.replay(ME, &msisdn, &key, &print)? {
        return ok(answer);
    }
    let payment = sim.pay(ME, &msisdn, &order_id, method, req.card_no.as_deref())?;
    let answer = payment_answer(&payment);
    sim.spend(ME, &msisdn, &key, &print, &answer);
    ok(answer)
}

async fn status(
    State(shared): State<Shared>,
    Path(order_id): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let view: StatusView = shared.sim().poll(ME, &msisdn, &order_id)?;
    let mut data = json!({
        "orderId": view.order.id,
        "state": order_state(&view.order.state),
        "expectedBy": rfc3339(view.expected_by),
    });
    if let (OrderState::Rejected(reason), Value::Object(map)) = (&view.order.state, &mut data) {
        map.insert("rejectReason".into(), json!(reason));
    }
    let mut response = envelope(data);
    if let Some(secs) = view.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    Ok(response)
}

#[derive(Deserialize)]
struct Since {
    #[serde(default)]
    since: Option<String>,
}

async fn messages(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<Since>,
) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let since = match query.since.as_deref().filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => match s.parse::<u64>() {
            Ok(n) => n,
            Err(_) => return bad("since 应为消息序号（非负整数）"),
        },
    };
    let items: Vec<Value> = shared
        .sim()
        .notices_since(&msisdn, since)
        .into_iter()
        .map(|m| json!({"seq": m.seq, "sentAt": rfc3339(m.sent_at), "text": m.text}))
        .collect();
    ok(json!({"items": items}))
}
