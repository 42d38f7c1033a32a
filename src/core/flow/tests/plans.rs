//! Step 2: choosing a plan; one call at a time; stale replies.

use super::*;

#[test]
fn blocked_plans_cannot_be_chosen() {
    let run = Run::logged_in();
    let refused = step(
        &run.state,
        Event::ChoosePlan {
            plan_id: "P-OLD".into(),
        },
        run.now,
    );
    assert_eq!(refused.err(), Some(StepError::PlanNotChoosable));
    let refused = step(
        &run.state,
        Event::ChoosePlan {
            plan_id: "nope".into(),
        },
        run.now,
    );
    assert_eq!(refused.err(), Some(StepError::PlanNotChoosable));
}

#[test]
fn stale_replies_are_dropped() {
    let mut run = Run::logged_in();
    run.send(Event::ChoosePlan {
        plan_id: "P-BB300".into(),
    });
    let old = run.state.pending.unwrap().req;
    run.send(Event::Back);
    assert!(matches!(run.state.step, Step::SelectPlan { .. }));
    let late = step(
        &run.state,
        Event::Reply(old, Reply::Quoted(quote(1, false, run.now))),
        run.now,
    );
    assert_eq!(late.err(), Some(StepError::Stale(old)));
}

#[test]
fn busy_while_a_call_is_in_flight() {
    let mut run = Run::logged_in();
    run.send(Event::ChoosePlan {
        plan_id: "P-BB300".into(),
    });
    assert_eq!(
        step(&run.state, Event::Confirm, run.now).err(),
        Some(StepError::Busy)
    );
}
