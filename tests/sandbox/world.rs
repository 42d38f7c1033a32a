//! The world file: validation errors name the key and what is expected; the
//! binary reports a bad file and exits 1; the shipped world starts and stops.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use unsubscribe_wizard::sandbox::{World, WorldError};

const MINIMAL: &str = r#"
clock = "2026-11-25T10:00:00+08:00"

[[account]]
msisdn = "13800138000"
carrier = "china_mobile"
holder_name = "张伟"
id_number = "110101199003071233"
balance = "30.00"

[[account.plan]]
id = "P1"
name = "5G智享宽带 300M"
kind = "broadband"
monthly_fee = "99.00"
contract_end = "2027-06-30"
"#;

fn error_of(text: &str) -> String {
    World::from_toml_str(text).unwrap_err().to_string()
}

#[test]
fn a_minimal_world_loads() {
    let world = World::from_toml_str(MINIMAL).unwrap();
    assert_eq!(world.accounts.len(), 1);
    assert!(world.account("13800138000").is_some());
}

#[test]
fn unknown_keys_are_rejected_by_name() {
    let err = error_of(&MINIMAL.replace("balance = \"30.00\"", "balance = \"30.00\"\nbalanse = 1"));
    assert!(err.contains("balanse"), "{err}");
    let err = error_of(&format!("colour = \"red\"\n{MINIMAL}"));
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn bad_values_say_what_is_expected() {
    let err = error_of(&MINIMAL.replace("\"99.00\"", "\"99.999\""));
    assert!(
        err.contains("monthly_fee") && err.contains("two decimals"),
        "{err}"
    );
    let err = error_of(&MINIMAL.replace("2026-11-25T10:00:00+08:00", "next tuesday"));
    assert!(err.contains("`clock`") && err.contains("RFC 3339"), "{err}");
    let err = error_of(&MINIMAL.replace("\"broadband\"", "\"fibre\""));
    assert!(err.contains("fibre") && err.contains("broadband"), "{err}");
    let err = error_of(&MINIMAL.replace("china_mobile", "china_unicom"));
    assert!(
        err.contains("account[0].carrier") && err.contains("china_mobile"),
        "{err}"
    );
    let err = error_of(&MINIMAL.replace("110101199003071233", "110101199003071234"));
    assert!(err.contains("account[0].id_number"), "{err}");
}

#[test]
fn unicom_accounts_need_a_service_password() {
    let unicom = MINIMAL
        .replace("13800138000", "18600186000")
        .replace("china_mobile", "china_unicom");
    let err = World::from_toml_str(&unicom).unwrap_err();
    assert!(
        matches!(&err, WorldError::Invalid { key, .. } if key == "account[0].service_password"),
        "{err}"
    );
    let with_pwd = unicom.replace("balance =", "service_password = \"12345\"\nbalance =");
    assert!(error_of(&with_pwd).contains("6 digits"));
}

#[test]
fn a_missing_file_names_the_path() {
    let err = World::load(std::path::Path::new("/nonexistent/world.toml")).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/world.toml"), "{err}");
}

#[test]
fn the_binary_rejects_a_bad_world_with_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, MINIMAL.replace("\"30.00\"", "\"thirty\"")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_unsubscribe-wizard"))
        .args(["sandbox", "--addr", "127.0.0.1:0", "--world"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("broken.toml") && stderr.contains("balance"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn the_binary_announces_its_address_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unsubscribe-wizard"))
        .args(["sandbox", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("sandbox listening on http://127.0.0.1:"),
        "{line:?}"
    );
    let port: u16 = line.trim().rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "sandbox did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
}
