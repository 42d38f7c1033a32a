//! Issue 15 on screen: the Done screen writes the follow-ups as a calendar
//! with one key and names the file; starting with a follow-up due shows it
//! first, and `d` marks it done as a receipt (`status` then no longer lists
//! it).

use std::process::Command;
use std::time::Duration;

use crate::testkit::cases::cancelled_days_ago;
use crate::testkit::pty::keys::{ENTER, ESC};
use crate::testkit::pty::{Pty, wizard_command, wizard_env};

const WAIT: Duration = Duration::from_secs(40);

fn status_json(home: &std::path::Path) -> String {
    let mut cmd = Command::new(crate::testkit::pty::binary());
    cmd.args(["status", "--json"]).env_remove("LC_ALL");
    for (k, v) in wizard_env(home, "en_US.UTF-8") {
        cmd.env(k, v);
    }
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

#[test]
fn a_due_follow_up_shows_first_and_d_marks_it_done() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data/unsubscribe-wizard");
    cancelled_days_ago(&data, 40);
    let before = status_json(home.path());
    let due_before = before.matches("\"overdue\": true").count();
    assert!(due_before >= 1, "{before}");

    let mut pty = Pty::spawn(wizard_command(home.path(), "en_US.UTF-8", &[]), 80, 24);
    let shown = pty.wait_for("A follow-up is due", WAIT);
    assert!(shown.contains("d     mark done"), "{shown}");
    pty.send("d");
    pty.wait_for("Marked done", WAIT);
    let after = status_json(home.path());
    assert_eq!(
        after.matches("\"overdue\": true").count(),
        due_before - 1,
        "before: {before}\nafter: {after}"
    );
    pty.send(ESC);
    pty.send("\x03\x03");
    pty.wait_exit(WAIT);
}

#[test]
fn the_done_screen_writes_the_calendar_with_one_key_and_names_it() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(wizard_command(home.path(), "en_US.UTF-8", &[]), 80, 24);
    let done = crate::wizard::cancel_the_data_pack(&mut pty, |_| {});
    assert!(done.contains("k calendar"), "{done}");
    pty.send("k");
    let said = pty.wait_for("followups.ics", WAIT);
    assert!(said.contains("calendar"), "{said}");
    let receipts = home.path().join("data/unsubscribe-wizard/receipts");
    let written: Vec<_> = std::fs::read_dir(&receipts)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path().join("followups.ics"))
        .filter(|p| p.is_file())
        .collect();
    assert_eq!(written.len(), 1, "one calendar beside the receipts");
    let ics = std::fs::read_to_string(&written[0]).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    pty.send(ENTER);
    assert_eq!(pty.wait_exit(WAIT), Some(0));
}
