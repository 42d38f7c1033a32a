//! Tampering that recomputes SHA-256 is caught (issue 13, item 12): each
//! record carries a MAC under a key kept outside the receipts folder, and
//! an index next to the key remembers every chain's length and last hash.
//! Someone who can edit the receipts folder (but has not the key) drops
//! the last records and rewrites HEAD, edits an amount and re-chains,
//! appends a forged record, or deletes a whole chain: `verify` reports
//! each, and exits 1. A chain made before MACs verifies as "hash chain
//! intact, not anchored".

use std::fs;
use std::path::Path;

use serde_json::Value;
use unsubscribe_wizard::store::vault::{GENESIS, sha256_hex};

use crate::chains::{Home, paid_chain, run_expect, says, texts};

fn records(chain: &Path) -> Vec<Value> {
    let mut names: Vec<_> = fs::read_dir(chain)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| serde_json::from_slice(&fs::read(chain.join(n)).unwrap()).unwrap())
        .collect()
}

/// Writes `records` as the whole chain, every hash recomputed, and HEAD to
/// match — all an attacker without the key can do. HEAD's MACs are kept
/// (cut to the new length), and `extra_mac` is added for a forged record.
fn rechain(chain: &Path, records: &[Value], extra_mac: Option<&str>) {
    for entry in fs::read_dir(chain).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "json") {
            fs::remove_file(path).unwrap();
        }
    }
    let mut prev = GENESIS.to_owned();
    for (i, record) in records.iter().enumerate() {
        let mut record = record.clone();
        record["seq"] = (i + 1).into();
        record["prev_sha256"] = prev.clone().into();
        let bytes = serde_json::to_vec_pretty(&record).unwrap();
        fs::write(chain.join(format!("{:04}.json", i + 1)), &bytes).unwrap();
        prev = sha256_hex(&bytes);
    }
    let mut head: Value = serde_json::from_slice(&fs::read(chain.join("HEAD")).unwrap()).unwrap();
    head["records"] = records.len().into();
    head["last_sha256"] = prev.into();
    let mut macs: Vec<Value> = head["macs"].as_array().cloned().unwrap_or_default();
    macs.truncate(records.len());
    if let Some(mac) = extra_mac {
        macs.push(mac.into());
    }
    head["macs"] = macs.into();
    fs::write(chain.join("HEAD"), serde_json::to_vec(&head).unwrap()).unwrap();
}

fn two_chains() -> Home {
    let home = Home::new();
    let vault = home.vault();
    paid_chain(&vault, "CM1");
    paid_chain(&vault, "CM2");
    home
}

/// `verify` says CM1 is broken (and CM2 intact), exit 1.
fn assert_cm1_broken(home: &Home, what: &str) {
    let (stdout, _) = run_expect(home, &["receipts", "verify"], 1);
    assert!(says(&stdout, "CM1", "BROKEN"), "{what}: {stdout}");
    assert!(says(&stdout, "CM2", "intact"), "{what}: {stdout}");
    run_expect(home, &["receipts", "verify", "CM1"], 1);
}

#[test]
fn untouched_chains_verify_as_anchored() {
    let home = two_chains();
    let (stdout, _) = run_expect(&home, &["receipts", "verify"], 0);
    for chain in ["CM1", "CM2"] {
        assert!(says(&stdout, chain, ": intact, anchored ("), "{stdout}");
    }
    assert!(
        stdout.contains("cannot"),
        "verify says what it cannot prove: {stdout}"
    );
    assert!(home.data().join("keys/receipts.key").is_file());
    assert!(
        !home.receipts().join("keys").exists(),
        "the key is outside the receipts folder"
    );
}

/// Lets `edit` change CM1's records as someone without the key can (it
/// may return a guessed MAC for an added record), re-chains every hash,
/// and expects `verify` to call CM1 broken.
fn attack(what: &str, edit: impl FnOnce(&mut Vec<Value>) -> Option<String>) {
    let home = two_chains();
    let chain = home.receipts().join("CM1");
    let mut all = records(&chain);
    let guessed_mac = edit(&mut all);
    rechain(&chain, &all, guessed_mac.as_deref());
    assert_cm1_broken(&home, what);
}

#[test]
fn dropping_the_last_records_and_rewriting_head_is_caught() {
    attack("dropped tail", |all| {
        all.truncate(3);
        None
    });
}

#[test]
fn an_edited_amount_with_every_hash_recomputed_is_caught() {
    attack("edited amount", |all| {
        let payment = &mut all[2]["receipt"]["event"];
        assert_eq!(payment["type"], "payment");
        payment["amount"] = 1.into();
        None
    });
}

#[test]
fn an_appended_forged_record_is_caught() {
    attack("forged record", |all| {
        let mut forged = all[2].clone();
        forged["receipt"]["event"]["payment"]["id"] = "PAY-FORGED".into();
        all.push(forged);
        // MAC-shaped: without the key, any guess.
        Some("ab".repeat(32))
    });
}

#[test]
fn a_deleted_chain_is_caught() {
    let home = two_chains();
    fs::remove_dir_all(home.receipts().join("CM1")).unwrap();
    let (stdout, _) = run_expect(&home, &["receipts", "verify"], 1);
    assert!(says(&stdout, "CM1", "BROKEN"), "{stdout}");
    let (_, list_err) = run_expect(&home, &["receipts", "list"], 1);
    assert!(list_err.contains("CM1"), "list names it too: {list_err}");
}

#[test]
fn a_chain_from_before_macs_is_intact_but_not_anchored() {
    let home = Home::new();
    paid_chain(&home.vault(), "CM1");
    // As an older wizard left it: no MACs, no key, no index.
    let head_path = home.receipts().join("CM1/HEAD");
    let mut head: Value = serde_json::from_slice(&fs::read(&head_path).unwrap()).unwrap();
    head.as_object_mut().unwrap().remove("macs");
    fs::write(&head_path, serde_json::to_vec(&head).unwrap()).unwrap();
    fs::remove_dir_all(home.data().join("keys")).unwrap();
    let (stdout, _) = run_expect(&home, &["receipts", "verify"], 0);
    assert!(
        stdout.contains("CM1: hash chain intact, not anchored"),
        "{stdout}"
    );
    let (md, _) = run_expect(&home, &["receipts", "export", "CM1"], 0);
    assert!(md.contains("not anchored"), "{md}");
}

#[test]
fn the_export_shows_the_final_hash_to_keep() {
    let home = two_chains();
    let (_, Ok(hash)) = home.vault().read("CM1").unwrap() else {
        panic!("intact")
    };
    let (md, _) = texts(&home.run(&["receipts", "export", "CM1"]));
    assert!(md.contains(&hash) && md.contains("anchored"), "{md}");
    let (json, _) = texts(&home.run(&["receipts", "export", "CM1", "--format", "json"]));
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["final_sha256"], hash.as_str());
    assert_eq!(json["anchored"], true);
}
