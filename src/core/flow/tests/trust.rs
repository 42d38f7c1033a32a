//! Issue 13: money and proof against a hostile carrier — the amount asked
//! after confirming, a QR payment's final state, declined attempts, resuming
//! a paid order, the code window across a resume, a plan change's records.

use super::*;

/// Chooses a QR method; the carrier answers with a code to scan.
fn show_qr(run: &mut Run, method: PayMethod, id: &str) {
    run.send(Event::ChoosePayment { method, card: None })
        .reply(Reply::Paid(qr_pending(method, id)));
}

fn qr_pending(method: PayMethod, id: &str) -> Payment {
    Payment {
        id: id.into(),
        method,
        state: PaymentState::Pending,
        pay_url: Some(format!("https://qr.example/{id}")),
        card_last4: None,
    }
}

/// Confirmed at `total`; the carrier's order asks `asked`.
fn at_pay_asking(total: i64, asked: i64) -> Run {
    let mut run = Run::at_confirm(total, false);
    let mut created = order(OrderState::AwaitingPayment);
    created.amount_due = Some(Fen(asked));
    run.send(Event::Confirm).reply(Reply::Submitted(created));
    run
}

/// Confirmed at `total`; the order asks it, awaiting payment.
fn at_pay(total: i64) -> Run {
    let mut run = Run::at_confirm(total, false);
    run.send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::AwaitingPayment)));
    run
}

/// Pays from the balance; the carrier says paid.
fn pay_by_balance(run: &mut Run) {
    run.send(Event::ChoosePayment {
        method: PayMethod::Balance,
        card: None,
    })
    .reply(Reply::Paid(Payment {
        id: "PAY-B".into(),
        method: PayMethod::Balance,
        state: PaymentState::Paid,
        pay_url: None,
        card_last4: None,
    }));
}

fn payments(run: &Run) -> Vec<(Payment, Fen)> {
    run.receipts()
        .into_iter()
        .filter_map(|r| match r {
            ReceiptEvent::Payment { payment, amount } => Some((payment.clone(), *amount)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_qr_payment_is_recorded_paid_when_the_order_moves_past_payment() {
    let mut run = at_pay(15970);
    show_qr(&mut run, PayMethod::Alipay, "PAY-QR");
    assert_eq!(payments(&run)[0].0.state, PaymentState::Pending);
    run.reply(Reply::OrderStatus(order(OrderState::Processing)));
    let confirmed = payments(&run);
    assert_eq!(confirmed.len(), 1, "one receipt of the payment now paid");
    assert_eq!(confirmed[0].0.id, "PAY-QR", "same id: counted once");
    assert_eq!(confirmed[0].0.state, PaymentState::Paid);
    assert_eq!(confirmed[0].1, Fen(15970));
    assert_eq!(
        run.state.facts.progress.payment.as_ref().map(|p| p.state),
        Some(PaymentState::Paid)
    );
    // Completed later: no second record of the same payment.
    run.reply(Reply::Notices(Vec::new()))
        .reply(Reply::OrderStatus(order(OrderState::Completed)));
    assert!(payments(&run).is_empty());
}

#[test]
fn a_qr_payment_confirmed_by_completion_is_recorded_paid() {
    let mut run = at_pay(15970);
    show_qr(&mut run, PayMethod::WeChat, "PAY-WX");
    run.reply(Reply::OrderStatus(order(OrderState::Completed)));
    let confirmed = payments(&run);
    assert_eq!(confirmed.len(), 1);
    assert_eq!(confirmed[0].0.state, PaymentState::Paid);
    assert!(matches!(run.state.step, Step::Terminated { .. }));
}

#[test]
fn a_changed_amount_stops_before_any_payment() {
    let run = at_pay_asking(20790, 9_999_900);
    let changed = ErrorKind::AmountChanged {
        asked: Fen(9_999_900),
        confirmed: Fen(20790),
    };
    assert_eq!(
        run.state.step,
        Step::Pay {
            problem: Some(changed.clone())
        }
    );
    for method in [PayMethod::Balance, PayMethod::Alipay] {
        let choose = Event::ChoosePayment { method, card: None };
        assert!(
            step(&run.state, choose, run.now).is_err(),
            "{method:?} refused while the amount is unconfirmed"
        );
    }
    // Confirming the new amount needs a fresh quote that shows it.
    assert!(step(&run.state, Event::Confirm, run.now).is_err());
    // Stopping keeps both amounts on record.
    let stopped = step(&run.state, Event::Abandon, run.now).unwrap();
    assert!(stopped.effects.iter().any(|e| matches!(
        e,
        Effect::WriteReceipt(r) if r.event == ReceiptEvent::Finished {
            outcome: None,
            error: Some(changed.clone()),
        }
    )));
}

#[test]
fn a_changed_amount_is_paid_only_after_a_fresh_quote_is_confirmed() {
    let mut run = at_pay_asking(20790, 9_999_900);
    run.send(Event::Retry);
    assert!(matches!(run.call(), CarrierRequest::FetchQuote { .. }));
    let now = run.now;
    run.reply(Reply::Quoted(quote(9_999_900, false, now)));
    assert!(
        run.receipts()
            .iter()
            .any(|r| matches!(r, ReceiptEvent::QuoteShown { .. })),
        "the fresh quote as shown is recorded"
    );
    assert!(matches!(
        run.state.step,
        Step::Pay {
            problem: Some(ErrorKind::AmountChanged { .. })
        }
    ));
    run.send(Event::Confirm);
    assert_eq!(run.state.step, Step::Pay { problem: None });
    pay_by_balance(&mut run);
    assert_eq!(payments(&run)[0].1, Fen(9_999_900), "the amount asked");
    assert_eq!(run.state.facts.progress.paid, Some(Fen(9_999_900)));
}

#[test]
fn a_payment_receipt_records_the_amount_the_order_asks() {
    // The carrier asks what was confirmed, in its own words: the receipt
    // keeps the order's amount.
    let mut run = at_pay_asking(20790, 20790);
    assert_eq!(run.state.step, Step::Pay { problem: None });
    pay_by_balance(&mut run);
    assert_eq!(payments(&run)[0].1, Fen(20790));
}

#[test]
fn a_refund_quote_with_nothing_due_is_not_a_changed_amount() {
    let run = at_pay_asking(-1000, 0);
    assert_eq!(run.state.step, Step::Pay { problem: None });
}

#[test]
fn a_declined_card_leaves_a_masked_receipt() {
    let mut run = at_pay(20790);
    let card = validate::card_number("6217000000000000004").unwrap();
    run.send(Event::ChoosePayment {
        method: PayMethod::Card,
        card: Some(card),
    })
    .reply(Reply::Failed(CarrierError::new(
        CarrierId::ChinaMobile,
        ErrorKind::PaymentDeclined,
    )));
    let declined = payments(&run);
    assert_eq!(declined.len(), 1, "the refusal is on record");
    let (payment, amount) = &declined[0];
    assert_eq!(payment.state, PaymentState::Declined);
    assert_eq!(payment.method, PayMethod::Card);
    assert_eq!(payment.card_last4.as_deref(), Some("0004"));
    assert_eq!(*amount, Fen(20790));
    let written = format!("{:?}", run.receipts());
    assert!(!written.contains("6217000000000000004"), "{written}");
}

#[test]
fn resuming_a_paid_order_goes_straight_to_await() {
    let mut run = at_pay(20790);
    pay_by_balance(&mut run);
    // A journal written as if still paying (a crash between the receipt and
    // the journal, or a session that expired there).
    run.state.step = Step::Pay { problem: None };
    run.state.pending = None;
    run.send(Event::Resume).later(120).log_in();
    assert!(matches!(run.state.step, Step::Await { .. }));
    assert!(matches!(run.call(), CarrierRequest::PollOrder { .. }));
}

#[test]
fn resuming_with_a_qr_code_shown_rechecks_without_showing_it() {
    let mut run = at_pay(15970);
    show_qr(&mut run, PayMethod::Alipay, "PAY-QR");
    run.send(Event::Resume).later(120).log_in();
    assert!(matches!(run.state.step, Step::Await { .. }));
    // Still unpaid: back to the QR code.
    run.reply(Reply::OrderStatus(order(OrderState::AwaitingPayment)));
    assert!(matches!(run.state.step, Step::Pay { .. }));
}

#[test]
fn resuming_within_the_code_window_counts_down_and_offers_no_old_code() {
    let mut run = at_pay(20790);
    let sent = run.state.facts.code_sent_at;
    assert_eq!(sent, Some(t0()), "the code's time is kept past Login");
    run.later(20).send(Event::Resume);
    assert!(
        matches!(
            run.state.step,
            Step::Login {
                code_sent_at: None,
                ..
            }
        ),
        "no code of this session: the used one is spent"
    );
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    let ask = Event::RequestCode { msisdn, carrier };
    assert_eq!(
        step(&run.state, ask.clone(), run.now),
        Err(StepError::CodeCooldown(40))
    );
    run.later(41).send(ask);
    assert!(matches!(run.call(), CarrierRequest::RequestCode { .. }));
}

#[test]
fn a_carrier_saying_too_often_starts_a_countdown() {
    let mut run = Run::new();
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    run.send(Event::RequestCode { msisdn, carrier })
        .reply(Reply::Failed(CarrierError::new(
            CarrierId::ChinaMobile,
            ErrorKind::CodeTooOften,
        )));
    assert_eq!(run.state.facts.code_sent_at, Some(t0()));
}

#[test]
fn the_form_is_kept_to_fill_in_again_on_resume() {
    let mut run = Run::at_confirm(20790, false);
    run.send(Event::Confirm);
    let journal = serde_json::to_string(&run.state).unwrap();
    let kept: State = serde_json::from_str(&journal).unwrap();
    assert_eq!(
        kept.facts.contact.as_ref().map(|c| c.as_str()),
        Some("13800138000")
    );
    assert!(kept.facts.application.is_some());
    assert!(
        !journal.contains("110101199003071233"),
        "the ID stays out of the journal"
    );
}

#[test]
fn a_taken_offer_is_submitted_as_a_plan_change() {
    let mut run = Run::offer_taken();
    let submitted = run
        .receipts()
        .into_iter()
        .find_map(|r| match r {
            ReceiptEvent::ApplicationSubmitted { plan_change, .. } => Some(plan_change.clone()),
            _ => None,
        })
        .expect("submitted");
    assert_eq!(submitted.map(|o| o.monthly_fee), Some(Fen(6450)));
    // Nothing is due for a plan change: an order asking nothing is no change.
    let mut created = order(OrderState::Processing);
    created.amount_due = Some(Fen::ZERO);
    run.reply(Reply::Submitted(created));
    assert!(matches!(run.state.step, Step::Await { .. }));
    assert_eq!(run.state.facts.progress.paid, Some(Fen::ZERO));
}

#[test]
fn a_cancellation_is_not_submitted_as_a_plan_change() {
    let mut run = Run::at_confirm(20790, true);
    run.send(Event::Confirm);
    assert!(run.receipts().iter().any(|r| matches!(
        r,
        ReceiptEvent::ApplicationSubmitted {
            plan_change: None,
            ..
        }
    )));
}

#[test]
fn a_code_time_from_another_clock_holds_nothing_back() {
    // A sandbox's simulated clock restarts with each process: the journalled
    // time may lie after the new process's now.
    let mut run = at_pay(20790);
    run.state.facts.code_sent_at = Some(t0() + Span::seconds(30));
    run.send(Event::Resume);
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    run.send(Event::RequestCode { msisdn, carrier });
    assert!(matches!(run.call(), CarrierRequest::RequestCode { .. }));
}

fn withheld() -> Reply {
    Reply::Failed(CarrierError::new(
        CarrierId::ChinaMobile,
        ErrorKind::StorageUnavailable {
            path: "/data/journal".into(),
            detail: "No space left on device".into(),
        },
    ))
}

#[test]
fn a_submit_withheld_for_want_of_storage_can_be_confirmed_again() {
    let mut run = Run::at_confirm(20790, false);
    run.send(Event::Confirm).reply(withheld());
    assert!(!run.state.order_in_flight(), "nothing reached the carrier");
    assert!(!run.state.is_finished(), "the flow waits for free space");
    // Back to the form with the same quote, to be confirmed again.
    run.send(Event::Retry);
    assert!(matches!(
        run.state.step,
        Step::Submit {
            phase: SubmitPhase::Review,
            ..
        }
    ));
}

#[test]
fn a_payment_withheld_for_want_of_storage_is_not_in_doubt() {
    let mut run = at_pay(20790);
    run.send(Event::ChoosePayment {
        method: PayMethod::Balance,
        card: None,
    })
    .reply(withheld());
    assert!(
        run.state
            .facts
            .progress
            .pay
            .as_ref()
            .is_none_or(|p| !p.outcome_unknown),
        "a withheld payment is known not to have been made"
    );
    assert!(!run.state.is_finished());
    run.send(Event::Retry);
    assert!(matches!(run.state.step, Step::Pay { .. }));
    assert_eq!(run.state.facts.progress.paid, None);
}
