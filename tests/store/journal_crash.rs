//! The journal survives being killed mid-write: a child process rewrites it as
//! fast as it can while the parent SIGKILLs it at random moments; every time,
//! what is on disk is one of the states the child wrote — never a torn mix.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use unsubscribe_wizard::core::flow::{Event, Reply, State, step};
use unsubscribe_wizard::core::model::KeySeed;
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::store::journal::Journal;

const WRITER_ENV: &str = "JOURNAL_CRASH_WRITER_DIR";

/// Two distinguishable states of the same flow (same file name).
fn states() -> (State, State) {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    let old = State::new(KeySeed([3; 16]), now);
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    let t = step(&old, Event::RequestCode { msisdn, carrier }, now).unwrap();
    let req = t.state.pending.unwrap().req;
    let new = step(&t.state, Event::Reply(req, Reply::CodeSent), now)
        .unwrap()
        .state;
    (old, new)
}

/// In the child: write the two states alternately until killed.
#[test]
fn journal_writer_child() {
    let Ok(dir) = std::env::var(WRITER_ENV) else {
        return; // Only does something when the parent test starts it.
    };
    let journal = Journal::open(Path::new(&dir)).unwrap();
    let (old, new) = states();
    journal.save(&old).unwrap();
    println!("ready");
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        journal.save(&new).unwrap();
        journal.save(&old).unwrap();
    }
}

#[test]
fn killed_mid_write_leaves_old_or_new() {
    let exe = std::env::current_exe().unwrap();
    let (old, new) = states();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    let path = journal.path_for(&old);
    for round in 0..25u64 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                // The test's name in the `store` binary, module first.
                "journal_crash::journal_writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the child is writing in its loop (it says so, then
        // rewrites the file continuously); EOF means it died early.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = lines.any(|line| line.is_ok_and(|l| l.trim_end().ends_with("ready")));
        assert!(ready, "round {round}: the writer never started");
        std::thread::sleep(Duration::from_millis(3 + (round * 7) % 29));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();

        let on_disk = Journal::load(&path).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(
            on_disk == old || on_disk == new,
            "round {round}: a state the child never wrote"
        );
        // Temporaries a killed writer leaves behind are never mistaken for journals.
        for entry in journal.entries().unwrap() {
            assert!(entry.is_ok(), "round {round}: {:?}", entry.err());
        }
    }
}
