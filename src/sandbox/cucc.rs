//! China Unicom (`cucc`): form posts under `/cucc/mall`, a `CUSESSION`
//! cookie, yuan strings, and Beijing times as `yyyyMMddHHmmss`, in the order
//! of its spec section. Answers are `{"respCode","respDesc","result"}`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::shared::Shared;
use super::state::{AttemptState, Refusal, SESSION_SECS};
use super::wire;
use super::world::BlockConfig;
use crate::core::model::{CarrierId, FeeKind, OrderState, PayMethod, PlanKind, PlanStatus};

const ME: CarrierId = CarrierId::ChinaUnicom;
const COOKIE: &str = "CUSESSION";

/// The dialect's routes, relative to `/cucc/mall`.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/sendSmsCode", post(send_sms_code))
        .route("/login", post(login))
        .route("/queryProducts", post(query_products))
        .route("/cancelTrial", post(cancel_trial))
        .route("/cancelSubmit", post(cancel_submit))
        .route("/cancelPay", post(cancel_pay))
        .route("/queryOrder", post(query_order))
        .route("/queryMsgs", post(query_msgs))
}

/// This dialect's error replies.
struct Cucc;

impl wire::Dialect for Cucc {
    fn refused(refusal: Refusal) -> Response {
        refused(refusal)
    }

    fn bad_request(why: String) -> Response {
        bad_request(why)
    }
}

/// Why a call is answered with an error instead of data.
type Failure = wire::Failure<Cucc>;

/// What a handler returns.
type Answer = Result<Response, Failure>;

fn bad<T>(why: &str) -> Result<T, Failure> {
    Err(Failure::bad_request(why.to_owned()))
}

fn ok(result: Value) -> Answer {
    Ok(envelope(result))
}

fn envelope(result: Value) -> Response {
    axum::Json(json!({"respCode": "0000", "respDesc": "成功", "result": result})).into_response()
}

fn refused(refusal: Refusal) -> Response {
    let code = match refusal {
        Refusal::Unauthorized => "1001",
        Refusal::WrongCode => "2001",
        Refusal::Frozen => "2002",
        Refusal::Locked => "2003",
        Refusal::TooOften => "2101",
        Refusal::UnknownNumber => "2102",
        Refusal::IdentityMismatch => "3001",
        Refusal::QuoteExpired => "3002",
        Refusal::NotCancellable(_) => "3003",
        Refusal::KeyReused => "3009",
        Refusal::BalanceInsufficient => "4001",
        Refusal::CardDeclined(_) => "4002",
    };
    axum::Json(json!({"respCode": code, "respDesc": refusal.message(), "result": null}))
        .into_response()
}

fn bad_request(why: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"respCode": "9001", "respDesc": why.into(), "result": null})),
    )
        .into_response()
}

/// The dialect's busy answer (fault `busy`).
pub fn busy() -> Response {
    axum::Json(json!({"respCode": "9999", "respDesc": "系统繁忙，请稍后再试", "result": null}))
        .into_response()
}

fn form<T: DeserializeOwned>(body: &Bytes) -> Result<T, Failure> {
    serde_urlencoded::from_bytes(body)
        .map_err(|e| Failure::bad_request(format!("表单参数错误：{e}")))
}

fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
}

fn signed_in(shared: &Shared, headers: &HeaderMap) -> Result<String, Failure> {
    Ok(shared.sim().authenticate(ME, session_cookie(headers))?)
}

fn req_seq(seq: &str) -> Result<(), Failure> {
    if wire::is_hex32(seq) {
        Ok(())
    } else {
        bad("reqSeq 格式错误：应为32位十六进制字符")
    }
}

fn stamp(at: DateTime<FixedOffset>) -> String {
    at.with_timezone(&super::clock::beijing())
        .format("%Y%m%d%H%M%S")
        .to_string()
}

fn day(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

#[derive(Deserialize)]
struct CodeForm {
    mobile: String,
}

async fn send_sms_code(State(shared): State<Shared>, body: Bytes) -> Answer {
    let f: CodeForm = form(&body)?;
    match shared.sim().send_code(ME, &f.mobile) {
        Ok(()) => ok(json!({})),
        Err(r) => Err(r.into()),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginForm {
    mobile: String,
    service_pwd: String,
    sms_code: String,
}

async fn login(State(shared): State<Shared>, body: Bytes) -> Answer {
    let f: LoginForm = form(&body)?;
    let mut sim = shared.sim();
    let token = match sim.login(ME, &f.mobile, &f.sms_code, Some(&f.service_pwd)) {
        Ok((token, _)) => token,
        Err(r) => return Err(r.into()),
    };
    let mut response = envelope(json!({"custName": sim.masked_holder(&f.mobile)}));
    let cookie = format!("{COOKIE}={token}; Path=/cucc/mall; Max-Age={SESSION_SECS}; HttpOnly");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

async fn query_products(State(shared): State<Shared>, headers: HeaderMap) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let (balance, plans) = shared.sim().products(&msisdn)?;
    let products: Vec<Value> = plans
        .iter()
        .map(|p| {
            json!({
                "productCode": p.id,
                "productName": p.name,
                "productType": match p.kind {
                    PlanKind::Broadband => "KD",
                    PlanKind::DataPack => "LL",
                    PlanKind::Bundle => "RH",
                },
                "fee": p.monthly_fee.to_yuan_string(),
                "state": match p.status {
                    PlanStatus::Active => "1",
                    PlanStatus::Expired => "2",
                    PlanStatus::PendingCancel => "3",
                },
                "endDate": p.contract_end.map(day).unwrap_or_default(),
                "canCancel": if p.cancellable { "Y" } else { "N" },
                "reasonCode": match p.block {
                    None => "",
                    Some(BlockConfig::Expired) => "EXPIRED",
                    Some(BlockConfig::InBundle) => "RH_MEMBER",
                    Some(BlockConfig::Arrears) => "OWING",
                },
            })
        })
        .collect();
    ok(json!({"balance": balance.to_yuan_string(), "products": products}))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TrialForm {
    product_code: String,
}

async fn cancel_trial(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let f: TrialForm = form(&body)?;
    let quote = shared.sim().quote(ME, &msisdn, &f.product_code)?;
    let fees: Vec<Value> = quote
        .items
        .iter()
        .map(|i| {
            json!({
                "feeType": match i.kind {
                    FeeKind::Penalty => "WYJ",
                    FeeKind::Equipment => "SB",
                    FeeKind::Arrears => "QF",
                    FeeKind::Refund => "TF",
                },
                "feeName": i.label,
                "fee": i.amount.to_yuan_string(),
            })
        })
        .collect();
    ok(json!({
        "trialId": quote.id,
        "fees": fees,
        "totalFee": quote.total.to_yuan_string(),
        "effectDate": day(quote.effective_date),
        "validUntil": stamp(quote.expires_at),
        "retain": quote.retention.map(|r| json!({
            "retainId": r.id,
            "retainDesc": r.description,
            "newFee": r.monthly_fee.to_yuan_string(),
        })),
    }))
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct SubmitForm {
    trial_id: String,
    cust_name: String,
    cert_no: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    reason_desc: String,
    #[serde(default)]
    decline_retain: Option<String>,
    #[serde(skip_serializing)]
    req_seq: String,
}

fn order_state(state: &OrderState) -> &'static str {
    match state {
        OrderState::AwaitingPayment => "10",
        OrderState::Processing => "20",
        OrderState::Completed => "30",
        OrderState::Rejected(_) => "40",
    }
}

async fn cancel_submit(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let f: SubmitForm = form(&body)?;
    req_seq(&f.req_seq)?;
    let accept_retention = match f.decline_retain.as_deref() {
        None | Some("Y") | Some("") => false,
        Some("N") => true,
        Some(_) => return bad("declineRetain 应为 Y 或 N"),
    };
    let print = wire::fingerprint("cancelSubmit", &f);
    let mut sim = shared.sim();
    if let Some(answer) = sim.replay(ME, &msisdn, &f.req_seq, &print)? {
        return ok(answer);
    }
    let order = sim.submit(
        ME,
        &msisdn,
        &f.trial_id,
        &f.cust_name,
        &f.cert_no,
        accept_retention,
    )?;
    let answer = json!({"orderNo": order.id, "orderState": order_state(&order.state)});
    sim.spend(ME, &msisdn, &f.req_seq, &print, &answer);
    ok(answer)
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct PayForm {
    order_no: String,
    pay_type: String,
    #[serde(default)]
    card_no: Option<String>,
    #[serde(skip_serializing)]
    req_seq: String,
}

async fn cancel_pay(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let f: PayForm = form(&body)?;
    req_seq(&f.req_seq)?;
    let method = match f.pay_type.as_str() {
        "01" => PayMethod::Balance,
        "02" => PayMethod::Card,
        "03" => PayMethod::Alipay,
        "04" => PayMethod::WeChat,
        _ => return bad("payType 应为 01（余额）、02（银行卡）、03（支付宝）或 04（微信）"),
    };
    let print = wire::fingerprint("cancelPay", &f);
    let mut sim = shared.sim();
    if let Some(answer) = sim.replay(ME, &msisdn, &f.req_seq, &print)? {
        return ok(answer);
    }
    let payment = sim.pay(ME, &msisdn, &f.order_no, method, f.card_no.as_deref())?;
    let mut answer = json!({
        "payNo": payment.id,
        "payState": if payment.state == AttemptState::Paid { "S" } else { "P" },
    });
    if let (Some(url), Value::Object(map)) = (&payment.pay_url, &mut answer) {
        map.insert("qrUrl".into(), json!(url));
    }
    sim.spend(ME, &msisdn, &f.req_seq, &print, &answer);
    ok(answer)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderForm {
    order_no: String,
}

async fn query_order(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let f: OrderForm = form(&body)?;
    let view = shared.sim().poll(ME, &msisdn, &f.order_no)?;
    let reject = match &view.order.state {
        OrderState::Rejected(reason) => reason.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let mut response = envelope(json!({
        "orderNo": view.order.id,
        "orderState": order_state(&view.order.state),
        "rejectDesc": reject,
        "expectTime": stamp(view.expected_by),
    }));
    if let Some(secs) = view.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    Ok(response)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MsgsForm {
    #[serde(default)]
    last_id: Option<String>,
}

async fn query_msgs(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Answer {
    let msisdn = signed_in(&shared, &headers)?;
    let f: MsgsForm = form(&body)?;
    let since = match f.last_id.as_deref().filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => match s.parse::<u64>() {
            Ok(n) => n,
            Err(_) => return bad("lastId 应为消息编号（数字）"),
        },
    };
    let msgs: Vec<Value> = shared
        .sim()
        .notices_since(&msisdn, since)
        .into_iter()
        .map(|m| {
            json!({"msgId": m.seq.to_string(), "sendTime": stamp(m.sent_at), "content": m.text})
        })
        .collect();
    ok(json!({"msgs": msgs}))
}
