//! Issue 13 item 18 (screens): after the retention offer is taken, every
//! screen speaks of a plan change at the new monthly fee with nothing due —
//! not of "¥94.60 due" or of "processing your cancellation".

use unsubscribe_wizard::core::flow::{Event, Reply};
use unsubscribe_wizard::core::model::OrderState;
use unsubscribe_wizard::ui::{Lang, Model};

use crate::testkit::ui::*;

const S: Scenario = Scenario::UnicomBroadband;

fn accepted() -> Script {
    let mut sc = at_review(S);
    sc.event(Event::AnswerRetention { accept: true });
    sc
}

fn summary() -> Script {
    let mut sc = accepted();
    sc.at(90).event(Event::EnterApplication(S.application()));
    sc
}

fn waiting() -> Script {
    let mut sc = summary();
    sc.at(100).event(Event::Confirm);
    let mut order = S.order(OrderState::Processing, Some(at(220)));
    order.amount_due = None;
    sc.reply(Reply::Submitted(order)).at(130);
    sc
}

fn check(name: &str, sc: &Script, also_absent: &[&str]) {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let m: Model = model(sc, lang);
        let terminal = draw80(&m);
        let text = terminal.backend().to_string();
        assert!(
            !text.contains("¥94.60"),
            "{name}: the cancellation's fees shown as due:\n{text}"
        );
        assert!(
            text.contains("¥64.50"),
            "{name}: the new fee missing:\n{text}"
        );
        for absent in also_absent {
            assert!(!text.contains(absent), "{name}: {absent:?} shown:\n{text}");
        }
        insta::assert_snapshot!(format!("{name}_{tag}"), terminal.backend());
    }
}

#[test]
fn review_after_accepting_shows_no_fees_due() {
    check(
        "plan_change_review",
        &accepted(),
        &["Total due", "合计应付"],
    );
}

#[test]
fn summary_after_accepting_shows_the_new_fee_and_nothing_due() {
    check(
        "plan_change_summary",
        &summary(),
        &["Fees due", "fees are paid in the next step"],
    );
}

#[test]
fn waiting_after_accepting_is_not_a_cancellation() {
    check(
        "plan_change_await",
        &waiting(),
        &["processing your cancellation", "正在处理您的退订申请"],
    );
}
