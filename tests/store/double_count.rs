//! Each payment counts once (issue 13, item 3): the chain may hold the same
//! payment twice — two wizards on one folder, or a crash between the
//! receipt write and the journal write — and every summary must still say
//! what was paid, not twice that.

use unsubscribe_wizard::commands::summary::Summary;
use unsubscribe_wizard::commands::{complaint, receipts};
use unsubscribe_wizard::core::model::Fen;
use unsubscribe_wizard::store::vault::Anchoring;

use crate::chains::{Home, paid_chain, payment, receipt, texts};

fn doubled() -> Home {
    let home = Home::new();
    let vault = home.vault();
    paid_chain(&vault, "CM1");
    // The second wizard (or the resumed one) records the same payment again,
    // and a QR payment first seen pending is recorded again once paid.
    vault
        .append(
            "F",
            &receipt(Some("CM1"), 30, payment("PAY-1", 9460, "paid")),
        )
        .unwrap();
    vault
        .append(
            "F",
            &receipt(Some("CM1"), 31, payment("PAY-2", 500, "pending")),
        )
        .unwrap();
    vault
        .append(
            "F",
            &receipt(Some("CM1"), 32, payment("PAY-2", 500, "paid")),
        )
        .unwrap();
    home
}

#[test]
fn a_duplicated_payment_is_summed_once_everywhere() {
    let home = doubled();
    let (records, verdict) = home.vault().read("CM1").unwrap();
    let summary = Summary::of("CM1", &records).unwrap();
    assert_eq!(summary.paid(), Fen(9960));
    assert_eq!(summary.payments.len(), 2, "{:?}", summary.payments);

    let md = receipts::export_md(&summary, &records, &verdict, Anchoring::Anchored);
    assert!(md.contains("¥99.60"), "{md}");
    assert!(!md.contains("¥194.20") && !md.contains("¥189.20"), "{md}");
    assert_eq!(md.matches("PAY-1 —").count(), 1, "{md}");

    let json: serde_json::Value = serde_json::from_str(&receipts::export_json(
        &summary,
        &records,
        &verdict,
        Anchoring::Anchored,
    ))
    .unwrap();
    assert_eq!(json["paid_fen"], 9960, "{json}");

    let draft = complaint::draft(&summary, None);
    assert!(draft.contains("我已缴纳 ¥99.60"), "{draft}");
}

#[test]
fn the_commands_say_the_amount_once() {
    let home = doubled();
    let (md, _) = texts(&home.run(&["receipts", "export", "CM1"]));
    assert!(md.contains("| 已付 Paid | ¥99.60 |"), "{md}");
    let (draft, _) = texts(&home.run(&["receipts", "complaint", "CM1"]));
    assert!(draft.contains("我已缴纳 ¥99.60"), "{draft}");
}
