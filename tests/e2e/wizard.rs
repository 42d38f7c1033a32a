//! The real binary in a pseudo-terminal, on the embedded sandbox, driven the
//! way a person would: type the number, read the SMS code off the sandbox
//! phone panel, log in, and go through to the end.

use std::time::Duration;

use crate::testkit::pty::keys::{ENTER, TAB};
use crate::testkit::pty::{Pty, wizard_command};

const WAIT: Duration = Duration::from_secs(40);

/// The newest 6-digit code in a screen region (the sandbox phone panel).
fn code_on_phone(panel: &str) -> Option<String> {
    let mut found = None;
    for line in panel.lines() {
        let digits: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < digits.len() {
            if digits[i].is_ascii_digit() {
                let start = i;
                while i < digits.len() && digits[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start == 6 {
                    found = Some(digits[start..i].iter().collect());
                }
            } else {
                i += 1;
            }
        }
    }
    found
}

fn start(lang: &str) -> (tempfile::TempDir, Pty) {
    let home = tempfile::tempdir().unwrap();
    let pty = Pty::spawn(wizard_command(home.path(), lang, &[]), 80, 24);
    (home, pty)
}

/// Number → code from the phone → (password) → logged in.
fn log_in(pty: &mut Pty, number: &str, password: Option<&str>) {
    pty.wait_for("●1", WAIT);
    pty.send(number);
    pty.send(ENTER);
    let deadline = std::time::Instant::now() + WAIT;
    let code = loop {
        // The sandbox phone panel sits at the right, from column 50.
        if let Some(code) = code_on_phone(&pty.region(50, 30)) {
            break code;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no code on the phone:\n{}",
            pty.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    pty.send(&code);
    if let Some(password) = password {
        pty.send(TAB);
        pty.send(password);
    }
    pty.send(ENTER);
}

/// 138 0013 8001's data pack, nothing to pay, cancelled in English from
/// the first screen to the Done screen (returned); `quote` looks at the
/// quote on the way.
pub(crate) fn cancel_the_data_pack(pty: &mut Pty, quote: impl Fn(&str)) -> String {
    log_in(pty, "13800138001", None);
    pty.wait_for("流量加油包 30GB", WAIT);
    pty.send(ENTER);
    quote(&pty.wait_for("Total due", WAIT));
    pty.send("李娜");
    pty.send(TAB);
    pty.send("310104198506120457");
    pty.send(ENTER);
    pty.wait_for("nothing is sent before you confirm", WAIT);
    pty.send(ENTER);
    pty.wait_for("is cancelled", WAIT)
}

#[test]
fn zero_total_skips_the_pay_step() {
    let (_home, mut pty) = start("en_US.UTF-8");
    let done = cancel_the_data_pack(&mut pty, |quote| {
        assert!(quote.contains("¥0.00"), "{quote}");
        assert!(quote.contains("2026-12-01"), "{quote}");
    });
    assert!(
        done.contains("✓4 Pay"),
        "the pay step shows as done (skipped):\n{done}"
    );
    assert!(done.contains("¥0.00"), "{done}");
    assert!(done.contains("2026-12-01"), "{done}");
    pty.send(ENTER);
    assert_eq!(pty.wait_exit(WAIT), Some(0));
}

#[test]
fn retention_declined_and_paid_from_balance() {
    let (_home, mut pty) = start("en_US.UTF-8");
    log_in(&mut pty, "18600186000", Some("135790"));
    pty.wait_for("沃家宽带 500M", WAIT);
    pty.send(ENTER);
    let offer = pty.wait_for("retention offer", WAIT);
    assert!(
        offer.contains("¥94.60") && offer.contains("-¥21.50") && offer.contains("¥116.10"),
        "{offer}"
    );
    assert!(offer.contains("¥64.50"), "{offer}");
    pty.send("n"); // keep cancelling
    pty.send("刘洋");
    pty.send(TAB);
    pty.send("510107197808156721");
    pty.send(ENTER);
    pty.wait_for("nothing is sent before you confirm", WAIT);
    pty.send(ENTER);
    let pay = pty.wait_for("Account balance", WAIT);
    assert!(pay.contains("¥94.60") && pay.contains("¥300.00"), "{pay}");
    pty.send(ENTER); // balance is the first choice
    let ask = pty.wait_for("from the account balance?", WAIT);
    assert!(ask.contains("¥94.60"), "{ask}");
    pty.send("y");
    let done = pty.wait_for("is cancelled", WAIT);
    assert!(done.contains("Paid") && done.contains("¥94.60"), "{done}");
    assert!(
        done.contains("10010"),
        "the pickup reminder names the official hotline:\n{done}"
    );
    pty.send(ENTER);
    assert_eq!(pty.wait_exit(WAIT), Some(0));
}

#[test]
fn frozen_account_is_blocked_with_10086() {
    let (_home, mut pty) = start("zh_CN.UTF-8");
    log_in(&mut pty, "13900139000", None);
    let blocked = pty.wait_until("the blocked screen", WAIT, |s| s.contains("冻结"));
    assert!(blocked.contains("10086"), "{blocked}");
    for fake in ["10010", "10000", "400-"] {
        assert!(
            !blocked.contains(fake),
            "only the official hotline may show:\n{blocked}"
        );
    }
    pty.send("q");
    assert_eq!(pty.wait_exit(WAIT), Some(0));
}
