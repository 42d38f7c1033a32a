//! Issue 13 item 22: over-long carrier texts never hide what matters. A
//! 10,000-character retention text keeps its fee and buttons on screen, a
//! long plan name keeps the order number and the amount paid on the Done
//! screen, wide amounts are shown whole, and a 5,000-character payment link
//! keeps the amount, the waiting line and the way out visible. Whatever is
//! cut is marked with "…".

use unsubscribe_wizard::core::fees::Fen;
use unsubscribe_wizard::core::flow::{Event, Reply};
use unsubscribe_wizard::core::model::{PayMethod, Payment, PaymentState};
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
            let quote = m.state.facts.quote.as_mut().unwrap();
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
            m.state.facts.plan.as_mut().unwrap().name = hostile(2_000);
        },
        |_, text| {
            assert!(text.contains("CU202611250001"), "order hidden:\n{text}");
            assert!(text.contains("¥94.60"), "paid amount hidden:\n{text}");
            assert!(text.contains('…'), "the cut is not marked:\n{text}");
        },
    );
}

#[test]
fn wide_amounts_are_shown_whole() {
    let huge = Fen(9_999_999_999_999_999);
    let whole = huge.to_string();
    let mut sc = at_review(Scenario::MobileBroadband);
    let mut quote = Scenario::MobileBroadband.quote();
    quote.items[0].amount = huge;
    quote.items[0].label = hostile(200);
    quote.total = huge;
    // A fresh quote (requote) with the wide amounts.
    sc.state.facts.quote = Some(quote);
    for lang in [Lang::Zh, Lang::En] {
        let m = model(&sc, lang);
        let text = draw80(&m).backend().to_string();
        assert!(
            text.matches(whole.as_str()).count() >= 2,
            "{whole} cut:\n{text}"
        );
    }
    // The plan table's monthly fee.
    let mut sc = at_plans(Scenario::MobileBroadband);
    sc.state.facts.account.as_mut().unwrap().plans[0].monthly_fee = huge;
    for lang in [Lang::Zh, Lang::En] {
        let text = draw80(&model(&sc, lang)).backend().to_string();
        assert!(text.contains(whole.as_str()), "{whole} cut:\n{text}");
    }
    // The Pay screen's due amount and the balance too.
    let mut sc = at_pay(Scenario::UnicomBroadband);
    sc.state.facts.order.as_mut().unwrap().amount_due = Some(huge);
    sc.state.facts.account.as_mut().unwrap().balance = huge;
    for lang in [Lang::Zh, Lang::En] {
        let m = model(&sc, lang);
        let text = draw80(&m).backend().to_string();
        assert!(
            text.matches(whole.as_str()).count() >= 2,
            "{whole} cut:\n{text}"
        );
    }
}

#[test]
fn a_5000_character_payment_link_keeps_amount_wait_and_way_out() {
    let mut sc = at_pay(Scenario::TelecomBroadband);
    let url = format!("https://pay.sandbox.local/alipay/{}", "x".repeat(5_000));
    sc.event(Event::ChoosePayment {
        method: PayMethod::Alipay,
        card: None,
    })
    .reply(Reply::Paid(Payment {
        id: "PAY-CT-0001".into(),
        method: PayMethod::Alipay,
        state: PaymentState::Pending,
        pay_url: Some(url),
        card_last4: None,
    }));
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
