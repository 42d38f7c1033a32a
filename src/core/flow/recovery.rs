//! What applies across steps: Blocked (screen `ui/screens/blocked.rs`) and
//! its retry, resuming a journalled flow, logging in again when the session
//! expired, abandoning an order, and arriving back at a step after any of
//! these.

use super::messages::{Event, StepError};
use super::shared::{Applied, Handled, Rules, Turn};
use super::state::{Line, State, Step};
use super::{order, pay, plans, submit};
use crate::core::error::{CarrierError, ErrorKind};

/// The Blocked step's rules.
pub(super) struct Blocked;

impl Rules for Blocked {
    fn on_intent(s: &mut State, line: &Line, event: Event, t: &mut Turn) -> Applied {
        let Step::Blocked { retry, .. } = s.step.clone() else {
            return Ok(Handled::NotHere);
        };
        match (event, retry) {
            (Event::Retry, Some(target)) => enter(s, line, *target, t)?,
            // Not a dead end while no order may exist: start over at login.
            (Event::Back, _) if !s.order_in_flight() => {
                s.pending = None;
                let choice = &mut s.facts.choice;
                choice.account = None;
                choice.plan = None;
                choice.quote = None;
                s.step = Step::login();
            }
            _ => return Ok(Handled::NotHere),
        }
        Ok(Handled::Done)
    }

    /// Nothing is in flight once blocked; a late failure changes nothing.
    fn on_failure(_s: &mut State, _line: &Line, _error: CarrierError, _t: &mut Turn) -> Handled {
        Handled::Done
    }
}

/// Tokens are never kept, so a journalled flow logs in again and then
/// continues where it stood. Whatever was in flight when the journal was
/// written belongs to a process that is gone.
pub(super) fn resume(s: &mut State) -> Handled {
    let then = match &s.step {
        Step::Terminated { .. } | Step::Blocked { retry: None, .. } => return Handled::NotHere,
        Step::Login { then, .. } => then.clone(),
        Step::Blocked {
            retry: Some(target),
            ..
        } => Some(target.clone()),
        other => Some(Box::new(other.clone())),
    };
    s.pending = None;
    s.step = Step::Login {
        code_sent_at: None,
        problem: None,
        then,
    };
    Handled::Done
}

/// An expired session needs a new login, then continues where it was — in
/// every step.
pub(super) fn log_in_again(s: &mut State, kind: ErrorKind) -> Handled {
    let then = s.step.clone();
    s.step = Step::Login {
        code_sent_at: None,
        problem: Some(kind),
        then: Some(Box::new(then)),
    };
    Handled::Done
}

/// The person stops following the order (while paying or awaiting): a
/// receipt of where it stood, and the flow ends.
pub(super) fn abandon(s: &mut State, line: &Line, kind: ErrorKind, t: &mut Turn) {
    s.pending = None;
    t.finish_blocked(s, line, CarrierError::new(line.carrier, kind), None);
}

/// Arrives at `target` and issues what that step needs first. Used after a
/// retry and after logging in again to continue a flow.
pub(super) fn enter(
    s: &mut State,
    line: &Line,
    target: Step,
    t: &mut Turn,
) -> Result<(), StepError> {
    s.pending = None;
    match target {
        Step::Login { .. } => s.step = Step::login(),
        Step::SelectPlan { .. } => plans::enter(s, line, t),
        Step::Submit { phase, .. } => submit::enter(s, line, phase, t)?,
        Step::Pay { .. } => pay::enter(s, line, t),
        Step::Await { .. } => order::enter(s, line, t),
        Step::Terminated { outcome } => s.step = Step::Terminated { outcome },
        Step::Blocked { .. } => {}
    }
    Ok(())
}
