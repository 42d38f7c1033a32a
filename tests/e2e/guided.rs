//! Guided mode, the real binary in a pseudo-terminal (issue 14): one case per
//! carrier through its recommended channel — China Mobile by SMS, China
//! Unicom through the app, China Telecom by hotline, broadband at the
//! business hall — pasting real-format carrier texts (bracketed paste, as a
//! terminal sends them), each ending terminated with its receipts chain
//! intact and the pasted texts in `receipts show`; and a case killed while
//! it waits for the confirmation text, resumed where it stood.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use crate::testkit::pty::keys::{ENTER, LEFT, RIGHT, TAB};
use crate::testkit::pty::{Pty, binary, wizard_command, wizard_env};

const WAIT: Duration = Duration::from_secs(40);
const EN: &str = "en_US.UTF-8";
const ZH: &str = "zh_CN.UTF-8";

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sms")
        .join(format!("{name}.txt"));
    std::fs::read_to_string(path).unwrap()
}

fn start(home: &Path, lang: &str) -> Pty {
    Pty::spawn(wizard_command(home, lang, &["--mode", "guided"]), 100, 30)
}

/// A paste as a terminal sends it with bracketed paste on: one event.
fn paste(pty: &mut Pty, text: &str) {
    let mut bytes = b"\x1b[200~".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes.extend_from_slice(b"\x1b[201~");
    pty.send_bytes(&bytes);
    std::thread::sleep(Duration::from_millis(150));
}

/// The binary's other commands, on the same data folder.
fn cli(home: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(binary());
    cmd.args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    for (k, v) in wizard_env(home, EN) {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The one guided case's number (`G…`), from `status --json`.
fn case_id(home: &Path) -> String {
    let out = cli(home, &["status", "--json"]);
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    lines[0]["order"].as_str().unwrap().to_owned()
}

/// The chain is intact and holds every pasted text verbatim.
fn receipts_hold(home: &Path, case: &str, texts: &[&str]) {
    let verify = cli(home, &["receipts", "verify", case]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    let show = stdout(&cli(home, &["receipts", "show", case]));
    for text in texts {
        let first = text.lines().next().unwrap().trim();
        let probe: String = first.chars().take(20).collect();
        assert!(show.contains(&probe), "{probe:?} not in:\n{show}");
    }
    assert!(show.contains("Chain intact"), "{show}");
}

/// Step 1 in English: the number, the package kind moved one way from the
/// default (value-added service) when asked, and on with the recommended
/// channel once the screen names it.
fn identify(pty: &mut Pty, number: &str, kind: Option<(&str, &str)>, channel: &str) {
    pty.wait_for("never asks for an SMS code", WAIT);
    pty.send(number);
    if let Some((key, name)) = kind {
        pty.send(TAB);
        pty.send(TAB);
        pty.send(key);
        pty.wait_for(&format!("‹ {name} ›"), WAIT);
    }
    pty.wait_for(&format!("Why {channel}"), WAIT);
    pty.send(ENTER);
}

/// Types the package by hand on the package screen (`h`).
fn by_hand(pty: &mut Pty, name: &str, fee: &str) {
    pty.send("h");
    pty.send(name);
    pty.send(TAB);
    pty.send(fee);
    pty.send(ENTER);
}

/// Records what the carrier quoted (as typed) and goes on.
fn quote(pty: &mut Pty, penalty: &str, recorded: &str) {
    pty.send(penalty);
    pty.send(ENTER);
    pty.wait_for(recorded, WAIT);
    pty.send(ENTER);
}

#[test]
fn china_mobile_data_pack_by_sms_pasting_the_0000_list_and_the_confirmation() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = start(home.path(), EN);
    identify(&mut pty, "13800138000", Some((LEFT, "Data pack")), "SMS");

    let list = fixture("cmcc-service-list-0000-02");
    pty.wait_for("Never reply 是", WAIT);
    paste(&mut pty, &list);
    pty.wait_for("流量加油包30GB", WAIT);
    pty.send(ENTER);
    pty.wait_for("reply “1”", WAIT);
    pty.wait_for("Data pack · 流量加油包30GB", WAIT);

    let confirmation = fixture("cmcc-cancelled-next-month-02");
    paste(&mut pty, &confirmation);
    pty.wait_for("What did the carrier quote?", WAIT);
    quote(&mut pty, "", "Recorded:");
    pty.wait_for("the carrier's text", WAIT);
    pty.send(ENTER);
    assert_eq!(pty.wait_exit(WAIT), Some(0));

    let case = case_id(home.path());
    assert!(case.starts_with('G'), "{case}");
    receipts_hold(home.path(), &case, &[&list, &confirmation]);
}

#[test]
fn china_unicom_through_the_app_with_the_package_typed_by_hand() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = start(home.path(), ZH);
    pty.wait_for("服务密码", WAIT);
    pty.send("13012345678");
    pty.wait_for("中国联通", WAIT);
    pty.send(ENTER);
    pty.wait_for("已订业务", WAIT);
    by_hand(&mut pty, "腾讯视频会员", "20");
    // The app's path, then "I did it".
    pty.wait_for("腾讯视频会员", WAIT);
    pty.send("a");
    quote(&mut pty, "", "已记录");
    let confirmation = fixture("cu-cancelled-missing-01");
    pty.wait_for("12300", WAIT);
    paste(&mut pty, &confirmation);
    pty.wait_for("确认来源", WAIT);
    pty.send(ENTER);
    assert_eq!(pty.wait_exit(WAIT), Some(0));

    let case = case_id(home.path());
    receipts_hold(home.path(), &case, &[&confirmation]);
    // The text lacks the price and the date: the complaint says so.
    let complaint = stdout(&cli(home.path(), &["receipts", "complaint", &case]));
    assert!(complaint.contains("未写明资费、生效日期"), "{complaint}");
}

#[test]
fn china_telecom_by_hotline_with_a_reference_and_the_persons_word() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = start(home.path(), EN);
    identify(&mut pty, "13300133000", None, "Hotline");
    pty.wait_for("press h", WAIT);
    by_hand(&mut pty, "天翼云盘会员", "10");
    pty.wait_for("受理单号", WAIT);
    pty.send("r");
    pty.send("SL2026120300017");
    pty.send(ENTER);
    pty.wait_for("What did the carrier quote?", WAIT);
    quote(&mut pty, "0", "Recorded:");
    pty.wait_for("SL2026120300017", WAIT);
    pty.send("x");
    pty.send(ENTER);
    pty.wait_for("your statement (no carrier text)", WAIT);
    pty.send(ENTER);
    assert_eq!(pty.wait_exit(WAIT), Some(0));

    let case = case_id(home.path());
    receipts_hold(home.path(), &case, &[]);
    let show = stdout(&cli(home.path(), &["receipts", "show", &case]));
    assert!(show.contains("the person's statement"), "{show}");
    assert!(show.contains("SL2026120300017"), "{show}");
}

#[test]
fn broadband_at_the_hall_killed_while_waiting_resumes_there() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = start(home.path(), EN);
    identify(
        &mut pty,
        "13800138000",
        Some((RIGHT, "Broadband")),
        "Business hall",
    );
    pty.wait_for("press h", WAIT);
    by_hand(&mut pty, "宽带 100M", "50");
    pty.wait_for("Ask for:", WAIT);
    pty.send("a");
    quote(&mut pty, "", "Recorded:");
    pty.wait_for("You can quit now", WAIT);
    let accepted = fixture("cmcc-accepted-broadband-01");
    paste(&mut pty, &accepted);
    pty.wait_for("accepted (受理)", WAIT);
    pty.kill();

    // Started again: the case is offered, and resumes where it waited.
    let mut pty = start(home.path(), EN);
    pty.wait_for("宽带 100M", WAIT);
    pty.send("y");
    pty.wait_for("You can quit now", WAIT);
    // The hall gives paper, not a text: the person says it is done.
    pty.send("x");
    pty.send("2026-12-01");
    pty.send(ENTER);
    pty.wait_for("Return the broadband equipment", WAIT);
    pty.wait_for("your statement (no carrier text)", WAIT);
    pty.send(ENTER);
    assert_eq!(pty.wait_exit(WAIT), Some(0));

    let case = case_id(home.path());
    receipts_hold(home.path(), &case, &[&accepted]);
}
