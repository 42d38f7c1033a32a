//! A guided case on disk (issue 14 item 5): the journal and the receipt
//! chain as the wizard leaves them, `status` saying what it waits for and
//! since when, `receipts add` filing a later text without the wizard, and
//! the export and complaint keeping carrier texts and statements apart —
//! with no payment claimed.

use std::fs;
use std::path::Path;

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use unsubscribe_wizard::core::channels::{Channel, Kind as PackageKind};
use unsubscribe_wizard::core::flow::guided::{Quoted, Source, Statement};
use unsubscribe_wizard::core::flow::{Effect, Event, Mode, State, step};
use unsubscribe_wizard::core::model::{CarrierId, KeySeed};
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::store::journal::Journal;

use crate::chains::{Home, run_expect, texts};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sms");

fn fixture(name: &str) -> String {
    fs::read_to_string(Path::new(FIXTURES).join(format!("{name}.txt"))).unwrap()
}

/// A day before now: the follow-ups' dates count from the real today, so
/// the case must be recent for none of them to be due yet.
fn yesterday() -> DateTime<Utc> {
    Utc::now() - TimeDelta::days(1)
}

fn day(at: DateTime<Utc>) -> chrono::NaiveDate {
    unsubscribe_wizard::core::flow::guided::china_date(at)
}

/// A China Mobile data pack cancelled by SMS, begun yesterday, up to
/// awaiting the confirmation: journalled and receipted as the wizard does
/// it.
fn awaiting(home: &Home) -> (State, String) {
    awaiting_since(home, yesterday())
}

fn awaiting_since(home: &Home, t0: DateTime<Utc>) -> (State, String) {
    let journal = Journal::open(home.data().join("journal")).unwrap();
    let vault = home.vault();
    let mut state = State::new(KeySeed([9; 16]), t0);
    let events = [
        Event::ChooseMode(Mode::Guided),
        Event::Identify {
            msisdn: validate::phone("13800138000").unwrap().0,
            carrier: CarrierId::ChinaMobile,
            kind: PackageKind::DataPack,
            channel: Channel::Sms,
        },
        Event::PasteSms {
            text: fixture("cmcc-service-list-0000-02"),
            from: Some("10086977".into()),
        },
        Event::PickPackage { index: 0 },
        Event::Say(Statement::Reference {
            reference: "SL20261125001".into(),
        }),
        Event::EnterQuote(Quoted::nothing_due(Source::Statement)),
        Event::Confirm,
    ];
    for (n, event) in events.into_iter().enumerate() {
        let now = t0 + TimeDelta::minutes(n as i64);
        let transition = step(&state, event, now).unwrap();
        state = transition.state;
        for effect in &transition.effects {
            match effect {
                Effect::WriteReceipt(r) => {
                    vault.append("unused", r).unwrap();
                }
                Effect::PersistJournal => {
                    journal.save(&state).unwrap();
                }
                Effect::Call(call) => panic!("guided mode called the carrier: {call:?}"),
            }
        }
    }
    let case = state.facts.case_id().unwrap().to_owned();
    (state, case)
}

fn write(home: &Home, name: &str, text: &str) -> String {
    let path = home.dir.path().join(name);
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn a_guided_case_waits_then_a_later_text_files_and_ends_it() {
    let home = Home::new();
    let t0 = yesterday();
    let (_, case) = awaiting_since(&home, t0);
    assert!(
        case.starts_with(&format!("G{}-", day(t0).format("%Y%m%d"))),
        "{case}"
    );

    let (json, _) = run_expect(&home, &["status", "--json"], 3);
    assert!(
        json.contains("\"mode\": \"guided\"") || json.contains("\"mode\":\"guided\""),
        "{json}"
    );
    assert!(json.contains(&case), "{json}");
    assert!(json.contains("confirmation SMS"), "{json}");
    assert!(json.contains("waiting_since"), "{json}");
    let (text, _) = run_expect(&home, &["status"], 3);
    assert!(text.contains("waiting for the confirmation SMS"), "{text}");
    assert!(text.contains("SL20261125001"), "{text}");

    // A login code is never kept, and an opt-out of reminders ends nothing.
    let code = write(&home, "code.txt", &fixture("cmcc-login-code-migu-01"));
    let (said, _) = run_expect(&home, &["receipts", "add", &case, "--sms", &code], 0);
    assert!(said.contains("NOT kept"), "{said}");
    let opt_out = write(&home, "optout.txt", &fixture("cmcc-opt-out-reminder-01"));
    let (said, _) = run_expect(&home, &["receipts", "add", &case, "--sms", &opt_out], 0);
    assert!(said.contains("NOT a cancellation"), "{said}");
    run_expect(&home, &["status"], 3);

    let confirmation = fixture("cmcc-cancelled-next-month-02");
    let file = write(&home, "confirm.txt", &confirmation);
    let args = ["receipts", "add", &case, "--sms", &file, "--from", "10086"];
    let (said, _) = run_expect(&home, &args, 0);
    assert!(said.contains("confirmation"), "{said}");
    let (status, _) = run_expect(&home, &["status"], 0);
    assert!(status.contains("cancelled"), "{status}");

    let (show, _) = run_expect(&home, &["receipts", "show", &case], 0);
    assert!(
        show.contains(confirmation.trim().lines().next().unwrap()),
        "{show}"
    );
    assert!(show.contains("Chain intact"), "{show}");
    assert!(
        !show.contains("930528"),
        "a login code reached the receipts: {show}"
    );
    let all: String = walk(&home.data());
    assert!(!all.contains("930528"), "a login code reached the disk");
    run_expect(&home, &["receipts", "verify", &case], 0);

    let (md, _) = run_expect(&home, &["receipts", "export", &case], 0);
    assert!(md.contains("Carrier texts (verbatim"), "{md}");
    assert!(md.contains("My statements (not carrier texts)"), "{md}");
    assert!(md.contains("SL20261125001"), "{md}");
    assert!(
        !md.contains("已付 Paid"),
        "guided mode claims no payment: {md}"
    );
    assert!(md.contains("not handled by the wizard"), "{md}");
    // 下月1日, resolved against the day the text was filed (today).
    let today = day(Utc::now());
    let next_month = today
        .with_day(1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .unwrap();
    assert!(
        md.contains(&next_month.to_string()),
        "the effective date: {md}"
    );

    let (complaint, _) = run_expect(&home, &["receipts", "complaint", &case], 0);
    assert!(complaint.contains("受理单号 SL20261125001"), "{complaint}");
    assert!(
        complaint.contains("本人陈述"),
        "the reference is a statement: {complaint}"
    );
    let due = day(t0 + TimeDelta::minutes(4) + TimeDelta::days(15));
    assert!(
        complaint.contains(&format!("due by {due}")),
        "15 days from 受理: {complaint}"
    );
}

#[test]
fn receipts_add_refuses_what_is_not_one_text() {
    let home = Home::new();
    let (_, case) = awaiting(&home);
    let empty = write(&home, "empty.txt", "  \n");
    let out = home.run(&["receipts", "add", &case, "--sms", &empty]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("holds no text"), "{err}");

    let binary = home.dir.path().join("bin.dat");
    fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let out = home.run(&["receipts", "add", &case, "--sms", binary.to_str().unwrap()]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("not UTF-8"), "{err}");

    let huge = write(&home, "huge.txt", &"短信".repeat(40_000));
    let out = home.run(&["receipts", "add", &case, "--sms", &huge]);
    assert_eq!(out.status.code(), Some(1));

    let unknown = write(&home, "t.txt", &fixture("cmcc-cancelled-next-month-02"));
    let out = home.run(&["receipts", "add", "G20990101-ABCDEF", "--sms", &unknown]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("receipts list"), "{err}");
}

fn walk(dir: &Path) -> String {
    let mut all = String::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.push_str(&walk(&path));
        } else if let Ok(text) = fs::read_to_string(&path) {
            all.push_str(&text);
        }
    }
    all
}

#[test]
fn follow_ups_are_listed_until_done_and_a_due_one_makes_status_exit_3() {
    let home = Home::new();
    // Cancelled 40 days ago, effective that day: the carrier's answer and
    // the first bill are due now.
    let t0 = Utc::now() - TimeDelta::days(40);
    let (state, case) = awaiting_since(&home, t0);
    let journal = Journal::open(home.data().join("journal")).unwrap();
    let said = Event::Say(Statement::Cancelled {
        effective_date: Some(day(t0)),
    });
    let transition = step(&state, said, t0 + TimeDelta::hours(2)).unwrap();
    for effect in &transition.effects {
        if let Effect::WriteReceipt(r) = effect {
            home.vault().append("unused", r).unwrap();
        }
    }
    journal.save(&transition.state).unwrap();

    let (json, _) = run_expect(&home, &["status", "--json"], 3);
    assert!(json.contains("\"carrier_answer\""), "{json}");
    assert!(json.contains("\"check_first_bill\""), "{json}");
    assert!(json.contains("\"overdue\": true"), "{json}");
    assert!(
        !json.contains("stop_using"),
        "a past notice drops off: {json}"
    );
    let (text, _) = run_expect(&home, &["status"], 3);
    assert!(text.contains("DUE"), "{text}");

    let out = home.run(&["receipts", "done", &case, "pay_the_bill"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("check_first_bill"), "names the kinds: {err}");
    run_expect(&home, &["receipts", "done", &case, "carrier_answer"], 0);

    // A bill still charging for the pack: said, kept, and in the complaint.
    let charged = write(
        &home,
        "bill1.txt",
        "【中国移动】您本月账单：套餐及固定费 58.00元；流量加油包30GB 30.00元；合计 88.00元。",
    );
    let (said, _) = run_expect(&home, &["receipts", "bill", &case, "--sms", &charged], 0);
    assert!(said.contains("still charges"), "{said}");
    let (complaint, _) = run_expect(&home, &["receipts", "complaint", &case], 0);
    assert!(complaint.contains("流量加油包30GB 30.00元"), "{complaint}");
    run_expect(&home, &["status"], 3);

    let clean = write(
        &home,
        "bill2.txt",
        "【中国移动】您本月账单：套餐及固定费 58.00元；合计 58.00元。",
    );
    let (said, _) = run_expect(&home, &["receipts", "bill", &case, "--sms", &clean], 0);
    assert!(said.contains("no longer appears"), "{said}");
    let (json, _) = run_expect(&home, &["status", "--json"], 0);
    assert!(!json.contains("check_first_bill"), "{json}");
    let (show, _) = run_expect(&home, &["receipts", "show", &case], 0);
    assert!(show.contains("STILL CHARGED"), "{show}");
    assert!(show.contains("follow-up done: carrier_answer"), "{show}");
}

#[test]
fn another_products_cancellation_confirms_nothing_in_the_receipts_either() {
    let home = Home::new();
    let (_, case) = awaiting(&home);
    // 流量共享业务 is cancelled; the case's package is 流量加油包30GB.
    let other = write(&home, "other.txt", &fixture("cmcc-cancelled-next-month-01"));
    let (said, _) = run_expect(&home, &["receipts", "add", &case, "--sms", &other], 0);
    assert!(said.contains("ANOTHER product"), "{said}");
    run_expect(&home, &["status"], 3);
    let (md, _) = run_expect(&home, &["receipts", "export", &case], 0);
    let state = md.lines().find(|l| l.starts_with("| 状态 State")).unwrap();
    assert!(state.contains("awaiting confirmation"), "{state}");
    assert!(md.contains("流量共享业务"), "the text is kept: {md}");
    let (complaint, _) = run_expect(&home, &["receipts", "complaint", &case], 0);
    assert!(complaint.contains("未收到运营商的退订确认"), "{complaint}");
}
