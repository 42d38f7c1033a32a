//! Step 6, 已退订 (screen `ui/screens/terminated.rs`): reached only on the
//! carrier's confirmation of our order; the confirmation SMS is still
//! collected afterwards.

use super::messages::Reply;
use super::order;
use super::pay;
use super::shared::{Handled, Rules, Turn};
use super::state::{Line, State, Step};
use crate::core::error::CarrierError;
use crate::core::model::Outcome;
use crate::core::receipt::ReceiptEvent;

/// The Terminated step's rules.
pub(super) struct Terminated;

impl Rules for Terminated {
    fn on_reply(s: &mut State, line: &Line, reply: Reply, t: &mut Turn) -> Handled {
        let Reply::Notices(notices) = reply else {
            return Handled::NotHere;
        };
        order::take_notices(s, line, notices, t);
        Handled::Done
    }

    /// Nothing more depends on a call that fails now.
    fn on_failure(_s: &mut State, _line: &Line, _error: CarrierError, _t: &mut Turn) -> Handled {
        Handled::Done
    }
}

/// The carrier confirmed the order: what it ended as, with a receipt.
pub(super) fn arrive(s: &mut State, line: &Line, t: &mut Turn) {
    let outcome = if s.facts.choice.retention_accepted == Some(true) {
        Outcome::RetentionAccepted
    } else {
        Outcome::Cancelled
    };
    pay::note_paid(s, line, t);
    let finished = ReceiptEvent::Finished {
        outcome: Some(outcome),
        error: None,
    };
    t.receipt(s, line, finished);
    s.step = Step::Terminated { outcome };
    // The carrier's confirmation SMS usually follows the state change.
    t.fetch_notices(s, line);
}
