//! `status` tells what the journal holds (issue 13, items 14, 24): an
//! unreadable journal is named with where it is and what to do, and makes
//! `status` exit 1 (whether or not the wizard already moved it aside; status
//! itself moves nothing); an account with nothing cancellable is finished
//! with guidance, not "in progress" for ever.

use std::fs;

use serde_json::json;
use unsubscribe_wizard::store::journal::Journal;

use crate::chains::{Home, journalled, plan, texts};

fn corrupt_journal(home: &Home) -> std::path::PathBuf {
    let (path, _) = journalled(home, vec![plan("P1", "宽带 300M", json!(null))], Some("P1"));
    let text = fs::read_to_string(&path).unwrap();
    // Torn in the middle of the state, as a bad disk or an old bug leaves it.
    fs::write(&path, &text.as_bytes()[..text.len() / 2]).unwrap();
    path
}

fn assert_reported(home: &Home, shown_path: &std::path::Path) {
    for args in [&["status"][..], &["status", "--json"]] {
        let out = home.run(args);
        let (stdout, stderr) = texts(&out);
        let all = format!("{stdout}{stderr}");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {all}");
        assert!(!all.contains("No cancellations"), "{args:?}: {all}");
        assert!(
            all.contains(&shown_path.display().to_string()),
            "{args:?} does not say where: {all}"
        );
        assert!(all.contains("set aside"), "{args:?}: {all}");
        assert!(
            all.contains("awaiting payment"),
            "{args:?} says what to do: {all}"
        );
    }
}

#[test]
fn an_unreadable_journal_is_named_with_what_to_do_and_status_exits_1() {
    let home = Home::new();
    let path = corrupt_journal(&home);
    assert_reported(&home, &path);
    assert!(path.exists(), "status only reads: nothing is moved");
}

#[test]
fn a_journal_the_wizard_already_set_aside_is_still_reported() {
    let home = Home::new();
    let path = corrupt_journal(&home);
    // The wizard reads the journal at start and moves the torn file aside.
    let journal = Journal::open(home.data().join("journal")).unwrap();
    assert!(journal.unfinished().unwrap().is_none());
    assert!(!path.exists());
    let aside = journal.set_aside().unwrap();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_reported(&home, &aside[0].path);
}

#[test]
fn nothing_cancellable_is_finished_with_guidance() {
    let home = Home::new();
    journalled(
        &home,
        vec![
            plan("CU-RH-KD", "沃家融合 宽带成员", json!("in_bundle")),
            plan("CU-PACK", "流量包", json!("expired")),
        ],
        None,
    );
    let out = home.run(&["status"]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("nothing to cancel"), "{stdout}");
    let (json, _) = texts(&home.run(&["status", "--json"]));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json[0]["state"], "done", "{json}");
}
