//! Issue 13 item 2, through the vault: a QR payment answered "pending" and
//! then confirmed by the order's progress reads as paid, once, in the export.

use unsubscribe_wizard::commands::receipts;
use unsubscribe_wizard::commands::summary::Summary;
use unsubscribe_wizard::core::flow::{Effect, Event, Reply, State, step};
use unsubscribe_wizard::core::model::{Fen, OrderState, PayMethod, Payment, PaymentState};
use unsubscribe_wizard::store::vault::Vault;

use crate::testkit::ui::{Scenario, Script, at, at_confirming, t0};

const S: Scenario = Scenario::TelecomBroadband;

/// Applies `event` at `secs`, writing its receipts into the vault.
fn feed(vault: &Vault, state: &mut State, secs: i64, event: Event) {
    let now = t0() + chrono::TimeDelta::seconds(secs);
    let event = match event {
        Event::Reply(_, reply) => Event::Reply(state.pending.expect("a call").req, reply),
        other => other,
    };
    let tr = step(state, event, now).unwrap();
    for effect in &tr.effects {
        if let Effect::WriteReceipt(r) = effect {
            vault.append(&S.order_id(), r).unwrap();
        }
    }
    *state = tr.state;
}

#[test]
fn a_qr_payment_confirmed_by_the_order_is_exported_as_paid_once() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::open(dir.path().join("receipts")).unwrap();
    // Up to the summary in memory; from the order on, every receipt kept.
    let Script { mut state, .. } = at_confirming(S);
    let any = unsubscribe_wizard::core::flow::RequestId(0);
    let order = |state| S.order(state, Some(at(300)));
    feed(&vault, &mut state, 100, Event::Confirm);
    let created = Reply::Submitted(order(OrderState::AwaitingPayment));
    feed(&vault, &mut state, 101, Event::Reply(any, created));
    let alipay = Event::ChoosePayment {
        method: PayMethod::Alipay,
        card: None,
    };
    feed(&vault, &mut state, 110, alipay);
    let pending = Reply::Paid(Payment {
        id: "PAY-CT-0001".into(),
        method: PayMethod::Alipay,
        state: PaymentState::Pending,
        pay_url: Some("https://qr.example/PAY-CT-0001".into()),
        card_last4: None,
    });
    feed(&vault, &mut state, 111, Event::Reply(any, pending));
    let processing = Reply::OrderStatus(order(OrderState::Processing));
    feed(&vault, &mut state, 130, Event::Reply(any, processing));
    feed(
        &vault,
        &mut state,
        131,
        Event::Reply(any, Reply::Notices(Vec::new())),
    );
    let completed = Reply::OrderStatus(order(OrderState::Completed));
    feed(&vault, &mut state, 140, Event::Reply(any, completed));

    let (records, verdict) = vault.read(&S.order_id()).unwrap();
    let summary = Summary::of(&S.order_id(), &records).unwrap();
    assert_eq!(summary.paid(), Fen(15970), "{:?}", summary.payments);
    let md = receipts::export_md(&summary, &records, &verdict, vault.anchoring(&S.order_id()));
    assert!(md.contains("| 已付 Paid | ¥159.70 |"), "{md}");
}
