//! Guided step 3, act through the channel (screen
//! `ui/screens/guided/act.rs`): the exact text and recipient, the app path,
//! the hotline script or the hall checklist — recorded as shown — then what
//! the carrier answered (pasted) or what the person says they did.

use super::case::{Acceptance, Source, Verdict};
use super::{Cx, Statement, paste};
use crate::core::channels::{self, Channel};
use crate::core::flow::messages::{Event, StepError};
use crate::core::flow::shared::{Applied, Handled, Turn};
use crate::core::flow::state::{State, Step, SubmitPhase};
use crate::core::receipt::{InstructionStep, ReceiptEvent};

/// The longest reference (受理单号, work order) taken: the same bound as a
/// carrier's order id.
pub const MAX_REFERENCE_CHARS: usize = 64;

pub(super) fn on_intent(s: &mut State, cx: &mut Cx, event: Event, t: &mut Turn) -> Applied {
    match event {
        Event::PasteSms { text, from } => match paste::read(s, cx, text, from, t)? {
            Verdict::Accepted | Verdict::Confirmed => to_fees(s),
            _ => {}
        },
        // A cancellation is reported once the fees are recorded (step 5).
        Event::Say(Statement::Cancelled { .. }) => return Err(StepError::NotYet),
        Event::Say(statement) => {
            said(s, cx, statement, t)?;
            to_fees(s);
        }
        Event::ChooseChannel(channel) => switch_channel(s, cx, channel, t)?,
        // Until the person acted, nothing happened at the carrier.
        Event::Back if cx.case.acted_at.is_none() && cx.case.acceptance.is_none() => {
            s.step = Step::SelectPlan { problem: None };
        }
        _ => return Ok(Handled::NotHere),
    }
    Ok(Handled::Done)
}

/// Arrives at step 3: the instruction for the channel, as shown, is kept.
pub(super) fn enter(s: &mut State, cx: &mut Cx, t: &mut Turn) {
    s.step = Step::Submit {
        phase: SubmitPhase::Review,
        problem: None,
    };
    record_instruction(s, cx, t);
}

fn to_fees(s: &mut State) {
    s.step = Step::Pay { problem: None };
}

/// Another channel for the same case (the first refused, or the person
/// prefers it): recorded; from step 3 on, its instruction too.
pub(super) fn switch_channel(
    s: &mut State,
    cx: &mut Cx,
    channel: Channel,
    t: &mut Turn,
) -> Result<(), StepError> {
    let guide = channels::guide(cx.line.carrier, cx.case.kind);
    if guide.steps(channel).is_empty() {
        return Err(StepError::ChannelCannot);
    }
    cx.case.channel = channel;
    cx.case.failure = None;
    cx.receipt(
        s,
        t,
        ReceiptEvent::ChannelChosen {
            kind: cx.case.kind,
            channel,
            recommended: guide.recommended(),
        },
    );
    if !matches!(s.step, Step::SelectPlan { .. }) {
        enter(s, cx, t);
    }
    Ok(())
}

/// The instruction exactly as the screen shows it, in both languages, with
/// every number and command, and the reply for the package picked from a
/// list.
fn record_instruction(s: &State, cx: &Cx, t: &mut Turn) {
    let guide = channels::guide(cx.line.carrier, cx.case.kind);
    let steps = guide
        .steps(cx.case.channel)
        .iter()
        .map(|step| InstructionStep {
            zh: step.text(crate::core::lang::Lang::Zh).to_owned(),
            en: step.text(crate::core::lang::Lang::En).to_owned(),
            number: step.number().map(str::to_owned),
            command: step.command().map(str::to_owned),
            source: step.origin().source().to_owned(),
            checked: step.origin().checked().to_owned(),
        })
        .collect();
    let reply = list_reply(cx);
    cx.receipt(
        s,
        t,
        ReceiptEvent::InstructionShown {
            channel: cx.case.channel,
            steps,
            reply,
        },
    );
}

/// For a package picked from a pasted list through SMS: the reply that
/// cancels it — its key, to the number that sent the list.
pub fn list_reply(cx: &Cx) -> Option<(String, String)> {
    if cx.case.channel != Channel::Sms {
        return None;
    }
    let key = cx.case.package.as_ref()?.key.clone()?;
    let to = cx.case.reply.as_ref().map(|r| r.to.clone())?;
    Some((to, key))
}

/// Records the person's statement, and what it means for the case.
pub(super) fn said(
    s: &State,
    cx: &mut Cx,
    statement: Statement,
    t: &mut Turn,
) -> Result<(), StepError> {
    let statement = match statement {
        Statement::Reference { reference } => Statement::Reference {
            reference: reference.trim().to_owned(),
        },
        other => other,
    };
    match &statement {
        Statement::Acted => {
            cx.case.acted_at.get_or_insert(t.now);
        }
        Statement::Reference { reference } => {
            if !is_reference(reference) {
                return Err(StepError::BadReference(MAX_REFERENCE_CHARS));
            }
            cx.case.acted_at.get_or_insert(t.now);
            match &mut cx.case.acceptance {
                Some(acceptance) => acceptance.reference = Some(reference.clone()),
                None => {
                    cx.case.acceptance = Some(Acceptance {
                        at: t.now,
                        reference: Some(reference.clone()),
                        source: Source::Statement,
                    });
                }
            }
        }
        Statement::Cancelled { .. } => {}
    }
    cx.receipt(s, t, ReceiptEvent::Statement { statement });
    Ok(())
}

/// A reference as carriers write them: letters, digits, `-` and `_`, at
/// most [`MAX_REFERENCE_CHARS`].
fn is_reference(text: &str) -> bool {
    (1..=MAX_REFERENCE_CHARS).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
