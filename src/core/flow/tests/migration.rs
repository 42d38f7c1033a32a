//! Journals of version 1 (the fixtures, written by the release before the
//! facts were grouped) still load, equal the state the same flow reaches
//! today, and resume as they did. A newer journal is still refused.

use serde_json::Value;

use super::*;

/// The fixture files, by script name: the journal, and the journal after
/// `Resume`, both as the version-1 wizard wrote them.
fn fixture(name: &str) -> (Value, Value) {
    let (journal, resumed) = match name {
        "pay" => (
            include_str!("../fixtures/v1_pay.json"),
            include_str!("../fixtures/v1_pay_resumed.json"),
        ),
        "await" => (
            include_str!("../fixtures/v1_await.json"),
            include_str!("../fixtures/v1_await_resumed.json"),
        ),
        "blocked" => (
            include_str!("../fixtures/v1_blocked.json"),
            include_str!("../fixtures/v1_blocked_resumed.json"),
        ),
        "relogin" => (
            include_str!("../fixtures/v1_relogin.json"),
            include_str!("../fixtures/v1_relogin_resumed.json"),
        ),
        other => panic!("no fixture {other}"),
    };
    let parse = |text: &str| -> Value { serde_json::from_str(text).unwrap() };
    (parse(journal), parse(resumed))
}

/// The flows whose journals the migration test reloads: each stops where a
/// person could close the wizard and come back.
fn v1_scripts() -> Vec<(&'static str, Run)> {
    let card = || validate::card_number("6222021234567890128").unwrap();
    // Pay: a card payment sent, its answer not yet in.
    let mut pay = Run::at_confirm(20790, false);
    pay.send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::AwaitingPayment)))
        .send(Event::ChoosePayment {
            method: PayMethod::Card,
            card: Some(card()),
        });
    // Await: retention declined, paid, processing, a notice received, polling.
    let mut wait = Run::logged_in();
    let now = wait.now;
    wait.send(Event::ChoosePlan {
        plan_id: "P-BB300".into(),
    })
    .reply(Reply::Quoted(quote(9460, true, now)))
    .send(Event::AnswerRetention { accept: false })
    .send(Event::EnterApplication(application()))
    .send(Event::Confirm)
    .reply(Reply::Submitted(order(OrderState::AwaitingPayment)))
    .send(Event::ChoosePayment {
        method: PayMethod::Balance,
        card: None,
    })
    .reply(Reply::Paid(Payment {
        id: "PAY-1".into(),
        method: PayMethod::Balance,
        state: PaymentState::Paid,
        pay_url: None,
        card_last4: None,
    }))
    .reply(Reply::OrderStatus(order(OrderState::Processing)))
    .reply(Reply::Notices(vec![Notice {
        id: "1".into(),
        sent_at: beijing(now),
        text: "已受理".into(),
    }]));
    // Blocked: the submit's answer was lost; only the same request may follow.
    let mut blocked = Run::at_confirm(20790, false);
    blocked
        .send(Event::Confirm)
        .reply(Reply::Failed(CarrierError::new(
            CarrierId::ChinaMobile,
            ErrorKind::NetworkUnreachable {
                detail: "reset".into(),
            },
        )));
    // Login again: the session expired while paying.
    let mut relogin = Run::at_confirm(20790, false);
    relogin
        .send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::AwaitingPayment)))
        .send(Event::ChoosePayment {
            method: PayMethod::Balance,
            card: None,
        })
        .reply(Reply::Failed(CarrierError::new(
            CarrierId::ChinaMobile,
            ErrorKind::SessionExpired,
        )));
    vec![
        ("pay", pay),
        ("await", wait),
        ("blocked", blocked),
        ("relogin", relogin),
    ]
}
/// The state without secrets and without what version 2 added since (fields
/// with a default, which a version-1 journal cannot hold).
fn as_version_1_knew(state: &State) -> State {
    let mut kept = state.without_secrets();
    let facts = &mut kept.facts;
    facts.choice.confirmed_total = None;
    facts.choice.requote = None;
    facts.contact = None;
    facts.code_sent_at = None;
    facts.progress.pay_method = None;
    kept
}

#[test]
fn version_1_journals_load_as_the_state_the_same_flow_reaches_today() {
    for (name, run) in v1_scripts() {
        let (journal, _) = fixture(name);
        assert_eq!(journal["version"], 1, "{name}");
        let loaded = migrate(journal["state"].clone()).unwrap();
        assert_eq!(loaded.version, STATE_VERSION);
        assert_eq!(loaded, as_version_1_knew(&run.state), "{name}");
    }
}

#[test]
fn version_1_journals_resume_as_before() {
    for (name, run) in v1_scripts() {
        let (journal, resumed) = fixture(name);
        let loaded = migrate(journal["state"].clone()).unwrap();
        let t = step(&loaded, Event::Resume, run.now).unwrap();
        assert_eq!(t.effects, vec![Effect::PersistJournal], "{name}");
        assert_eq!(
            t.state,
            migrate(resumed["state"].clone()).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn a_migrated_journal_continues_after_logging_in_again() {
    let (journal, _) = fixture("pay");
    let mut run = Run::new();
    run.state = migrate(journal["state"].clone()).unwrap();
    run.send(Event::Resume).log_in();
    // The card payment's answer was lost with the process: re-check the order.
    assert!(matches!(run.state.step, Step::Pay { .. }));
    assert!(
        matches!(run.call(), CarrierRequest::PollOrder { order_id, .. } if order_id == "ORD-1")
    );
    assert!(
        run.state
            .facts
            .progress
            .pay
            .as_ref()
            .is_some_and(|p| p.outcome_unknown)
    );
}

#[test]
fn a_newer_journal_is_refused() {
    let (journal, _) = fixture("await");
    let mut state = journal["state"].clone();
    state["version"] = serde_json::json!(4);
    assert!(matches!(
        migrate(state),
        Err(MigrationError::FutureVersion { found: 4 })
    ));
}

#[test]
fn a_number_without_its_carrier_is_damaged() {
    let (journal, _) = fixture("pay");
    let mut state = journal["state"].clone();
    state["facts"]["carrier"] = Value::Null;
    assert!(matches!(migrate(state), Err(MigrationError::Damaged(_))));
}

/// Through the store, as the wizard reads a journal at start-up: version 1
/// loads, version 4 is kept aside and refused.
#[test]
fn the_store_migrates_on_load_and_refuses_the_future() {
    use crate::store::journal::{Journal, JournalError};
    let dir = tempfile::tempdir().unwrap();
    for (name, run) in v1_scripts() {
        let (journal, _) = fixture(name);
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, journal.to_string()).unwrap();
        assert_eq!(Journal::load(&path).unwrap(), as_version_1_knew(&run.state));
    }
    let (mut journal, _) = fixture("pay");
    journal["version"] = serde_json::json!(4);
    journal["state"]["version"] = serde_json::json!(4);
    let path = dir.path().join("future.json");
    std::fs::write(&path, journal.to_string()).unwrap();
    assert!(matches!(
        Journal::load(&path),
        Err(JournalError::FutureVersion { found: 4, .. })
    ));
}
