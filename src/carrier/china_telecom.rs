//! China Telecom (`ctcc`): JSON-RPC 2.0 on one endpoint, `POST /ctcc/rpc`.
//!
//! Every call is `{"jsonrpc": "2.0", "id", "method", "params"}`; the answer
//! (HTTP 200 either way) carries `result` or `error {code, message, data?}`.
//! Authenticated calls put `accessToken` in `params`; submit and pay carry
//! `requestId`, the idempotency key as a UUID. Money is integer fen, times
//! RFC 3339. A retry resends the same body — the same `id` and `requestId`.
//! Written in the order of the spec's section (shared/carrier-api.md,
//! "China Telecom").

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, NaiveDate};
use reqwest::{Method, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::http::{
    Auth, Body, Http, Reply, Request, code_sent, from_value, join_url, mask_digit_runs, parse_json,
    protocol,
};
use super::{Carrier, PayRequest, Session, SubmitRequest};
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::fees::Fen;
use crate::core::model::{
    Account, BlockReason, CarrierId, FeeKind, LineItem, Msisdn, Notice, Order, OrderState,
    PayMethod, Payment, PaymentState, Plan, PlanKind, PlanStatus, Quote, RetentionOffer,
};
use crate::core::secret::{ServicePassword, SmsCode, Token};

const CARRIER: CarrierId = CarrierId::ChinaTelecom;
const ENDPOINT: [&str; 2] = ["ctcc", "rpc"];

/// The China Telecom adapter.
#[derive(Debug)]
pub struct ChinaTelecom {
    http: Http,
    url: Url,
    /// JSON-RPC ids: one per call (not per attempt), so a retry is the very
    /// same message.
    next_id: AtomicU64,
}

impl ChinaTelecom {
    /// An adapter for the server at `root` (the dialect's `/ctcc/rpc` is
    /// appended).
    pub fn new(http: Http, root: Url) -> ChinaTelecom {
        ChinaTelecom {
            http,
            url: join_url(&root, &ENDPOINT),
            next_id: AtomicU64::new(1),
        }
    }

    /// Calls `method`, returning the decoded `result`.
    async fn rpc<T: DeserializeOwned>(
        &self,
        method: &'static str,
        params: Value,
    ) -> Result<T, CarrierError> {
        self.rpc_with(method, params, |result, _| Ok(result)).await
    }

    /// Calls `method` and lets `finish` combine the decoded result with the
    /// reply's headers (a `Retry-After` on the order status).
    async fn rpc_with<T: DeserializeOwned, U>(
        &self,
        method: &'static str,
        params: Value,
        finish: impl Fn(T, &Reply) -> Result<U, ErrorKind>,
    ) -> Result<U, CarrierError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let request = Request {
            carrier: CARRIER,
            call: method,
            method: Method::POST,
            url: self.url.clone(),
            auth: Auth::None,
            idempotency_key: None,
            // A lost login may have spent the SMS code (see `Request`).
            resend_unanswered: method != "auth.login",
            body: Body::Json(json!({
                "jsonrpc": "2.0",
                "id": id,
                "method": method,
                "params": params,
            })),
        };
        self.http
            .send(&request, |reply, _| {
                decode::<T>(method, id, reply).and_then(|result| finish(result, reply))
            })
            .await
    }
}

// --- The envelope and its error codes -------------------------------------

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
struct Empty {}

fn decode<T: DeserializeOwned>(method: &str, id: u64, reply: &Reply) -> Result<T, ErrorKind> {
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

fn block_reason(wire: &str) -> BlockReason {
    match wire {
        "expired" => BlockReason::Expired,
        "bundle" => BlockReason::InBundle,
        "arrears" => BlockReason::Arrears,
        _ => BlockReason::Unspecified,
    }
}

// --- auth.sendCode, auth.login --------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginResult {
    access_token: String,
}

// --- product.list ---------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProductList {
    balance_fen: i64,
    products: Vec<Product>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Product {
    prod_id: String,
    name: String,
    category: Category,
    monthly_fee_fen: i64,
    status: ProductStatus,
    contract_ends_on: Option<NaiveDate>,
    cancel_block: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Category {
    Broadband,
    Data,
    Bundle,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ProductStatus {
    Active,
    Expired,
    Cancelling,
}

impl Product {
    fn into_plan(self) -> Plan {
        let status = match self.status {
            ProductStatus::Active => PlanStatus::Active,
            ProductStatus::Expired => PlanStatus::Expired,
            ProductStatus::Cancelling => PlanStatus::PendingCancel,
        };
        // Telecom has no "cancellable" flag: a block, or a cancellation
        // already under way, is what stops it.
        let blocked = match self.cancel_block.as_deref() {
            Some(reason) => Some(block_reason(reason)),
            None if status == PlanStatus::PendingCancel => Some(BlockReason::AlreadyCancelling),
            None => None,
        };
        Plan {
            id: self.prod_id,
            name: self.name,
            kind: match self.category {
                Category::Broadband => PlanKind::Broadband,
                Category::Data => PlanKind::DataPack,
                Category::Bundle => PlanKind::Bundle,
            },
            monthly_fee: Fen(self.monthly_fee_fen),
            status,
            contract_end: self.contract_ends_on,
            blocked,
        }
    }
}

// --- cancel.quote ---------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QuoteResult {
    quote_id: String,
    charges: Vec<Charge>,
    total_fen: i64,
    effective_on: NaiveDate,
    valid_until: DateTime<FixedOffset>,
    retention_offer: Option<Offer>,
}

#[derive(Deserialize)]
struct Charge {
    #[serde(rename = "type")]
    kind: ChargeType,
    label: String,
    fen: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ChargeType {
    Penalty,
    Equipment,
    Arrears,
    Refund,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Offer {
    id: String,
    text: String,
    monthly_fee_fen: i64,
}

impl QuoteResult {
    fn into_quote(self) -> Quote {
        Quote {
            id: self.quote_id,
            items: self
                .charges
                .into_iter()
                .map(|c| LineItem {
                    kind: match c.kind {
                        ChargeType::Penalty => FeeKind::Penalty,
                        ChargeType::Equipment => FeeKind::Equipment,
                        ChargeType::Arrears => FeeKind::Arrears,
                        ChargeType::Refund => FeeKind::Refund,
                    },
                    label: c.label,
                    amount: Fen(c.fen),
                })
                .collect(),
            total: Fen(self.total_fen),
            effective_date: self.effective_on,
            expires_at: self.valid_until,
            retention: self.retention_offer.map(|o| RetentionOffer {
                id: o.id,
                description: o.text,
                monthly_fee: Fen(o.monthly_fee_fen),
            }),
        }
    }
}

// --- cancel.submit, cancel.status -----------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderResult {
    order_id: String,
    status: WireOrderStatus,
    reason: Option<String>,
    retry_after_sec: Option<u32>,
    expected_by: Option<DateTime<FixedOffset>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum WireOrderStatus {
    AwaitingPayment,
    Processing,
    Completed,
    Rejected,
}

impl OrderResult {
    fn into_order(self) -> Order {
        Order {
            id: self.order_id,
            state: match self.status {
                WireOrderStatus::AwaitingPayment => OrderState::AwaitingPayment,
                WireOrderStatus::Processing => OrderState::Processing,
                WireOrderStatus::Completed => OrderState::Completed,
                WireOrderStatus::Rejected => OrderState::Rejected(self.reason),
            },
            expected_by: self.expected_by,
            retry_after_secs: self.retry_after_sec,
            // Telecom states no amount on the order; the quote's total is it.
            amount_due: None,
        }
    }
}

// --- cancel.pay -----------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PayResult {
    payment_id: String,
    status: WirePayStatus,
    qr_content: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum WirePayStatus {
    Paid,
    Pending,
}

fn pay_method(method: PayMethod) -> &'static str {
    match method {
        PayMethod::Balance => "balance",
        PayMethod::Card => "card",
        PayMethod::Alipay => "alipay",
        PayMethod::WeChat => "wechat",
    }
}

// --- notice.list ----------------------------------------------------------

#[derive(Deserialize)]
struct NoticeList {
    notices: Vec<WireNotice>,
}

#[derive(Deserialize)]
struct WireNotice {
    id: u64,
    at: DateTime<FixedOffset>,
    text: String,
}

// --- The trait, call by call ----------------------------------------------

#[async_trait]
impl Carrier for ChinaTelecom {
    fn id(&self) -> CarrierId {
        CARRIER
    }

    async fn request_code(&self, msisdn: &Msisdn) -> Result<(), CarrierError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let method = "auth.sendCode";
        let request = Request {
            carrier: CARRIER,
            call: method,
            method: Method::POST,
            url: self.url.clone(),
            auth: Auth::None,
            idempotency_key: None,
            resend_unanswered: true,
            body: Body::Json(json!({
                "jsonrpc": "2.0",
                "id": id,
                "method": method,
                "params": { "phone": msisdn.as_str() },
            })),
        };
        self.http
            .send(&request, |reply, attempt| {
                code_sent(decode::<Empty>(method, id, reply).map(drop), attempt)
            })
            .await
    }

    async fn login(
        &self,
        msisdn: &Msisdn,
        code: &SmsCode,
        _password: Option<&ServicePassword>,
    ) -> Result<Session, CarrierError> {
        let params = json!({ "phone": msisdn.as_str(), "code": code.expose() });
        let result: LoginResult = self.rpc("auth.login", params).await?;
        Ok(Session {
            msisdn: msisdn.clone(),
            token: Token::new(result.access_token),
        })
    }

    async fn plans(&self, session: &Session) -> Result<Account, CarrierError> {
        let params = json!({ "accessToken": session.token.expose() });
        let list: ProductList = self.rpc("product.list", params).await?;
        Ok(Account {
            balance: Fen(list.balance_fen),
            plans: list.products.into_iter().map(Product::into_plan).collect(),
        })
    }

    async fn quote(&self, session: &Session, plan_id: &str) -> Result<Quote, CarrierError> {
        let params = json!({ "accessToken": session.token.expose(), "prodId": plan_id });
        let result: QuoteResult = self.rpc("cancel.quote", params).await?;
        Ok(result.into_quote())
    }

    async fn submit(
        &self,
        session: &Session,
        request: &SubmitRequest,
    ) -> Result<Order, CarrierError> {
        let form = &request.application;
        let params = json!({
            "accessToken": session.token.expose(),
            "quoteId": request.quote_id,
            "requestId": request.idempotency_key.as_uuid(),
            "applicant": {
                "name": form.holder_name,
                "idNumber": form.id_number.expose(),
                "contactPhone": form.contact.as_str(),
            },
            "reason": { "code": form.reason.wire(), "text": form.reason_text },
            "acceptRetention": request.accept_retention,
        });
        let result: OrderResult = self.rpc("cancel.submit", params).await?;
        Ok(result.into_order())
    }

    async fn pay(&self, session: &Session, request: &PayRequest) -> Result<Payment, CarrierError> {
        let mut params = json!({
            "accessToken": session.token.expose(),
            "orderId": request.order_id,
            "requestId": request.idempotency_key.as_uuid(),
            "method": pay_method(request.method),
        });
        if let Some(card) = &request.card {
            params["cardNumber"] = Value::String(card.expose().to_owned());
        }
        let result: PayResult = self.rpc("cancel.pay", params).await?;
        Ok(Payment {
            id: result.payment_id,
            method: request.method,
            state: match result.status {
                WirePayStatus::Paid => PaymentState::Paid,
                WirePayStatus::Pending => PaymentState::Pending,
            },
            pay_url: result.qr_content,
            card_last4: request.card.as_ref().map(|c| c.last4()),
        })
    }

    async fn order(&self, session: &Session, order_id: &str) -> Result<Order, CarrierError> {
        let params = json!({ "accessToken": session.token.expose(), "orderId": order_id });
        // `retryAfterSec` is Telecom's hint; a `Retry-After` header is the
        // fallback should a proxy add one.
        self.rpc_with("cancel.status", params, |result: OrderResult, reply| {
            let header = reply.retry_after_secs();
            let mut order = result.into_order();
            order.retry_after_secs = order.retry_after_secs.or(header);
            Ok(order)
        })
        .await
    }

    async fn notices(
        &self,
        session: &Session,
        since: Option<&str>,
    ) -> Result<Vec<Notice>, CarrierError> {
        let method = "notice.list";
        let after: u64 = match since {
            None => 0,
            Some(text) => text.parse().map_err(|_| {
                CarrierError::new(
                    CARRIER,
                    protocol(
                        method,
                        format!("the notice cursor {text:?} is not a China Telecom id"),
                    ),
                )
            })?,
        };
        let params = json!({ "accessToken": session.token.expose(), "afterId": after });
        let list: NoticeList = self.rpc(method, params).await?;
        Ok(list
            .notices
            .into_iter()
            .map(|n| Notice {
                id: n.id.to_string(),
                sent_at: n.at,
                text: n.text,
            })
            .collect())
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

    fn error_of(code: i64) -> ErrorKind {
        let body = format!(r#"{{"jsonrpc":"2.0","id":7,"error":{{"code":{code},"message":"x"}}}}"#);
        decode::<Empty>("m", 7, &reply(&body)).err().unwrap()
    }

    #[test]
    fn every_error_code_of_the_section_has_its_kind() {
        let table = [
            (-32001, ErrorKind::WrongCredentials),
            (-32002, ErrorKind::AccountFrozen),
            (-32003, ErrorKind::CodeTooOften),
            (-32004, ErrorKind::UnknownNumber),
            (-32005, ErrorKind::LoginLocked),
            (-32006, ErrorKind::SessionExpired),
            (-32010, ErrorKind::IdentityMismatch),
            (-32011, ErrorKind::QuoteExpired),
            (
                -32012,
                ErrorKind::NotCancellable {
                    reason: BlockReason::Unspecified,
                },
            ),
            (-32019, ErrorKind::IdempotencyConflict),
            (-32020, ErrorKind::BalanceInsufficient),
            (-32021, ErrorKind::PaymentDeclined),
            (
                -32099,
                ErrorKind::CarrierBusy {
                    retry_after_secs: None,
                },
            ),
        ];
        for (code, kind) in table {
            assert_eq!(error_of(code), kind, "code {code}");
        }
        for code in [-32700, -32600, -32601, -32602, -32603, -31000] {
            assert!(
                matches!(error_of(code), ErrorKind::Protocol { .. }),
                "code {code}"
            );
        }
    }

    #[test]
    fn envelope_must_be_json_rpc_2_for_this_request() {
        for body in [
            r#"{"jsonrpc":"1.0","id":7,"result":{}}"#,
            r#"{"jsonrpc":"2.0","id":8,"result":{}}"#,
            r#"{"jsonrpc":"2.0","id":7}"#,
            r#"{"id":7,"result":{}}"#,
            "<html>",
        ] {
            assert!(
                matches!(decode::<Empty>("m", 7, &reply(body)), Err(ErrorKind::Protocol { call, .. }) if call == "m"),
                "{body}"
            );
        }
        assert!(
            decode::<Empty>(
                "m",
                7,
                &reply(r#"{"jsonrpc":"2.0","id":7,"result":{},"x":1}"#)
            )
            .is_ok()
        );
    }

    #[test]
    fn product_list_maps_blocks_and_states() {
        let body = r#"{"jsonrpc":"2.0","id":1,"result":{"balanceFen":0,"products":[
            {"prodId":"BB1000","name":"天翼宽带 1000M","category":"broadband","monthlyFeeFen":19900,"status":"active","contractEndsOn":"2026-12-31","cancelBlock":null},
            {"prodId":"D1","name":"d","category":"data","monthlyFeeFen":100,"status":"cancelling","contractEndsOn":null,"cancelBlock":null},
            {"prodId":"D2","name":"d","category":"bundle","monthlyFeeFen":100,"status":"active","contractEndsOn":null,"cancelBlock":"arrears"}]}}"#;
        let list: ProductList = decode("product.list", 1, &reply(body)).unwrap();
        let plans: Vec<Plan> = list.products.into_iter().map(Product::into_plan).collect();
        assert_eq!(plans[0].monthly_fee, Fen::yuan(199, 0));
        assert!(plans[0].is_cancellable());
        assert_eq!(plans[1].blocked, Some(BlockReason::AlreadyCancelling));
        assert_eq!(plans[2].blocked, Some(BlockReason::Arrears));
    }

    #[test]
    fn quote_and_status_map_exactly() {
        let body = r#"{"jsonrpc":"2.0","id":2,"result":{"quoteId":"Q","charges":[
            {"type":"penalty","label":"违约金","fen":5970},{"type":"equipment","label":"光猫未归还","fen":10000}],
            "totalFen":15970,"effectiveOn":"2026-11-25","validUntil":"2026-11-25T10:15:00+08:00","retentionOffer":null}}"#;
        let quote = decode::<QuoteResult>("cancel.quote", 2, &reply(body))
            .unwrap()
            .into_quote();
        assert_eq!(quote.total, Fen::yuan(159, 70));
        assert!(quote.lines_add_up());
        assert_eq!(quote.retention, None);

        let body = r#"{"jsonrpc":"2.0","id":3,"result":{"orderId":"T9","status":"processing","retryAfterSec":2,"expectedBy":"2026-11-25T10:02:05+08:00"}}"#;
        let order = decode::<OrderResult>("cancel.status", 3, &reply(body))
            .unwrap()
            .into_order();
        assert_eq!(order.state, OrderState::Processing);
        assert_eq!(order.retry_after_secs, Some(2));
        assert!(order.expected_by.is_some());
    }

    #[test]
    fn malformed_results_are_protocol_errors() {
        for result in [
            r#"{"quoteId":"Q","charges":[],"totalFen":1.5,"effectiveOn":"2026-11-25","validUntil":"2026-11-25T10:15:00+08:00","retentionOffer":null}"#,
            r#"{"quoteId":"Q","charges":[],"totalFen":0,"effectiveOn":"2026-11-25","validUntil":"yesterday","retentionOffer":null}"#,
            r#"{"quoteId":"Q","charges":[]}"#,
        ] {
            let body = format!(r#"{{"jsonrpc":"2.0","id":1,"result":{result}}}"#);
            assert!(
                matches!(
                    decode::<QuoteResult>("cancel.quote", 1, &reply(&body)),
                    Err(ErrorKind::Protocol { .. })
                ),
                "{result}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_body_is_decoded_or_refused_as_protocol(
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
        ) {
            let result = decode::<QuoteResult>("cancel.quote", 1, &Reply {
                status: StatusCode::OK,
                headers: HeaderMap::new(),
                body,
            });
            proptest::prop_assert!(
                matches!(result, Err(ErrorKind::Protocol { .. })),
                "{:?}",
                result.err()
            );
        }
    }
}
