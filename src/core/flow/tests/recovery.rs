//! Across steps: an expired session, resuming, what the journal keeps.

use super::*;

#[test]
fn expired_session_logs_in_again_and_continues() {
    let mut run = Run::at_confirm(20790, false);
    run.send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::AwaitingPayment)));
    run.send(Event::ChoosePayment {
        method: PayMethod::Balance,
        card: None,
    });
    run.reply(Reply::Failed(CarrierError::new(
        CarrierId::ChinaMobile,
        ErrorKind::SessionExpired,
    )));
    assert!(matches!(&run.state.step, Step::Login { then: Some(_), .. }));
    // A new code once the minute since the last one is over.
    run.later(60).log_in();
    // Re-check the order rather than paying again blindly.
    assert!(matches!(run.state.step, Step::Pay { .. }));
    assert!(matches!(run.call(), CarrierRequest::PollOrder { .. }));
}

#[test]
fn a_resumed_flow_stays_with_its_number() {
    let mut run = Run::at_confirm(20790, false);
    run.send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::AwaitingPayment)));
    run.send(Event::Resume);
    let (other, carrier) = validate::phone("13800138001").unwrap();
    assert!(
        step(
            &run.state,
            Event::RequestCode {
                msisdn: other,
                carrier
            },
            run.now
        )
        .is_err()
    );
}

#[test]
fn resume_drops_the_call_that_was_in_flight() {
    // Killed while polling: the journal says a poll is pending, but the
    // process that sent it is gone. Resuming must not wait for it.
    let mut run = Run::at_confirm(0, false);
    run.send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::Processing)));
    assert!(run.state.pending.is_some());
    let journalled: State =
        serde_json::from_str(&serde_json::to_string(&run.state).unwrap()).unwrap();
    let t = step(&journalled, Event::Resume, run.now).unwrap();
    assert!(t.state.pending.is_none());
    assert!(
        matches!(&t.state.step, Step::Login { then: Some(then), .. } if matches!(**then, Step::Await { .. }))
    );
    // Killed during login: resuming clears that too and keeps the continuation.
    let mut run = Run::at_confirm(0, false);
    run.send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::Processing)))
        .send(Event::Resume)
        .later(60);
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    run.send(Event::RequestCode { msisdn, carrier });
    let t = step(&run.state, Event::Resume, run.now).unwrap();
    assert!(t.state.pending.is_none());
    assert!(matches!(&t.state.step, Step::Login { then: Some(_), .. }));
}

#[test]
fn journal_form_drops_secrets() {
    let mut run = Run::at_confirm(20790, false);
    run.send(Event::Confirm);
    let json = serde_json::to_string(&run.state).unwrap();
    assert!(!json.contains("110101199003071233"));
    assert!(json.contains("110***********1233"));
    let back: State = serde_json::from_str(&json).unwrap();
    assert_eq!(back, run.state.without_secrets());
}
