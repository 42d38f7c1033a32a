//! Issue 13 item 1 in the real binary: below 80×24 the "please enlarge"
//! screen shows and the step behind it takes no key — `q` quits even though
//! the hidden Login screen has the cursor in the number field, and Enter on
//! a hidden review screen submits nothing.

use std::time::Duration;

use super::terminal_faults::code_on;
use crate::testkit::pty::keys::{ENTER, TAB};
use crate::testkit::pty::{Pty, wizard_command};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn q_quits_from_the_size_screen_even_over_a_text_field() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(wizard_command(home.path(), "en_US.UTF-8", &[]), 80, 24);
    pty.wait_for("mobile number", WAIT);
    pty.resize(70, 20);
    pty.wait_for("Please enlarge the window", WAIT);
    // Digits typed unseen must not reach the number field.
    pty.send("1860018600");
    pty.send("q");
    let code = pty.wait_exit(Duration::from_secs(10));
    assert_eq!(
        code,
        Some(0),
        "q did not quit from the size screen:\n{}",
        pty.screen()
    );
}

#[test]
fn enter_on_a_hidden_review_screen_submits_nothing() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(wizard_command(home.path(), "en_US.UTF-8", &[]), 100, 34);
    pty.wait_for("mobile number", WAIT);
    pty.send("18600186000");
    pty.send(ENTER);
    let screen = pty.wait_for("验证码为", WAIT);
    pty.send(&code_on(&screen));
    pty.send(TAB);
    pty.send("135790");
    pty.send(ENTER);
    pty.wait_for("沃家宽带 500M", WAIT);
    pty.send(ENTER);
    pty.wait_for("retention offer", WAIT);
    pty.send("n");
    pty.send("刘洋");
    pty.send(TAB);
    pty.send("510107197808156721");
    pty.send(ENTER);
    pty.wait_for("nothing is sent before you confirm", WAIT);
    pty.resize(70, 20);
    pty.wait_for("Please enlarge the window", WAIT);
    // Enter twice: submit, then pay from the balance, were they to act.
    pty.send(ENTER);
    pty.send(ENTER);
    pty.wait_stable(Duration::from_millis(500), WAIT);
    pty.resize(100, 34);
    let screen = pty.wait_for("nothing is sent before you confirm", WAIT);
    assert!(
        !screen.contains("Account balance") && !screen.contains("is cancelled"),
        "Enter on the size screen went on to the hidden step:\n{screen}"
    );
    pty.send("q");
    let _ = pty.wait_exit(Duration::from_secs(10));
}
