//! Issue 13 item 18, through the vault: once the retention offer is taken,
//! the records speak of a plan change at the new monthly fee with nothing
//! due — in `receipts list`, the export and the complaint draft.

use unsubscribe_wizard::commands::summary::Summary;
use unsubscribe_wizard::commands::{complaint, receipts};
use unsubscribe_wizard::core::model::{CarrierId, Fen, Receipt, ReceiptEvent};
use unsubscribe_wizard::store::vault::Vault;

use crate::testkit::ui::{Scenario, t0};

const S: Scenario = Scenario::UnicomBroadband;

fn record(vault: &Vault, secs: i64, event: ReceiptEvent) {
    let receipt = Receipt {
        at: t0() + chrono::TimeDelta::seconds(secs),
        carrier: CarrierId::ChinaUnicom,
        msisdn_masked: "186****6000".into(),
        order_id: Some(S.order_id()),
        event,
    };
    vault.append(&S.order_id(), &receipt).unwrap();
}

#[test]
fn a_taken_offer_reads_as_a_plan_change_with_nothing_due() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::open(dir.path().join("receipts")).unwrap();
    let quote = S.quote();
    let offer = quote
        .retention
        .clone()
        .expect("this account is made an offer");
    let plan = S.account().plans[0].clone();
    assert!(
        quote.total.is_positive(),
        "the quote asked money for cancelling"
    );
    record(&vault, 1, ReceiptEvent::QuoteShown { plan, quote });
    record(
        &vault,
        2,
        ReceiptEvent::RetentionAnswered {
            offer: offer.clone(),
            accepted: true,
        },
    );

    let (records, verdict) = vault.read(&S.order_id()).unwrap();
    let summary = Summary::of(&S.order_id(), &records).unwrap();
    assert_eq!(summary.due(), Some(Fen::ZERO));
    assert!(summary.standing_label().contains("plan change"));

    let list = receipts::list(std::slice::from_ref(&summary));
    assert!(list.contains("plan change"), "{list}");
    assert!(list.contains("¥0.00"), "{list}");
    assert!(
        !list.contains(&summary.total.unwrap().to_string()),
        "{list}"
    );

    let md = receipts::export_md(&summary, &records, &verdict, vault.anchoring(&S.order_id()));
    assert!(md.contains("plan change, not a cancellation"), "{md}");

    let draft = complaint::draft(&summary, verdict.as_ref().ok().map(String::as_str));
    assert!(draft.contains("改套餐"), "{draft}");
    assert!(draft.contains(&offer.monthly_fee.to_string()), "{draft}");
    assert!(!draft.contains("运营商报价合计"), "{draft}");
}
