//! Guided step 4, fees (screen `ui/screens/guided/quote.rs`): what the
//! carrier quoted — 违约金, equipment, refund — as the person heard or read
//! it, beside the wizard's own estimate by the fee rule (labelled so). The
//! wizard never handles payment here: the carrier collects through its own
//! channel.

use super::case::Quoted;
use super::{Cx, Statement, act, confirm, paste};
use crate::core::flow::messages::{Event, StepError};
use crate::core::flow::shared::{Applied, Handled, Turn};
use crate::core::flow::state::{State, Step};
use crate::core::receipt::ReceiptEvent;

/// The largest single amount taken as meant: ¥100,000.
pub const MAX_QUOTED_FEN: i64 = 10_000_000;

pub(super) fn on_intent(s: &mut State, cx: &mut Cx, event: Event, t: &mut Turn) -> Applied {
    match event {
        Event::PasteSms { text, from } => {
            paste::read(s, cx, text, from, t)?;
        }
        Event::EnterQuote(quoted) => record(s, cx, quoted, t)?,
        Event::Say(Statement::Reference { reference }) => {
            act::said(s, cx, Statement::Reference { reference }, t)?;
        }
        Event::Confirm => {
            if cx.case.quoted.is_none() {
                return Err(StepError::NeedsQuote);
            }
            match cx.case.confirmation {
                Some(_) => confirm::terminate(s, cx, t),
                None => {
                    s.step = Step::Await {
                        stalled: false,
                        problem: None,
                    }
                }
            }
        }
        Event::Back if cx.case.confirmation.is_none() => act::enter(s, cx, t),
        Event::Abandon => confirm::abandon(s, cx, t),
        _ => return Ok(Handled::NotHere),
    }
    Ok(Handled::Done)
}

/// Keeps what the carrier quoted, with the estimate it was shown beside.
fn record(s: &State, cx: &mut Cx, quoted: Quoted, t: &mut Turn) -> Result<(), StepError> {
    let in_range = |fen: crate::core::fees::Fen| (0..=MAX_QUOTED_FEN).contains(&fen.0);
    if ![quoted.penalty, quoted.equipment, quoted.refund]
        .into_iter()
        .all(in_range)
    {
        return Err(StepError::AmountOutOfRange);
    }
    let total = quoted.total().ok_or(StepError::AmountOutOfRange)?;
    let estimate = cx.case.estimate(crate::core::time::china_date(t.now));
    cx.case.quoted = Some(quoted);
    cx.receipt(
        s,
        t,
        ReceiptEvent::AmountQuoted {
            quoted,
            total,
            estimate,
        },
    );
    Ok(())
}
