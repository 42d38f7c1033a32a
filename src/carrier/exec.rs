//! Carrying out the core's carrier calls: one `core::flow::CarrierRequest`
//! in, the matching `Carrier` method, and the core's `Reply` out. Called by
//! `shell::runner::Runner::execute`, which every front end uses (the
//! terminal, the soak, the benches), so they all talk to carriers the same
//! way. Local effects (journal, receipts) never come here: they are not
//! calls.

use crate::carrier::{Carrier, CarrierError, ErrorKind, PayRequest, Session, SubmitRequest};
use crate::core::flow::{CarrierRequest, Reply};

/// A call's result: the reply, and the new session after a login.
pub type CallOutcome = Result<(Reply, Option<Session>), CarrierError>;

/// Runs one carrier request and turns its result into the core's reply.
pub async fn call(
    carrier: &dyn Carrier,
    session: Option<&Session>,
    request: CarrierRequest,
) -> CallOutcome {
    let id = carrier.id();
    let need_session = || session.ok_or_else(|| CarrierError::new(id, ErrorKind::SessionExpired));
    Ok(match request {
        CarrierRequest::RequestCode { msisdn } => {
            carrier.request_code(&msisdn).await?;
            (Reply::CodeSent, None)
        }
        CarrierRequest::Login {
            msisdn,
            code,
            password,
        } => {
            let session = carrier.login(&msisdn, &code, password.as_ref()).await?;
            (Reply::LoggedIn, Some(session))
        }
        CarrierRequest::FetchPlans => (Reply::Plans(carrier.plans(need_session()?).await?), None),
        CarrierRequest::FetchQuote { plan_id } => (
            Reply::Quoted(carrier.quote(need_session()?, &plan_id).await?),
            None,
        ),
        CarrierRequest::Submit {
            idempotency_key,
            quote_id,
            application,
            accept_retention,
        } => {
            let request = SubmitRequest {
                idempotency_key,
                quote_id,
                application,
                accept_retention,
            };
            (
                Reply::Submitted(carrier.submit(need_session()?, &request).await?),
                None,
            )
        }
        CarrierRequest::Pay {
            idempotency_key,
            order_id,
            method,
            card,
        } => {
            let request = PayRequest {
                idempotency_key,
                order_id,
                method,
                card,
            };
            (
                Reply::Paid(carrier.pay(need_session()?, &request).await?),
                None,
            )
        }
        CarrierRequest::PollOrder { order_id, after } => {
            tokio::time::sleep(after).await;
            (
                Reply::OrderStatus(carrier.order(need_session()?, &order_id).await?),
                None,
            )
        }
        CarrierRequest::FetchNotices { since } => (
            Reply::Notices(carrier.notices(need_session()?, since.as_deref()).await?),
            None,
        ),
    })
}
