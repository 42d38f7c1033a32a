//! Guided steps 5 and 6, await confirmation and terminated (screens
//! `ui/screens/guided/confirm.rs`, `ui/screens/terminated.rs`): the case waits
//! — days if need be — for the carrier's text; pasting it ends the case. A
//! refusal offers the next channel. Texts that come after the end are still
//! kept.

use super::case::{Confirmation, Source, Verdict};
use super::{Cx, Statement, act, paste};
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::flow::messages::Event;
use crate::core::flow::shared::{Applied, Handled, Turn};
use crate::core::flow::state::{State, Step};
use crate::core::model::Outcome;
use crate::core::receipt::ReceiptEvent;

pub(super) fn on_intent(s: &mut State, cx: &mut Cx, event: Event, t: &mut Turn) -> Applied {
    let waiting = matches!(s.step, Step::Await { .. });
    match event {
        // Kept in every one of these steps: a late text is evidence too.
        Event::PasteSms { text, from } => {
            let verdict = paste::read(s, cx, text, from, t)?;
            if waiting && verdict == Verdict::Confirmed {
                terminate(s, cx, t);
            }
        }
        Event::Say(Statement::Cancelled { effective_date }) if waiting => {
            cx.case.confirmation = Some(Confirmation {
                at: t.now,
                effective_date,
                missing: Vec::new(),
                source: Source::Statement,
            });
            act::said(s, cx, Statement::Cancelled { effective_date }, t)?;
            terminate(s, cx, t);
        }
        Event::Say(statement @ Statement::Reference { .. }) if waiting => {
            act::said(s, cx, statement, t)?;
        }
        Event::ChooseChannel(channel) if waiting => act::switch_channel(s, cx, channel, t)?,
        Event::Abandon if waiting => abandon(s, cx, t),
        _ => return Ok(Handled::NotHere),
    }
    Ok(Handled::Done)
}

/// The cancellation is confirmed (by a text or the person's word): the end,
/// with a receipt.
pub(super) fn terminate(s: &mut State, cx: &Cx, t: &mut Turn) {
    cx.receipt(
        s,
        t,
        ReceiptEvent::Finished {
            outcome: Some(Outcome::Cancelled),
            error: None,
        },
    );
    s.step = Step::Terminated {
        outcome: Outcome::Cancelled,
    };
}

/// The person stops following the case: a receipt of where it stood.
pub(super) fn abandon(s: &mut State, cx: &Cx, t: &mut Turn) {
    t.finish_blocked(
        s,
        &cx.line,
        CarrierError::new(cx.line.carrier, ErrorKind::Abandoned),
        None,
    );
}
