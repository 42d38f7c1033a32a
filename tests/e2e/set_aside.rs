//! Issue 13 item 14 in the real binary: a journal the wizard cannot read (an
//! order that may still await payment) is never passed over in silence —
//! at start the wizard says what was set aside, that it may await payment,
//! and what to do.

use std::time::Duration;

use crate::testkit::pty::{Pty, wizard_command};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn an_unreadable_journal_is_told_at_start() {
    let home = tempfile::tempdir().unwrap();
    let journal = home.path().join("data/unsubscribe-wizard/journal");
    std::fs::create_dir_all(&journal).unwrap();
    // Written by a "newer wizard": unreadable here, yet it names its order.
    std::fs::write(
        journal.join("20261125T020000Z-deadbeef.json"),
        r#"{"format":"unsubscribe-wizard journal","version":999,"state":{"facts":{"order":{"id":"ORD-7"}}}}"#,
    )
    .unwrap();
    let mut pty = Pty::spawn(wizard_command(home.path(), "en_US.UTF-8", &[]), 160, 40);
    let screen = pty.wait_for("set aside", WAIT);
    let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    // The notice is one line: the order and what to do come first, the
    // file (which `status` lists in full) last.
    assert!(flat.contains("ORD-7"), "which order:\n{screen}");
    assert!(
        flat.contains("may await payment"),
        "why it matters:\n{screen}"
    );
    assert!(
        flat.contains("unsubscribe-wizard status"),
        "what to do:\n{screen}"
    );
    pty.send("\u{3}");
    let _ = pty.wait_exit(Duration::from_secs(10));
}
