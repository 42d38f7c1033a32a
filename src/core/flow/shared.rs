//! What every step does the same way: the shape of a step's rules, issuing a
//! call, writing a receipt, stopping with an error (with a receipt when the
//! flow ends there), settling a request whose answer came, and polling.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::messages::{Call, CarrierRequest, Effect, Event, Reply, StepError};
use super::state::{Line, Pending, RequestId, SentRequest, State, Step};
use crate::core::error::CarrierError;
use crate::core::receipt::{Receipt, ReceiptEvent};

/// How long to wait between status polls when the carrier does not say.
pub const DEFAULT_POLL: Duration = Duration::from_secs(2);

/// Whether a step took an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Handled {
    /// Applied: the state and effects are the transition.
    Done,
    /// The event does not apply in this step; the caller refuses it.
    NotHere,
}

/// An intent applied, did not apply here, or was refused with a reason.
pub(super) type Applied = Result<Handled, StepError>;

/// What one step does with each kind of event. Every step after Login works
/// on a [`Line`]: calls and receipts cannot be made without one.
pub(super) trait Rules {
    /// The person's intents.
    fn on_intent(_s: &mut State, _line: &Line, _event: Event, _t: &mut Turn) -> Applied {
        Ok(Handled::NotHere)
    }

    /// Replies to the call in flight, failures aside.
    fn on_reply(_s: &mut State, _line: &Line, _reply: Reply, _t: &mut Turn) -> Handled {
        Handled::NotHere
    }

    /// A failed call (an expired session is handled before, for every step).
    fn on_failure(s: &mut State, line: &Line, error: CarrierError, t: &mut Turn) -> Handled;
}

/// One transition in the making: when it happens, and the effects so far.
pub(super) struct Turn {
    /// The event's time.
    pub now: DateTime<Utc>,
    /// Effects, in order.
    pub effects: Vec<Effect>,
}

impl Turn {
    /// Issues a carrier call: a fresh request id, remembered as the one call
    /// in flight.
    pub fn call(&mut self, s: &mut State, line: &Line, request: CarrierRequest) {
        let req = RequestId(s.next_request);
        s.next_request += 1;
        s.pending = Some(Pending {
            req,
            kind: request.kind(),
        });
        self.effects.push(Effect::Call(Call {
            req,
            carrier: line.carrier,
            request,
        }));
    }

    /// Records what happened, with the line and the order it belongs to.
    pub fn receipt(&mut self, s: &State, line: &Line, event: ReceiptEvent) {
        self.effects.push(Effect::WriteReceipt(Receipt {
            at: self.now,
            carrier: line.carrier,
            msisdn_masked: line.msisdn.masked(),
            order_id: s.facts.case_id().map(str::to_owned),
            event,
        }));
    }

    /// Ends the flow on an error: a receipt of where it stood, then Blocked.
    pub fn finish_blocked(
        &mut self,
        s: &mut State,
        line: &Line,
        error: CarrierError,
        retry: Option<Step>,
    ) {
        self.receipt(
            s,
            line,
            ReceiptEvent::Finished {
                outcome: None,
                error: Some(error.kind.clone()),
            },
        );
        block(s, error, retry);
    }

    /// Asks for the order's state after `after` (nothing before an order).
    pub fn poll(&mut self, s: &mut State, line: &Line, after: Duration) {
        if let Some(order_id) = s.facts.progress.order.as_ref().map(|o| o.id.clone()) {
            self.call(s, line, CarrierRequest::PollOrder { order_id, after });
        }
    }

    /// Asks for the notices after the last one seen.
    pub fn fetch_notices(&mut self, s: &mut State, line: &Line) {
        let since = s.facts.progress.notices.last().map(|n| n.id.clone());
        self.call(s, line, CarrierRequest::FetchNotices { since });
    }
}

/// Stops at Blocked with the error's remedy; `retry` is where trying again
/// goes, when it can help.
pub(super) fn block(s: &mut State, error: CarrierError, retry: Option<Step>) {
    s.step = Step::Blocked {
        remedy: error.kind.remedy_key().to_owned(),
        error,
        retry: retry.map(Box::new),
    };
}

/// The carrier answered a request: its outcome is no longer unknown, so
/// another request may follow.
pub(super) fn settle(sent: &mut Option<SentRequest>) {
    if let Some(sent) = sent {
        sent.outcome_unknown = false;
    }
}
