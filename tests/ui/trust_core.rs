//! Issue 13 items 4, 16, 17 on screen: a changed amount stops the Pay
//! screen with both amounts; a resumed login counts down to the next code and
//! never offers the one already used; a resumed form is filled in again.

use ratatui::crossterm::event::KeyCode;
use unsubscribe_wizard::core::fees::Fen;
use unsubscribe_wizard::core::flow::{Event, Reply};
use unsubscribe_wizard::core::model::OrderState;
use unsubscribe_wizard::ui::widgets::footer;
use unsubscribe_wizard::ui::{Action, Lang, Model, on_key};

use crate::testkit::ui::*;

const S: Scenario = Scenario::MobileBroadband;

/// The ¥207.90 quote confirmed; the order asks ¥99,999.00.
fn asked_more() -> Script {
    let mut sc = at_confirming(S);
    sc.at(100).event(Event::Confirm);
    let mut order = S.order(OrderState::AwaitingPayment, Some(at(220)));
    order.amount_due = Some(Fen(9_999_900));
    sc.reply(Reply::Submitted(order));
    sc
}

fn footer_keys(m: &Model) -> Vec<String> {
    footer::keys(m).into_iter().map(|(k, _)| k).collect()
}

#[test]
fn a_changed_amount_shows_both_and_offers_no_payment() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut m = model(&asked_more(), lang);
        let terminal = draw80(&m);
        let text = terminal.backend().to_string();
        assert!(text.contains("¥99999.00"), "{text}");
        assert!(text.contains("¥207.90"), "{text}");
        insta::assert_snapshot!(format!("amount_changed_{tag}"), terminal.backend());
        let keys = footer_keys(&m);
        assert!(keys.iter().any(|k| k == "r"), "{keys:?}");
        assert!(keys.iter().all(|k| k != "Enter"), "{keys:?}");
        for key in [KeyCode::Enter, KeyCode::Down, KeyCode::Char('y')] {
            let action = on_key(&mut m, press(key));
            assert!(
                !matches!(action, Some(Action::Core(Event::ChoosePayment { .. }))),
                "{key:?} pays: {action:?}"
            );
        }
        assert_eq!(
            on_key(&mut m, press(KeyCode::Char('r'))),
            Some(Action::Core(Event::Retry))
        );
        assert_eq!(
            on_key(&mut m, press(KeyCode::Esc)),
            Some(Action::Core(Event::Abandon))
        );
    }
}

#[test]
fn a_fresh_quote_showing_the_amount_may_be_accepted() {
    let mut sc = asked_more();
    sc.event(Event::Retry);
    let mut fresh = S.quote();
    fresh.total = Fen(9_999_900);
    sc.reply(Reply::Quoted(fresh));
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut m = model(&sc, lang);
        let terminal = draw80(&m);
        insta::assert_snapshot!(format!("amount_changed_requoted_{tag}"), terminal.backend());
        assert_eq!(
            on_key(&mut m, press(KeyCode::Enter)),
            Some(Action::Core(Event::Confirm))
        );
    }
}

/// Paying, then the wizard was killed and started again 20 s after the code.
fn resumed_within_the_code_window() -> Script {
    let mut sc = at_pay(S);
    // The last code (a login again) went out at 80 s; resumed at 100 s.
    sc.state.facts.code_sent_at = Some(t0() + chrono::TimeDelta::seconds(80));
    sc.at(100).event(Event::Resume);
    sc
}

#[test]
fn a_resumed_login_counts_down_and_claims_no_valid_code() {
    for lang in [Lang::Zh, Lang::En] {
        let mut m = model(&resumed_within_the_code_window(), lang);
        let text = draw80(&m).backend().to_string();
        assert!(text.contains("40"), "the countdown:\n{text}");
        for claim in ["still valid", "仍然有效", "Code sent to", "验证码已发送"] {
            assert!(!text.contains(claim), "{claim:?}:\n{text}");
        }
        // Enter does not ask the carrier within the minute: the countdown says when.
        assert_eq!(on_key(&mut m, press(KeyCode::Enter)), None);
    }
}

#[test]
fn a_resumed_form_is_filled_in_but_the_id() {
    let mut sc = at_confirming(S);
    sc.at(100).event(Event::Confirm);
    // Killed while sending: the answer never came, and the journal holds
    // no secret.
    sc.state = sc.state.without_secrets();
    sc.at(130).event(Event::Resume).at(200);
    let (msisdn, carrier) = unsubscribe_wizard::core::validate::phone(S.number()).unwrap();
    sc.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .event(Event::Login {
            code: unsubscribe_wizard::core::validate::sms_code("493817").unwrap(),
            password: None,
        })
        .reply(Reply::LoggedIn);
    let mut m = model(&sc, Lang::En);
    let (name, id) = S.holder();
    assert_eq!(m.ui.form.name.value(), name);
    assert_eq!(m.ui.form.contact.value(), S.number());
    assert!(m.ui.form.id.is_empty(), "the ID is asked again");
    // A different ID is caught on the form, not refused with "press r".
    type_id(&mut m, "11010119900307123X");
    assert_eq!(on_key(&mut m, press(KeyCode::Enter)), None);
    m.ui.form.id.clear();
    type_id(&mut m, id);
    let sent = on_key(&mut m, press(KeyCode::Enter));
    assert!(
        matches!(sent, Some(Action::Core(Event::EnterApplication(_)))),
        "{sent:?}"
    );
}

fn type_id(m: &mut Model, id: &str) {
    m.ui.form.focus = unsubscribe_wizard::ui::state::FormFocus::Id;
    type_text(m, id);
}
