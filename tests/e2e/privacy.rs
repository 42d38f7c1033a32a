//! Secrets never touch disk or logs: every scenario account is run end to end
//! through the real binary (embedded sandbox, which now keeps its world in the
//! data directory too), with the default logging; then the whole data directory
//! and the log are searched for every SMS code, service password, full ID
//! number and full card number used. Zero hits.

use std::time::Duration;

use crate::testkit::person::{Paying, Person};
use crate::testkit::pty::{Pty, wizard_command};

const FLOW: Duration = Duration::from_secs(150);

fn person(
    number: &'static str,
    name: &'static str,
    id: &'static str,
    password: Option<&'static str>,
    pays: Paying,
) -> Person {
    Person {
        number,
        name,
        id,
        password,
        pays,
        phone: None,
    }
}

/// Every file under `dir`, recursively, with its bytes.
fn all_files(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

/// Whether `secret` stands in `text` as a whole run of digits — not as part
/// of a longer one (a timestamp's nanoseconds may hold any six digits).
fn contains_run(text: &str, secret: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(secret).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + secret.len()).copied();
        !before.is_some_and(|b| b.is_ascii_digit()) && !after.is_some_and(|b| b.is_ascii_digit())
    })
}

#[test]
fn no_secret_reaches_the_data_directory_or_the_log() {
    let home = tempfile::tempdir().unwrap();
    let card = "6222021234567890128";
    let runs = people(card);
    let mut secrets: Vec<String> = vec![card.into(), "135790".into(), "246802".into()];
    for (who, end) in &runs {
        let cmd = wizard_command(home.path(), "en_US.UTF-8", &[]);
        let mut pty = Pty::spawn(cmd, 80, 24);
        // A finished or abandoned earlier flow may be offered: start afresh.
        let screen = pty.wait_stable(Duration::from_millis(300), Duration::from_secs(5));
        if screen.contains("An unfinished cancellation") {
            pty.send("n");
        }
        let (last, codes) = who.drive_with_codes(&mut pty, FLOW, |s| s.contains(end));
        assert!(last.contains(end), "{last}");
        assert!(!codes.is_empty(), "{}: a code was typed", who.number);
        secrets.push(who.id.into());
        secrets.extend(codes);
        pty.send("\x03");
        pty.send("\x03");
        let _ = pty.wait_exit(Duration::from_secs(10));
    }
    let data = home.path().join("data");
    let files = all_files(&data);
    let log = files
        .iter()
        .find(|(p, _)| p.ends_with("logs/wizard.log"))
        .expect("the log was written");
    let log = String::from_utf8_lossy(&log.1);
    // Every call is traced, by default, with its body (masked).
    assert!(
        log.contains("request") && log.contains("response") && log.contains("cancel"),
        "{log}"
    );
    assert!(
        files
            .iter()
            .any(|(p, _)| p.to_string_lossy().contains("receipts")),
        "receipts were written"
    );
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for secret in &secrets {
            assert!(
                !contains_run(&text, secret),
                "{secret} found in {}",
                path.display()
            );
        }
    }
}

/// Every scenario account, with how its run ends on screen.
fn people(card: &'static str) -> Vec<(Person, &'static str)> {
    vec![
        (
            person(
                "13800138000",
                "张伟",
                "110101199003071233",
                None,
                Paying::Card(card),
            ),
            "is cancelled",
        ),
        (
            person(
                "13800138001",
                "李娜",
                "310104198506120457",
                None,
                Paying::Balance,
            ),
            "is cancelled",
        ),
        (
            person(
                "13900139000",
                "王芳",
                "44030519921120331X",
                None,
                Paying::Balance,
            ),
            "frozen",
        ),
        (
            person(
                "18600186000",
                "刘洋",
                "510107197808156721",
                Some("135790"),
                Paying::Balance,
            ),
            "is cancelled",
        ),
        (
            person(
                "18600186001",
                "陈静",
                "320102198802290580",
                Some("246802"),
                Paying::Balance,
            ),
            "Nothing on this number",
        ),
        (
            person(
                "13300133000",
                "杨帆",
                "330106199501011172",
                None,
                Paying::Alipay,
            ),
            "is cancelled",
        ),
        (
            person(
                "13300133001",
                "赵磊",
                "420102198707040018",
                None,
                Paying::Balance,
            ),
            "processing your cancellation",
        ),
    ]
}
