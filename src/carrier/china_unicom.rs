//! China Unicom (`cucc`): form posts under `/cucc/mall`, a session cookie,
//! and money as yuan strings.
//!
//! Requests are `application/x-www-form-urlencoded` POSTs; answers are
//! `{"respCode": "0000", "respDesc", "result"}`. Login sets the `CUSESSION`
//! cookie, which this adapter keeps by hand (from `Set-Cookie`, in the
//! [`Session`]) and sends as `Cookie` on every later call. Amounts such as
//! `"-21.50"` are parsed with [`Fen::parse_yuan`] — never through a float —
//! and times (`yyyyMMddHHmmss`) and dates (`yyyyMMdd`) are Beijing time.
//! Submit and pay carry `reqSeq`, the idempotency key as 32 hex characters.
//! Written in the order of the spec's section (shared/carrier-api.md,
//! "China Unicom").

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use reqwest::{Method, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::http::{
    self, Auth, Body, Http, Reply, Request, code_sent, join_url, mask_digit_runs, protocol,
};
use super::{Carrier, PayRequest, Session, SubmitRequest};
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::fees::Fen;
use crate::core::model::{
    Account, BlockReason, CarrierId, FeeKind, LineItem, Msisdn, Notice, Order, OrderState,
    PayMethod, Payment, PaymentState, Plan, PlanKind, PlanStatus, Quote, RetentionOffer,
};
use crate::core::secret::{ServicePassword, SmsCode, Token};

const CARRIER: CarrierId = CarrierId::ChinaUnicom;
const BASE_PATH: [&str; 2] = ["cucc", "mall"];
const OK: &str = "0000";
const SESSION_COOKIE: &str = "CUSESSION";

/// Beijing time, UTC+8, in which Unicom writes every time and date.
const BEIJING: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// The China Unicom adapter.
#[derive(Debug, Clone)]
pub struct ChinaUnicom {
    http: Http,
    root: Url,
}

impl ChinaUnicom {
    /// An adapter for the server at `root` (the dialect's `/cucc/mall` is
    /// appended).
    pub fn new(http: Http, root: Url) -> ChinaUnicom {
        ChinaUnicom { http, root }
    }

    /// Posts a form to `/cucc/mall/{action}` and decodes its `result`.
    async fn post<T: DeserializeOwned>(
        &self,
        action: &str,
        session: Option<&Session>,
        fields: Vec<(&'static str, String)>,
    ) -> Result<(T, Option<u32>), CarrierError> {
        let call = format!("POST /{action}");
        let segments: Vec<&str> = BASE_PATH.iter().copied().chain([action]).collect();
        let request = Request {
            carrier: CARRIER,
            call: &call,
            method: Method::POST,
            url: join_url(&self.root, &segments),
            auth: match session {
                Some(session) => Auth::Cookie {
                    name: SESSION_COOKIE,
                    value: &session.token,
                },
                None => Auth::None,
            },
            idempotency_key: None,
            resend_unanswered: true,
            body: Body::Form(fields),
        };
        self.http
            .send(&request, |reply, _| {
                decode::<T>(&call, reply).map(|result| (result, reply.retry_after_secs()))
            })
            .await
    }
}

// --- The envelope and its error codes -------------------------------------

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "respCode")]
    resp_code: String,
    #[serde(rename = "respDesc", default)]
    resp_desc: String,
    #[serde(default)]
    result: Value,
}

/// `result` of calls that return `{}`.
#[derive(Deserialize)]
struct Empty {}

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

fn decode<T: DeserializeOwned>(call: &str, reply: &Reply) -> Result<T, ErrorKind> {
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

fn block_reason(wire: &str) -> BlockReason {
    match wire {
        "EXPIRED" => BlockReason::Expired,
        "RH_MEMBER" => BlockReason::InBundle,
        "OWING" => BlockReason::Arrears,
        _ => BlockReason::Unspecified,
    }
}

// --- Yuan strings, dates and times ----------------------------------------

fn money(call: &str, field: &str, text: &str) -> Result<Fen, ErrorKind> {
    Fen::parse_yuan(text).map_err(|e| protocol(call, format!("`{field}`: {e}")))
}

/// `yyyyMMdd`; exactly eight digits, so `"2027228"` is not read as a date.
fn date(call: &str, field: &str, text: &str) -> Result<NaiveDate, ErrorKind> {
    let shaped = text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit());
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y%m%d").ok())
        .flatten()
        .ok_or_else(|| protocol(call, format!("`{field}` = {text:?} is not a yyyyMMdd date")))
}

/// `yyyyMMddHHmmss` in Beijing time.
fn time(call: &str, field: &str, text: &str) -> Result<DateTime<FixedOffset>, ErrorKind> {
    let shaped = text.len() == 14 && text.bytes().all(|b| b.is_ascii_digit());
    shaped
        .then(|| NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M%S").ok())
        .flatten()
        .and_then(|local| local.and_local_timezone(BEIJING).single())
        .ok_or_else(|| {
            protocol(
                call,
                format!("`{field}` = {text:?} is not a yyyyMMddHHmmss time"),
            )
        })
}

/// Unicom writes "none" as an empty string.
fn optional(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

// --- POST /sendSmsCode, POST /login ---------------------------------------

// `result` of login is `{"custName": "刘*"}`: the session is in the cookie.

// --- POST /queryProducts --------------------------------------------------

#[derive(Deserialize)]
struct Products {
    balance: String,
    products: Vec<Product>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Product {
    product_code: String,
    product_name: String,
    product_type: ProductType,
    fee: String,
    state: ProductState,
    #[serde(default)]
    end_date: String,
    can_cancel: YesNo,
    #[serde(default)]
    reason_code: String,
}

#[derive(Deserialize)]
enum ProductType {
    /// 宽带.
    #[serde(rename = "KD")]
    Broadband,
    /// 流量.
    #[serde(rename = "LL")]
    Data,
    /// 融合.
    #[serde(rename = "RH")]
    Bundle,
}

#[derive(Deserialize)]
enum ProductState {
    #[serde(rename = "1")]
    Active,
    #[serde(rename = "2")]
    Expired,
    #[serde(rename = "3")]
    Cancelling,
}

#[derive(Deserialize)]
enum YesNo {
    #[serde(rename = "Y")]
    Yes,
    #[serde(rename = "N")]
    No,
}

impl Products {
    fn into_account(self, call: &str) -> Result<Account, ErrorKind> {
        let plans = self
            .products
            .into_iter()
            .map(|p| p.into_plan(call))
            .collect::<Result<_, _>>()?;
        Ok(Account {
            balance: money(call, "balance", &self.balance)?,
            plans,
        })
    }
}

impl Product {
    fn into_plan(self, call: &str) -> Result<Plan, ErrorKind> {
        let status = match self.state {
            ProductState::Active => PlanStatus::Active,
            ProductState::Expired => PlanStatus::Expired,
            ProductState::Cancelling => PlanStatus::PendingCancel,
        };
        let blocked = match (self.can_cancel, optional(&self.reason_code)) {
            (YesNo::Yes, _) => None,
            (YesNo::No, Some(reason)) => Some(block_reason(reason)),
            (YesNo::No, None) if status == PlanStatus::PendingCancel => {
                Some(BlockReason::AlreadyCancelling)
            }
            (YesNo::No, None) => Some(BlockReason::Unspecified),
        };
        Ok(Plan {
            id: self.product_code,
            name: self.product_name,
            kind: match self.product_type {
                ProductType::Broadband => PlanKind::Broadband,
                ProductType::Data => PlanKind::DataPack,
                ProductType::Bundle => PlanKind::Bundle,
            },
            monthly_fee: money(call, "products[].fee", &self.fee)?,
            status,
            contract_end: optional(&self.end_date)
                .map(|d| date(call, "products[].endDate", d))
                .transpose()?,
            blocked,
        })
    }
}

// --- POST /cancelTrial ----------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Trial {
    trial_id: String,
    fees: Vec<TrialFee>,
    total_fee: String,
    effect_date: String,
    valid_until: String,
    retain: Option<Retain>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TrialFee {
    fee_type: FeeType,
    fee_name: String,
    fee: String,
}

#[derive(Deserialize)]
enum FeeType {
    /// 违约金.
    #[serde(rename = "WYJ")]
    Penalty,
    /// 设备.
    #[serde(rename = "SB")]
    Equipment,
    /// 欠费.
    #[serde(rename = "QF")]
    Arrears,
    /// 退费.
    #[serde(rename = "TF")]
    Refund,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Retain {
    retain_id: String,
    retain_desc: String,
    new_fee: String,
}

impl Trial {
    fn into_quote(self, call: &str) -> Result<Quote, ErrorKind> {
        let items = self
            .fees
            .into_iter()
            .map(|f| {
                Ok(LineItem {
                    kind: match f.fee_type {
                        FeeType::Penalty => FeeKind::Penalty,
                        FeeType::Equipment => FeeKind::Equipment,
                        FeeType::Arrears => FeeKind::Arrears,
                        FeeType::Refund => FeeKind::Refund,
                    },
                    amount: money(call, "fees[].fee", &f.fee)?,
                    label: f.fee_name,
                })
            })
            .collect::<Result<_, ErrorKind>>()?;
        let retention = self
            .retain
            .map(|r| {
                Ok::<_, ErrorKind>(RetentionOffer {
                    monthly_fee: money(call, "retain.newFee", &r.new_fee)?,
                    id: r.retain_id,
                    description: r.retain_desc,
                })
            })
            .transpose()?;
        Ok(Quote {
            id: self.trial_id,
            items,
            total: money(call, "totalFee", &self.total_fee)?,
            effective_date: date(call, "effectDate", &self.effect_date)?,
            expires_at: time(call, "validUntil", &self.valid_until)?,
            retention,
        })
    }
}

// --- POST /cancelSubmit, POST /queryOrder ---------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireOrder {
    order_no: String,
    order_state: WireOrderState,
    #[serde(default)]
    reject_desc: String,
    #[serde(default)]
    expect_time: String,
}

#[derive(Deserialize)]
enum WireOrderState {
    #[serde(rename = "10")]
    WaitPay,
    #[serde(rename = "20")]
    Processing,
    #[serde(rename = "30")]
    Done,
    #[serde(rename = "40")]
    Rejected,
}

impl WireOrder {
    fn into_order(self, call: &str, retry_after_secs: Option<u32>) -> Result<Order, ErrorKind> {
        Ok(Order {
            state: match self.order_state {
                WireOrderState::WaitPay => OrderState::AwaitingPayment,
                WireOrderState::Processing => OrderState::Processing,
                WireOrderState::Done => OrderState::Completed,
                WireOrderState::Rejected => {
                    OrderState::Rejected(optional(&self.reject_desc).map(str::to_owned))
                }
            },
            expected_by: optional(&self.expect_time)
                .map(|t| time(call, "expectTime", t))
                .transpose()?,
            id: self.order_no,
            retry_after_secs,
            // Unicom states no amount on the order; the quote's total is it.
            amount_due: None,
        })
    }
}

// --- POST /cancelPay ------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WirePayment {
    pay_no: String,
    pay_state: WirePayState,
    #[serde(default)]
    qr_url: Option<String>,
}

#[derive(Deserialize)]
enum WirePayState {
    #[serde(rename = "S")]
    Paid,
    #[serde(rename = "P")]
    Pending,
}

fn pay_type(method: PayMethod) -> &'static str {
    match method {
        PayMethod::Balance => "01",
        PayMethod::Card => "02",
        PayMethod::Alipay => "03",
        PayMethod::WeChat => "04",
    }
}

// --- POST /queryMsgs ------------------------------------------------------

#[derive(Deserialize)]
struct Msgs {
    msgs: Vec<Msg>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Msg {
    msg_id: String,
    send_time: String,
    content: String,
}

// --- The trait, call by call ----------------------------------------------

#[async_trait]
impl Carrier for ChinaUnicom {
    fn id(&self) -> CarrierId {
        CARRIER
    }

    async fn request_code(&self, msisdn: &Msisdn) -> Result<(), CarrierError> {
        let call = "POST /sendSmsCode";
        let request = Request {
            carrier: CARRIER,
            call,
            method: Method::POST,
            url: join_url(&self.root, &["cucc", "mall", "sendSmsCode"]),
            auth: Auth::None,
            idempotency_key: None,
            resend_unanswered: true,
            body: Body::Form(vec![("mobile", msisdn.as_str().to_owned())]),
        };
        self.http
            .send(&request, |reply, attempt| {
                code_sent(decode::<Empty>(call, reply).map(drop), attempt)
            })
            .await
    }

    async fn login(
        &self,
        msisdn: &Msisdn,
        code: &SmsCode,
        password: Option<&ServicePassword>,
    ) -> Result<Session, CarrierError> {
        // Unicom always asks for the service password; without it the
        // carrier would refuse the login anyway.
        let Some(password) = password else {
            return Err(CarrierError::new(CARRIER, ErrorKind::WrongCredentials));
        };
        let call = "POST /login";
        let request = Request {
            carrier: CARRIER,
            call,
            method: Method::POST,
            url: join_url(&self.root, &["cucc", "mall", "login"]),
            auth: Auth::None,
            idempotency_key: None,
            resend_unanswered: false,
            body: Body::Form(vec![
                ("mobile", msisdn.as_str().to_owned()),
                ("servicePwd", password.expose().to_owned()),
                ("smsCode", code.expose().to_owned()),
            ]),
        };
        let cookie = self
            .http
            .send(&request, |reply, _| {
                decode::<Empty>(call, reply)?;
                reply.set_cookie(SESSION_COOKIE).ok_or_else(|| {
                    protocol(
                        call,
                        format!("login succeeded but set no {SESSION_COOKIE} cookie"),
                    )
                })
            })
            .await?;
        Ok(Session {
            msisdn: msisdn.clone(),
            token: Token::new(cookie),
        })
    }

    async fn plans(&self, session: &Session) -> Result<Account, CarrierError> {
        let (products, _): (Products, _) =
            self.post("queryProducts", Some(session), vec![]).await?;
        products
            .into_account("POST /queryProducts")
            .map_err(|kind| CarrierError::new(CARRIER, kind))
    }

    async fn quote(&self, session: &Session, plan_id: &str) -> Result<Quote, CarrierError> {
        let fields = vec![("productCode", plan_id.to_owned())];
        let (trial, _): (Trial, _) = self.post("cancelTrial", Some(session), fields).await?;
        trial
            .into_quote("POST /cancelTrial")
            .map_err(|kind| CarrierError::new(CARRIER, kind))
    }

    async fn submit(
        &self,
        session: &Session,
        request: &SubmitRequest,
    ) -> Result<Order, CarrierError> {
        let form = &request.application;
        let fields = vec![
            ("trialId", request.quote_id.clone()),
            ("custName", form.holder_name.clone()),
            ("certNo", form.id_number.expose().to_owned()),
            ("contactPhone", form.contact.as_str().to_owned()),
            ("reason", form.reason.wire().to_owned()),
            ("reasonDesc", form.reason_text.clone()),
            (
                "declineRetain",
                if request.accept_retention { "N" } else { "Y" }.to_owned(),
            ),
            ("reqSeq", request.idempotency_key.as_hex()),
        ];
        let (order, retry_after): (WireOrder, _) =
            self.post("cancelSubmit", Some(session), fields).await?;
        order
            .into_order("POST /cancelSubmit", retry_after)
            .map_err(|kind| CarrierError::new(CARRIER, kind))
    }

    async fn pay(&self, session: &Session, request: &PayRequest) -> Result<Payment, CarrierError> {
        let mut fields = vec![
            ("orderNo", request.order_id.clone()),
            ("payType", pay_type(request.method).to_owned()),
        ];
        if let Some(card) = &request.card {
            fields.push(("cardNo", card.expose().to_owned()));
        }
        fields.push(("reqSeq", request.idempotency_key.as_hex()));
        let (payment, _): (WirePayment, _) = self.post("cancelPay", Some(session), fields).await?;
        Ok(Payment {
            id: payment.pay_no,
            method: request.method,
            state: match payment.pay_state {
                WirePayState::Paid => PaymentState::Paid,
                WirePayState::Pending => PaymentState::Pending,
            },
            pay_url: payment.qr_url.filter(|u| !u.is_empty()),
            card_last4: request.card.as_ref().map(|c| c.last4()),
        })
    }

    async fn order(&self, session: &Session, order_id: &str) -> Result<Order, CarrierError> {
        let fields = vec![("orderNo", order_id.to_owned())];
        let (order, retry_after): (WireOrder, _) =
            self.post("queryOrder", Some(session), fields).await?;
        order
            .into_order("POST /queryOrder", retry_after)
            .map_err(|kind| CarrierError::new(CARRIER, kind))
    }

    async fn notices(
        &self,
        session: &Session,
        since: Option<&str>,
    ) -> Result<Vec<Notice>, CarrierError> {
        let call = "POST /queryMsgs";
        let fields = vec![("lastId", since.unwrap_or("0").to_owned())];
        let (msgs, _): (Msgs, _) = self.post("queryMsgs", Some(session), fields).await?;
        msgs.msgs
            .into_iter()
            .map(|m| {
                Ok(Notice {
                    sent_at: time(call, "msgs[].sendTime", &m.send_time)?,
                    id: m.msg_id,
                    text: m.content,
                })
            })
            .collect::<Result<_, ErrorKind>>()
            .map_err(|kind| CarrierError::new(CARRIER, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    fn reply(body: &str) -> Reply {
        Reply {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn error_of(code: &str) -> ErrorKind {
        let body = format!(r#"{{"respCode":"{code}","respDesc":"x","result":null}}"#);
        decode::<Empty>("call", &reply(&body)).err().unwrap()
    }

    #[test]
    fn every_error_code_of_the_section_has_its_kind() {
        let table = [
            ("1001", ErrorKind::SessionExpired),
            ("2001", ErrorKind::WrongCredentials),
            ("2002", ErrorKind::AccountFrozen),
            ("2003", ErrorKind::LoginLocked),
            ("2101", ErrorKind::CodeTooOften),
            ("2102", ErrorKind::UnknownNumber),
            ("3001", ErrorKind::IdentityMismatch),
            ("3002", ErrorKind::QuoteExpired),
            (
                "3003",
                ErrorKind::NotCancellable {
                    reason: BlockReason::Unspecified,
                },
            ),
            ("3009", ErrorKind::IdempotencyConflict),
            ("4001", ErrorKind::BalanceInsufficient),
            ("4002", ErrorKind::PaymentDeclined),
            (
                "9999",
                ErrorKind::CarrierBusy {
                    retry_after_secs: None,
                },
            ),
        ];
        for (code, kind) in table {
            assert_eq!(error_of(code), kind, "respCode {code}");
        }
        assert!(matches!(error_of("9001"), ErrorKind::Protocol { .. }));
        assert!(matches!(error_of("7777"), ErrorKind::Protocol { .. }));
    }

    fn balance_of(yuan: &str) -> Result<Fen, ErrorKind> {
        let body =
            format!(r#"{{"respCode":"0000","result":{{"balance":"{yuan}","products":[]}}}}"#);
        decode::<Products>("POST /queryProducts", &reply(&body))?
            .into_account("POST /queryProducts")
            .map(|a| a.balance)
    }

    #[test]
    fn yuan_strings_are_parsed_exactly_or_refused() {
        assert_eq!(balance_of("0.00"), Ok(Fen(0)));
        assert_eq!(balance_of("-21.50"), Ok(Fen(-2150)));
        assert_eq!(balance_of("300.00"), Ok(Fen(30000)));
        assert_eq!(balance_of("12.5"), Ok(Fen(1250)));
        assert_eq!(balance_of("92233720368547758.07"), Ok(Fen(i64::MAX)));
        for bad in [
            "1,000.00",
            "abc",
            "",
            "12.345",
            "92233720368547758.08",
            "99999999999999999999999.00",
        ] {
            match balance_of(bad) {
                Err(ErrorKind::Protocol { call, detail }) => {
                    assert_eq!(call, "POST /queryProducts");
                    assert!(detail.contains("balance"), "{detail}");
                }
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn products_map_with_dates_and_block_reasons() {
        let body = r#"{"respCode":"0000","respDesc":"成功","result":{"balance":"300.00","extra":true,"products":[
            {"productCode":"KD500","productName":"沃家宽带 500M","productType":"KD","fee":"129.00","state":"1","endDate":"20270228","canCancel":"Y","reasonCode":""},
            {"productCode":"RH1","productName":"member","productType":"RH","fee":"0.00","state":"1","endDate":"","canCancel":"N","reasonCode":"RH_MEMBER"},
            {"productCode":"LL1","productName":"pack","productType":"LL","fee":"10.00","state":"2","endDate":"","canCancel":"N","reasonCode":"EXPIRED"}]}}"#;
        let account = decode::<Products>("POST /queryProducts", &reply(body))
            .unwrap()
            .into_account("POST /queryProducts")
            .unwrap();
        assert_eq!(account.balance, Fen(30000));
        assert_eq!(account.plans[0].monthly_fee, Fen(12900));
        assert_eq!(
            account.plans[0].contract_end,
            NaiveDate::from_ymd_opt(2027, 2, 28)
        );
        assert!(account.plans[0].is_cancellable());
        assert_eq!(account.plans[1].blocked, Some(BlockReason::InBundle));
        assert_eq!(account.plans[2].blocked, Some(BlockReason::Expired));
        assert_eq!(account.plans[2].status, PlanStatus::Expired);
    }

    #[test]
    fn trial_maps_into_a_quote_in_beijing_time() {
        let body = r#"{"respCode":"0000","result":{"trialId":"T1","fees":[
            {"feeType":"WYJ","feeName":"违约金","fee":"116.10"},{"feeType":"TF","feeName":"退费","fee":"-21.50"}],
            "totalFee":"94.60","effectDate":"20261125","validUntil":"20261125101500",
            "retain":{"retainId":"R1","retainDesc":"64.50元/月，6个月","newFee":"64.50"}}}"#;
        let quote = decode::<Trial>("POST /cancelTrial", &reply(body))
            .unwrap()
            .into_quote("POST /cancelTrial")
            .unwrap();
        assert_eq!(quote.total, Fen::yuan(94, 60));
        assert_eq!(quote.items[1].amount, Fen(-2150));
        assert!(quote.lines_add_up());
        assert_eq!(
            quote.effective_date,
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        assert_eq!(quote.expires_at.to_rfc3339(), "2026-11-25T10:15:00+08:00");
        assert_eq!(quote.retention.unwrap().monthly_fee, Fen(6450));
    }

    #[test]
    fn bad_dates_and_times_are_protocol_errors() {
        for (effect, valid) in [
            ("2026-11-25", "20261125101500"),
            ("20261131", "20261125101500"),
            ("20261125", "2026112510150"),
            ("20261125", "20261125251500"),
        ] {
            let body = format!(
                r#"{{"respCode":"0000","result":{{"trialId":"T1","fees":[],"totalFee":"0.00","effectDate":"{effect}","validUntil":"{valid}","retain":null}}}}"#
            );
            let result = decode::<Trial>("POST /cancelTrial", &reply(&body))
                .and_then(|t| t.into_quote("POST /cancelTrial"));
            assert!(
                matches!(result, Err(ErrorKind::Protocol { .. })),
                "{effect} {valid}: {result:?}"
            );
        }
    }

    #[test]
    fn order_states_expect_time_and_reject_reason() {
        let body = r#"{"respCode":"0000","result":{"orderNo":"U1","orderState":"20","rejectDesc":"","expectTime":"20261125120200"}}"#;
        let order = decode::<WireOrder>("q", &reply(body))
            .unwrap()
            .into_order("q", Some(2))
            .unwrap();
        assert_eq!(order.state, OrderState::Processing);
        assert_eq!(order.retry_after_secs, Some(2));
        assert_eq!(
            order.expected_by.unwrap().to_rfc3339(),
            "2026-11-25T12:02:00+08:00"
        );
        let body = r#"{"respCode":"0000","result":{"orderNo":"U1","orderState":"40","rejectDesc":"欠费未结清","expectTime":""}}"#;
        let order = decode::<WireOrder>("q", &reply(body))
            .unwrap()
            .into_order("q", None)
            .unwrap();
        assert_eq!(order.state, OrderState::Rejected(Some("欠费未结清".into())));
        assert_eq!(order.expected_by, None);
        let body = r#"{"respCode":"0000","result":{"orderNo":"U1","orderState":"99"}}"#;
        assert!(matches!(
            decode::<WireOrder>("q", &reply(body)),
            Err(ErrorKind::Protocol { .. })
        ));
    }

    proptest::proptest! {
        // Whatever the carrier writes in a money, date or time field, the
        // trial is either read exactly or refused as a protocol error.
        #[test]
        fn any_field_text_is_read_exactly_or_refused(
            total in proptest::prop_oneof!["-?[0-9]{1,4}\\.[0-9]{2}", "[-0-9.,a-z ]{0,24}"],
            effect in proptest::prop_oneof![proptest::strategy::Just("20261125".to_owned()), "[0-9-]{0,10}"],
            valid in proptest::prop_oneof![proptest::strategy::Just("20261125101500".to_owned()), "[0-9]{0,16}"],
        ) {
            let body = serde_json::json!({"respCode": "0000", "result": {
                "trialId": "T1", "fees": [], "totalFee": total,
                "effectDate": effect, "validUntil": valid, "retain": null}});
            let result = decode::<Trial>("POST /cancelTrial", &reply(&body.to_string()))
                .and_then(|t| t.into_quote("POST /cancelTrial"));
            match result {
                Ok(quote) => proptest::prop_assert_eq!(Ok(quote.total), Fen::parse_yuan(&total)),
                Err(kind) => proptest::prop_assert!(
                    matches!(kind, ErrorKind::Protocol { .. }),
                    "{:?}",
                    kind
                ),
            }
        }
    }
}
