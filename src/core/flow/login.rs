//! Step 1, 登录 (screen `ui/screens/login.rs`): the number and its carrier,
//! the SMS code, the login. Logging in again after a resume or an expired
//! session continues where the flow stood.

use super::messages::{CarrierRequest, Event, Reply, StepError};
use super::shared::{Applied, Handled, Rules, Turn, block};
use super::state::{Line, State, Step};
use super::{plans, recovery};
use crate::core::error::{CarrierError, ErrorKind};

/// How long after one SMS code the next may be requested.
pub const CODE_COOLDOWN_SECS: i64 = 60;

/// The Login step's rules.
pub(super) struct Login;

/// Asking for a code names the line every later call goes to: the one event
/// that needs no line yet.
pub(super) fn request_code(s: &mut State, asked: Line, t: &mut Turn) -> Applied {
    let Step::Login {
        code_sent_at, then, ..
    } = s.step.clone()
    else {
        return Ok(Handled::NotHere);
    };
    let same_number = s.facts.line.as_ref() == Some(&asked);
    // The last code of this line counts even when it was sent (and used)
    // before a resume: the carrier's 60 s hold does not end with the process.
    let last_sent = code_sent_at.max(s.facts.code_sent_at);
    if let (true, Some(sent)) = (same_number, last_sent) {
        // A code "sent" after now is another clock's time (a sandbox whose
        // simulated clock restarted): it cannot hold this one back.
        let elapsed = (t.now - sent).num_seconds();
        let wait = CODE_COOLDOWN_SECS - elapsed;
        if elapsed >= 0 && wait > 0 {
            return Err(StepError::CodeCooldown(wait));
        }
    }
    // A resumed flow belongs to one number at one carrier.
    if then.is_some() && !same_number {
        return Ok(Handled::NotHere);
    }
    s.step = Step::Login {
        code_sent_at,
        problem: None,
        then,
    };
    let msisdn = asked.msisdn.clone();
    t.call(s, &asked, CarrierRequest::RequestCode { msisdn });
    s.facts.line = Some(asked);
    Ok(Handled::Done)
}

impl Rules for Login {
    fn on_intent(s: &mut State, line: &Line, event: Event, t: &mut Turn) -> Applied {
        match event {
            Event::Login { code, password } => {
                let msisdn = line.msisdn.clone();
                t.call(
                    s,
                    line,
                    CarrierRequest::Login {
                        msisdn,
                        code,
                        password,
                    },
                );
            }
            Event::Back
                if matches!(s.step, Step::Login { then: None, .. }) && s.pending.is_some() =>
            {
                // Stop waiting for a code or login answer; the number can be changed.
                s.pending = None;
            }
            _ => return Ok(Handled::NotHere),
        }
        Ok(Handled::Done)
    }

    fn on_reply(s: &mut State, line: &Line, reply: Reply, t: &mut Turn) -> Handled {
        let Step::Login { then, .. } = s.step.clone() else {
            return Handled::NotHere;
        };
        match (reply, then) {
            (Reply::CodeSent, then) => {
                s.facts.code_sent_at = Some(t.now);
                s.step = Step::Login {
                    code_sent_at: Some(t.now),
                    problem: None,
                    then,
                };
            }
            (Reply::LoggedIn, Some(target)) => {
                if recovery::enter(s, line, *target, t).is_err() {
                    return Handled::NotHere;
                }
            }
            (Reply::LoggedIn, None) => plans::enter(s, line, t),
            _ => return Handled::NotHere,
        }
        Handled::Done
    }

    fn on_failure(s: &mut State, _line: &Line, error: CarrierError, t: &mut Turn) -> Handled {
        let Step::Login {
            code_sent_at, then, ..
        } = s.step.clone()
        else {
            return Handled::NotHere;
        };
        let kind = error.kind.clone();
        if kind == ErrorKind::CodeTooOften {
            hold_codes(s, t);
        }
        // A refused code, or a lost or garbled answer: say so and let the
        // person try again.
        if matches!(kind, ErrorKind::WrongCredentials | ErrorKind::CodeTooOften)
            || kind.outcome_unknown()
        {
            s.step = Step::Login {
                code_sent_at,
                problem: Some(kind),
                then,
            };
        } else {
            block(s, error, None);
        }
        Handled::Done
    }
}

/// The carrier refuses a code as too frequent although none is known to have
/// been sent in the last minute (clocks differ, or it was sent before a
/// crash): count the minute from now, so the countdown shows.
fn hold_codes(s: &mut State, t: &Turn) {
    let held = s
        .facts
        .code_sent_at
        .is_some_and(|at| (t.now - at).num_seconds() < CODE_COOLDOWN_SECS);
    if !held {
        s.facts.code_sent_at = Some(t.now);
    }
}
