//! Step 2, 选择套餐 (screen `ui/screens/select_plan.rs`): the account's plans;
//! choosing one asks for its quote.

use super::messages::{CarrierRequest, Event, Reply, StepError};
use super::shared::{Applied, Handled, Rules, Turn, block};
use super::state::{Line, State, Step, SubmitPhase};
use crate::core::error::CarrierError;

/// The SelectPlan step's rules.
pub(super) struct SelectPlan;

/// Arrives at the step (after logging in, a retry or a new login): the plans
/// are fetched again.
pub(super) fn enter(s: &mut State, line: &Line, t: &mut Turn) {
    s.step = Step::SelectPlan { problem: None };
    t.call(s, line, CarrierRequest::FetchPlans);
}

impl Rules for SelectPlan {
    fn on_intent(s: &mut State, line: &Line, event: Event, t: &mut Turn) -> Applied {
        match event {
            Event::ChoosePlan { plan_id } => {
                let choice = &mut s.facts.choice;
                let plan = choice
                    .account
                    .as_ref()
                    .and_then(|a| a.plans.iter().find(|p| p.id == plan_id))
                    .filter(|p| p.is_cancellable())
                    .cloned()
                    .ok_or(StepError::PlanNotChoosable)?;
                choice.plan = Some(plan);
                choice.quote = None;
                choice.retention_accepted = None;
                s.step = Step::Submit {
                    phase: SubmitPhase::Quoting,
                    problem: None,
                };
                t.call(s, line, CarrierRequest::FetchQuote { plan_id });
            }
            Event::Back => {
                s.pending = None;
                s.facts.choice.account = None;
                s.step = Step::login();
            }
            _ => return Ok(Handled::NotHere),
        }
        Ok(Handled::Done)
    }

    fn on_reply(s: &mut State, _line: &Line, reply: Reply, _t: &mut Turn) -> Handled {
        let Reply::Plans(account) = reply else {
            return Handled::NotHere;
        };
        s.facts.choice.account = Some(account);
        Handled::Done
    }

    fn on_failure(s: &mut State, _line: &Line, error: CarrierError, _t: &mut Turn) -> Handled {
        block(s, error, Some(Step::SelectPlan { problem: None }));
        Handled::Done
    }
}
