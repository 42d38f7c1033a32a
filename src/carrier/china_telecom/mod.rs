//! China Telecom (`ctcc`): JSON-RPC 2.0 on one endpoint, `POST /ctcc/rpc`.
//!
//! Every call is `{"jsonrpc": "2.0", "id", "method", "params"}`; the answer
//! (HTTP 200 either way) carries `result` or `error {code, message, data?}`.
//! Authenticated calls put `accessToken` in `params`; submit and pay carry
//! `requestId`, the idempotency key as a UUID. Money is integer fen, times
//! RFC 3339. A retry resends the same body — the same `id` and `requestId`.
//! Written in the order of the spec's section (docs/CARRIER-API.md,
//! "China Telecom").
//!
//! - `codes`: the envelope and the error-code table;
//! - `wire`: the wire types, one block per call;
//! - this file: the calls, in the spec's order.

mod codes;
#[cfg(test)]
mod tests;
mod wire;

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::http::{Auth, Body, Http, Reply, Request, code_sent, join_url, protocol};
use super::{Carrier, PayRequest, Session, SubmitRequest};
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::fees::Fen;
use crate::core::model::{Account, CarrierId, Msisdn, Notice, Order, Payment, PaymentState, Quote};
use crate::core::secret::{ServicePassword, SmsCode, Token};
use codes::{Empty, decode};
use wire::{
    LoginResult, NoticeList, OrderResult, PayResult, Product, ProductList, QuoteResult,
    WirePayStatus, pay_method,
};

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

impl ChinaTelecom {
    /// An order from its wire form. `retryAfterSec` is Telecom's hint; a
    /// `Retry-After` header is the fallback should a proxy add one; either
    /// is bounded by `network.max_wait_secs`.
    fn order_from(&self, result: OrderResult, reply: &Reply) -> Order {
        let mut order = result.into_order();
        order.retry_after_secs = self
            .http
            .bound_wait(order.retry_after_secs.or(reply.retry_after_secs()));
        order
    }
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
        self.rpc_with("cancel.submit", params, |result: OrderResult, reply| {
            Ok(self.order_from(result, reply))
        })
        .await
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
        self.rpc_with("cancel.status", params, |result: OrderResult, reply| {
            Ok(self.order_from(result, reply))
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
