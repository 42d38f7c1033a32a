//! The binary in a pseudo-terminal under abuse: resize storms, a 1×1
//! window, a 10 000-character paste into every field, invalid UTF-8 on
//! stdin, SIGTERM and SIGHUP while a carrier call is in flight. The wizard
//! never panics, the terminal is given back (alternate screen off, cooked
//! mode with echo), and the journal under
//! `$XDG_DATA_HOME/unsubscribe-wizard/journal` still loads.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::testkit::pty::{Pty, binary, keys, wizard_command, wizard_env};
use portable_pty::CommandBuilder;
use unsubscribe_wizard::store::journal::Journal;

const WAIT: Duration = Duration::from_secs(30);

thread_local! {
    /// What `paste_and_erase` pastes in this test.
    static PASTE: std::cell::RefCell<String> = std::cell::RefCell::new(paste());
}

/// The one 6-digit run on screen: the code in the sandbox phone.
pub(super) fn code_on(screen: &str) -> String {
    screen
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .expect("a code on screen")
        .to_owned()
}

fn alive(pty: &mut Pty) -> bool {
    pty.wait_exit(Duration::from_millis(50)).is_none()
}

/// A paste of 10 000 characters: digits, letters and a few CJK (about 10 KB).
fn paste() -> String {
    let mut text = "1a".repeat(4998);
    text.push_str("张伟😀!");
    text
}

/// 10 000 characters of CJK and emoji (about 25 KB).
fn wide_paste() -> String {
    "1a张😀".repeat(2500)
}

/// Pastes `text` into the focused field in one burst, checks the wizard
/// survives and still draws, then erases what the field kept.
fn paste_and_erase(pty: &mut Pty, field: &str) {
    let text = PASTE.with(|p| p.borrow().clone());
    pty.send(&text);
    let screen = pty.wait_stable(Duration::from_millis(300), WAIT);
    assert!(
        alive(pty),
        "the wizard died after a paste into {field} (or stopped reading input and the watchdog killed it)"
    );
    assert!(
        screen.contains("Unsubscribe wizard"),
        "nothing drawn after a paste into {field}:\n{screen}"
    );
    // Erased as a held-down Backspace would: in bursts the wizard keeps up with.
    for _ in 0..20 {
        pty.send(&keys::BACKSPACE.repeat(500));
        pty.wait_stable(Duration::from_millis(100), WAIT);
    }
}

/// Logs in to the Unicom broadband account of the embedded sandbox.
fn log_in(pty: &mut Pty, pasting: bool) {
    pty.wait_for("Unsubscribe wizard", WAIT);
    if pasting {
        paste_and_erase(pty, "the number");
    }
    pty.send("18600186000");
    pty.send(keys::ENTER);
    let screen = pty.wait_for("验证码为", WAIT);
    if pasting {
        paste_and_erase(pty, "the SMS code");
    }
    pty.send(&code_on(&screen));
    pty.send(keys::TAB);
    if pasting {
        paste_and_erase(pty, "the service password");
    }
    pty.send("135790");
    pty.send(keys::ENTER);
    pty.wait_for("Choose the plan to cancel", WAIT);
}

fn journal_files(home: &Path) -> Vec<PathBuf> {
    let dir = home.join("data/unsubscribe-wizard/journal");
    let Ok(read) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    read.map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect()
}

/// Every journal file loads, and there is at least one.
fn assert_journal_intact(home: &Path) {
    let files = journal_files(home);
    assert!(!files.is_empty(), "no journal was written");
    for file in files {
        let state = Journal::load(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        assert!(state.facts.msisdn().is_some(), "{file:?} lost the number");
    }
}

/// Runs the wizard under `sh`, then `stty -a` on the same terminal, so the
/// screen shows whether the terminal was given back.
fn spawn_with_stty(home: &Path, extra_env: &[(&str, &str)]) -> Pty {
    // The sandbox mode, so the first screen is the login, not the mode question.
    let script = format!(
        "'{}' --mode sandbox; echo EXIT=$?; stty -a; echo DONE",
        binary()
    );
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", &script]);
    for (k, v) in wizard_env(home, "en_US.UTF-8") {
        cmd.env(k, v);
    }
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.env_remove("LC_ALL");
    Pty::spawn(cmd, 100, 34)
}

fn assert_terminal_restored(pty: &Pty, screen: &str) {
    assert!(
        !pty.alternate_screen(),
        "still in the alternate screen:\n{screen}"
    );
    assert!(
        !screen.contains("EXIT=101"),
        "the wizard panicked:\n{screen}"
    );
    assert!(
        !screen.contains("-icanon"),
        "left in raw mode (no icanon):\n{screen}"
    );
    assert!(!screen.contains("-echo "), "left without echo:\n{screen}");
    assert!(screen.contains("icanon"), "stty output missing:\n{screen}");
}

/// The wizard's pid: the child of the `sh` running it (Linux /proc).
fn wizard_pid(shell: u32) -> u32 {
    let deadline = Instant::now() + WAIT;
    loop {
        let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
            .unwrap_or_default();
        if let Some(pid) = children.split_whitespace().next() {
            return pid.parse().unwrap();
        }
        assert!(Instant::now() < deadline, "the wizard never started");
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// A carrier that accepts connections and never answers: every call hangs.
fn black_hole() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        // Bounded: a test makes a handful of connections at most.
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { break };
            count.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let _ = stream.read(&mut buf);
            held.push(stream);
        }
    });
    (port, accepted)
}

fn hanging_config(home: &Path, port: u16) {
    let dir = home.join("config/unsubscribe-wizard");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[network]\nconnect_timeout_ms = 600000\nrequest_timeout_ms = 600000\n\
             [carriers.china_unicom]\nbase_url = \"http://127.0.0.1:{port}\"\n"
        ),
    )
    .unwrap();
}

/// A signal while the code request hangs: the wizard exits, the terminal is
/// back, the journal (written when the request was made) loads.
pub(super) fn signal_mid_call(signal: &str) {
    let home = tempfile::tempdir().unwrap();
    let (port, accepted) = black_hole();
    hanging_config(home.path(), port);
    let mut pty = spawn_with_stty(home.path(), &[]);
    pty.wait_for("Unsubscribe wizard", WAIT);
    pty.send("18600186000");
    pty.send(keys::ENTER);
    let deadline = Instant::now() + WAIT;
    while accepted.load(Ordering::SeqCst) == 0 {
        assert!(
            Instant::now() < deadline,
            "the code request never reached the carrier"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
    // The call is in flight now; let the journal write land.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !journal_files(home.path()).is_empty(),
        "no journal before the signal"
    );
    let pid = wizard_pid(pty.pid().unwrap());
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} failed");
    let screen = pty.wait_for("DONE", WAIT);
    assert_terminal_restored(&pty, &screen);
    assert_journal_intact(home.path());
    let _ = pty.wait_exit(Duration::from_secs(5));
}

#[test]
fn sigterm_mid_call_restores_the_terminal_and_keeps_the_journal() {
    signal_mid_call("TERM");
}

#[test]
fn sighup_mid_call_restores_the_terminal_and_keeps_the_journal() {
    signal_mid_call("HUP");
}

#[test]
fn a_resize_storm_and_a_one_by_one_window_are_survived() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = spawn_with_stty(home.path(), &[]);
    pty.wait_for("Unsubscribe wizard", WAIT);
    pty.send("18600186000");
    let sizes = [
        (1, 1),
        (2, 1),
        (1, 2),
        (300, 100),
        (20, 5),
        (80, 24),
        (3, 40),
        (120, 2),
    ];
    for round in 0..200 {
        let (cols, rows) = sizes[round % sizes.len()];
        pty.resize(cols, rows);
        if round % 10 == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    pty.resize(1, 1);
    std::thread::sleep(Duration::from_millis(500));
    // Typing into a 1×1 window changes the model, not the process's health.
    pty.send("x");
    pty.send(keys::BACKSPACE);
    assert!(
        !pty.screen().contains("EXIT="),
        "the wizard ended in a 1×1 window:\n{}",
        pty.screen()
    );
    pty.resize(100, 34);
    let screen = pty.wait_for("Unsubscribe wizard", WAIT);
    assert!(
        screen.contains("18600186000"),
        "the typed number was lost:\n{screen}"
    );
    pty.send(keys::CTRL_C);
    let screen = pty.wait_for("DONE", WAIT);
    assert_terminal_restored(&pty, &screen);
}

#[test]
fn invalid_utf8_on_stdin_is_ignored() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = spawn_with_stty(home.path(), &[]);
    pty.wait_for("Unsubscribe wizard", WAIT);
    pty.send_bytes(b"186\xff\xfe\xc3\x28\xe2\x28\xa1\x80\xf0\x90\x28\xbc\xed\xa0\x80001");
    pty.send_bytes(b"\x1b[\xff\xff~\x1b\xc0\x80");
    pty.send_bytes(b"86000");
    let screen = pty.wait_stable(Duration::from_millis(300), WAIT);
    assert!(
        !screen.contains("EXIT="),
        "the wizard ended on bad input:\n{screen}"
    );
    assert!(screen.contains("Unsubscribe wizard"), "{screen}");
    pty.send(keys::CTRL_C);
    let screen = pty.wait_for("DONE", WAIT);
    assert_terminal_restored(&pty, &screen);
}

#[test]
fn a_ten_thousand_character_paste_into_every_field_is_survived() {
    paste_into_every_field();
}

#[test]
fn a_ten_thousand_wide_character_paste_into_every_field_is_survived() {
    PASTE.with(|p| *p.borrow_mut() = wide_paste());
    paste_into_every_field();
}

/// Kills `pid` after `after` unless `done` is set first: a write into a
/// program that stopped reading would otherwise block the test for ever.
fn watchdog(pid: u32, after: Duration) -> Arc<std::sync::atomic::AtomicBool> {
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = done.clone();
    std::thread::spawn(move || {
        let deadline = Instant::now() + after;
        while Instant::now() < deadline {
            if flag.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    });
    done
}

fn paste_into_every_field() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(wizard_command(home.path(), "en_US.UTF-8", &[]), 100, 34);
    let done = watchdog(pty.pid().unwrap(), Duration::from_secs(120));
    log_in(&mut pty, true);
    pty.send(keys::ENTER); // cancel this plan: the quote
    pty.wait_for("Total due", WAIT);
    pty.send(keys::ENTER); // keep cancelling
    pty.wait_for("Cancellation form", WAIT);
    for (field, value) in [
        ("the name", "刘洋"),
        ("the ID number", "510107197808156721"),
        ("the contact number", "18600186000"),
    ] {
        paste_and_erase(&mut pty, field);
        pty.send(value);
        pty.send(keys::TAB);
    }
    pty.send(keys::TAB); // past the reason selector to the details
    paste_and_erase(&mut pty, "the details");
    pty.send(keys::ENTER);
    // On a busy machine the review can take longer than any quiet time, so
    // wait for it: the masked ID shows only there.
    let screen = pty.wait_until("the review", WAIT, |s| s.contains("510***********6721"));
    assert!(alive(&mut pty), "{screen}");
    assert!(
        screen.contains("刘洋") && screen.contains("510***********6721"),
        "the form, pasted into and corrected, is reviewed as typed:\n{screen}"
    );
    done.store(true, Ordering::SeqCst);
}
