//! Two wizards on one data folder (issue 13, item 3): the second says which
//! process holds the folder and exits cleanly, while `status` and
//! `receipts` stay usable; a lock left by a killed wizard blocks nobody.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use unsubscribe_wizard::store::lock::DataLock;

use crate::testkit::pty::{Pty, binary, wizard_command, wizard_env};

fn run(home: &std::path::Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(binary());
    cmd.args(args);
    for (k, v) in wizard_env(home, "en_US.UTF-8") {
        cmd.env(k, v);
    }
    cmd.env_remove("LC_ALL")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn data(home: &std::path::Path) -> std::path::PathBuf {
    home.join("data/unsubscribe-wizard")
}

#[test]
fn a_second_wizard_is_told_the_holders_pid_and_exits() {
    let home = tempfile::tempdir().unwrap();
    let mut first = Pty::spawn(wizard_command(home.path(), "en_US.UTF-8", &[]), 80, 24);
    first.wait_for("●1", Duration::from_secs(40));
    let pid = first.pid().unwrap();

    let second = run(home.path(), &[]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("pid {pid}")), "{stderr}");
    assert!(stderr.contains("is using"), "{stderr}");
    // The lock API agrees, from a third process.
    let held = DataLock::acquire(&data(home.path())).unwrap_err();
    assert!(held.to_string().contains(&format!("pid {pid}")), "{held}");

    // The read-only commands do not wait for it.
    for args in [
        &["status"][..],
        &["receipts", "list"],
        &["receipts", "verify"],
    ] {
        let out = run(home.path(), args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Killed, the first leaves its stamp behind but not the lock.
    first.kill();
    let _lock = DataLock::acquire(&data(home.path())).unwrap();
}

#[test]
fn a_wizard_started_while_another_process_holds_the_lock_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let lock = DataLock::acquire(&data(home.path())).unwrap();
    let out = run(home.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("pid {}", std::process::id())),
        "{stderr}"
    );
    assert!(!stderr.contains("interactive terminal"), "{stderr}");
    drop(lock);
    // Free again: without a terminal it runs as a line dialogue.
    let out = run(home.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("line mode") || stdout.contains("按行模式"),
        "{stdout}"
    );
}
