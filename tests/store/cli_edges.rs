//! The receipts commands at their edges (issue 13, items 13, 15, 23): a
//! damaged chain among good ones, `--out` onto a bare name or a non-regular
//! file, and order ids that name the receipts folder itself.

use std::fs;

use crate::chains::{Home, paid_chain, run_expect, says, texts};

#[test]
fn out_onto_a_bare_file_name_writes_it_and_succeeds() {
    let home = Home::new();
    paid_chain(&home.vault(), "CM1");
    let cwd = tempfile::tempdir().unwrap();
    for args in [
        &["receipts", "export", "CM1", "--out", "new.md"][..],
        &[
            "receipts", "export", "CM1", "--format", "json", "--out", "new.json",
        ],
        &["receipts", "complaint", "CM1", "--out", "draft.md"],
    ] {
        let out = home.run_in(Some(cwd.path()), args);
        let (stdout, stderr) = texts(&out);
        assert!(out.status.success(), "{args:?}: {stdout}{stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        let name = args[args.len() - 1];
        assert!(fs::metadata(cwd.path().join(name)).unwrap().is_file());
    }
}

#[test]
fn empty_or_path_like_order_ids_are_refused() {
    let home = Home::new();
    paid_chain(&home.vault(), "CM1");
    for id in ["", " ", ".", "..", "../receipts", "CM1/..", "a\\b"] {
        for args in [
            vec!["receipts", "show", id],
            vec!["receipts", "verify", id],
            vec!["receipts", "export", id],
            vec!["receipts", "complaint", id],
            vec!["status", id],
        ] {
            let out = home.run(&args);
            let (stdout, stderr) = texts(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {stdout}{stderr}");
            assert!(!stdout.contains("intact"), "{args:?}: {stdout}");
            assert!(stderr.contains("order number"), "{args:?}: {stderr}");
        }
    }
}

#[cfg(unix)]
#[test]
fn out_onto_a_fifo_or_a_device_link_is_refused_and_left_alone() {
    use std::os::unix::fs::FileTypeExt;
    let home = Home::new();
    paid_chain(&home.vault(), "CM1");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let link = dir.path().join("null-link");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    for target in [&fifo, &link] {
        let target_s = target.to_str().unwrap();
        for args in [
            vec!["receipts", "export", "CM1", "--out", target_s],
            vec!["receipts", "complaint", "CM1", "--out", target_s],
        ] {
            let out = home.run(&args);
            let (stdout, stderr) = texts(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {stdout}{stderr}");
            assert!(stderr.contains("not a regular file"), "{stderr}");
        }
    }
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// Two good chains and two damaged ones: a garbage HEAD, a record that is
/// a directory.
fn damaged_home() -> Home {
    let home = Home::new();
    let vault = home.vault();
    for order in ["CM1", "CM2", "CM3", "CM4"] {
        paid_chain(&vault, order);
    }
    fs::write(home.receipts().join("CM2/HEAD"), b"\x00garbage{").unwrap();
    let record = home.receipts().join("CM3/0002.json");
    fs::remove_file(&record).unwrap();
    fs::create_dir(&record).unwrap();
    home
}

#[test]
fn a_damaged_chain_does_not_hide_the_others_from_list() {
    let home = damaged_home();
    let (stdout, stderr) = run_expect(&home, &["receipts", "list"], 1);
    for order in ["CM1", "CM4"] {
        assert!(stdout.contains(order), "{order} missing: {stdout}{stderr}");
    }
    assert!(stderr.contains("CM2") && stderr.contains("CM3"), "{stderr}");
}

#[test]
fn verify_reports_every_chain_and_lists_the_broken_ones() {
    let home = damaged_home();
    let (stdout, _) = run_expect(&home, &["receipts", "verify"], 1);
    for (order, verdict) in [
        ("CM1", "intact"),
        ("CM4", "intact"),
        ("CM2", "BROKEN"),
        ("CM3", "BROKEN"),
    ] {
        assert!(says(&stdout, order, verdict), "{order}: {stdout}");
    }
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.contains("CM2") && last.contains("CM3"), "{stdout}");
}
