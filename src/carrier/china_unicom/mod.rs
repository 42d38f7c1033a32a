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
//! Written in the order of the spec's section (docs/CARRIER-API.md,
//! "China Unicom").
//!
//! - `codes`: the envelope and the error-code table;
//! - `wire`: yuan strings, dates, times and the wire types, one block per call;
//! - this file: the calls, in the spec's order.

mod codes;
#[cfg(test)]
mod tests;
mod wire;

use async_trait::async_trait;
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;

use super::http::{Auth, Body, Http, Request, code_sent, join_url, protocol};
use super::{Carrier, PayRequest, Session, SubmitRequest};
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::model::{Account, CarrierId, Msisdn, Notice, Order, Payment, PaymentState, Quote};
use crate::core::secret::{ServicePassword, SmsCode, Token};
use codes::{Empty, decode};
use wire::{Msgs, Products, Trial, WireOrder, WirePayState, WirePayment, pay_type, time};

const CARRIER: CarrierId = CarrierId::ChinaUnicom;
const BASE_PATH: [&str; 2] = ["cucc", "mall"];
const SESSION_COOKIE: &str = "CUSESSION";

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
                decode::<T>(&call, reply)
                    .map(|result| (result, self.http.bound_wait(reply.retry_after_secs())))
            })
            .await
    }
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
