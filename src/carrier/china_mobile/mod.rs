//! China Mobile (`cmcc`): REST + JSON under `/cmcc/v2`.
//!
//! Every answer is `{"retCode", "retMsg", "data"}` with HTTP 200;
//! `retCode != "000000"` is a business error, HTTP 401 a missing or expired
//! token. Authenticated calls carry `Authorization: Bearer <token>`; submit
//! and pay carry `Idempotency-Key`. Money is integer fen. Written in the
//! order of the spec's section (docs/CARRIER-API.md, "China Mobile").
//!
//! - `codes`: the envelope and the error-code table;
//! - `wire`: the wire types, one block per call;
//! - this file: the calls, in the spec's order.

mod codes;
#[cfg(test)]
mod tests;
mod wire;

use async_trait::async_trait;
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::http::{Auth, Body, Http, Request, code_sent, join_url, protocol};
use super::{Carrier, PayRequest, Session, SubmitRequest};
use crate::core::error::CarrierError;
use crate::core::fees::Fen;
use crate::core::model::{Account, CarrierId, Msisdn, Notice, Order, Payment, PaymentState, Quote};
use crate::core::secret::{ServicePassword, SmsCode, Token};
use codes::{Empty, decode};
use wire::{
    LoginData, Messages, OrderData, PaymentData, QuoteData, Subscription, Subscriptions,
    WirePaymentState, pay_method,
};

const CARRIER: CarrierId = CarrierId::ChinaMobile;
const BASE_PATH: [&str; 2] = ["cmcc", "v2"];

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
                decode::<T>(call, reply)
                    .map(|data| (data, self.http.bound_wait(reply.retry_after_secs())))
            })
            .await
    }
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
