//! Issue 13 item 25: card digits go where they are typed, the footer names
//! Ctrl-U while the card field holds a number, and paying from the balance
//! asks once before the money moves.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unsubscribe_wizard::core::flow::Event;
use unsubscribe_wizard::core::model::PayMethod;
use unsubscribe_wizard::ui::state::PayFocus;
use unsubscribe_wizard::ui::widgets::footer;
use unsubscribe_wizard::ui::{Action, Lang, Model, on_key};

use crate::testkit::ui::*;

fn footer_keys(m: &Model) -> Vec<String> {
    footer::keys(m).into_iter().map(|(k, _)| k).collect()
}

#[test]
fn digits_typed_on_the_card_method_go_into_the_card_field() {
    // 13800138000: the balance is short, so the bank card is highlighted.
    let mut m = model(&at_pay(Scenario::MobileBroadband), Lang::En);
    assert_eq!(m.ui.pay.method, PayMethod::Card);
    assert_eq!(m.ui.pay.focus, PayFocus::Methods);
    type_text(&mut m, "6222021234567890128");
    assert_eq!(m.ui.pay.card.value(), "6222021234567890128");
    assert_eq!(m.ui.pay.focus, PayFocus::Card);
    let pay = on_key(&mut m, press(KeyCode::Enter));
    assert!(
        matches!(
            pay,
            Some(Action::Core(Event::ChoosePayment {
                method: PayMethod::Card,
                card: Some(_)
            }))
        ),
        "{pay:?}"
    );
}

#[test]
fn ctrl_u_is_in_the_footer_while_the_card_field_has_text() {
    let mut m = model(&at_pay(Scenario::MobileBroadband), Lang::En);
    on_key(&mut m, press(KeyCode::Tab));
    assert!(!footer_keys(&m).contains(&"Ctrl-U".to_owned()));
    type_text(&mut m, "4000000000000002");
    assert!(
        footer_keys(&m).contains(&"Ctrl-U".to_owned()),
        "{:?}",
        footer::keys(&m)
    );
    on_key(
        &mut m,
        KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
    );
    assert!(m.ui.pay.card.is_empty());
    assert!(!footer_keys(&m).contains(&"Ctrl-U".to_owned()));
}

#[test]
fn the_balance_pays_only_after_a_yes() {
    // 18600186000: ¥94.60 due, ¥300.00 in the balance, which is highlighted.
    let mut m = model(&at_pay(Scenario::UnicomBroadband), Lang::En);
    assert_eq!(m.ui.pay.method, PayMethod::Balance);
    assert_eq!(on_key(&mut m, press(KeyCode::Enter)), None, "paid at once");
    let text = draw80(&m).backend().to_string();
    assert!(text.contains("¥94.60 from the account balance?"), "{text}");
    assert!(footer_keys(&m).contains(&"y/Enter".to_owned()));
    // No: back to the methods, nothing sent; ↑↓ choose again.
    assert_eq!(on_key(&mut m, press(KeyCode::Char('n'))), None);
    assert!(
        !draw80(&m)
            .backend()
            .to_string()
            .contains("account balance?")
    );
    assert_eq!(on_key(&mut m, press(KeyCode::Enter)), None);
    assert_eq!(on_key(&mut m, press(KeyCode::Esc)), None);
    assert_eq!(on_key(&mut m, press(KeyCode::Enter)), None);
    // While asking, ↑↓ do not change the method under the question.
    assert_eq!(on_key(&mut m, press(KeyCode::Down)), None);
    assert_eq!(m.ui.pay.method, PayMethod::Balance);
    let yes = on_key(&mut m, press(KeyCode::Char('y')));
    assert_eq!(
        yes,
        Some(Action::Core(Event::ChoosePayment {
            method: PayMethod::Balance,
            card: None
        }))
    );
    // Enter answers yes too.
    let mut m = model(&at_pay(Scenario::UnicomBroadband), Lang::Zh);
    on_key(&mut m, press(KeyCode::Enter));
    assert!(matches!(
        on_key(&mut m, press(KeyCode::Enter)),
        Some(Action::Core(Event::ChoosePayment { .. }))
    ));
}

#[test]
fn balance_confirmation_snapshot() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut m = model(&at_pay(Scenario::UnicomBroadband), lang);
        on_key(&mut m, press(KeyCode::Enter));
        insta::assert_snapshot!(format!("pay_balance_confirm_{tag}"), draw80(&m).backend());
    }
}
