//! Guided mode: the same six steps when no carrier API can act, with the
//! person as the transport. The wizard says exactly what to send, call or ask
//! through the carrier's official channel (`core::channels`), reads back what
//! the carrier texts (`core::sms`), and keeps the same journal and receipt
//! chain — with every fact marked as a carrier text or the person's word.
//!
//! There are no carrier calls here: every transition is an intent of the
//! person's (a pasted text is one), so nothing is ever in flight, and a case
//! can wait days for a confirmation and resume exactly where it stood.
//!
//! One file per step, like the API flow: `identify` (1), `package` (2),
//! `act` (3), `quote` (4), `confirm` (5 and 6); `paste` reads a text into the
//! case for all of them.
//!
//! Rules kept here, and tested in `flow/tests/guided.rs`:
//! - no secret is ever asked for or kept (a pasted login code is dropped);
//! - `Terminated` is reached only on a pasted cancellation text or the
//!   person's explicit statement, and the receipts say which;
//! - an opt-out of reminders or a marketing text never moves the case.

mod act;
mod case;
mod confirm;
mod identify;
mod package;
mod paste;
mod quote;

pub use crate::core::time::china_date;
pub use case::{
    Acceptance, Confirmation, GuidedCase, MAX_LISTED, MAX_MESSAGES, Package, Pasted, Quoted,
    Source, Verdict, cancels_another,
};
pub use identify::case_id;
pub use paste::take;

use serde::{Deserialize, Serialize};

use super::messages::Event;
use super::shared::{Applied, Handled, Turn};
use super::state::{Line, State, Step};

/// The person's own word, recorded as a statement (never as a carrier text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "said", rename_all = "snake_case")]
pub enum Statement {
    /// "I sent it / followed the app path / called / went to the hall."
    Acted,
    /// "The carrier gave me this 受理单号 / work-order number."
    Reference {
        /// The number as the person typed it.
        reference: String,
    },
    /// "The carrier told me it is cancelled" (by phone or at the hall, with
    /// no text to paste).
    Cancelled {
        /// The effective date the carrier gave, if it did.
        effective_date: Option<chrono::NaiveDate>,
    },
}

/// Routes a guided event by step. The caller has checked the mode.
pub(super) fn route(s: &mut State, event: Event, t: &mut Turn) -> Applied {
    if let Event::Identify {
        msisdn,
        carrier,
        kind,
        channel,
    } = event
    {
        return match s.step {
            Step::Login { .. } => identify::identify(s, Line { carrier, msisdn }, kind, channel, t),
            _ => Ok(Handled::NotHere),
        };
    }
    if matches!(event, Event::Resume) {
        // Nothing to log in to: the case continues where it stood.
        return Ok(if s.is_finished() {
            Handled::NotHere
        } else {
            Handled::Done
        });
    }
    let (Some(line), Some(case)) = (s.facts.line.clone(), s.facts.guided.clone()) else {
        return Ok(Handled::NotHere);
    };
    let mut cx = Cx { line, case };
    let handled = match s.step {
        Step::Login { .. } => Ok(Handled::NotHere),
        Step::SelectPlan { .. } => package::on_intent(s, &mut cx, event, t),
        Step::Submit { .. } => act::on_intent(s, &mut cx, event, t),
        Step::Pay { .. } => quote::on_intent(s, &mut cx, event, t),
        Step::Await { .. } | Step::Terminated { .. } | Step::Blocked { .. } => {
            confirm::on_intent(s, &mut cx, event, t)
        }
    }?;
    if handled == Handled::Done {
        s.facts.guided = Some(cx.case);
    }
    Ok(handled)
}

/// The line and a working copy of the case: a step edits the copy, which
/// is kept only when the event applied.
pub(super) struct Cx {
    /// The number and carrier.
    pub line: Line,
    /// The case as it will be kept.
    pub case: GuidedCase,
}

impl Cx {
    /// Records a receipt for the case (the case id is its folder).
    pub fn receipt(&self, s: &State, t: &mut Turn, event: crate::core::receipt::ReceiptEvent) {
        t.receipt(s, &self.line, event);
    }
}
