//! The documents a person takes to a dispute, as they read: the export in
//! Markdown and JSON, the timeline, the list and the complaint draft, made
//! from a vault holding one complete Unicom cancellation (18600186000).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use unsubscribe_wizard::commands::summary::Summary;
use unsubscribe_wizard::commands::{complaint, receipts};
use unsubscribe_wizard::core::flow::{Event, Reply, State, step};
use unsubscribe_wizard::core::model::*;
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::store::vault::Vault;

fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap() + Duration::seconds(secs)
}

/// Runs the Unicom scenario through the real core, writing every receipt it
/// emits into a vault, so the documents show exactly what the wizard keeps.
fn unicom_vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::open(dir.path().join("receipts")).unwrap();
    let mut state = State::new(KeySeed([4; 16]), t(0));
    let mut clock = 0;
    let mut feed = |state: &mut State, event: Event| {
        clock += 5;
        let event = match event {
            Event::Reply(_, r) => Event::Reply(state.pending.unwrap().req, r),
            e => e,
        };
        let tr = step(state, event, t(clock)).unwrap();
        for c in &tr.effects {
            if let unsubscribe_wizard::core::flow::Effect::WriteReceipt(r) = c {
                vault.append("F4", r).unwrap();
            }
        }
        *state = tr.state;
    };
    let any = unsubscribe_wizard::core::flow::RequestId(0);
    let (msisdn, carrier) = validate::phone("18600186000").unwrap();
    let plan = Plan {
        id: "KD500".into(),
        name: "沃家宽带 500M".into(),
        kind: PlanKind::Broadband,
        monthly_fee: Fen(12900),
        status: PlanStatus::Active,
        contract_end: NaiveDate::from_ymd_opt(2027, 2, 28),
        blocked: None,
    };
    let quote = Quote {
        id: "TRIAL-1".into(),
        items: vec![
            LineItem {
                kind: FeeKind::Penalty,
                label: "违约金".into(),
                amount: Fen(11610),
            },
            LineItem {
                kind: FeeKind::Refund,
                label: "当月费用退还".into(),
                amount: Fen(-2150),
            },
        ],
        total: Fen(9460),
        effective_date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        expires_at: t(900).fixed_offset(),
        retention: Some(RetentionOffer {
            id: "RET-1".into(),
            description: "月费优惠至64.50元，连续6个月".into(),
            monthly_fee: Fen(6450),
        }),
    };
    let order = |state| Order {
        id: "CU20261125001".into(),
        state,
        expected_by: Some(t(200).fixed_offset()),
        retry_after_secs: Some(2),
        amount_due: None,
    };
    feed(
        &mut state,
        Event::RequestCode {
            msisdn: msisdn.clone(),
            carrier,
        },
    );
    feed(&mut state, Event::Reply(any, Reply::CodeSent));
    feed(
        &mut state,
        Event::Login {
            code: validate::sms_code("123456").unwrap(),
            password: Some(validate::service_password("135790").unwrap()),
        },
    );
    feed(&mut state, Event::Reply(any, Reply::LoggedIn));
    feed(
        &mut state,
        Event::Reply(
            any,
            Reply::Plans(Account {
                balance: Fen(30000),
                plans: vec![plan],
            }),
        ),
    );
    feed(
        &mut state,
        Event::ChoosePlan {
            plan_id: "KD500".into(),
        },
    );
    feed(&mut state, Event::Reply(any, Reply::Quoted(quote)));
    feed(&mut state, Event::AnswerRetention { accept: false });
    feed(
        &mut state,
        Event::EnterApplication(Application {
            holder_name: "刘洋".into(),
            id_number: validate::id_number("510107197808156721").unwrap(),
            contact: msisdn,
            reason: ReasonCode::NoLongerNeeded,
            reason_text: String::new(),
        }),
    );
    feed(&mut state, Event::Confirm);
    feed(
        &mut state,
        Event::Reply(any, Reply::Submitted(order(OrderState::AwaitingPayment))),
    );
    feed(
        &mut state,
        Event::ChoosePayment {
            method: PayMethod::Balance,
            card: None,
        },
    );
    feed(
        &mut state,
        Event::Reply(
            any,
            Reply::Paid(Payment {
                id: "PAY-77".into(),
                method: PayMethod::Balance,
                state: PaymentState::Paid,
                pay_url: None,
                card_last4: None,
            }),
        ),
    );
    feed(
        &mut state,
        Event::Reply(any, Reply::OrderStatus(order(OrderState::Processing))),
    );
    feed(
        &mut state,
        Event::Reply(
            any,
            Reply::Notices(vec![Notice {
                id: "1001".into(),
                sent_at: t(40).fixed_offset(),
                text: "【中国联通】您的沃家宽带 500M 退订申请已受理。".into(),
            }]),
        ),
    );
    feed(
        &mut state,
        Event::Reply(any, Reply::OrderStatus(order(OrderState::Completed))),
    );
    assert!(state.is_finished());
    (dir, vault)
}

#[test]
fn export_markdown_reads_as_a_receipt() {
    let (_dir, vault) = unicom_vault();
    let (records, verdict) = vault.read("CU20261125001").unwrap();
    let summary = Summary::of("CU20261125001", &records).unwrap();
    assert_eq!(summary.paid(), Fen(9460));
    let md = receipts::export_md(
        &summary,
        &records,
        &verdict,
        vault.anchoring("CU20261125001"),
    );
    assert!(
        !md.contains("510107197808156721"),
        "full ID must never appear"
    );
    insta::assert_snapshot!("export_md", md);
}

#[test]
fn export_json_holds_every_record() {
    let (_dir, vault) = unicom_vault();
    let (records, verdict) = vault.read("CU20261125001").unwrap();
    let summary = Summary::of("CU20261125001", &records).unwrap();
    let json = receipts::export_json(
        &summary,
        &records,
        &verdict,
        vault.anchoring("CU20261125001"),
    );
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["intact"], true);
    assert_eq!(parsed["records"].as_array().unwrap().len(), records.len());
    insta::assert_snapshot!("export_json", json);
}

#[test]
fn list_show_and_complaint() {
    let (_dir, vault) = unicom_vault();
    let (records, verdict) = vault.read("CU20261125001").unwrap();
    let summary = Summary::of("CU20261125001", &records).unwrap();
    insta::assert_snapshot!("list", receipts::list(std::slice::from_ref(&summary)));
    insta::assert_snapshot!("show", receipts::show("CU20261125001", &records, &verdict));
    let draft = complaint::draft(&summary, verdict.as_ref().ok().map(String::as_str));
    assert!(draft.contains("12300") && draft.contains("15") && draft.contains("5 months"));
    assert!(draft.contains("10010"));
    insta::assert_snapshot!("complaint", draft);
}

#[test]
fn complaint_draft_is_written_beside_the_receipts_without_breaking_the_chain() {
    let (_dir, vault) = unicom_vault();
    let path = unsubscribe_wizard::commands::write_complaint(&vault, "CU20261125001").unwrap();
    assert!(path.starts_with(vault.chain_dir("CU20261125001")));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("12300") && text.contains("CU20261125001"));
    assert!(
        vault.read("CU20261125001").unwrap().1.is_ok(),
        "the chain still verifies"
    );
    assert!(unsubscribe_wizard::commands::write_complaint(&vault, "NOPE").is_err());
}
