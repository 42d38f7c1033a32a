//! Issue 13 item 19 (screens and guide): an expired pack that does not renew
//! by itself ends by itself — the plan screen and the guide say that first,
//! and keep "renew or change it first" for when the carrier requires it;
//! after the equipment fee was paid, the Done screen does not still warn
//! "return the modem or be charged".

use ratatui::crossterm::event::KeyCode;
use unsubscribe_wizard::core::flow::StepName;
use unsubscribe_wizard::ui::{Lang, guide, on_key};

use crate::testkit::ui::*;

#[test]
fn an_expired_pack_is_said_to_end_by_itself_first() {
    for (lang, ends, renew) in [
        (Lang::En, "ends by itself", "renew"),
        (Lang::Zh, "自动失效", "续订"),
    ] {
        let mut m = model(&at_plans(Scenario::UnicomNothing), lang);
        on_key(&mut m, press(KeyCode::Down));
        let text = draw80(&m).backend().to_string().to_lowercase();
        let first_end = text
            .find(ends)
            .unwrap_or_else(|| panic!("{ends:?} missing:\n{text}"));
        let first_renew = text.find(renew).unwrap_or(usize::MAX);
        assert!(first_end < first_renew, "renewing comes first:\n{text}");

        let guide = guide::text(lang, Some(StepName::SelectPlan)).to_lowercase();
        let first_end = guide
            .find(ends)
            .unwrap_or_else(|| panic!("{ends:?} missing:\n{guide}"));
        assert!(
            first_end < guide.find(renew).unwrap_or(usize::MAX),
            "{guide}"
        );
    }
}

#[test]
fn a_paid_equipment_fee_is_not_warned_about_again() {
    // 13300133000: the quote charges ¥100.00 for the unreturned modem.
    let sc = at_done(Scenario::TelecomBroadband, true);
    for (lang, warning, paid) in [
        (
            Lang::En,
            "unreturned equipment may be charged",
            "equipment fee",
        ),
        (Lang::Zh, "未归还可能被收设备费", "设备费"),
    ] {
        let m = model(&sc, lang);
        let text = draw80(&m).backend().to_string();
        assert!(!text.contains(warning), "still warns:\n{text}");
        assert!(text.contains(paid) && text.contains("¥100.00"), "{text}");
    }
    let sc = at_done(Scenario::TelecomBroadband, true);
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let m = model(&sc, lang);
        insta::assert_snapshot!(format!("done_equipment_paid_{tag}"), draw80(&m).backend());
    }
}
