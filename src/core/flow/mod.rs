//! The wizard as a pure state machine: `step(state, event, now)` decides, the
//! shell does.
//!
//! Six steps — login, select plan, submit, pay, await confirmation,
//! terminated — plus `Blocked`, a state (never a crash) for every failure that
//! needs the person or the carrier to act. Events are the person's intents
//! (`ChoosePlan`, `Confirm`…) and the replies to carrier calls (`Reply`);
//! effects are what the shell must do: carrier calls (`Effect::Call`) and
//! local effects (`PersistJournal`, `WriteReceipt`).
//!
//! One file per step, beside its screen: `login`, `plans`, `submit`,
//! `pay`, `order` (await confirmation), `done`, and `recovery`
//! (Blocked, resume, retry, an expired session). Each holds that step's
//! intents, replies and failures; this file only routes an event to the step
//! the state is in. The journal schema is in `state`, the contract with the
//! shell in `messages`.
//!
//! Rules this module guarantees, and the property tests check:
//! - one carrier call in flight at a time; a reply to any other request is
//!   stale and changes nothing;
//! - going back is possible until a submit might have reached the carrier;
//!   after that the order only moves forward, is resubmitted under the same
//!   idempotency key, or is abandoned with a receipt;
//! - idempotency keys are derived from the request itself, so the same request
//!   is always sent under the same key;
//! - `Terminated` is reached only on the carrier's confirmation of our order;
//! - the serialisable state never holds a secret.

use chrono::{DateTime, Utc};

use crate::core::error::ErrorKind;

mod done;
pub mod guided;
mod login;
mod messages;
mod migrate;
mod order;
mod pay;
mod plans;
mod recovery;
mod shared;
mod state;
mod submit;

pub use login::CODE_COOLDOWN_SECS;
pub use messages::{Call, CarrierRequest, Effect, Event, Reply, StepError, Transition};
pub use migrate::{MigrationError, migrate};
pub use shared::DEFAULT_POLL;
pub use state::{
    CallKind, Choice, Facts, Line, Mode, Pending, Progress, RequestId, STATE_VERSION, Secrets,
    SentRequest, State, Step, StepName, SubmitPhase,
};
pub use submit::{date_verdict, quote_today, waiting_until};

use shared::{Applied, Handled, Rules, Turn};

/// Applies one event. On success the new state always ends with
/// `PersistJournal`, so the journal follows every transition; on error the
/// caller keeps the old state.
pub fn step(state: &State, event: Event, now: DateTime<Utc>) -> Result<Transition, StepError> {
    let mut next = state.clone();
    match &event {
        Event::Reply(req, _) => {
            match state.pending {
                Some(p) if p.req == *req => {}
                _ => return Err(StepError::Stale(*req)),
            }
            next.pending = None;
        }
        intent if state.pending.is_some() && !leaves_call(state, intent) => {
            return Err(StepError::Busy);
        }
        _ => {}
    }
    let label = event.label();
    let mut turn = Turn {
        now,
        effects: Vec::new(),
    };
    if route(&mut next, event, &mut turn)? == Handled::NotHere {
        return Err(StepError::NotNow {
            event: label,
            step: state.step_label(),
        });
    }
    if let Some(name) = next.step.name() {
        next.last_step = name;
    }
    next.updated_at = now;
    turn.effects.push(Effect::PersistJournal);
    Ok(Transition {
        state: next,
        effects: turn.effects,
    })
}

/// Person intents wait for the call in flight, except those that leave it
/// behind (its reply then becomes stale). Choosing another way to pay leaves
/// the wait for a QR payment.
fn leaves_call(state: &State, intent: &Event) -> bool {
    let leaves_poll = matches!(intent, Event::ChoosePayment { .. })
        && state.pending.is_some_and(|p| p.kind == CallKind::PollOrder);
    leaves_poll
        || matches!(
            intent,
            Event::Back | Event::Abandon | Event::Resubmit | Event::Resume
        )
}

/// Sends the event to the step the state is in. Resuming and an expired
/// session apply to every step alike.
fn route(s: &mut State, event: Event, t: &mut Turn) -> Applied {
    if let Event::ChooseMode(mode) = event {
        return choose_mode(s, mode);
    }
    if s.mode == Mode::Guided {
        return guided::route(s, event, t);
    }
    match event {
        Event::Resume => Ok(recovery::resume(s)),
        Event::Reply(_, Reply::Failed(error)) if error.kind == ErrorKind::SessionExpired => {
            Ok(recovery::log_in_again(s, error.kind))
        }
        Event::RequestCode { msisdn, carrier } if matches!(s.step, Step::Login { .. }) => {
            login::request_code(s, Line { carrier, msisdn }, t)
        }
        // Until the person gave a number there is no line, and nothing else
        // applies; from then on every step has one.
        event => match s.facts.line.clone() {
            None => Ok(Handled::NotHere),
            Some(line) => by_step(s, &line, event, t),
        },
    }
}

/// The mode is chosen before a number is given, and kept with the case.
fn choose_mode(s: &mut State, mode: Mode) -> Applied {
    if !matches!(s.step, Step::Login { .. }) || s.facts.line.is_some() {
        return Err(StepError::ModeFixed);
    }
    s.mode = mode;
    Ok(Handled::Done)
}

fn by_step(s: &mut State, line: &Line, event: Event, t: &mut Turn) -> Applied {
    match s.step {
        Step::Login { .. } => dispatch::<login::Login>(s, line, event, t),
        Step::SelectPlan { .. } => dispatch::<plans::SelectPlan>(s, line, event, t),
        Step::Submit { .. } => dispatch::<submit::Submit>(s, line, event, t),
        Step::Pay { .. } => dispatch::<pay::Pay>(s, line, event, t),
        Step::Await { .. } => dispatch::<order::Await>(s, line, event, t),
        Step::Terminated { .. } => dispatch::<done::Terminated>(s, line, event, t),
        Step::Blocked { .. } => dispatch::<recovery::Blocked>(s, line, event, t),
    }
}

/// Hands the event to the step's rules by its kind: intent, reply, failure.
fn dispatch<R: Rules>(s: &mut State, line: &Line, event: Event, t: &mut Turn) -> Applied {
    match event {
        Event::Reply(_, Reply::Failed(error)) => Ok(R::on_failure(s, line, error, t)),
        Event::Reply(_, reply) => Ok(R::on_reply(s, line, reply, t)),
        intent => R::on_intent(s, line, intent, t),
    }
}

#[cfg(test)]
mod tests;
