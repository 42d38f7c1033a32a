//! The line front end (`--plain`), scripted end to end: a file of answers
//! piped into the real binary completes each sandbox scenario; no escape
//! byte is ever printed; the receipts are the flow's; a case stopped by the
//! end of input resumes on the next run.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_unsubscribe-wizard")
}

/// Runs the wizard in `home` with `args`, `answers` piped into it.
fn wizard(home: &Path, args: &[&str], answers: &str) -> Output {
    let mut child = Command::new(binary())
        .args(args)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("TERM")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A sandbox run in English; its output, checked for escape bytes.
fn plain(home: &Path, answers: &str, exit: i32) -> String {
    in_mode("sandbox", home, answers, exit)
}

/// A run in `mode`, in English; its output, checked for escape bytes.
fn in_mode(mode: &str, home: &Path, answers: &str, exit: i32) -> String {
    let out = wizard(home, &["--plain", "--mode", mode, "--lang", "en"], answers);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.as_bytes().contains(&0x1b),
        "an escape byte: {stdout}"
    );
    assert!(!out.stderr.contains(&0x1b));
    assert_eq!(out.status.code(), Some(exit), "{stdout}");
    stdout
}

/// The receipts of `order`, as `receipts export --format json` gives them:
/// each record's type, and what was paid.
fn receipts(home: &Path, order: &str) -> (Vec<String>, i64) {
    let out = wizard(home, &["receipts", "export", order, "--format", "json"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let export: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(export["intact"], true);
    let types = export["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["receipt"]["event"]["type"].as_str().unwrap().to_owned())
        .collect();
    (types, export["paid_fen"].as_i64().unwrap_or(0))
}

const ORDER: &str = "OD20261125000002";

fn has_lines(out: &str, lines: &[&str]) {
    for line in lines {
        assert!(
            out.lines().any(|l| l == *line),
            "no line {line:?} in:\n{out}"
        );
    }
}

#[test]
fn mobile_broadband_by_card_after_a_declined_card() {
    let home = tempfile::tempdir().unwrap();
    let out = plain(
        home.path(),
        "13800138000\np\n1\n张伟\n110101199003071233\n\n\ny\n2\n6217000000000000004\n2\n6222021234567890128\n",
        0,
    );
    has_lines(
        &out,
        &[
            "Step 3 of 6: Submit",
            "Penalty: 提前解约违约金 ¥207.90",
            "Total due: ¥207.90",
            "Step 6 of 6: Done",
            "Paid: ¥207.90",
        ],
    );
    assert!(
        !out.contains("6222021234567890128"),
        "a secret printed back"
    );
    assert!(!out.contains("110101199003071233"), "a secret printed back");
    let (types, paid) = receipts(home.path(), ORDER);
    assert_eq!(paid, 20790);
    for kind in [
        "quote_shown",
        "application_submitted",
        "order_created",
        "finished",
    ] {
        assert!(types.iter().any(|t| t == kind), "{kind} missing: {types:?}");
    }
}

#[test]
fn mobile_data_pack_with_nothing_to_pay() {
    let home = tempfile::tempdir().unwrap();
    let out = plain(
        home.path(),
        "13800138001\np\n1\n李娜\n310104198506120457\n\n1\ny\n",
        0,
    );
    has_lines(&out, &["Total due: ¥0.00", "Takes effect 2026-12-01"]);
    assert!(!out.contains("Step 4 of 6"), "the pay step is skipped");
    let (types, paid) = receipts(home.path(), ORDER);
    assert_eq!(paid, 0);
    assert_eq!(
        types,
        [
            "quote_shown",
            "application_submitted",
            "order_created",
            "notice_received",
            "status_changed",
            "finished",
            "notice_received"
        ]
    );
}

#[test]
fn a_frozen_account_is_blocked_with_the_hotline() {
    let home = tempfile::tempdir().unwrap();
    let out = plain(home.path(), "13900139000\np\n", 4);
    assert!(out.contains("10086"), "{out}");
}

#[test]
fn unicom_broadband_declines_the_offer_and_pays_from_the_balance() {
    let home = tempfile::tempdir().unwrap();
    let out = plain(
        home.path(),
        "18600186000\n135790\np\n1\nn\n刘洋\n510107197808156721\n\n\ny\n1\n",
        0,
    );
    has_lines(
        &out,
        &[
            "Penalty: 提前解约违约金 ¥116.10",
            "Total due: ¥94.60",
            "Paid: ¥94.60",
        ],
    );
    let fees: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("Fees"))
        .take(4)
        .collect();
    assert!(fees[3].starts_with("Total due"), "the total last: {fees:?}");
    assert!(!out.contains("135790"), "the password printed back");
    assert_eq!(receipts(home.path(), ORDER).1, 9460);
}

#[test]
fn unicom_with_nothing_cancellable_ends_with_guidance() {
    let home = tempfile::tempdir().unwrap();
    let out = plain(home.path(), "18600186001\n246802\np\n", 0);
    assert!(
        out.contains("Nothing on this number can be cancelled"),
        "{out}"
    );
}

#[test]
fn telecom_broadband_by_qr_shows_the_link_as_text() {
    let home = tempfile::tempdir().unwrap();
    let out = plain(
        home.path(),
        "13300133000\np\n1\n杨帆\n330106199501011172\n\n\ny\n3\n",
        0,
    );
    has_lines(&out, &["Total due: ¥159.70", "Paid: ¥159.70"]);
    assert!(out.contains("https://"), "the payment link as text: {out}");
    assert_eq!(receipts(home.path(), ORDER).1, 15970);
}

#[test]
fn a_stalling_order_stopped_resumes_on_the_next_run() {
    let home = tempfile::tempdir().unwrap();
    let out = plain(
        home.path(),
        "13300133001\np\n1\n赵磊\n420102198707040018\n\n\ny\nq\n",
        3,
    );
    assert!(out.contains("kept in the journal"), "{out}");
    // The next run offers it, logs in again, and stops following it.
    let out = plain(home.path(), "y\n\np\na\n", 4);
    assert!(out.contains("Resume it?"), "{out}");
    let (types, _) = receipts(home.path(), ORDER);
    assert_eq!(types.iter().filter(|t| *t == "order_created").count(), 1);
    assert_eq!(types.last().map(String::as_str), Some("finished"));
}

#[test]
fn the_end_of_input_before_the_end_is_in_progress_and_nonsense_is_answered() {
    let home = tempfile::tempdir().unwrap();
    let out = plain(home.path(), "hello\n\u{1b}[31m\n", 3);
    assert!(
        out.contains("Expected: How to cancel?") || out.contains("Expected:"),
        "{out}"
    );
    assert!(out.contains("kept in the journal"), "{out}");
}

#[test]
fn without_a_terminal_the_first_line_says_line_mode() {
    let home = tempfile::tempdir().unwrap();
    let out = wizard(home.path(), &["--lang", "en"], "");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().next(), Some("No terminal: line mode."));
    assert_eq!(out.status.code(), Some(3));
}

/// One step's plain output, in both languages.
#[test]
fn the_plan_step_in_zh_and_en() {
    for lang in ["en", "zh"] {
        let home = tempfile::tempdir().unwrap();
        let args = ["--plain", "--mode", "sandbox", "--lang", lang];
        let out = wizard(home.path(), &args, "13800138000\np\n");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let step: Vec<&str> = stdout
            .lines()
            .skip_while(|l| !l.contains("2/6") && !l.contains("2 of 6"))
            .collect();
        insta::assert_snapshot!(format!("plain_plan_step_{lang}"), step.join("\n"));
    }
}

// ---- guided mode: one case per carrier, the person as the transport ----

const CMCC_LIST: &str = include_str!("../fixtures/sms/cmcc-service-list-0000-02.txt");
const CMCC_CANCELLED: &str = include_str!("../fixtures/sms/cmcc-cancelled-next-month-02.txt");
const CMCC_BROADBAND_ACCEPTED: &str =
    include_str!("../fixtures/sms/cmcc-accepted-broadband-01.txt");
const CMCC_LOGIN_CODE: &str = include_str!("../fixtures/sms/cmcc-login-code-migu-01.txt");
const CU_CANCELLED: &str = include_str!("../fixtures/sms/cu-cancelled-missing-01.txt");

/// A guided run in English; its output, checked for escape bytes.
fn guided(home: &Path, answers: &str, exit: i32) -> String {
    in_mode("guided", home, answers, exit)
}

/// A carrier text pasted: `t` (and a sender), its lines, an empty line.
fn pasted(sender: &str, text: &str) -> String {
    format!("t {sender}\n{}\n\n", text.trim_end())
}

/// The case's number, as the dialogue printed it.
fn case_of(out: &str) -> String {
    let line = out.lines().find(|l| l.starts_with("Case G")).unwrap();
    line.trim_start_matches("Case ").to_owned()
}

/// `receipts verify` passes, and `receipts show` lists every `text` given.
fn receipts_hold(home: &Path, case: &str, texts: &[&str]) {
    let verify = wizard(home, &["receipts", "verify"], "");
    assert_eq!(verify.status.code(), Some(0), "{verify:?}");
    let show = wizard(home, &["receipts", "show", case], "");
    let shown = String::from_utf8(show.stdout).unwrap();
    for text in texts {
        assert!(shown.contains(text), "{text:?} not in:\n{shown}");
    }
}

#[test]
fn guided_china_mobile_data_pack_by_sms_from_the_list_to_its_confirmation() {
    let home = tempfile::tempdir().unwrap();
    let answers = format!(
        "13800138000\n\n1\n\n{}1\n{}{}0\n\n\n\ny\n",
        pasted("10086977", CMCC_LIST),
        pasted("10086", CMCC_LOGIN_CODE),
        pasted("10086", CMCC_CANCELLED),
    );
    let out = guided(home.path(), &answers, 0);
    has_lines(
        &out,
        &[
            "Guided mode never asks for an SMS code or a password: they are for the carrier only. Never tell them to anyone, the wizard included.",
            "1 = SMS (recommended)",
            "1. 流量加油包30GB ¥30.00/month",
            "   As text (the full-screen wizard shows a QR code): SMSTO:10086:0000",
            "   As text (the full-screen wizard shows a QR code): SMSTO:10086977:1",
            "That is a login code: never type it anywhere but the carrier's own page. It is not kept.",
            "Total due: ¥0.00",
            "Step 6 of 6: Done",
            "The carrier's own text confirms it (pasted, kept as evidence).",
        ],
    );
    assert!(!out.contains("930528"), "the login code printed back");
    let case = case_of(&out);
    receipts_hold(home.path(), &case, &["流量加油包30GB", "下月1日生效"]);
    let show = wizard(home.path(), &["receipts", "show", &case], "");
    assert!(!String::from_utf8_lossy(&show.stdout).contains("930528"));
}

#[test]
fn guided_china_unicom_through_the_app_flags_what_the_confirmation_lacks() {
    let home = tempfile::tempdir().unwrap();
    let answers = format!(
        "18600186000\ny\n2\n\nm\n腾讯视频会员\n15\n\nd\n0\n\n\n\ny\n{}",
        pasted("10010", CU_CANCELLED)
    );
    let out = guided(home.path(), &answers, 0);
    has_lines(
        &out,
        &[
            "Recommended: the carrier's app. Unicom's own messages point to the app's 我的 → 我已订购 (my orders) to cancel; no official SMS cancel command was found.",
            "Through the carrier's app:",
            "   Path: 我的 → 我已订购",
            "Step 5 of 6: Confirmation",
            "“腾讯视频会员” is cancelled.",
            "The confirmation states no price, which carriers must state since 2012: ask the carrier for it and keep the answer.",
        ],
    );
    receipts_hold(home.path(), &case_of(&out), &["腾讯视频会员"]);
}

#[test]
fn guided_china_telecom_by_hotline_ends_on_the_persons_word() {
    let home = tempfile::tempdir().unwrap();
    let out = guided(
        home.path(),
        "13300133000\n\n2\n3\nm\n天翼云盘会员\n10\n2027-03-31\nr ../etc\nr SL2026112500017\n100\n\n\n2026-12-01\ny\nc\n2026-12-01\n",
        0,
    );
    has_lines(
        &out,
        &[
            "Through the hotline:",
            "   Call 10000",
            "   As text (the full-screen wizard shows a QR code): tel:10000",
            "A reference number has 1 to 64 letters, digits, - or _; type it as the carrier gave it.",
            "Reference: SL2026112500017",
            "Total due: ¥100.00",
        ],
    );
    assert!(out.contains("differs from the estimate by"), "{out}");
    assert!(out.contains("On your word"), "{out}");
    receipts_hold(
        home.path(),
        &case_of(&out),
        &["SL2026112500017", "the carrier told me it is cancelled"],
    );
}

#[test]
fn guided_broadband_at_the_hall_stops_at_the_end_of_input_and_resumes() {
    let home = tempfile::tempdir().unwrap();
    let answers = format!(
        "13800138000\n\n3\n2\n\nm\n宽带 100M\n128\n2027-03-31\n{}200\n100\n20\n2026-12-01\ny\n",
        pasted("10086", CMCC_BROADBAND_ACCEPTED)
    );
    let out = guided(home.path(), &answers, 3);
    has_lines(
        &out,
        &[
            "The carrier accepted the request: it is in progress.",
            "Penalty: ¥200.00",
            "Equipment: ¥100.00",
            "Refund: -¥20.00",
            "Total due: ¥280.00",
            "Step 5 of 6: Confirmation",
        ],
    );
    assert!(
        out.contains("2 = the carrier's app: cannot do this."),
        "{out}"
    );
    assert!(out.contains("kept in the journal"), "{out}");
    let case = case_of(&out);
    // The next run offers the case. A confirmation of another product does
    // not end it; the hall's word, told by the person, does.
    let out = guided(
        home.path(),
        &format!("y\n{}c\n2026-12-01\n", pasted("10086", CMCC_CANCELLED)),
        0,
    );
    assert!(out.contains("Resume it?"), "{out}");
    assert!(out.contains("another product"), "{out}");
    has_lines(&out, &["Step 6 of 6: Done"]);
    assert!(out.contains("On your word"), "{out}");
    assert!(out.contains("book a pickup"), "after-care: {out}");
    receipts_hold(home.path(), &case, &["宽带拆机", "流量加油包30GB"]);
}
