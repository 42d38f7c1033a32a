//! A follow-up due, shown first at start (issue 15 item 3): the panel with
//! its keys, the bill's paste area, and a bill still charging — snapshots
//! at 80×24 in both languages.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;
use unsubscribe_wizard::core::followup::FollowUpKind;
use unsubscribe_wizard::ui::followup::{DueFollowUp, FollowUpAction, offer};
use unsubscribe_wizard::ui::{Action, Lang, Model, Overlay, on_key, on_paste};

use crate::testkit::ui::*;

const BILL: &str = "【中国移动】您本月账单：\n套餐及固定费 58.00元\n流量加油包30GB 30.00元";

fn due(lang: Lang) -> Vec<DueFollowUp> {
    let title = match lang {
        Lang::Zh => "核对首张账单：流量加油包30GB 不应再收费",
        Lang::En => "Check the first bill: 流量加油包30GB must no longer be charged",
    };
    let make = |kind, day| DueFollowUp {
        order: "GD-20261024-0001".into(),
        kind,
        due: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
        title: title.into(),
    };
    vec![
        make(FollowUpKind::CheckFirstBill, 3),
        make(FollowUpKind::CarrierAnswer, 8),
    ]
}

fn shot(name: &str, tweak: impl Fn(&mut Model)) {
    for lang in [Lang::Zh, Lang::En] {
        let mut m = model(&Script::new(), lang);
        offer(&mut m, due(lang));
        assert_eq!(m.ui.overlay, Some(Overlay::FollowUpDue));
        tweak(&mut m);
        let screen = draw80(&m).backend().to_string();
        assert!(
            !screen.contains("followup_due."),
            "a key shown raw:\n{screen}"
        );
        insta::assert_snapshot!(format!("{name}_{lang:?}").to_lowercase(), screen);
    }
}

#[test]
fn the_first_due_follow_up_shows_with_its_keys() {
    shot("followup_due", |_| {});
}

#[test]
fn b_opens_a_paste_area_that_takes_the_bill_whole() {
    shot("followup_due_pasting", |m| {
        assert_eq!(on_key(m, press(KeyCode::Char('b'))), None);
        assert!(on_paste(m, BILL).is_empty(), "the paste area takes it");
        assert_eq!(m.followups.bill, BILL);
    });
}

#[test]
fn enter_checks_the_bill_and_a_line_still_charging_is_said() {
    shot("followup_due_still_charged", |m| {
        on_key(m, press(KeyCode::Char('b')));
        on_paste(m, BILL);
        let Some(Action::FollowUp(FollowUpAction::CheckBill(text))) =
            on_key(m, press(KeyCode::Enter))
        else {
            panic!("Enter checks the bill");
        };
        assert_eq!(text, BILL);
        // What the shell does with the answer.
        m.followups.checked = Some(Some("流量加油包30GB 30.00元".into()));
    });
}

#[test]
fn d_marks_done_and_esc_leaves_it_for_later() {
    let mut m = model(&Script::new(), Lang::En);
    offer(&mut m, due(Lang::En));
    assert_eq!(
        on_key(&mut m, press(KeyCode::Char('d'))),
        Some(Action::FollowUp(FollowUpAction::Done))
    );
    assert_eq!(
        on_key(&mut m, press(KeyCode::Char('c'))),
        Some(Action::FollowUp(FollowUpAction::Complaint))
    );
    unsubscribe_wizard::ui::followup::acted(&mut m, true);
    assert_eq!(m.followups.due.len(), 1, "the next one shows");
    on_key(&mut m, press(KeyCode::Esc));
    assert_eq!(m.ui.overlay, None);
}
