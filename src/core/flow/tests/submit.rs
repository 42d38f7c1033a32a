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

/// The quote for the broadband plan on screen (no retention offer).
fn reviewing() -> Run {
    let mut run = Run::logged_in();
    let now = run.now;
    run.send(Event::ChoosePlan {
        plan_id: "P-BB300".into(),
    })
    .reply(Reply::Quoted(quote(9460, false, now)));
    run
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn choosing_today_is_recorded_with_the_quote_and_goes_on() {
    let mut run = reviewing();
    run.send(Event::ChooseDate {
        from: day(2026, 11, 25),
    });
    let [ReceiptEvent::DateChosen { option }] = run.receipts()[..] else {
        panic!("one DateChosen receipt, got {:?}", run.receipts());
    };
    assert_eq!(option.when, crate::core::date_cost::When::Today);
    assert_eq!(option.net, Fen(9460), "today is the carrier's quote");
    assert_eq!(run.state.facts.choice.date_chosen.as_ref(), Some(option));
    assert_eq!(waiting_until(&run.state, run.now), None);
    run.send(Event::EnterApplication(application()))
        .send(Event::Confirm);
    assert!(matches!(run.call(), CarrierRequest::Submit { .. }));
}

#[test]
fn choosing_a_later_date_keeps_the_case_at_review_until_it_comes() {
    let mut run = reviewing();
    run.send(Event::ChooseDate {
        from: day(2026, 12, 1),
    });
    let [ReceiptEvent::DateChosen { option }] = run.receipts()[..] else {
        panic!("one DateChosen receipt");
    };
    assert_eq!(option.when, crate::core::date_cost::When::NextCycle);
    assert_eq!(option.until, day(2026, 12, 31));
    assert_eq!(option.basis, crate::core::date_cost::Basis::Estimate);
    assert!(matches!(
        run.state.step,
        Step::Submit {
            phase: SubmitPhase::Review,
            ..
        }
    ));
    assert!(run.state.pending.is_none(), "nothing is sent");
    // Journalled: the choice survives a reload.
    let json = serde_json::to_string(&run.state).unwrap();
    let back: State = serde_json::from_str(&json).unwrap();
    assert_eq!(
        back.facts.choice.date_chosen,
        run.state.facts.choice.date_chosen
    );
    let refused = step(&run.state, Event::EnterApplication(application()), run.now);
    assert_eq!(
        refused.err(),
        Some(StepError::WaitingForDate(day(2026, 12, 1)))
    );
    assert_eq!(waiting_until(&run.state, run.now), Some(day(2026, 12, 1)));
    // Changing one's mind: today again opens the form.
    run.send(Event::ChooseDate {
        from: day(2026, 11, 25),
    })
    .send(Event::EnterApplication(application()));
    assert!(matches!(
        run.state.step,
        Step::Submit {
            phase: SubmitPhase::Confirming,
            ..
        }
    ));
}

#[test]
fn once_the_chosen_date_comes_the_form_opens() {
    let mut run = reviewing();
    run.send(Event::ChooseDate {
        from: day(2026, 12, 1),
    });
    // 1 December, 00:30 in Beijing.
    run.later(6 * 24 * 3600 - 90 * 60);
    assert_eq!(waiting_until(&run.state, run.now), None);
    assert!(step(&run.state, Event::EnterApplication(application()), run.now).is_ok());
}

#[test]
fn a_date_not_compared_is_refused() {
    let run = reviewing();
    let refused = step(
        &run.state,
        Event::ChooseDate {
            from: day(2026, 12, 2),
        },
        run.now,
    );
    assert_eq!(refused.err(), Some(StepError::NoSuchDate));
}
