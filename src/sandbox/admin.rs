//! The sandbox-only endpoints under `/sandbox`: the simulated phone's inbox,
//! the ledger, scanning a QR code, fault rules, the clock, and reset. Plain
//! JSON, money in integer fen; errors are `{"error": "..."}` with a 4xx.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::clock::rfc3339;
use super::faults::Faults;
use super::shared::Shared;
use super::state::{AttemptState, MessageKind, OrderRec, PaymentRec};
use super::wire;
use crate::core::model::{OrderState, PayMethod};

/// The routes, relative to `/sandbox`.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/inbox/{msisdn}", get(inbox))
        .route("/ledger/{msisdn}", get(ledger))
        .route("/payments/{payment_id}/complete", post(complete_payment))
        .route(
            "/faults",
            post(install_faults).get(list_faults).delete(clear_faults),
        )
        .route("/clock", get(clock).post(advance_clock))
        .route("/reset", post(reset))
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({"error": message.into()}))).into_response()
}

async fn inbox(State(shared): State<Shared>, Path(msisdn): Path<String>) -> Response {
    let messages: Vec<Value> = shared
        .sim()
        .inbox(&msisdn)
        .into_iter()
        .map(|m| {
            let mut v = json!({
                "seq": m.seq,
                "sentAt": rfc3339(m.sent_at),
                "kind": if m.kind == MessageKind::Code { "code" } else { "notice" },
                "text": m.text,
            });
            if let (Some(code), Value::Object(map)) = (m.code, &mut v) {
                map.insert("code".into(), json!(code));
            }
            v
        })
        .collect();
    axum::Json(json!({"msisdn": msisdn, "messages": messages})).into_response()
}

fn method_word(method: PayMethod) -> &'static str {
    match method {
        PayMethod::Balance => "balance",
        PayMethod::Card => "card",
        PayMethod::Alipay => "alipay",
        PayMethod::WeChat => "wechat",
    }
}

fn order_json(order: &OrderRec) -> Value {
    json!({
        "orderId": order.id,
        "carrier": order.carrier.config_key(),
        "planId": order.plan_id,
        "planName": order.plan_name,
        "kind": if order.retention.is_some() { "retention" } else { "cancel" },
        "state": match &order.state {
            OrderState::AwaitingPayment => "awaiting_payment",
            OrderState::Processing => "processing",
            OrderState::Completed => "completed",
            OrderState::Rejected(_) => "rejected",
        },
        "amountDue": order.amount_due.0,
        "effectiveDate": order.effective_date.to_string(),
        "createdAt": rfc3339(order.created_at),
        "paymentId": order.paid_by,
    })
}

fn payment_json(payment: &PaymentRec) -> Value {
    json!({
        "paymentId": payment.id,
        "orderId": payment.order_id,
        "method": method_word(payment.method),
        "amount": payment.amount.0,
        "state": payment.state.as_str(),
        "createdAt": rfc3339(payment.created_at),
        "paidAt": payment.paid_at.map(rfc3339),
        "payUrl": payment.pay_url,
        "cardLast4": payment.card_last4,
    })
}

async fn ledger(State(shared): State<Shared>, Path(msisdn): Path<String>) -> Response {
    let Some((balance, orders, payments)) = shared.sim().ledger(&msisdn) else {
        return error(
            StatusCode::NOT_FOUND,
            format!("no account {msisdn} in this world"),
        );
    };
    let charges: Vec<Value> = payments
        .iter()
        .filter(|p| p.state == AttemptState::Paid)
        .map(|p| {
            json!({
                "paymentId": p.id,
                "orderId": p.order_id,
                "method": method_word(p.method),
                "amount": p.amount.0,
                "at": p.paid_at.map(rfc3339),
            })
        })
        .collect();
    axum::Json(json!({
        "msisdn": msisdn,
        "balance": balance.0,
        "orders": orders.iter().map(order_json).collect::<Vec<_>>(),
        "charges": charges,
        "payments": payments.iter().map(payment_json).collect::<Vec<_>>(),
    }))
    .into_response()
}

async fn complete_payment(
    State(shared): State<Shared>,
    Path(payment_id): Path<String>,
) -> Response {
    match shared.sim().complete_qr(&payment_id) {
        Ok(payment) => axum::Json(payment_json(&payment)).into_response(),
        Err(why) if why.starts_with("no payment") => error(StatusCode::NOT_FOUND, why),
        Err(why) => error(StatusCode::CONFLICT, why),
    }
}

async fn install_faults(State(shared): State<Shared>, body: Bytes) -> Response {
    let value: Value = match wire::json_body(&body) {
        Ok(v) => v,
        Err(why) => return error(StatusCode::BAD_REQUEST, why),
    };
    match Faults::parse(value) {
        Ok(rules) => {
            let mut faults = shared.faults();
            faults.install(rules);
            axum::Json(faults.list()).into_response()
        }
        Err(why) => error(StatusCode::BAD_REQUEST, why),
    }
}

async fn list_faults(State(shared): State<Shared>) -> Response {
    axum::Json(shared.faults().list()).into_response()
}

async fn clear_faults(State(shared): State<Shared>) -> Response {
    let mut faults = shared.faults();
    faults.clear();
    axum::Json(faults.list()).into_response()
}

async fn clock(State(shared): State<Shared>) -> Response {
    let now = shared.sim().now();
    axum::Json(json!({"now": rfc3339(now)})).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Advance {
    advance_seconds: u32,
}

async fn advance_clock(State(shared): State<Shared>, body: Bytes) -> Response {
    let advance: Advance = match wire::json_body(&body) {
        Ok(a) => a,
        Err(why) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!(
                    "{why}; expected {{\"advanceSeconds\": n}} with n ≥ 0 (the clock only moves forward)"
                ),
            );
        }
    };
    let now = shared.sim().advance(advance.advance_seconds);
    axum::Json(json!({"now": rfc3339(now)})).into_response()
}

async fn reset(State(shared): State<Shared>) -> Response {
    shared.reset();
    let now = shared.sim().now();
    axum::Json(json!({"reset": true, "now": rfc3339(now)})).into_response()
}
