//! Step 3: the quote, the retention offer, the form and sending it.

use super::*;

#[test]
fn retention_must_be_answered_and_declining_is_one_event() {
    let mut run = Run::logged_in();
    let now = run.now;
    run.send(Event::ChoosePlan {
        plan_id: "P-BB300".into(),
    })
    .reply(Reply::Quoted(quote(9460, true, now)));
    let refused = step(&run.state, Event::EnterApplication(application()), run.now);
    assert_eq!(refused.err(), Some(StepError::RetentionUnanswered));
    run.send(Event::AnswerRetention { accept: false });
    assert!(matches!(
        run.receipts()[0],
        ReceiptEvent::RetentionAnswered {
            accepted: false,
            ..
        }
    ));
    run.send(Event::EnterApplication(application()))
        .send(Event::Confirm);
    assert!(matches!(
        run.call(),
        CarrierRequest::Submit {
            accept_retention: false,
            ..
        }
    ));
}

#[test]
fn accepting_retention_ends_as_retention_accepted() {
    let mut run = Run::offer_taken();
    assert!(matches!(
        run.call(),
        CarrierRequest::Submit {
            accept_retention: true,
            ..
        }
    ));
    run.reply(Reply::Submitted(order(OrderState::Processing)))
        .reply(Reply::OrderStatus(order(OrderState::Completed)));
    assert_eq!(
        run.state.step,
        Step::Terminated {
            outcome: Outcome::RetentionAccepted
        }
    );
}

#[test]
fn expired_quote_is_refetched_not_sent() {
    let mut run = Run::at_confirm(20790, false);
    run.later(16 * 60).send(Event::Confirm);
    assert!(matches!(run.call(), CarrierRequest::FetchQuote { .. }));
    assert!(matches!(
        run.state.step,
        Step::Submit {
            phase: SubmitPhase::Quoting,
            problem: Some(ErrorKind::QuoteExpired)
        }
    ));
}

#[test]
fn unknown_submit_outcome_allows_only_the_same_request() {
    let mut run = Run::at_confirm(20790, false);
    run.send(Event::Confirm);
    let first = run.submit_key();
    run.reply(Reply::Failed(CarrierError::new(
        CarrierId::ChinaMobile,
        ErrorKind::NetworkUnreachable {
            detail: "reset".into(),
        },
    )));
    assert!(run.state.order_in_flight());
    assert!(
        step(&run.state, Event::Back, run.now).is_err(),
        "no going back once an order may exist"
    );
    run.send(Event::Retry);
    let again = run.submit_key();
    assert_eq!(first, again);
}

#[test]
fn identity_mismatch_returns_to_the_form() {
    let mut run = Run::at_confirm(20790, false);
    run.send(Event::Confirm)
        .reply(Reply::Failed(CarrierError::new(
            CarrierId::ChinaMobile,
            ErrorKind::IdentityMismatch,
        )));
    assert!(matches!(
        run.state.step,
        Step::Submit {
            phase: SubmitPhase::Review,
            problem: Some(ErrorKind::IdentityMismatch)
        }
    ));
    assert!(!run.state.order_in_flight());
}
