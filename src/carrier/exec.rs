//! Carrying out the core's carrier commands: one `core::flow::Command` in,
//! the matching `Carrier` call, and the core's `Reply` out. Shared by the
//! terminal shell and the headless drivers (soak tests, benches), so every
//! front end talks to carriers the same way.

use crate::carrier::{Carrier, CarrierError, ErrorKind, PayRequest, Session, SubmitRequest};
use crate::core::flow::{Command, Reply, RequestId};

/// The request id a command's reply must carry (0 for the local commands).
pub fn request_of(command: &Command) -> RequestId {
    match command {
        Command::RequestCode { req, .. }
        | Command::Login { req, .. }
        | Command::FetchPlans { req }
        | Command::FetchQuote { req, .. }
        | Command::Submit { req, .. }
        | Command::Pay { req, .. }
        | Command::PollOrder { req, .. }
        | Command::FetchNotices { req, .. } => *req,
        Command::PersistJournal | Command::WriteReceipt(_) => RequestId(0),
    }
}

/// A call's result: the reply, and the new session after a login.
pub type CallOutcome = Result<(Reply, Option<Session>), CarrierError>;

/// Runs one carrier call and turns its result into the core's reply.
pub async fn call(
    carrier: &dyn Carrier,
    session: Option<&Session>,
    command: Command,
) -> (RequestId, CallOutcome) {
    let req = request_of(&command);
    let id = carrier.id();
    let need_session = || session.ok_or_else(|| CarrierError::new(id, ErrorKind::SessionExpired));
    let outcome = async {
        Ok(match command {
            Command::RequestCode { msisdn, .. } => {
                carrier.request_code(&msisdn).await?;
                (Reply::CodeSent, None)
            }
            Command::Login {
                msisdn,
                code,
                password,
                ..
            } => {
                let session = carrier.login(&msisdn, &code, password.as_ref()).await?;
                (Reply::LoggedIn, Some(session))
            }
            Command::FetchPlans { .. } => {
                (Reply::Plans(carrier.plans(need_session()?).await?), None)
            }
            Command::FetchQuote { plan_id, .. } => (
                Reply::Quoted(carrier.quote(need_session()?, &plan_id).await?),
                None,
            ),
            Command::Submit {
                idempotency_key,
                quote_id,
                application,
                accept_retention,
                ..
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
            Command::Pay {
                idempotency_key,
                order_id,
                method,
                card,
                ..
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
            Command::PollOrder {
                order_id, after, ..
            } => {
                tokio::time::sleep(after).await;
                (
                    Reply::OrderStatus(carrier.order(need_session()?, &order_id).await?),
                    None,
                )
            }
            Command::FetchNotices { since, .. } => (
                Reply::Notices(carrier.notices(need_session()?, since.as_deref()).await?),
                None,
            ),
            Command::PersistJournal | Command::WriteReceipt(_) => {
                (Reply::Notices(Vec::new()), None)
            }
        })
    }
    .await;
    (req, outcome)
}
