//! Carrier text never reaches the terminal raw (issue 13, item 6): a chain
//! whose plan name, fee label, notice, payment id and order number carry
//! ESC[2J, OSC 0 (title), OSC 52 (clipboard), C1 CSI (U+009B) and a bidi
//! override (U+202E) is shown by every command with those characters
//! escaped, the stored evidence unchanged, and long fields elided.

use std::fs;

use unsubscribe_wizard::text::is_unsafe;

use crate::chains::{
    Home, journalled, notice, order_created, payment, plan, quote, receipt, texts,
};

const HOSTILE: &str = "宽带\u{1b}[2J\u{1b}]0;owned\u{7}\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{9b}31m\u{202e}06.49\u{2066}\u{200b}\u{7f}\r\nChain intact.";

fn hostile_home() -> Home {
    let home = Home::new();
    let vault = home.vault();
    let order = format!("CM\u{1b}[2J{}", "9".repeat(3));
    let long = "很长的通知".repeat(2000);
    vault
        .append("F", &receipt(None, 1, quote(HOSTILE, 9460, HOSTILE)))
        .unwrap();
    for (n, event) in [
        order_created(&order),
        payment(HOSTILE, 9460, "paid"),
        notice(HOSTILE),
        notice(&long),
    ]
    .into_iter()
    .enumerate()
    {
        vault
            .append("F", &receipt(Some(&order), 2 + n as u32, event))
            .unwrap();
    }
    journalled(
        &home,
        vec![plan("P1", HOSTILE, serde_json::Value::Null)],
        Some("P1"),
    );
    home
}

/// No byte of `out` is a control or format character, but for newlines;
/// and (but in the JSON export, which holds the records complete) no line
/// is unbounded.
fn assert_clean(what: &str, out: &str) {
    let raw: Vec<char> = out.chars().filter(|&c| c != '\n' && is_unsafe(c)).collect();
    assert!(raw.is_empty(), "{what} printed {raw:?} raw:\n{out}");
    assert!(!out.as_bytes().contains(&0x1b), "{what}: ESC");
    assert!(
        !out.contains('\u{9b}') && !out.contains('\u{202e}'),
        "{what}"
    );
    assert!(
        !out.lines().any(|l| l == "Chain intact."),
        "{what}: a carrier newline started a line of its own:\n{out}"
    );
    let complete = what.contains("json") && !what.contains("status");
    assert!(
        complete || out.lines().all(|l| l.chars().count() <= 1200),
        "{what}: a field is not bounded"
    );
}

#[test]
fn every_command_escapes_carrier_text() {
    let home = hostile_home();
    let chain = home.vault().chains().unwrap().remove(0);
    let dir = tempfile::tempdir().unwrap();
    let md_out = dir.path().join("out.md");
    let json_out = dir.path().join("out.json");
    let runs: Vec<Vec<&str>> = vec![
        vec!["receipts", "list"],
        vec!["receipts", "show", &chain],
        vec!["receipts", "verify"],
        vec!["receipts", "export", &chain],
        vec!["receipts", "export", &chain, "--format", "json"],
        vec!["receipts", "complaint", &chain],
        vec![
            "receipts",
            "export",
            &chain,
            "--out",
            md_out.to_str().unwrap(),
        ],
        vec![
            "receipts",
            "export",
            &chain,
            "--format",
            "json",
            "--out",
            json_out.to_str().unwrap(),
        ],
        vec!["status"],
        vec!["status", "--json"],
    ];
    for args in runs {
        let out = home.run(&args);
        let (stdout, stderr) = texts(&out);
        assert_clean(&format!("{args:?} stdout"), &stdout);
        assert_clean(&format!("{args:?} stderr"), &stderr);
    }
    for file in [&md_out, &json_out] {
        assert_clean(
            &file.display().to_string(),
            &fs::read_to_string(file).unwrap(),
        );
    }
    // The JSON export still holds the evidence verbatim, once parsed.
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&json_out).unwrap()).unwrap();
    assert_eq!(
        json["records"][0]["receipt"]["event"]["plan"]["name"],
        HOSTILE
    );
    let (status, _) = texts(&home.run(&["status", "--json"]));
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status[0]["plan"], HOSTILE);
    // And the vault itself is untouched.
    let stored = fs::read_to_string(home.receipts().join(&chain).join("0001.json")).unwrap();
    assert!(stored.contains("\\u001b[2J") && stored.contains('\u{202e}'));
}
