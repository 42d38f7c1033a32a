//! The cost of each date beside the quote (issue 15 item 1): the cheapest
//! named in the quote panel, the whole comparison one key away, and the
//! form giving way to "come back then" once a later date is chosen —
//! snapshots at 80×24 in both languages, from the sandbox's own figures.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unsubscribe_wizard::core::flow::Event;
use unsubscribe_wizard::ui::{Action, Lang, Model, Overlay, on_key};

use crate::testkit::ui::*;

fn ctrl_d() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)
}

/// Both languages of `sc` at 80×24, after `tweak`; returns the English screen.
fn shots(name: &str, sc: &Script, tweak: impl Fn(&mut Model)) -> String {
    let mut english = String::new();
    for lang in [Lang::Zh, Lang::En] {
        let mut m = model(sc, lang);
        tweak(&mut m);
        let screen = draw80(&m).backend().to_string();
        assert!(!screen.contains("date_cost."), "a key shown raw:\n{screen}");
        insta::assert_snapshot!(format!("{name}_{lang:?}").to_lowercase(), screen);
        if lang == Lang::En {
            english = screen;
        }
    }
    english
}

#[test]
fn review_names_the_cheapest_date_beside_the_quote() {
    let screen = shots(
        "dates_review_telecom",
        &at_review(Scenario::TelecomBroadband),
        |_| {},
    );
    assert!(
        screen.contains("Cheapest: today 2026-11-25, ¥159.70"),
        "{screen}"
    );
    assert!(screen.contains("Ctrl-D cost of each date"), "{screen}");
}

#[test]
fn telecom_table_today_beats_the_contract_end() {
    let screen = shots(
        "dates_table_telecom",
        &at_review(Scenario::TelecomBroadband),
        |m| {
            assert_eq!(on_key(m, ctrl_d()), None);
            assert_eq!(m.ui.overlay, Some(Overlay::DateCost));
        },
    );
    // Today: penalty 59.70 + modem 100.00; December (the contract's end
    // month) pays December's 199.00 and no penalty; after it, one more fee.
    assert!(screen.contains("¥59.70"), "{screen}");
    assert!(screen.contains("¥299.00"), "{screen}");
    assert!(screen.contains("contract end"), "{screen}");
}

#[test]
fn mobile_table_each_month_costs_a_fee_and_saves_thirty_percent() {
    let screen = shots(
        "dates_table_mobile",
        &at_review(Scenario::MobileBroadband),
        |m| {
            on_key(m, ctrl_d());
        },
    );
    // Today 207.90; December: 99.00 + 178.20 = 277.20.
    assert!(screen.contains("¥207.90"), "{screen}");
    assert!(screen.contains("¥178.20"), "{screen}");
    assert!(screen.contains("¥277.20"), "{screen}");
}

#[test]
fn choosing_a_later_date_is_a_core_event_and_the_form_waits() {
    let mut sc = at_review(Scenario::MobileBroadband);
    let mut m = model(&sc, Lang::En);
    on_key(&mut m, ctrl_d());
    on_key(&mut m, press(KeyCode::Down));
    let Some(Action::Core(event)) = on_key(&mut m, press(KeyCode::Enter)) else {
        panic!("Enter chooses the highlighted date");
    };
    assert_eq!(
        event,
        Event::ChooseDate {
            from: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        }
    );
    assert_eq!(m.ui.overlay, None);
    sc.event(event);
    let screen = shots("dates_put_off_mobile", &sc, |_| {});
    assert!(
        screen.contains("between 2026-12-01 and 2026-12-31"),
        "{screen}"
    );
}

#[test]
fn a_cancellation_effective_next_month_says_the_last_day_that_stops_the_fee() {
    // 138 0013 8001's data pack takes effect on 1 December (次月生效).
    let mut m = model(&at_review(Scenario::MobileDataPack), Lang::En);
    on_key(&mut m, ctrl_d());
    let screen = draw80(&m).backend().to_string();
    assert!(
        screen.contains("a request made by 2026-11-30 still"),
        "{screen}"
    );
    assert!(
        screen.contains("fee of 2026-12-01; one made a day later pays it"),
        "{screen}"
    );
}
