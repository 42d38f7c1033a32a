//! Issue 13 item 22: over-long carrier texts never hide what matters. A
//! 10,000-character retention text keeps its fee and buttons on screen, a
//! long plan name keeps the order number and the amount paid on the Done
//! screen, wide amounts are shown whole, and a 5,000-character payment link
//! keeps the amount, the waiting line and the way out visible. Whatever is
//! cut is marked with "…".

use unsubscribe_wizard::core::fees::Fen;
use unsubscribe_wizard::core::model::PayMethod;
use unsubscribe_wizard::ui::{Lang, Model};

use crate::testkit::ui::*;

/// Snapshots `sc` at 80×24 in both languages after `tweak`, and hands each
/// screen to `check`.
fn snap(name: &str, sc: &Script, tweak: impl Fn(&mut Model), check: impl Fn(Lang, &str)) {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut m = model(sc, lang);
        tweak(&mut m);
        let terminal = draw80(&m);
        check(lang, &terminal.backend().to_string());
        insta::assert_snapshot!(format!("{name}_{tag}"), terminal.backend());
    }
}

fn hostile(len: usize) -> String {
    "挽留优惠说明很长很长".chars().cycle().take(len).collect()
}

#[test]
fn a_10000_character_retention_text_keeps_its_fee_and_buttons() {
    snap(
        "long_retention_offer",
        &at_review(Scenario::UnicomBroadband),
        |m| {
            let quote = m.state.facts.choice.quote.as_mut().unwrap();
            quote.retention.as_mut().unwrap().description = hostile(10_000);
        },
        |lang, text| {
            assert!(text.contains("¥64.50"), "fee hidden:\n{text}");
            let button = match lang {
                Lang::Zh => "继续退订",
                Lang::En => "Keep cancelling",
            };
            assert!(text.contains(button), "buttons hidden:\n{text}");
            assert!(text.contains('…'), "the cut is not marked:\n{text}");
        },
    );
}

#[test]
fn a_long_plan_name_keeps_order_and_paid_on_the_done_screen() {
    snap(
        "long_plan_name_done",
        &at_done(Scenario::UnicomBroadband, true),
        |m| {
            m.state.facts.choice.plan.as_mut().unwrap().name = hostile(2_000);
        },
        |_, text| {
            assert!(text.contains("CU202611250001"), "order hidden:\n{text}");
            assert!(text.contains("¥94.60"), "paid amount hidden:\n{text}");
            assert!(text.contains('…'), "the cut is not marked:\n{text}");
        },
    );
}

/// Asserts `whole` appears at least `times` times, uncut, in both languages.
fn assert_whole(sc: &Script, whole: &str, times: usize) {
    for lang in [Lang::Zh, Lang::En] {
        let text = draw80(&model(sc, lang)).backend().to_string();
        assert!(text.matches(whole).count() >= times, "{whole} cut:\n{text}");
    }
}

#[test]
fn wide_amounts_are_shown_whole() {
    let huge = Fen(9_999_999_999_999_999);
    let whole = huge.to_string();
    // A quote line (with a long label beside it) and the total.
    let mut sc = at_review(Scenario::MobileBroadband);
    let quote = sc.state.facts.choice.quote.as_mut().unwrap();
    quote.items[0].amount = huge;
    quote.items[0].label = hostile(200);
    quote.total = huge;
    assert_whole(&sc, &whole, 2);
    // The plan table's monthly fee.
    let mut sc = at_plans(Scenario::MobileBroadband);
    sc.state.facts.choice.account.as_mut().unwrap().plans[0].monthly_fee = huge;
    assert_whole(&sc, &whole, 1);
    // The Pay screen's due amount and the balance.
    let mut sc = at_pay(Scenario::UnicomBroadband);
    sc.state.facts.progress.order.as_mut().unwrap().amount_due = Some(huge);
    sc.state.facts.choice.account.as_mut().unwrap().balance = huge;
    assert_whole(&sc, &whole, 2);
}

#[test]
fn a_5000_character_payment_link_keeps_amount_wait_and_way_out() {
    let url = format!("https://pay.sandbox.local/alipay/{}", "x".repeat(5_000));
    let sc = at_qr(Scenario::TelecomBroadband, PayMethod::Alipay, &url);
    snap(
        "long_qr_link",
        &sc,
        |m| m.spinner = 4,
        |lang, text| {
            assert!(text.contains("¥159.70"), "amount hidden:\n{text}");
            let (waiting, other) = match lang {
                Lang::Zh => ("等待支付", "m 换一种方式"),
                Lang::En => ("Waiting for payment", "m pay another way"),
            };
            assert!(text.contains(waiting), "waiting hidden:\n{text}");
            assert!(text.contains(other), "way out hidden:\n{text}");
            assert!(text.contains('…'), "the cut is not marked:\n{text}");
        },
    );
}
