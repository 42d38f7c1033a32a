//! The terminal is always given back: after a panic the shell is out of the
//! alternate screen and back in cooked mode with echo; without a terminal the
//! wizard says so and exits with code 2.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::testkit::pty::{Pty, binary, wizard_env};
use portable_pty::CommandBuilder;

/// Without a terminal the wizard runs as a line dialogue (`--plain`) and
/// says so on its first line; the end of input leaves it in progress (3).
#[test]
fn not_a_tty_is_line_mode_said_on_the_first_line() {
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(binary())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("line mode") || stdout.contains("按行模式"),
        "{stdout}"
    );
}

#[test]
fn a_panic_restores_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    // Run the wizard, then ask the same tty for its settings: `stty` shows
    // whether raw mode was undone.
    let mut script = format!("'{}'", binary());
    script.push_str("; echo EXIT=$?; stty -a; echo DONE");
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", &script]);
    for (k, v) in wizard_env(home.path(), "en_US.UTF-8") {
        cmd.env(k, v);
    }
    cmd.env("UNSUBSCRIBE_WIZARD_TEST_PANIC", "1");
    let mut pty = Pty::spawn(cmd, 120, 40);
    let screen = pty.wait_for("DONE", Duration::from_secs(30));
    assert!(
        !pty.alternate_screen(),
        "still in the alternate screen:\n{screen}"
    );
    assert!(
        screen.contains("EXIT=101"),
        "a panic exits with 101:\n{screen}"
    );
    assert!(
        !screen.contains("-icanon"),
        "left in raw mode (no icanon):\n{screen}"
    );
    assert!(!screen.contains("-echo "), "left without echo:\n{screen}");
    assert!(screen.contains("icanon"), "stty output missing:\n{screen}");
    let _ = pty.wait_exit(Duration::from_secs(5));
}
