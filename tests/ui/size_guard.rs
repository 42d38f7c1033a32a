//! Issue 13 item 1: while the "please enlarge the window" screen shows, no
//! key may act on the step hidden behind it — only quit and help.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unsubscribe_wizard::core::flow::{Step, SubmitPhase};
use unsubscribe_wizard::ui::{Action, Lang, Overlay, on_key};

use crate::testkit::ui::*;

#[test]
fn enter_on_the_hidden_summary_sends_nothing_and_q_quits() {
    let mut m = model(&at_confirming(Scenario::UnicomBroadband), Lang::En);
    assert!(matches!(
        m.state.step,
        Step::Submit {
            phase: SubmitPhase::Confirming,
            ..
        }
    ));
    m.set_viewport(70, 20);
    assert!(m.size_screen_shows());
    assert_eq!(on_key(&mut m, press(KeyCode::Enter)), None, "Enter acted");
    assert_eq!(on_key(&mut m, press(KeyCode::Esc)), None, "Esc acted");
    let text = draw(&m, 70, 20).backend().to_string();
    assert!(text.contains("Please enlarge the window"), "{text}");
    assert_eq!(
        on_key(&mut m, press(KeyCode::Char('q'))),
        Some(Action::Quit)
    );
}

#[test]
fn enter_on_the_hidden_pay_screen_pays_nothing() {
    let mut m = model(&at_pay(Scenario::UnicomBroadband), Lang::Zh);
    m.set_viewport(79, 24);
    for code in [KeyCode::Enter, KeyCode::Down, KeyCode::Char('y')] {
        assert_eq!(on_key(&mut m, press(code)), None, "{code:?} acted");
    }
    // Enlarged again, the same keys act: Enter asks, y pays.
    m.set_viewport(80, 24);
    assert_eq!(on_key(&mut m, press(KeyCode::Enter)), None);
    assert!(matches!(
        on_key(&mut m, press(KeyCode::Char('y'))),
        Some(Action::Core(_))
    ));
}

#[test]
fn q_quits_even_from_a_text_field_and_typing_is_refused() {
    let mut m = model(&Script::new(), Lang::En);
    m.set_viewport(60, 16);
    on_key(&mut m, press(KeyCode::Char('1')));
    assert!(m.ui.login.number.is_empty(), "a digit was typed unseen");
    assert_eq!(
        on_key(&mut m, press(KeyCode::Char('q'))),
        Some(Action::Quit)
    );
    assert!(m.ui.login.number.is_empty());
}

#[test]
fn help_opens_and_closes_while_small() {
    let mut m = model(&at_plans(Scenario::MobileBroadband), Lang::En);
    m.set_viewport(60, 16);
    assert_eq!(on_key(&mut m, press(KeyCode::Char('?'))), None);
    assert_eq!(m.ui.overlay, Some(Overlay::Help));
    let text = draw(&m, 60, 16).backend().to_string();
    assert!(text.contains("80×24"), "{text}");
    on_key(&mut m, press(KeyCode::Esc));
    assert_eq!(m.ui.overlay, None);
}

#[test]
fn quitting_with_an_order_out_asks_even_while_small() {
    let mut m = model(&at_pay(Scenario::UnicomBroadband), Lang::En);
    m.set_viewport(60, 16);
    assert_eq!(on_key(&mut m, press(KeyCode::Char('q'))), None);
    assert_eq!(m.ui.overlay, Some(Overlay::QuitConfirm));
    let text = draw(&m, 60, 16).backend().to_string();
    assert!(text.contains("Quit now?"), "{text}");
    assert_eq!(on_key(&mut m, press(KeyCode::Esc)), None);
    assert_eq!(m.ui.overlay, None);
    on_key(&mut m, press(KeyCode::Char('q')));
    assert_eq!(
        on_key(&mut m, press(KeyCode::Char('q'))),
        Some(Action::Quit)
    );
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let mut m = model(&at_pay(Scenario::UnicomBroadband), Lang::En);
    m.set_viewport(60, 16);
    assert_eq!(on_key(&mut m, ctrl_c), None);
    assert_eq!(on_key(&mut m, ctrl_c), Some(Action::ForceQuit));
}

#[test]
fn size_screen_with_the_quit_question_snapshot() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut m = model(&at_pay(Scenario::UnicomBroadband), lang);
        m.set_viewport(70, 20);
        on_key(&mut m, press(KeyCode::Char('q')));
        insta::assert_snapshot!(
            format!("small_window_quit_confirm_{tag}"),
            draw(&m, 70, 20).backend()
        );
    }
}
