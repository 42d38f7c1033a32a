//! Step 4, and the whole way through: paying, declined, QR, garbled answers.

use super::*;

#[test]
fn card_payment_flow_reaches_terminated_on_confirmation() {
    let mut run = Run::at_confirm(20790, false);
    assert!(matches!(
        run.state.step,
        Step::Submit {
            phase: SubmitPhase::Confirming,
            ..
        }
    ));
    run.send(Event::Confirm);
    let idempotency_key = run.submit_key();
    assert!(
        run.receipts()
            .iter()
            .any(|r| matches!(r, ReceiptEvent::ApplicationSubmitted { .. }))
    );
    run.reply(Reply::Submitted(order(OrderState::AwaitingPayment)));
    assert!(matches!(run.state.step, Step::Pay { .. }));
    assert!(!matches!(
        step(&run.state, Event::Back, run.now).map(|t| t.state.step),
        Ok(Step::SelectPlan { .. })
    ));

    let card = validate::card_number("6222021234567890128").unwrap();
    run.send(Event::ChoosePayment {
        method: PayMethod::Card,
        card: Some(card),
    });
    assert!(matches!(
        run.call(),
        CarrierRequest::Pay {
            method: PayMethod::Card,
            card: Some(_),
            ..
        }
    ));
    let payment = Payment {
        id: "PAY-1".into(),
        method: PayMethod::Card,
        state: PaymentState::Paid,
        pay_url: None,
        card_last4: Some("0128".into()),
    };
    run.reply(Reply::Paid(payment));
    assert_eq!(run.state.facts.progress.paid, Some(Fen(20790)));
    assert!(
        run.state.facts.secrets.card.is_none(),
        "card dropped once paid"
    );
    assert!(matches!(run.state.step, Step::Await { .. }));
    assert!(
        matches!(run.call(), CarrierRequest::PollOrder { after, .. } if *after == Duration::ZERO)
    );

    follows_processing_to_terminated(&mut run);
    let _ = idempotency_key;
}

/// Processing, a notice, polled at the default pace, then the carrier's
/// confirmation: Terminated, with a receipt.
fn follows_processing_to_terminated(run: &mut Run) {
    run.reply(Reply::OrderStatus(order(OrderState::Processing)));
    assert!(matches!(
        run.call(),
        CarrierRequest::FetchNotices { since: None, .. }
    ));
    let notice = Notice {
        id: "1".into(),
        sent_at: beijing(run.now),
        text: "已受理".into(),
    };
    run.reply(Reply::Notices(vec![notice.clone()]));
    assert_eq!(run.state.facts.progress.notices, vec![notice]);
    assert!(
        matches!(run.call(), CarrierRequest::PollOrder { after, .. } if *after == DEFAULT_POLL)
    );
    run.later(2)
        .reply(Reply::OrderStatus(order(OrderState::Completed)));
    assert_eq!(
        run.state.step,
        Step::Terminated {
            outcome: Outcome::Cancelled
        }
    );
    assert!(run.receipts().iter().any(|r| matches!(
        r,
        ReceiptEvent::Finished {
            outcome: Some(Outcome::Cancelled),
            ..
        }
    )));
}

#[test]
fn zero_total_skips_pay() {
    let mut run = Run::at_confirm(0, false);
    run.send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::Processing)));
    assert!(matches!(run.state.step, Step::Await { .. }));
    assert_eq!(run.state.facts.progress.paid, Some(Fen::ZERO));
}

#[test]
fn a_garbled_answer_to_submit_or_pay_keeps_the_order_reachable() {
    // The carrier may have acted before garbling its reply: the same request
    // under the same key is the way on, never a dead end.
    let garbled = || {
        Reply::Failed(CarrierError::new(
            CarrierId::ChinaMobile,
            ErrorKind::Protocol {
                call: "POST /cancel/orders".into(),
                detail: "bad JSON".into(),
            },
        ))
    };
    let mut run = Run::at_confirm(20790, false);
    run.send(Event::Confirm);
    let first = run.submit_key();
    run.reply(garbled());
    assert!(matches!(
        &run.state.step,
        Step::Blocked { retry: Some(_), .. }
    ));
    assert!(run.state.order_in_flight());
    run.send(Event::Retry);
    let again = run.submit_key();
    assert_eq!(first, again);

    run.reply(Reply::Submitted(order(OrderState::AwaitingPayment)));
    let card = validate::card_number("6222021234567890128").unwrap();
    run.send(Event::ChoosePayment {
        method: PayMethod::Card,
        card: Some(card),
    })
    .reply(garbled());
    assert!(matches!(
        &run.state.step,
        Step::Blocked { retry: Some(_), .. }
    ));
    // Retrying re-checks the order instead of paying blindly again.
    run.send(Event::Retry);
    assert!(matches!(run.call(), CarrierRequest::PollOrder { .. }));
}

#[test]
fn declined_card_stays_on_pay_and_another_method_gets_its_own_key() {
    let mut run = Run::at_confirm(20790, false);
    run.send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::AwaitingPayment)));
    let card = validate::card_number("6217000000000000004").unwrap();
    run.send(Event::ChoosePayment {
        method: PayMethod::Card,
        card: Some(card),
    });
    let card_key = run.pay_key();
    run.reply(Reply::Failed(CarrierError::new(
        CarrierId::ChinaMobile,
        ErrorKind::PaymentDeclined,
    )));
    assert!(matches!(
        run.state.step,
        Step::Pay {
            problem: Some(ErrorKind::PaymentDeclined)
        }
    ));
    run.send(Event::ChoosePayment {
        method: PayMethod::Alipay,
        card: None,
    });
    let qr_key = run.pay_key();
    assert_ne!(card_key, qr_key);
}

#[test]
fn pending_qr_payment_is_watched_until_paid() {
    let mut run = Run::at_confirm(15970, false);
    run.send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::AwaitingPayment)));
    run.send(Event::ChoosePayment {
        method: PayMethod::Alipay,
        card: None,
    });
    run.reply(Reply::Paid(Payment {
        id: "PAY-QR".into(),
        method: PayMethod::Alipay,
        state: PaymentState::Pending,
        pay_url: Some("https://qr.example/PAY-QR".into()),
        card_last4: None,
    }));
    assert!(matches!(run.state.step, Step::Pay { .. }));
    assert!(matches!(run.call(), CarrierRequest::PollOrder { .. }));
    run.reply(Reply::OrderStatus(order(OrderState::AwaitingPayment)));
    assert!(
        matches!(run.call(), CarrierRequest::PollOrder { .. }),
        "keeps watching"
    );
    run.reply(Reply::OrderStatus(order(OrderState::Processing)));
    assert!(matches!(run.state.step, Step::Await { .. }));
    assert_eq!(run.state.facts.progress.paid, Some(Fen(15970)));
}
