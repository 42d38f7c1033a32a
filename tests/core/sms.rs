//! The SMS parser (`core::sms`) and `sms parse`: every text of the corpus in
//! `tests/fixtures/sms/` (each with a sidecar naming its source and the
//! fields expected), one test per rule, property tests on arbitrary input and
//! on mutated corpus texts, and the command end to end (JSON, zh, en, exit codes).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::Value;
use unsubscribe_wizard::core::model::CarrierId;
use unsubscribe_wizard::core::sms::{self, Context, Kind, MAX_NAME_CHARS, MAX_PRODUCTS, Missing};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sms")
}

/// (name, text, sidecar) of every corpus text.
fn corpus() -> Vec<(String, String, toml::Table)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let sidecar = std::fs::read_to_string(path.with_extension("toml"))
            .unwrap_or_else(|_| panic!("{} has no .toml sidecar", path.display()));
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        out.push((name, text, sidecar.parse().unwrap()));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn carrier_key(key: &str) -> CarrierId {
    match key {
        "china_mobile" => CarrierId::ChinaMobile,
        "china_unicom" => CarrierId::ChinaUnicom,
        "china_telecom" => CarrierId::ChinaTelecom,
        other => panic!("unknown carrier {other}"),
    }
}

fn context_of(sidecar: &toml::Table) -> Context {
    let s = |k: &str| sidecar.get(k).and_then(|v| v.as_str());
    Context {
        carrier: s("carrier_hint").map(carrier_key),
        from: s("sender").map(str::to_owned),
        received: NaiveDate::parse_from_str(s("received").unwrap(), "%Y-%m-%d").unwrap(),
    }
}

/// An expected value as JSON; the string "null" stands for null, "-" for a missing key.
fn expected(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) if s == "null" || s == "-" => Value::Null,
        toml::Value::Array(items) => Value::Array(items.iter().map(expected).collect()),
        other => serde_json::to_value(other).unwrap(),
    }
}

/// The parsed field an expectation names.
fn actual(parsed: &Value, field: &str) -> Value {
    let products = parsed["products"].as_array().cloned().unwrap_or_default();
    let column = |k: &str| Value::Array(products.iter().map(|p| p[k].clone()).collect());
    match field {
        "products" => column("name"),
        "keys" => column("key"),
        "fees" => column("monthly_fee_fen"),
        "monthly_fee_fen" => products
            .first()
            .map_or(Value::Null, |p| p["monthly_fee_fen"].clone()),
        "reply_text" => parsed["reply"]["text"].clone(),
        "reply_to" => parsed["reply"]["to"].clone(),
        "deadline_minutes" => parsed["reply"]["deadline_minutes"].clone(),
        other => parsed.get(other).cloned().unwrap_or(Value::Null),
    }
}

#[test]
fn every_corpus_text_parses_as_its_sidecar_expects() {
    let corpus = corpus();
    assert!(corpus.len() >= 30, "the corpus has {} texts", corpus.len());
    let mut failures = Vec::new();
    for (name, text, sidecar) in &corpus {
        for key in ["source", "date", "received", "reliability"] {
            assert!(
                sidecar.contains_key(key),
                "{name}: the sidecar lacks `{key}`"
            );
        }
        let parsed = serde_json::to_value(sms::parse(text, &context_of(sidecar))).unwrap();
        let expect = sidecar["expect"].as_table().unwrap();
        for (field, want) in expect {
            let got = actual(&parsed, field);
            if got != expected(want) {
                failures.push(format!(
                    "{name}: {field} = {got}, expected {}",
                    expected(want)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_corpus_covers_every_carrier_and_every_kind() {
    let corpus = corpus();
    for carrier in ["china_mobile", "china_unicom", "china_telecom"] {
        assert!(
            corpus
                .iter()
                .any(|(_, _, s)| s.get("carrier").and_then(|v| v.as_str()) == Some(carrier)),
            "no text of {carrier}"
        );
    }
    let kinds: Vec<String> = corpus
        .iter()
        .map(|(_, _, s)| s["expect"]["kind"].as_str().unwrap().to_owned())
        .collect();
    for kind in [
        "service_list",
        "confirm_prompt",
        "accepted",
        "cancelled",
        "failed",
        "fee_notice",
        "opt_out_notice",
        "login_code",
        "marketing",
        "other",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "no text of kind {kind}");
    }
}

fn ctx() -> Context {
    Context {
        carrier: None,
        from: None,
        received: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    }
}

#[test]
fn an_opt_out_of_reminders_is_never_a_cancellation() {
    for text in [
        "【中国联通】账单已出，回复TDZD退订本短信。",
        "好礼相送，回T退订",
        "拒收请回复R",
        "【中国移动】您已成功退订账单提醒短信",
    ] {
        let p = sms::parse(text, &ctx());
        assert_ne!(p.kind, Kind::Cancelled, "{text}");
        assert!(p.reply.is_none(), "{text}");
    }
}

#[test]
fn an_invitation_to_reply_yes_is_marketing_and_never_a_reply() {
    let p = sms::parse("【中国移动】回复“是”订购10GB流量包，10元/月", &ctx());
    assert_eq!(p.kind, Kind::Marketing);
    assert!(p.reply.is_none());
}

#[test]
fn a_cancel_reply_goes_only_to_an_official_number() {
    let p = sms::parse(
        "【中国移动】回复“Y”确认取消彩铃业务，发送Y到10690000确认取消",
        &ctx(),
    );
    assert!(p.reply.is_none(), "{p:?}");
    let p = sms::parse(
        "【中国移动】如需取消彩铃业务，请回复Y确认取消，2小时内回复有效",
        &ctx(),
    );
    assert_eq!(p.kind, Kind::ConfirmPrompt);
    let reply = p.reply.unwrap();
    assert_eq!(
        (reply.to.as_str(), reply.text.as_deref()),
        ("10086", Some("Y"))
    );
}

#[test]
fn a_cancellation_without_price_or_date_lists_them_missing() {
    let p = sms::parse("【中国电信】您已成功退订天翼视讯", &ctx());
    assert_eq!(p.kind, Kind::Cancelled);
    assert_eq!(p.missing, vec![Missing::Price, Missing::EffectiveDate]);
}

#[test]
fn the_carrier_comes_from_the_signature_then_the_sender_then_the_person() {
    let with = |text: &str, from: Option<&str>, carrier| {
        let c = Context {
            carrier,
            from: from.map(str::to_owned),
            ..ctx()
        };
        sms::parse(text, &c).carrier
    };
    assert_eq!(
        with("您好【中国联通】", Some("10086"), None),
        Some(CarrierId::ChinaUnicom)
    );
    assert_eq!(
        with("您好", Some("10086977"), None),
        Some(CarrierId::ChinaMobile)
    );
    assert_eq!(
        with("您好", None, Some(CarrierId::ChinaTelecom)),
        Some(CarrierId::ChinaTelecom)
    );
    assert_eq!(with("您已订购【咪咕音乐】业务，谢谢", None, None), None);
}

#[test]
fn official_sender_is_given_only_with_a_sender() {
    let p = serde_json::to_value(sms::parse("【中国移动】您好", &ctx())).unwrap();
    assert!(p.get("official_sender").is_none());
}

#[test]
fn hostile_lengths_are_bounded() {
    let long_name = format!("1、{}，5元；2、b，1元。回复序号退订", "名".repeat(10_000));
    let p = sms::parse(&long_name, &ctx());
    assert!(
        p.products
            .iter()
            .all(|x| x.name.chars().count() <= MAX_NAME_CHARS)
    );
    let many: String = (0..500)
        .map(|i| format!("{}、业务{i}，1元；", i % 100))
        .collect();
    let p = sms::parse(&format!("您已订购：{many}回复序号退订"), &ctx());
    assert!(p.products.len() <= MAX_PRODUCTS);
    let p = sms::parse(&format!("订单号{}", "A".repeat(100)), &ctx());
    assert!(p.order_no.is_none());
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256)
}

/// Pieces the rules look for, so random texts reach them.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("【中国移动】".to_owned()),
        Just("退订成功".to_owned()),
        Just("回复“Y”确认取消".to_owned()),
        Just("回复TD退订".to_owned()),
        Just("1、".to_owned()),
        Just("元/月".to_owned()),
        Just("次月生效".to_owned()),
        Just("12月".to_owned()),
        Just("31日".to_owned()),
        Just("受理编号".to_owned()),
        Just("小时内回复".to_owned()),
        Just("9999999999999".to_owned()),
        Just(".".to_owned()),
        "\\PC{0,12}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn any_text_parses_without_panic(text in any::<String>(), day in 0u32..100_000) {
        let received = NaiveDate::from_num_days_from_ce_opt(i32::try_from(day).unwrap() + 700_000).unwrap();
        let p = sms::parse(&text, &Context { received, ..ctx() });
        prop_assert!(p.products.len() <= MAX_PRODUCTS);
    }

    #[test]
    fn texts_made_of_rule_pieces_parse_within_bounds(pieces in proptest::collection::vec(piece(), 0..40)) {
        let p = sms::parse(&pieces.concat(), &ctx());
        prop_assert!(p.products.iter().all(|x| x.name.chars().count() <= MAX_NAME_CHARS));
        prop_assert!(p.order_no.as_ref().is_none_or(|o| o.len() <= sms::MAX_ORDER_NO));
        if p.reply.is_some() {
            prop_assert!(matches!(p.kind, Kind::ConfirmPrompt | Kind::ServiceList));
        }
    }

    #[test]
    fn mutated_corpus_texts_parse_without_panic(
        pick in 0usize..1000,
        edits in proptest::collection::vec((0u8..3, 0usize..2000, "\\PC{0,4}"), 0..8),
    ) {
        let corpus = corpus();
        let mut chars: Vec<char> = corpus[pick % corpus.len()].1.chars().collect();
        for (kind, at, more) in edits {
            let at = at % (chars.len() + 1);
            match kind {
                0 => { chars.truncate(at); }
                1 => { chars.splice(at..at, more.chars()); }
                _ => if at < chars.len() { chars.remove(at); },
            }
        }
        let text: String = chars.into_iter().collect();
        let _ = sms::parse(&text, &ctx());
    }
}

// --- the command ---

/// Runs `sms parse` with `args`, `input` on stdin; (exit code, stdout, stderr).
fn run(args: &[&str], input: &[u8]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_unsubscribe-wizard"))
        .args(args)
        .env("XDG_CONFIG_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A refused input may close stdin early; that is not this test's failure.
    let _ = child.stdin.take().unwrap().write_all(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const PROMPT: &str =
    "请确认是否取消和多号包月业务，回复“Y”确认取消，回复“N”不取消，2小时内回复有效。 中国移动";

#[test]
fn sms_parse_json_has_the_shape_of_guided_md() {
    let (code, out, err) = run(
        &[
            "sms",
            "parse",
            "--json",
            "--from",
            "10086977",
            "--received",
            "2026-11-25",
        ],
        PROMPT.as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "kind",
        "carrier",
        "official_sender",
        "products",
        "effective_date",
        "effective_note",
        "amount_fen",
        "order_no",
        "reply",
        "missing",
    ] {
        assert!(keys.contains(&key), "no {key} in {out}");
    }
    assert_eq!(v["kind"], "confirm_prompt");
    assert_eq!(v["official_sender"], true);
    assert_eq!(v["reply"]["to"], "10086977");
    assert_eq!(v["reply"]["text"], "Y");
    assert_eq!(v["reply"]["deadline_minutes"], 120);
}

#[test]
fn sms_parse_summarises_in_chinese_and_english() {
    let cancelled = "尊敬的客户，您已成功退订流量共享业务，资费5元/月，下月1日生效。【中国移动】";
    let (code, zh, _) = run(
        &["--lang", "zh", "sms", "parse", "--received", "2026-11-25"],
        cancelled.as_bytes(),
    );
    assert_eq!(code, 0);
    assert!(
        zh.contains("退订已确认") && zh.contains("2026-12-01") && zh.contains("¥5.00/月"),
        "{zh}"
    );
    let (code, en, _) = run(
        &["--lang", "en", "sms", "parse", "--received", "2026-11-25"],
        cancelled.as_bytes(),
    );
    assert_eq!(code, 0);
    assert!(
        en.contains("cancellation confirmed") && en.contains("Takes effect: 2026-12-01"),
        "{en}"
    );
    let (_, en, _) = run(
        &["--lang", "en", "sms", "parse"],
        "好礼相送，回T退订".as_bytes(),
    );
    assert!(
        en.contains("Kind: marketing") && en.contains("Never reply 是"),
        "{en}"
    );
    let (_, zh, _) = run(
        &["--lang", "zh", "sms", "parse"],
        "【中国移动】您已成功退订账单提醒短信".as_bytes(),
    );
    assert!(zh.contains("并不是退订任何业务"), "{zh}");
}

#[test]
fn sms_parse_escapes_carrier_control_characters() {
    let (code, out, _) = run(
        &["--lang", "en", "sms", "parse", "--carrier", "china_mobile"],
        "您已成功退订\u{1b}]52;c;AAAA\u{7}彩铃业务\u{1b}[2J，次月生效".as_bytes(),
    );
    assert_eq!(code, 0);
    assert!(!out.contains('\u{1b}'), "{out:?}");
}

#[test]
fn sms_parse_refuses_bad_input_with_exit_2() {
    let (code, _, err) = run(&["sms", "parse"], &[0xff, 0xfe, 0x00]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("UTF-8"), "{err}");
    let big = vec![b'a'; 64 * 1024 + 1];
    let (code, _, err) = run(&["sms", "parse"], &big);
    assert_eq!(code, 2);
    assert!(err.contains("64 KiB"), "{err}");
    assert_eq!(
        run(&["sms", "parse", "--received", "2026-02-30"], b"x").0,
        2
    );
    assert_eq!(
        run(&["sms", "parse", "--carrier", "china_moble"], b"x").0,
        2
    );
    // Any readable text is exit 0, whatever it says.
    assert_eq!(run(&["sms", "parse", "--json"], b"").0, 0);
}
