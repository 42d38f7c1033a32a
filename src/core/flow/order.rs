//! Step 5, 等待确认 (screen `ui/screens/awaiting.rs`): follow the order until
//! the carrier confirms it — polling at the carrier's pace, collecting its
//! notices, resubmitting the same request when it stalls.

use std::time::Duration;

use super::messages::{Event, Reply, StepError};
use super::shared::{Applied, DEFAULT_POLL, Handled, Rules, Turn};
use super::state::{Line, State, Step};
use super::{done, pay, recovery, submit};
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::model::{Notice, Order, OrderState};
use crate::core::receipt::ReceiptEvent;

/// The Await step's rules.
pub(super) struct Await;

impl Rules for Await {
    fn on_intent(s: &mut State, line: &Line, event: Event, t: &mut Turn) -> Applied {
        match event {
            Event::Resubmit => {
                if s.facts.secrets.application.is_none() {
                    return Err(StepError::NeedsApplication);
                }
                s.pending = None;
                submit::send(s, line, t)?;
                s.step = Step::Await {
                    stalled: false,
                    problem: None,
                };
            }
            Event::Abandon => recovery::abandon(s, line, ErrorKind::ConfirmationStalled, t),
            _ => return Ok(Handled::NotHere),
        }
        Ok(Handled::Done)
    }

    fn on_reply(s: &mut State, line: &Line, reply: Reply, t: &mut Turn) -> Handled {
        let Step::Await { stalled, .. } = s.step else {
            return Handled::NotHere;
        };
        match reply {
            Reply::Submitted(order) => submit::submitted(s, line, order, t),
            Reply::OrderStatus(order) => status(s, line, order, t),
            Reply::Notices(notices) => {
                take_notices(s, line, notices, t);
                let after = retry_after(s);
                s.step = Step::Await {
                    stalled,
                    problem: None,
                };
                t.poll(s, line, after);
            }
            _ => return Handled::NotHere,
        }
        Handled::Done
    }

    fn on_failure(s: &mut State, line: &Line, error: CarrierError, t: &mut Turn) -> Handled {
        let Step::Await { stalled, .. } = s.step else {
            return Handled::NotHere;
        };
        if error.kind.is_retryable() {
            // The order is in the carrier's hands; keep asking, slower.
            let after = match &error.kind {
                ErrorKind::CarrierBusy {
                    retry_after_secs: Some(secs),
                } => Duration::from_secs(u64::from(*secs)),
                _ => DEFAULT_POLL * 2,
            };
            s.step = Step::Await {
                stalled,
                problem: Some(error.kind),
            };
            t.poll(s, line, after);
        } else {
            let retry = Step::Await {
                stalled,
                problem: None,
            };
            t.finish_blocked(s, line, error, Some(retry));
        }
        Handled::Done
    }
}

/// The order's state as the carrier reports it (while paying or awaiting):
/// a receipt when it changed, then follow it.
pub(super) fn status(s: &mut State, line: &Line, order: Order, t: &mut Turn) {
    let known = s.facts.progress.order.as_ref().map(|o| &o.state);
    if known != Some(&order.state) {
        let changed = ReceiptEvent::StatusChanged {
            state: order.state.clone(),
        };
        t.receipt(s, line, changed);
    }
    s.facts.progress.order = Some(order.clone());
    follow(s, line, &order, t);
}

/// Moves to the step the order's state calls for.
pub(super) fn follow(s: &mut State, line: &Line, order: &Order, t: &mut Turn) {
    match &order.state {
        OrderState::AwaitingPayment => pay::awaiting_payment(s, line, t),
        OrderState::Processing => {
            s.facts.progress.processing_since.get_or_insert(t.now);
            pay::note_paid(s, line, t);
            let stalled = order.expected_by.is_some_and(|by| t.now > by);
            s.step = Step::Await {
                stalled,
                problem: None,
            };
            t.fetch_notices(s, line);
        }
        OrderState::Completed => done::arrive(s, line, t),
        OrderState::Rejected(reason) => {
            let kind = ErrorKind::OrderRejected {
                reason: reason.clone(),
            };
            t.finish_blocked(s, line, CarrierError::new(line.carrier, kind), None);
        }
    }
}

/// Keeps the notices not seen before, each with a receipt.
pub(super) fn take_notices(s: &mut State, line: &Line, notices: Vec<Notice>, t: &mut Turn) {
    for notice in notices {
        if s.facts.progress.notices.iter().any(|n| n.id == notice.id) {
            continue;
        }
        let received = ReceiptEvent::NoticeReceived {
            notice: notice.clone(),
        };
        t.receipt(s, line, received);
        s.facts.progress.notices.push(notice);
    }
}

/// The carrier's own pace for the next poll, or ours.
fn retry_after(s: &State) -> Duration {
    s.facts
        .progress
        .order
        .as_ref()
        .and_then(|o| o.retry_after_secs)
        .map(|secs| Duration::from_secs(u64::from(secs)))
        .unwrap_or(DEFAULT_POLL)
}

/// Arrives at the step again (after a retry or a new login): ask at once.
pub(super) fn enter(s: &mut State, line: &Line, t: &mut Turn) {
    s.step = Step::Await {
        stalled: false,
        problem: None,
    };
    t.poll(s, line, Duration::ZERO);
}
