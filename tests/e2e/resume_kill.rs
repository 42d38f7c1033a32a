//! Nothing lost, nothing twice: the wizard is SIGKILLed at each of the six
//! steps, started again, resumes (new login, same order, same keys) and
//! finishes — and the carrier's ledger shows exactly one order and at most
//! one charge, equal to the quote. The carrier is a separate
//! `unsubscribe-wizard sandbox` process, so its state outlives the wizard.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::testkit::person::{Paying, Person, current_step};
use crate::testkit::pty::{Pty, binary, wizard_command};

const FLOW: Duration = Duration::from_secs(150);

struct Carrier {
    child: Child,
    url: String,
}

impl Carrier {
    fn start() -> Carrier {
        let mut child = Command::new(binary())
            .args(["sandbox", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("sandbox listening on ")
            .unwrap()
            .to_owned();
        Carrier { child, url }
    }

    fn post(&self, path: &str, body: &str) {
        let out = Command::new("curl")
            .args([
                "-sf",
                "-X",
                "POST",
                "-H",
                "content-type: application/json",
                "-d",
                body,
            ])
            .arg(format!("{}{path}", self.url))
            .output()
            .unwrap();
        assert!(out.status.success(), "POST {path} failed");
    }

    fn ledger(&self, msisdn: &str) -> serde_json::Value {
        let out = Command::new("curl")
            .args(["-sf"])
            .arg(format!("{}/sandbox/ledger/{msisdn}", self.url))
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// A config file pointing all three carriers at this sandbox.
    fn config(&self, dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("config.toml");
        let text = ["china_mobile", "china_unicom", "china_telecom"]
            .iter()
            .map(|c| format!("[carriers.{c}]\nbase_url = \"{}\"\n", self.url))
            .collect::<String>();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Carrier {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wizard(home: &std::path::Path, config: &std::path::Path) -> Pty {
    let config = config.display().to_string();
    Pty::spawn(
        wizard_command(home, "en_US.UTF-8", &["--config", &config]),
        80,
        24,
    )
}

/// For each step: run to it, kill, restart, finish; then check the ledger.
fn kill_at_every_step(person: Person, total_fen: i64) {
    let carrier = Carrier::start();
    // The person's phone is the sandbox's inbox (no phone panel off the embedded sandbox).
    let url: &'static str = Box::leak(carrier.url.clone().into_boxed_str());
    let person = Person {
        phone: Some(url),
        ..person
    };
    for kill_at in 1..=6u8 {
        carrier.post("/sandbox/reset", "{}");
        let home = tempfile::tempdir().unwrap();
        let config = carrier.config(home.path());

        let mut pty = wizard(home.path(), &config);
        person.drive(&mut pty, FLOW, |s| {
            current_step(s) == Some(kill_at) && (kill_at != 1 || s.contains("log in"))
        });
        pty.kill();
        drop(pty);

        // A new SMS code may be asked for only after 60 s: let the carrier's clock move on.
        carrier.post("/sandbox/clock", r#"{"advanceSeconds": 61}"#);
        let mut pty = wizard(home.path(), &config);
        let end = person.drive(&mut pty, FLOW, |s| {
            s.contains("is cancelled") || (kill_at == 6 && s.contains("●1"))
        });
        if end.contains("is cancelled") {
            pty.send("\r");
            assert_eq!(
                pty.wait_exit(Duration::from_secs(20)),
                Some(0),
                "killed at step {kill_at}"
            );
        }

        let ledger = carrier.ledger(person.number);
        let orders = ledger["orders"].as_array().unwrap();
        let charges = ledger["charges"].as_array().unwrap();
        assert_eq!(
            orders.len(),
            1,
            "killed at step {kill_at}: one order, not {ledger}"
        );
        assert!(
            charges.len() <= 1,
            "killed at step {kill_at}: at most one charge: {ledger}"
        );
        let charged: i64 = charges.iter().map(|c| c["amount"].as_i64().unwrap()).sum();
        assert_eq!(
            charged, total_fen,
            "killed at step {kill_at}: the charge equals the quote: {ledger}"
        );
    }
}

#[test]
fn card_payment_survives_a_kill_at_every_step() {
    kill_at_every_step(
        Person {
            number: "13800138000",
            name: "张伟",
            id: "110101199003071233",
            password: None,
            pays: Paying::Card("6222021234567890128"),
            phone: None,
        },
        20790,
    );
}

#[test]
fn qr_payment_survives_a_kill_at_every_step() {
    kill_at_every_step(
        Person {
            number: "13300133000",
            name: "杨帆",
            id: "330106199501011172",
            password: None,
            pays: Paying::Alipay,
            phone: None,
        },
        15970,
    );
}
