//! Issue 15 item 2: `receipts calendar ORDER` writes the order's follow-ups
//! as RFC 5545. The output is read back by an independent parser (the
//! `icalendar` crate, not our writer), checked for folding (no line over 75
//! octets, no character split) and escaping (a hostile plan name with
//! `; , \`, newlines and control characters), snapshotted with a pinned
//! DTSTAMP, and written by the real binary.

use chrono::{NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use serde_json::{Value, json};
use unsubscribe_wizard::commands::calendar::{self, CalendarCase};
use unsubscribe_wizard::core::followup::{FollowUpKind, followups};
use unsubscribe_wizard::core::model::Receipt;
use unsubscribe_wizard::store::vault::Vault;
use unsubscribe_wizard::text;
use unsubscribe_wizard::ui::Lang;

use crate::chains::{Home, run_expect};

const ORDER: &str = "CT20261125001";
/// `; , \` and the newlines a carrier might send, terminal controls, a bidi
/// override, and enough CJK to need folding. (No backslash right before
/// `n`, `,` or `;`: the parser unescapes with plain replacements, which
/// would read `\\n` as a newline; our writer escapes it correctly.)
const HOSTILE: &str = "天翼宽带;1000M,光猫\\ 机顶盒\r\n第二行\u{1b}[2J\u{7}\u{202e}很长的套餐名称很长的套餐名称很长的套餐名称";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn stamp() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 2, 30, 0).unwrap()
}

/// A China Telecom receipt at second `n` past 10:00 Beijing time.
fn receipt(order: Option<&str>, n: u32, event: Value) -> Receipt {
    serde_json::from_value(json!({
        "at": format!("2026-11-25T02:{:02}:{:02}Z", n / 60, n % 60),
        "carrier": "china_telecom",
        "msisdn_masked": "133****3000",
        "order_id": order,
        "event": event,
    }))
    .unwrap()
}

/// 13300133000's quote: 199.00/month to 2026-12-31, penalty 59.70 and the
/// modem 100.00, effective today.
fn quote(plan_name: &str) -> Value {
    json!({
        "type": "quote_shown",
        "plan": {
            "id": "CT-BB-1000", "name": plan_name, "kind": "broadband", "monthly_fee": 19900,
            "status": "active", "contract_end": "2026-12-31", "blocked": null
        },
        "quote": {
            "id": "Q-CT-1",
            "items": [
                {"kind": "penalty", "label": "违约金", "amount": 5970},
                {"kind": "equipment", "label": "光猫未退还", "amount": 10000}
            ],
            "total": 15970, "effective_date": "2026-11-25",
            "expires_at": "2026-11-25T02:15:00Z", "retention": null
        }
    })
}

fn submitted() -> Value {
    json!({
        "type": "application_submitted",
        "application": {
            "holder_name": "杨帆", "id_masked": "330***********1172",
            "contact_masked": "133****3000", "reason": "NO_LONGER_NEEDED", "reason_text": ""
        },
        "idempotency_key": "0123456789abcdef0123456789abcdef"
    })
}

/// A whole cancellation of `ORDER` with `plan_name`: quote, submitted,
/// order, paid ¥159.70, finished.
fn chain(vault: &Vault, plan_name: &str) {
    let events = [
        (None, quote(plan_name)),
        (None, submitted()),
        (
            Some(ORDER),
            json!({"type": "order_created", "order": {"id": ORDER, "state": {"state": "awaiting_payment"},
                "expected_by": null, "retry_after_secs": null, "amount_due": 15970}}),
        ),
        (
            Some(ORDER),
            json!({"type": "payment", "payment": {"id": "PAY-CT-1", "method": "alipay", "state": "paid",
                "pay_url": null, "card_last4": null}, "amount": 15970}),
        ),
        (
            Some(ORDER),
            json!({"type": "finished", "outcome": "cancelled", "error": null}),
        ),
    ];
    for (n, (order, event)) in events.into_iter().enumerate() {
        vault
            .append(ORDER, &receipt(order, 1 + n as u32, event))
            .unwrap();
    }
}

fn case_with(plan_name: &str) -> (tempfile::TempDir, CalendarCase) {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::open(dir.path().join("receipts")).unwrap();
    chain(&vault, plan_name);
    let (records, _) = vault.read(ORDER).unwrap();
    let case = calendar::case_of(ORDER, &records).unwrap();
    (dir, case)
}

/// CRLF everywhere, no physical line over 75 octets, continuation lines
/// start with a space, and no control character but the line ends.
fn assert_well_formed(doc: &str) {
    assert!(doc.ends_with("\r\n"));
    let body = doc.strip_suffix("\r\n").unwrap();
    for line in body.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line end in {line:?}"
        );
        assert!(!line.chars().any(|c| c.is_control()), "control in {line:?}");
        assert!(!line.is_empty());
    }
}

fn events(doc: &str) -> Vec<icalendar::Event> {
    let parsed: Calendar = doc.parse().unwrap();
    parsed
        .components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn the_case_comes_from_the_receipts() {
    let (_dir, case) = case_with("天翼宽带 1000M");
    assert_eq!(case.order, ORDER);
    let facts = &case.facts;
    assert_eq!(facts.effective_on, d(2026, 11, 25));
    assert_eq!(facts.requested_on, d(2026, 11, 25));
    assert_eq!(facts.fee_charged_on, Some(d(2026, 11, 25)));
    assert_eq!(
        facts.equipment.map(|e| e.unreturned_fee.0),
        Some(10000),
        "broadband, modem quoted"
    );
}

#[test]
fn an_independent_parser_reads_every_follow_up_back() {
    let (_dir, case) = case_with("天翼宽带 1000M");
    for lang in [Lang::Zh, Lang::En] {
        let doc = calendar::ics(&case, lang, stamp());
        assert_well_formed(&doc);
        let events = events(&doc);
        let expected = followups(&case.facts);
        assert_eq!(events.len(), expected.len());
        for (event, followup) in events.iter().zip(&expected) {
            assert_eq!(event.get_start(), Some(DatePerhapsTime::Date(followup.due)));
            let end = followup.last_day.succ_opt().unwrap();
            assert_eq!(event.get_end(), Some(DatePerhapsTime::Date(end)));
            assert_eq!(event.get_timestamp(), Some(stamp()));
            let uid = event.get_uid().unwrap();
            assert_eq!(
                uid,
                format!("{ORDER}-{}@unsubscribe-wizard", followup.kind.id())
            );
            assert!(event.get_summary().is_some_and(|s| !s.is_empty()));
            let alarm = event.components().first().unwrap();
            assert_eq!(alarm.component_kind(), "VALARM");
            assert_eq!(alarm.property_value("ACTION"), Some("DISPLAY"));
            assert!(alarm.property_value("TRIGGER").is_some());
        }
        let bill = events
            .iter()
            .zip(&expected)
            .find(|(_, f)| f.kind == FollowUpKind::CheckFirstBill)
            .map(|(e, _)| e)
            .unwrap();
        assert!(bill.get_summary().unwrap().contains("¥199.00"));
        assert!(bill.get_description().unwrap().contains("2026-12-01"));
        assert!(bill.get_description().unwrap().contains("10000"), "hotline");
    }
}

#[test]
fn a_hostile_plan_name_is_escaped_folded_and_read_back_as_shown() {
    let (_dir, case) = case_with(HOSTILE);
    let doc = calendar::ics(&case, Lang::En, stamp());
    assert_well_formed(&doc);
    assert!(!doc.contains('\u{1b}') && !doc.contains('\u{202e}') && !doc.contains('\u{7}'));
    // The name as every other command shows it: sanitised, then escaped.
    let shown = text::field(HOSTILE, 120);
    assert!(shown.contains(";1000M,") && shown.contains("\\x0d\\x0a"));
    let events = events(&doc);
    let stop = &events[0];
    assert_eq!(
        stop.get_summary(),
        Some(format!("Stop using {shown}").as_str())
    );
    let description = stop.get_description().unwrap();
    assert!(
        description.contains("\n\nOrder CT20261125001"),
        "{description:?}"
    );
    // Long lines were folded, and folding split no character.
    assert!(doc.contains("\r\n "));
    assert!(std::str::from_utf8(doc.as_bytes()).is_ok());
}

#[test]
fn snapshot_of_the_telecom_broadband_calendar() {
    let (_dir, case) = case_with("天翼宽带 1000M");
    for (lang, name) in [(Lang::En, "calendar_en"), (Lang::Zh, "calendar_zh")] {
        let doc = calendar::ics(&case, lang, stamp());
        // Snapshot files keep LF; that every line ends in CRLF is checked above.
        insta::assert_snapshot!(name, doc.replace("\r\n", "\n"));
    }
}

#[test]
fn the_binary_writes_the_file_and_refuses_what_it_cannot_plan() {
    let home = Home::new();
    chain(&home.vault(), "天翼宽带 1000M");
    let out = home.dir.path().join("followups.ics");
    let out_arg = out.to_str().unwrap();
    let (stdout, _) = run_expect(&home, &["receipts", "calendar", ORDER, "--out", out_arg], 0);
    assert!(stdout.contains("Calendar written to"), "{stdout}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert_well_formed(&written);
    assert_eq!(events(&written).len(), 6);
    // Standard output, in Chinese.
    let (doc, _) = run_expect(&home, &["--lang", "zh", "receipts", "calendar", ORDER], 0);
    assert!(doc.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(doc.contains("SUMMARY:停止使用「天翼宽带 1000M」"));
    // A folder is not a file to replace; an unknown order is named.
    let dir_arg = home.dir.path().to_str().unwrap();
    let (_, err) = run_expect(&home, &["receipts", "calendar", ORDER, "--out", dir_arg], 1);
    assert!(err.contains("not a regular file"), "{err}");
    let (_, err) = run_expect(&home, &["receipts", "calendar", "CT404"], 1);
    assert!(err.contains("no receipts for order CT404"), "{err}");
    // A chain that never reached the carrier has nothing to follow up.
    home.vault()
        .append("1", &receipt(None, 1, quote("宽带")))
        .unwrap();
    let (_, err) = run_expect(&home, &["receipts", "calendar", "draft-1"], 1);
    assert!(err.contains("never submitted"), "{err}");
}
