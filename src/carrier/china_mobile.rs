//! China Mobile (`cmcc`): REST + JSON under `/cmcc/v2`.
//!
//! Every answer is `{"retCode", "retMsg", "data"}` with HTTP 200;
//! `retCode != "000000"` is a business error, HTTP 401 a missing or expired
//! token. Authenticated calls carry `Authorization: Bearer <token>`; submit
//! and pay carry `Idempotency-Key`. Money is integer fen. Written in the
//! order of the spec's section (shared/carrier-api.md, "China Mobile").

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, NaiveDate};
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

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

const CARRIER: CarrierId = CarrierId::ChinaMobile;
const BASE_PATH: [&str; 2] = ["cmcc", "v2"];
const OK: &str = "000000";

/// The China Mobile adapter.
#[derive(Debug, Clone)]
pub struct ChinaMobile {
    http: Http,
    root: Url,
}

impl ChinaMobile {
    /// An adapter for the server at `root` (the dialect's `/cmcc/v2` is
    /// appended).
    pub fn new(http: Http, root: Url) -> ChinaMobile {
        ChinaMobile { http, root }
    }

    fn url(&self, path: &[&str]) -> Url {
        let segments: Vec<&str> = BASE_PATH.iter().chain(path).copied().collect();
        join_url(&self.root, &segments)
    }

    /// Sends one call and decodes its `data` as `T`.
    async fn call<T: DeserializeOwned>(
        &self,
        call: &str,
        method: Method,
        path: &[&str],
        auth: Auth<'_>,
        idempotency_key: Option<String>,
        body: Body,
    ) -> Result<(T, Option<u32>), CarrierError> {
        let request = Request {
            carrier: CARRIER,
            call,
            method,
            url: self.url(path),
            auth,
            idempotency_key,
            resend_unanswered: true,
            body,
        };
        self.http
            .send(&request, |reply, _| {
                decode::<T>(call, reply).map(|data| (data, reply.retry_after_secs()))
            })
            .await
    }
}

// --- The envelope and its error codes -------------------------------------

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "retCode")]
    ret_code: String,
    #[serde(rename = "retMsg", default)]
    ret_msg: String,
    #[serde(default)]
    data: Value,
}

/// `data` of calls that return `{}`.
#[derive(Deserialize)]
struct Empty {}

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

fn decode<T: DeserializeOwned>(call: &str, reply: &Reply) -> Result<T, ErrorKind> {
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

fn block_reason(wire: &str) -> BlockReason {
    match wire {
        "EXPIRED" => BlockReason::Expired,
        "IN_BUNDLE" => BlockReason::InBundle,
        "ARREARS" => BlockReason::Arrears,
        // A reason added after the spec still blocks; the person gets the
        // general advice and the hotline.
        _ => BlockReason::Unspecified,
    }
}

// --- POST /auth/sms-code, POST /auth/login --------------------------------

#[derive(Deserialize)]
struct LoginData {
    token: String,
}

// --- GET /subscriptions ---------------------------------------------------

#[derive(Deserialize)]
struct Subscriptions {
    balance: i64,
    items: Vec<Subscription>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subscription {
    offer_id: String,
    offer_name: String,
    #[serde(rename = "type")]
    kind: OfferType,
    monthly_fee: i64,
    status: OfferStatus,
    contract_end: Option<NaiveDate>,
    cancellable: bool,
    block_reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum OfferType {
    Broadband,
    DataPack,
    Bundle,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum OfferStatus {
    Active,
    Expired,
    PendingCancel,
}

impl Subscription {
    fn into_plan(self) -> Plan {
        let status = match self.status {
            OfferStatus::Active => PlanStatus::Active,
            OfferStatus::Expired => PlanStatus::Expired,
            OfferStatus::PendingCancel => PlanStatus::PendingCancel,
        };
        let blocked = match (self.cancellable, self.block_reason.as_deref()) {
            (true, _) => None,
            (false, Some(reason)) => Some(block_reason(reason)),
            (false, None) if status == PlanStatus::PendingCancel => {
                Some(BlockReason::AlreadyCancelling)
            }
            (false, None) => Some(BlockReason::Unspecified),
        };
        Plan {
            id: self.offer_id,
            name: self.offer_name,
            kind: match self.kind {
                OfferType::Broadband => PlanKind::Broadband,
                OfferType::DataPack => PlanKind::DataPack,
                OfferType::Bundle => PlanKind::Bundle,
            },
            monthly_fee: Fen(self.monthly_fee),
            status,
            contract_end: self.contract_end,
            blocked,
        }
    }
}

// --- POST /cancel/quote ---------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QuoteData {
    quote_id: String,
    items: Vec<QuoteItem>,
    total: i64,
    effective_date: NaiveDate,
    expires_at: DateTime<FixedOffset>,
    retention: Option<Retention>,
}

#[derive(Deserialize)]
struct QuoteItem {
    code: FeeCode,
    name: String,
    amount: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum FeeCode {
    Penalty,
    Equipment,
    Arrears,
    Refund,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Retention {
    offer_code: String,
    description: String,
    monthly_fee: i64,
}

impl QuoteData {
    fn into_quote(self) -> Quote {
        Quote {
            id: self.quote_id,
            items: self
                .items
                .into_iter()
                .map(|item| LineItem {
                    kind: match item.code {
                        FeeCode::Penalty => FeeKind::Penalty,
                        FeeCode::Equipment => FeeKind::Equipment,
                        FeeCode::Arrears => FeeKind::Arrears,
                        FeeCode::Refund => FeeKind::Refund,
                    },
                    label: item.name,
                    amount: Fen(item.amount),
                })
                .collect(),
            total: Fen(self.total),
            effective_date: self.effective_date,
            expires_at: self.expires_at,
            retention: self.retention.map(|r| RetentionOffer {
                id: r.offer_code,
                description: r.description,
                monthly_fee: Fen(r.monthly_fee),
            }),
        }
    }
}

// --- POST /cancel/orders, GET /cancel/orders/{orderId} --------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderData {
    order_id: String,
    state: WireOrderState,
    reject_reason: Option<String>,
    expected_by: Option<DateTime<FixedOffset>>,
    amount_due: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum WireOrderState {
    WaitPay,
    Processing,
    Done,
    Rejected,
}

impl OrderData {
    fn into_order(self, retry_after_secs: Option<u32>) -> Order {
        Order {
            id: self.order_id,
            state: match self.state {
                WireOrderState::WaitPay => OrderState::AwaitingPayment,
                WireOrderState::Processing => OrderState::Processing,
                WireOrderState::Done => OrderState::Completed,
                WireOrderState::Rejected => OrderState::Rejected(self.reject_reason),
            },
            expected_by: self.expected_by,
            retry_after_secs,
            amount_due: self.amount_due.map(Fen),
        }
    }
}

// --- POST /cancel/orders/{orderId}/payments -------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PaymentData {
    payment_id: String,
    state: WirePaymentState,
    pay_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum WirePaymentState {
    Paid,
    Pending,
}

fn pay_method(method: PayMethod) -> &'static str {
    match method {
        PayMethod::Balance => "BALANCE",
        PayMethod::Card => "CARD",
        PayMethod::Alipay => "ALIPAY",
        PayMethod::WeChat => "WECHAT",
    }
}

// --- GET /messages?since={seq} --------------------------------------------

#[derive(Deserialize)]
struct Messages {
    items: Vec<Message>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    seq: u64,
    sent_at: DateTime<FixedOffset>,
    text: String,
}

// --- The trait, call by call ----------------------------------------------

#[async_trait]
impl Carrier for ChinaMobile {
    fn id(&self) -> CarrierId {
        CARRIER
    }

    async fn request_code(&self, msisdn: &Msisdn) -> Result<(), CarrierError> {
        let call = "POST /auth/sms-code";
        let request = Request {
            carrier: CARRIER,
            call,
            method: Method::POST,
            url: self.url(&["auth", "sms-code"]),
            auth: Auth::None,
            idempotency_key: None,
            resend_unanswered: true,
            body: Body::Json(json!({ "msisdn": msisdn.as_str() })),
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
        _password: Option<&ServicePassword>,
    ) -> Result<Session, CarrierError> {
        let call = "POST /auth/login";
        let request = Request {
            carrier: CARRIER,
            call,
            method: Method::POST,
            url: self.url(&["auth", "login"]),
            auth: Auth::None,
            idempotency_key: None,
            resend_unanswered: false,
            body: Body::Json(json!({ "msisdn": msisdn.as_str(), "smsCode": code.expose() })),
        };
        let data: LoginData = self
            .http
            .send(&request, |reply, _| decode(call, reply))
            .await?;
        Ok(Session {
            msisdn: msisdn.clone(),
            token: Token::new(data.token),
        })
    }

    async fn plans(&self, session: &Session) -> Result<Account, CarrierError> {
        let (data, _): (Subscriptions, _) = self
            .call(
                "GET /subscriptions",
                Method::GET,
                &["subscriptions"],
                Auth::Bearer(&session.token),
                None,
                Body::Empty,
            )
            .await?;
        Ok(Account {
            balance: Fen(data.balance),
            plans: data
                .items
                .into_iter()
                .map(Subscription::into_plan)
                .collect(),
        })
    }

    async fn quote(&self, session: &Session, plan_id: &str) -> Result<Quote, CarrierError> {
        let (data, _): (QuoteData, _) = self
            .call(
                "POST /cancel/quote",
                Method::POST,
                &["cancel", "quote"],
                Auth::Bearer(&session.token),
                None,
                Body::Json(json!({ "offerId": plan_id })),
            )
            .await?;
        Ok(data.into_quote())
    }

    async fn submit(
        &self,
        session: &Session,
        request: &SubmitRequest,
    ) -> Result<Order, CarrierError> {
        let form = &request.application;
        let body = json!({
            "quoteId": request.quote_id,
            "holderName": form.holder_name,
            "idNumber": form.id_number.expose(),
            "contactMsisdn": form.contact.as_str(),
            "reasonCode": form.reason.wire(),
            "reasonText": form.reason_text,
            "retentionAccepted": request.accept_retention,
        });
        let (data, retry_after): (OrderData, _) = self
            .call(
                "POST /cancel/orders",
                Method::POST,
                &["cancel", "orders"],
                Auth::Bearer(&session.token),
                Some(request.idempotency_key.as_hex()),
                Body::Json(body),
            )
            .await?;
        Ok(data.into_order(retry_after))
    }

    async fn pay(&self, session: &Session, request: &PayRequest) -> Result<Payment, CarrierError> {
        let mut body = json!({ "method": pay_method(request.method) });
        if let Some(card) = &request.card {
            body["cardNo"] = Value::String(card.expose().to_owned());
        }
        let (data, _): (PaymentData, _) = self
            .call(
                "POST /cancel/orders/{orderId}/payments",
                Method::POST,
                &["cancel", "orders", &request.order_id, "payments"],
                Auth::Bearer(&session.token),
                Some(request.idempotency_key.as_hex()),
                Body::Json(body),
            )
            .await?;
        Ok(Payment {
            id: data.payment_id,
            method: request.method,
            state: match data.state {
                WirePaymentState::Paid => PaymentState::Paid,
                WirePaymentState::Pending => PaymentState::Pending,
            },
            pay_url: data.pay_url,
            card_last4: request.card.as_ref().map(|c| c.last4()),
        })
    }

    async fn order(&self, session: &Session, order_id: &str) -> Result<Order, CarrierError> {
        let (data, retry_after): (OrderData, _) = self
            .call(
                "GET /cancel/orders/{orderId}",
                Method::GET,
                &["cancel", "orders", order_id],
                Auth::Bearer(&session.token),
                None,
                Body::Empty,
            )
            .await?;
        Ok(data.into_order(retry_after))
    }

    async fn notices(
        &self,
        session: &Session,
        since: Option<&str>,
    ) -> Result<Vec<Notice>, CarrierError> {
        let call = "GET /messages";
        let since: u64 = match since {
            None => 0,
            Some(text) => text.parse().map_err(|_| {
                CarrierError::new(
                    CARRIER,
                    protocol(
                        call,
                        format!("the notice cursor {text:?} is not a China Mobile seq"),
                    ),
                )
            })?,
        };
        let mut url = self.url(&["messages"]);
        url.query_pairs_mut()
            .append_pair("since", &since.to_string());
        let request = Request {
            carrier: CARRIER,
            call,
            method: Method::GET,
            url,
            auth: Auth::Bearer(&session.token),
            idempotency_key: None,
            resend_unanswered: true,
            body: Body::Empty,
        };
        let data: Messages = self
            .http
            .send(&request, |reply, _| decode(call, reply))
            .await?;
        Ok(data
            .items
            .into_iter()
            .map(|m| Notice {
                id: m.seq.to_string(),
                sent_at: m.sent_at,
                text: m.text,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn error_of(ret_code: &str) -> ErrorKind {
        let body = format!(r#"{{"retCode":"{ret_code}","retMsg":"x","data":null}}"#);
        decode::<Empty>("call", &reply(200, &body)).err().unwrap()
    }

    #[test]
    fn every_error_code_of_the_section_has_its_kind() {
        let table = [
            ("100001", ErrorKind::WrongCredentials),
            ("100002", ErrorKind::AccountFrozen),
            ("100003", ErrorKind::CodeTooOften),
            ("100004", ErrorKind::UnknownNumber),
            ("100005", ErrorKind::LoginLocked),
            ("200001", ErrorKind::IdentityMismatch),
            ("200002", ErrorKind::QuoteExpired),
            (
                "200003",
                ErrorKind::NotCancellable {
                    reason: BlockReason::Unspecified,
                },
            ),
            ("200009", ErrorKind::IdempotencyConflict),
            ("300001", ErrorKind::BalanceInsufficient),
            ("300002", ErrorKind::PaymentDeclined),
            (
                "999999",
                ErrorKind::CarrierBusy {
                    retry_after_secs: None,
                },
            ),
        ];
        for (code, kind) in table {
            assert_eq!(error_of(code), kind, "retCode {code}");
        }
        assert!(matches!(error_of("400001"), ErrorKind::Protocol { .. }));
        assert!(matches!(error_of("123456"), ErrorKind::Protocol { .. }));
    }

    #[test]
    fn not_cancellable_carries_the_block_reason_when_given() {
        let body = r#"{"retCode":"200003","retMsg":"x","data":{"blockReason":"IN_BUNDLE"}}"#;
        assert_eq!(
            decode::<Empty>("call", &reply(200, body)).err(),
            Some(ErrorKind::NotCancellable {
                reason: BlockReason::InBundle
            })
        );
    }

    #[test]
    fn http_401_is_an_expired_session() {
        assert_eq!(
            decode::<Empty>("GET /subscriptions", &reply(401, "")).err(),
            Some(ErrorKind::SessionExpired)
        );
    }

    #[test]
    fn subscriptions_map_into_plans_ignoring_unknown_fields() {
        let body = r#"{"retCode":"000000","retMsg":"ok","newField":1,"data":{"balance":3000,"items":[
            {"offerId":"BB300","offerName":"5G智享宽带 300M","type":"BROADBAND","monthlyFee":9900,"status":"ACTIVE","contractEnd":"2027-06-30","cancellable":true,"blockReason":null,"promo":"x"},
            {"offerId":"P1","offerName":"pack","type":"DATA_PACK","monthlyFee":3000,"status":"PENDING_CANCEL","contractEnd":null,"cancellable":false,"blockReason":null},
            {"offerId":"P2","offerName":"member","type":"BUNDLE","monthlyFee":0,"status":"ACTIVE","contractEnd":null,"cancellable":false,"blockReason":"IN_BUNDLE"}]}}"#;
        let data: Subscriptions = decode("GET /subscriptions", &reply(200, body)).unwrap();
        assert_eq!(data.balance, 3000);
        let plans: Vec<Plan> = data
            .items
            .into_iter()
            .map(Subscription::into_plan)
            .collect();
        assert_eq!(plans[0].monthly_fee, Fen::yuan(99, 0));
        assert_eq!(plans[0].contract_end, NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!(plans[0].kind, PlanKind::Broadband);
        assert!(plans[0].is_cancellable());
        assert_eq!(plans[1].blocked, Some(BlockReason::AlreadyCancelling));
        assert_eq!(plans[2].blocked, Some(BlockReason::InBundle));
    }

    #[test]
    fn quote_maps_every_line_and_the_retention_offer() {
        let body = r#"{"retCode":"000000","retMsg":"ok","data":{"quoteId":"Q1","items":[
            {"code":"PENALTY","name":"违约金","amount":20790},{"code":"REFUND","name":"退费","amount":-150}],
            "total":20640,"effectiveDate":"2026-11-25","expiresAt":"2026-11-25T10:15:00+08:00",
            "retention":{"offerCode":"R1","description":"半价6个月","monthlyFee":4950}}}"#;
        let quote = decode::<QuoteData>("POST /cancel/quote", &reply(200, body))
            .unwrap()
            .into_quote();
        assert_eq!(quote.total, Fen(20640));
        assert_eq!(quote.items[1].kind, FeeKind::Refund);
        assert!(quote.lines_add_up());
        assert_eq!(quote.expires_at.to_rfc3339(), "2026-11-25T10:15:00+08:00");
        assert_eq!(quote.retention.unwrap().monthly_fee, Fen(4950));
    }

    #[test]
    fn order_state_amount_due_and_retry_after() {
        let body =
            r#"{"retCode":"000000","data":{"orderId":"O1","state":"WAIT_PAY","amountDue":20790}}"#;
        let order = decode::<OrderData>("x", &reply(200, body))
            .unwrap()
            .into_order(None);
        assert_eq!(order.state, OrderState::AwaitingPayment);
        assert_eq!(order.amount_due, Some(Fen(20790)));
        let body = r#"{"retCode":"000000","data":{"orderId":"O1","state":"REJECTED","rejectReason":"欠费","expectedBy":"2026-11-25T10:02:00+08:00"}}"#;
        let order = decode::<OrderData>("x", &reply(200, body))
            .unwrap()
            .into_order(Some(3));
        assert_eq!(order.state, OrderState::Rejected(Some("欠费".into())));
        assert_eq!(order.retry_after_secs, Some(3));
    }

    #[test]
    fn malformed_bodies_are_protocol_errors_naming_the_call() {
        for body in [
            "not json",
            r#"{"retMsg":"no code"}"#,
            r#"{"retCode":"000000","data":{"quoteId":"Q1"}}"#,
            r#"{"retCode":"000000","data":{"quoteId":"Q1","items":[],"total":"12.00","effectiveDate":"2026-11-25","expiresAt":"2026-11-25T10:15:00+08:00","retention":null}}"#,
            r#"{"retCode":"000000","data":{"quoteId":"Q1","items":[],"total":0,"effectiveDate":"25/11/2026","expiresAt":"2026-11-25T10:15:00+08:00","retention":null}}"#,
            r#"{"retCode":"000000","data":{"quoteId":"Q1","items":[{"code":"TIP","name":"x","amount":1}],"total":1,"effectiveDate":"2026-11-25","expiresAt":"2026-11-25T10:15:00+08:00","retention":null}}"#,
        ] {
            match decode::<QuoteData>("POST /cancel/quote", &reply(200, body)) {
                Err(ErrorKind::Protocol { call, .. }) => assert_eq!(call, "POST /cancel/quote"),
                Err(other) => panic!("{body}: {other:?}"),
                Ok(_) => panic!("{body}: accepted"),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_body_is_decoded_or_refused_as_protocol(
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            status in proptest::sample::select(vec![200u16, 400, 500]),
        ) {
            let reply = Reply {
                status: StatusCode::from_u16(status).unwrap(),
                headers: HeaderMap::new(),
                body,
            };
            let result = decode::<QuoteData>("POST /cancel/quote", &reply);
            proptest::prop_assert!(
                matches!(result, Err(ErrorKind::Protocol { .. })),
                "{:?}",
                result.err()
            );
        }
    }
}
