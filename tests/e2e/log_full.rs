//! The log never writes to the terminal (issue 13, item 7): with the log
//! file on a full device (`/dev/full`, ENOSPC on every write), the wizard's
//! screen shows no logging error, and the wizard goes on.

use std::time::Duration;

use crate::testkit::pty::keys::ENTER;
use crate::testkit::pty::{Pty, wizard_command};

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_under_the_log_never_reaches_the_screen() {
    let home = tempfile::tempdir().unwrap();
    let logs = home.path().join("data/unsubscribe-wizard/logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::os::unix::fs::symlink("/dev/full", logs.join("wizard.log")).unwrap();

    let mut pty = Pty::spawn(wizard_command(home.path(), "en_US.UTF-8", &[]), 80, 24);
    pty.wait_for("●1", Duration::from_secs(40));
    // A number and Enter: the embedded sandbox starts and the carrier calls
    // are logged (every write fails).
    pty.send("13800138000");
    pty.send(ENTER);
    pty.wait_stable(Duration::from_millis(800), Duration::from_secs(20));
    let raw = String::from_utf8_lossy(&pty.raw_output()).into_owned();
    assert!(
        !raw.contains("tracing") && !raw.contains("Unable to write"),
        "a logging error reached the terminal:\n{}",
        pty.screen()
    );
    pty.kill();
}
