//! Secrets stay secret: the secret types zeroize and never print, and after
//! a run of the fault soak (journal, receipts and a trace-level log kept)
//! and after a real wizard session in a pty, no SMS code, token, service
//! password, full ID or card number is in any file — and every file the
//! wizard creates is owner-only (0600, directories 0700).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::testkit::soak;
use unsubscribe_wizard::carrier::Session;
use unsubscribe_wizard::core::flow::{Call, CarrierRequest, RequestId};
use unsubscribe_wizard::core::model::{Application, ReasonCode};
use unsubscribe_wizard::core::secret::{CardNumber, IdNumber, ServicePassword, SmsCode, Token};
use unsubscribe_wizard::core::validate;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The secrets the spec's scenarios use: passwords, full IDs, card numbers.
fn scenario_secrets() -> Vec<String> {
    let mut all: Vec<String> = soak::SCENARIOS
        .iter()
        .flat_map(|s| [Some(s.id_number), s.password])
        .flatten()
        .map(str::to_owned)
        .collect();
    all.push(soak::GOOD_CARD.to_owned());
    all.push(soak::DECLINED_CARD.to_owned());
    all
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        out.push(path.clone());
        if path.is_dir() {
            files_under(&path, out);
        }
    }
}

/// Whether `secret` occurs in `text`; all-digit secrets only as a whole run
/// of digits, so a code cannot "match" inside an order number or a time.
fn contains_secret(text: &str, secret: &str) -> bool {
    if secret.bytes().all(|b| b.is_ascii_digit()) {
        text.split(|c: char| !c.is_ascii_digit())
            .any(|run| run == secret)
    } else {
        text.contains(secret)
    }
}

fn assert_no_secret_in(dir: &Path, secrets: &[String]) -> usize {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    let mut scanned = 0;
    for file in files.iter().filter(|f| f.is_file()) {
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        for secret in secrets {
            assert!(
                !contains_secret(&text, secret),
                "{file:?} contains the secret {secret}"
            );
        }
        scanned += 1;
    }
    scanned
}

/// Every file under `dir` is 0600 and every directory 0700.
fn assert_owner_only(dir: &Path) {
    let mut paths = Vec::new();
    files_under(dir, &mut paths);
    assert!(!paths.is_empty(), "nothing was written under {dir:?}");
    for path in paths {
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{path:?} has mode {mode:o}");
    }
}

fn zeroizes<T: Zeroize + ZeroizeOnDrop>(mut secret: T, expose: fn(&T) -> &str) {
    assert!(!expose(&secret).is_empty());
    secret.zeroize();
    assert_eq!(expose(&secret), "", "zeroize left the value");
}

#[test]
fn secret_types_zeroize_and_are_wiped_on_drop() {
    zeroizes(validate::sms_code("493817").unwrap(), SmsCode::expose);
    zeroizes(
        validate::service_password("135790").unwrap(),
        ServicePassword::expose,
    );
    zeroizes(
        Token::new("b3762dbe1734449eccd231b76210d54d"),
        Token::expose,
    );
    zeroizes(
        validate::id_number("110101199003071233").unwrap(),
        IdNumber::expose,
    );
    zeroizes(
        validate::card_number("6222021234567890128").unwrap(),
        CardNumber::expose,
    );
}

#[test]
fn nothing_that_holds_a_secret_prints_it() {
    let (msisdn, carrier) = validate::phone("18600186000").unwrap();
    let session = Session {
        msisdn: msisdn.clone(),
        token: Token::new("b3762dbe1734449eccd231b76210d54d"),
    };
    let login = Call {
        req: RequestId(1),
        carrier,
        request: CarrierRequest::Login {
            msisdn: msisdn.clone(),
            code: validate::sms_code("493817").unwrap(),
            password: Some(validate::service_password("135790").unwrap()),
        },
    };
    let application = Application {
        holder_name: "刘洋".to_owned(),
        id_number: validate::id_number("510107197808156721").unwrap(),
        contact: msisdn,
        reason: ReasonCode::Other,
        reason_text: String::new(),
    };
    let card = validate::card_number("6222021234567890128").unwrap();
    let printed = format!("{session:?} {login:?} {application:?} {card:?} {session:#?}");
    for secret in [
        "b3762dbe1734449eccd231b76210d54d",
        "493817",
        "135790",
        "510107197808156721",
        "6222021234567890128",
    ] {
        assert!(!printed.contains(secret), "{secret} printed in {printed}");
    }
    assert!(printed.contains("****0128"), "the card shows its last four");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_soak_leaves_no_secret_on_disk_and_only_owner_only_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    // Everything the library traces, at the most talkative level.
    let log = dir.path().join("trace.log");
    let file = std::fs::File::create(&log).unwrap();
    tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .without_time()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .init();

    let rig = Arc::new(soak::Rig::start(Some(&data)).await);
    let mut secrets = scenario_secrets();
    let mut terminated = 0;
    for flow in 0..21 {
        let report = soak::run_flow(rig.clone(), flow, 0x5ec2e7).await;
        assert!(report.violations.is_empty(), "{:?}", report.violations);
        terminated += usize::from(matches!(report.end, soak::End::Terminated(_)));
        secrets.extend(report.secrets);
    }
    assert!(terminated > 0, "no flow got through, so little was written");
    assert!(
        secrets.len() > scenario_secrets().len() + 10,
        "too few codes and tokens seen to prove anything"
    );
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("carrier"),
        "the trace log is empty; the check would prove nothing"
    );
    for secret in &secrets {
        assert!(
            !contains_secret(&log_text, secret),
            "the log contains the secret {secret}"
        );
    }
    let scanned = assert_no_secret_in(&data, &secrets);
    assert!(scanned > 20, "only {scanned} files were written");
    assert_owner_only(&data);
}

#[test]
fn a_real_session_leaves_no_secret_in_the_data_dir_or_log() {
    use crate::testkit::pty::{Pty, keys, wizard_command};
    const WAIT: Duration = Duration::from_secs(30);
    let home = tempfile::tempdir().unwrap();
    let mut cmd = wizard_command(home.path(), "en_US.UTF-8", &[]);
    cmd.env("UNSUBSCRIBE_WIZARD_LOG", "trace");
    let mut pty = Pty::spawn(cmd, 100, 34);
    pty.wait_for("Unsubscribe wizard", WAIT);
    pty.send("18600186000");
    pty.send(keys::ENTER);
    let screen = pty.wait_for("验证码为", WAIT);
    let code = screen
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .unwrap()
        .to_owned();
    pty.send(&code);
    pty.send(keys::TAB);
    pty.send("135790");
    pty.send(keys::ENTER);
    pty.wait_for("Choose the plan to cancel", WAIT);
    pty.send(keys::ENTER);
    pty.wait_for("Total due", WAIT);
    pty.send(keys::ENTER); // keep cancelling
    pty.wait_for("Cancellation form", WAIT);
    pty.send("刘洋");
    pty.send(keys::TAB);
    pty.send("510107197808156721");
    pty.send(keys::ENTER); // review
    pty.wait_stable(Duration::from_millis(300), WAIT);
    pty.send(keys::ENTER); // confirm: the order is sent
    pty.wait_for("Pay", WAIT);
    pty.wait_stable(Duration::from_millis(300), WAIT);
    pty.send(keys::ENTER); // pay from the balance…
    pty.wait_for("from the account balance?", WAIT);
    pty.send("y"); // …asked once, as for card and QR
    let done = pty.wait_until("the carrier's confirmation", Duration::from_secs(60), |s| {
        s.contains("✓6") || s.contains("●6")
    });
    assert!(!done.contains("510107197808156721"), "{done}");
    pty.send(keys::ENTER);
    let _ = pty.wait_exit(WAIT);

    let data = home.path().join("data/unsubscribe-wizard");
    let log = data.join("logs/wizard.log");
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        !log_text.is_empty(),
        "nothing was logged; the check would prove nothing"
    );
    let mut secrets = scenario_secrets();
    secrets.push(code);
    let scanned = assert_no_secret_in(&data, &secrets);
    assert!(scanned >= 3, "only {scanned} files were written");
    assert_owner_only(&data);
}
