//! Fuzzing everything the wizard reads that it did not write this run:
//! Unicom yuan strings, the person's typing (phone, code, password, ID, card,
//! name), the configuration file, journal files and receipt chains. Every
//! input ends in a value or a typed error — never a panic — and the values
//! that come out obey their rules.
//!
//! Fast by default (`FUZZ_CASES`, default 256 per property).

use std::path::Path;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use unsubscribe_wizard::config::{Config, Endpoint};
use unsubscribe_wizard::core::fees::Fen;
use unsubscribe_wizard::core::flow::{Event, Reply, State, step};
use unsubscribe_wizard::core::model::{CarrierId, KeySeed, Outcome, Receipt, ReceiptEvent};
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::store::journal::{Journal, JournalError, encode};
use unsubscribe_wizard::store::vault::Vault;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256)
}

/// Byte edits: flip, cut, insert.
fn mutate(mut bytes: Vec<u8>, edits: &[(u8, usize, Vec<u8>)]) -> Vec<u8> {
    for (kind, at, more) in edits {
        let len = bytes.len().max(1);
        match kind % 3 {
            0 if !bytes.is_empty() => bytes[at % len] = more.first().copied().unwrap_or(0),
            1 => bytes.truncate(at % len),
            _ => {
                let i = at % (bytes.len() + 1);
                bytes.splice(i..i, more.iter().copied());
            }
        }
    }
    bytes
}

fn edits() -> impl Strategy<Value = Vec<(u8, usize, Vec<u8>)>> {
    proptest::collection::vec(
        (
            any::<u8>(),
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..6),
        ),
        1..5,
    )
}

/// A journal of a flow that got somewhere (a number, a code sent).
fn journalled_state() -> State {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    let state = State::new(KeySeed([3; 16]), now);
    let (msisdn, carrier) = validate::phone("18600186000").unwrap();
    let t = step(&state, Event::RequestCode { msisdn, carrier }, now).unwrap();
    let req = t.state.pending.unwrap().req;
    step(&t.state, Event::Reply(req, Reply::CodeSent), now)
        .unwrap()
        .state
}

fn check_journal_bytes(dir: &Path, bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = dir.join("flow.json");
    std::fs::write(&path, bytes).unwrap();
    match Journal::load(&path) {
        Ok(_) => {}
        Err(
            JournalError::Corrupt { kept_as, .. } | JournalError::FutureVersion { kept_as, .. },
        ) => {
            // An unreadable journal is set aside, never deleted.
            prop_assert!(
                kept_as.exists(),
                "set aside as {kept_as:?}, which is missing"
            );
            prop_assert_eq!(std::fs::read(&kept_as).unwrap(), bytes.to_vec());
            let _ = std::fs::remove_file(&kept_as);
        }
        Err(e @ JournalError::Io { .. }) => prop_assert!(false, "unexpected {e}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn yuan_strings_parse_exactly_or_are_refused(text in prop_oneof![
        "-?[0-9]{1,22}(\\.[0-9]{0,3})?",
        "[-0-9.,+ e]{0,24}",
        any::<String>(),
    ]) {
        if let Ok(fen) = Fen::parse_yuan(&text) {
            // What was read is what was written, to the fen.
            let back = Fen::parse_yuan(&fen.to_yuan_string()).unwrap();
            prop_assert_eq!(back, fen);
            prop_assert!(text.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '.'));
        }
    }

    #[test]
    fn every_fen_amount_survives_the_yuan_round_trip(fen in any::<i64>()) {
        prop_assert_eq!(Fen::parse_yuan(&Fen(fen).to_yuan_string()), Ok(Fen(fen)));
    }

    #[test]
    fn typed_input_is_a_value_or_a_typed_error(text in prop_oneof![
        any::<String>(),
        "[0-9Xx +\\-]{0,24}",
        "1[3-9][0-9]{9}",
        "[0-9]{17}[0-9X]",
        "[0-9]{12,20}",
    ]) {
        if let Ok((msisdn, carrier)) = validate::phone(&text) {
            prop_assert_eq!(msisdn.as_str().len(), 11);
            prop_assert!(msisdn.as_str().bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(validate::carrier_of_segment(msisdn.as_str()), Ok(carrier));
        }
        if let Ok(msisdn) = validate::contact_phone(&text) {
            prop_assert!(msisdn.as_str().bytes().all(|b| b.is_ascii_digit()));
        }
        if let Ok(code) = validate::sms_code(&text) {
            prop_assert!(code.expose().bytes().all(|b| b.is_ascii_digit()));
        }
        if let Ok(pwd) = validate::service_password(&text) {
            prop_assert_eq!(pwd.expose().len(), 6);
        }
        if let Ok(id) = validate::id_number(&text) {
            let raw = id.expose().as_bytes();
            prop_assert_eq!(raw.len(), 18);
            prop_assert_eq!(validate::id_check_char(&raw[..17]), char::from(raw[17]));
        }
        if let Ok(card) = validate::card_number(&text) {
            prop_assert!(validate::luhn_ok(card.expose()));
        }
        if let Ok(name) = validate::holder_name(&text) {
            prop_assert!(!name.trim().is_empty());
        }
        // Refusals carry an i18n key for the message.
        if let Err(e) = validate::id_number(&text) {
            prop_assert!(!e.key().is_empty());
        }
    }

    #[test]
    fn any_config_text_is_a_config_or_a_typed_error(text in any::<String>()) {
        let _ = Config::from_user_toml(&text, "fuzz.toml");
    }

    #[test]
    fn mutated_config_files_never_allow_plain_http_to_a_remote_host(
        edits in edits(),
        base in proptest::sample::select(vec![
            "https://api.example.cn",
            "http://127.0.0.1:7878",
            "http://[::1]:7878",
            "http://localhost:1",
            "http://10.0.0.1",
            "http://example.cn",
            "http://127.0.0.1.example.cn",
            "embedded",
        ]),
        timeout in prop_oneof![1i64..600_000, any::<i64>()],
    ) {
        let text = format!(
            "[wizard]\nlanguage = \"en\"\n[network]\nrequest_timeout_ms = {timeout}\nmax_attempts = 3\n\
             [carriers.china_mobile]\nbase_url = \"{base}\"\n[carriers.china_telecom]\nbase_url = \"{base}\"\n"
        );
        let text = String::from_utf8_lossy(&mutate(text.into_bytes(), &edits)).into_owned();
        if let Ok(config) = Config::from_user_toml(&text, "fuzz.toml") {
            for carrier in CarrierId::ALL {
                if let Endpoint::Url(url) = config.endpoint(carrier) {
                    let host = url.host_str().unwrap_or_default();
                    prop_assert!(
                        url.scheme() == "https"
                            || ["127.0.0.1", "[::1]", "localhost"].contains(&host),
                        "accepted {url} from\n{text}"
                    );
                }
            }
            prop_assert!(config.network.max_attempts >= 1);
        }
    }
}

proptest! {
    // Files on disk are slower (atomic writes sync): fewer cases.
    #![proptest_config(ProptestConfig::with_cases(cases() / 4))]

    #[test]
    fn arbitrary_journal_files_are_read_or_set_aside(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let dir = tempfile::tempdir().unwrap();
        check_journal_bytes(dir.path(), &bytes)?;
    }

    #[test]
    fn mutated_journals_are_read_or_set_aside(edits in edits()) {
        let dir = tempfile::tempdir().unwrap();
        let bytes = mutate(encode(&journalled_state()), &edits);
        check_journal_bytes(dir.path(), &bytes)?;
    }

    #[test]
    fn journals_with_any_value_replaced_are_read_or_set_aside(
        pick in any::<usize>(),
        with in prop_oneof![
            Just(serde_json::Value::Null),
            Just(serde_json::json!(-1)),
            Just(serde_json::json!(u64::MAX)),
            Just(serde_json::json!(1e300)),
            Just(serde_json::json!([])),
            Just(serde_json::json!({})),
            Just(serde_json::json!("zz")),
            any::<String>().prop_map(serde_json::Value::String),
        ],
    ) {
        let mut value: serde_json::Value =
            serde_json::from_slice(&encode(&journalled_state())).unwrap();
        let mut slots = Vec::new();
        collect_slots(&value, &mut slots);
        let target = pick % slots.len();
        replace_nth(&mut value, target, &mut 0, with);
        let dir = tempfile::tempdir().unwrap();
        check_journal_bytes(dir.path(), &serde_json::to_vec(&value).unwrap())?;
    }

    #[test]
    fn damaged_receipt_chains_are_read_with_a_verdict(
        which in any::<usize>(),
        edits in edits(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(dir.path()).unwrap();
        let receipt = Receipt {
            at: Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap(),
            carrier: CarrierId::ChinaMobile,
            msisdn_masked: "138****8000".to_owned(),
            order_id: Some("OD1".to_owned()),
            event: ReceiptEvent::Finished { outcome: Some(Outcome::Cancelled), error: None },
        };
        for _ in 0..3 {
            vault.append("f1", &receipt).unwrap();
        }
        let chain = dir.path().join("OD1");
        let mut files: Vec<_> = std::fs::read_dir(&chain)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let file = &files[which % files.len()];
        let bytes = mutate(std::fs::read(file).unwrap(), &edits);
        let changed = bytes != std::fs::read(file).unwrap();
        std::fs::write(file, &bytes).unwrap();
        match vault.read("OD1") {
            Ok((_, Ok(_))) => prop_assert!(!changed, "a changed {file:?} went unnoticed"),
            Ok((_, Err(_))) | Err(_) => {}
        }
    }
}

/// Numbers every leaf and container of a JSON value (pre-order).
fn collect_slots(value: &serde_json::Value, out: &mut Vec<()>) {
    out.push(());
    match value {
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_slots(v, out)),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_slots(v, out)),
        _ => {}
    }
}

/// Replaces the `target`-th slot (pre-order, as `collect_slots` counts).
fn replace_nth(
    value: &mut serde_json::Value,
    target: usize,
    seen: &mut usize,
    with: serde_json::Value,
) -> Option<serde_json::Value> {
    if *seen == target {
        *value = with;
        return None;
    }
    *seen += 1;
    let mut with = Some(with);
    match value {
        serde_json::Value::Object(map) => {
            for v in map.values_mut() {
                with = replace_nth(v, target, seen, with?);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items.iter_mut() {
                with = replace_nth(v, target, seen, with?);
            }
        }
        _ => {}
    }
    with
}
