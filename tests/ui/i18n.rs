//! The strings files: both languages have exactly the same keys with the same
//! placeholders, every key the core can produce exists, and every key the
//! screens name exists.

use std::collections::BTreeSet;

use unsubscribe_wizard::core::error::ErrorKind;
use unsubscribe_wizard::core::fees::Fen;
use unsubscribe_wizard::core::model::{BlockReason, ReasonCode};
use unsubscribe_wizard::core::validate::InputError;
use unsubscribe_wizard::ui::i18n::{Catalog, Lang, SOURCES, has, parse_catalog};
use unsubscribe_wizard::ui::screens::blocked::cause_key;

fn catalogs() -> Vec<(Lang, Catalog)> {
    SOURCES
        .iter()
        .map(|(lang, text)| (*lang, parse_catalog(text).unwrap()))
        .collect()
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.insert(after[..close].to_owned());
        rest = &after[close + 1..];
    }
    out
}

#[test]
fn both_languages_have_the_same_keys_and_placeholders() {
    let cats = catalogs();
    let (zh, en) = (&cats[0].1, &cats[1].1);
    let zh_keys: BTreeSet<_> = zh.keys().collect();
    let en_keys: BTreeSet<_> = en.keys().collect();
    let only_zh: Vec<_> = zh_keys.difference(&en_keys).collect();
    let only_en: Vec<_> = en_keys.difference(&zh_keys).collect();
    assert!(
        only_zh.is_empty() && only_en.is_empty(),
        "zh only: {only_zh:?}; en only: {only_en:?}"
    );
    for (key, text) in zh {
        assert_eq!(
            placeholders(text),
            placeholders(&en[key]),
            "{key}: placeholders differ between zh and en"
        );
        assert!(!text.trim().is_empty(), "{key} is empty in zh");
        assert!(!en[key].trim().is_empty(), "{key} is empty in en");
    }
}

/// One of every error kind. The match below fails to compile when a kind is
/// added, so this list cannot silently fall behind.
fn every_error_kind() -> Vec<ErrorKind> {
    let all = vec![
        ErrorKind::WrongCredentials,
        ErrorKind::CodeTooOften,
        ErrorKind::AccountFrozen,
        ErrorKind::LoginLocked,
        ErrorKind::UnknownNumber,
        ErrorKind::SessionExpired,
        ErrorKind::NotCancellable {
            reason: BlockReason::Expired,
        },
        ErrorKind::IdentityMismatch,
        ErrorKind::QuoteExpired,
        ErrorKind::BalanceInsufficient,
        ErrorKind::PaymentDeclined,
        ErrorKind::OrderRejected { reason: None },
        ErrorKind::ConfirmationStalled,
        ErrorKind::NoticeNotReceived,
        ErrorKind::Abandoned,
        ErrorKind::IdempotencyConflict,
        ErrorKind::NetworkUnreachable {
            detail: String::new(),
        },
        ErrorKind::TimedOut {
            call: String::new(),
        },
        ErrorKind::CarrierBusy {
            retry_after_secs: None,
        },
        ErrorKind::Protocol {
            call: String::new(),
            detail: String::new(),
        },
        ErrorKind::StorageUnavailable {
            path: String::new(),
            detail: String::new(),
        },
        ErrorKind::AmountChanged {
            asked: Fen(0),
            confirmed: Fen(0),
        },
    ];
    for kind in &all {
        match kind {
            ErrorKind::WrongCredentials
            | ErrorKind::CodeTooOften
            | ErrorKind::AccountFrozen
            | ErrorKind::LoginLocked
            | ErrorKind::UnknownNumber
            | ErrorKind::SessionExpired
            | ErrorKind::NotCancellable { .. }
            | ErrorKind::IdentityMismatch
            | ErrorKind::QuoteExpired
            | ErrorKind::BalanceInsufficient
            | ErrorKind::PaymentDeclined
            | ErrorKind::OrderRejected { .. }
            | ErrorKind::ConfirmationStalled
            | ErrorKind::NoticeNotReceived
            | ErrorKind::Abandoned
            | ErrorKind::IdempotencyConflict
            | ErrorKind::NetworkUnreachable { .. }
            | ErrorKind::TimedOut { .. }
            | ErrorKind::CarrierBusy { .. }
            | ErrorKind::Protocol { .. }
            | ErrorKind::StorageUnavailable { .. }
            | ErrorKind::AmountChanged { .. } => {}
        }
    }
    all
}

fn every_block_reason() -> Vec<BlockReason> {
    let all = vec![
        BlockReason::Expired,
        BlockReason::InBundle,
        BlockReason::Arrears,
        BlockReason::AlreadyCancelling,
        BlockReason::Unspecified,
    ];
    for r in &all {
        match r {
            BlockReason::Expired
            | BlockReason::InBundle
            | BlockReason::Arrears
            | BlockReason::AlreadyCancelling
            | BlockReason::Unspecified => {}
        }
    }
    all
}

fn every_input_error() -> Vec<InputError> {
    let all = vec![
        InputError::Empty,
        InputError::NotDigits,
        InputError::WrongLength {
            expected: "11",
            got: 3,
        },
        InputError::NotMobile,
        InputError::UnknownSegment("140".into()),
        InputError::VirtualOperator("170".into()),
        InputError::Broadnet("192".into()),
        InputError::BadRegion,
        InputError::BadBirthDate("19900230".into()),
        InputError::BadIdCheck { expected: '3' },
        InputError::BadCardCheck,
        InputError::NotAsSent("110***********1233".into()),
    ];
    for e in &all {
        match e {
            InputError::Empty
            | InputError::NotDigits
            | InputError::WrongLength { .. }
            | InputError::NotMobile
            | InputError::UnknownSegment(_)
            | InputError::VirtualOperator(_)
            | InputError::Broadnet(_)
            | InputError::BadRegion
            | InputError::BadBirthDate(_)
            | InputError::BadIdCheck { .. }
            | InputError::BadCardCheck
            | InputError::NotAsSent(_) => {}
        }
    }
    all
}

#[test]
fn every_key_the_core_can_produce_exists_in_both_languages() {
    let mut keys: Vec<String> = Vec::new();
    for kind in every_error_kind() {
        keys.push(kind.message_key().into());
        keys.push(kind.remedy_key().into());
        keys.push(cause_key(&kind));
    }
    for reason in every_block_reason() {
        keys.push(reason.message_key().into());
        keys.push(reason.remedy_key().into());
        keys.push(ErrorKind::NotCancellable { reason }.remedy_key().into());
    }
    for e in every_input_error() {
        keys.push(e.key().into());
    }
    for r in ReasonCode::ALL {
        keys.push(r.label_key().into());
    }
    for lang in [Lang::Zh, Lang::En] {
        for key in &keys {
            assert!(has(lang, key), "{lang:?} lacks {key}");
        }
    }
}

#[test]
fn input_errors_fill_every_placeholder_they_name() {
    let cats = catalogs();
    for (lang, cat) in &cats {
        for e in every_input_error() {
            let names: BTreeSet<String> = e.args().iter().map(|(n, _)| (*n).to_owned()).collect();
            assert!(
                placeholders(&cat[e.key()]).is_subset(&names),
                "{lang:?} {}: needs {:?}, gets {names:?}",
                e.key(),
                placeholders(&cat[e.key()])
            );
        }
    }
}

/// Every string literal in the screens that looks like a key of a known
/// section must exist, so a typo shows up here rather than on screen.
#[test]
fn every_key_the_screens_name_exists() {
    let cats = catalogs();
    let sections: BTreeSet<String> = cats[0]
        .1
        .keys()
        .filter_map(|k| k.split('.').next().map(str::to_owned))
        .collect();
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from("src/ui"), "src/shell".into()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut checked = 0;
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for literal in source.split('"').skip(1).step_by(2) {
            let Some((section, rest)) = literal.split_once('.') else {
                continue;
            };
            let looks_like_key = !rest.is_empty()
                && sections.contains(section)
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
            if looks_like_key && !literal.ends_with('.') {
                checked += 1;
                for (lang, cat) in &cats {
                    assert!(
                        cat.contains_key(literal),
                        "{lang:?} lacks {literal} (named in {})",
                        file.display()
                    );
                }
            }
        }
    }
    assert!(
        checked > 150,
        "only {checked} keys found: the scan is broken"
    );
}

#[test]
fn every_refusal_has_words_and_a_stale_reply_none() {
    use unsubscribe_wizard::core::flow::{RequestId, StepError};
    use unsubscribe_wizard::ui::refusal;
    let all = [
        StepError::NotNow {
            event: "Confirm",
            step: "paying",
        },
        StepError::Busy,
        StepError::CodeCooldown(42),
        StepError::PlanNotChoosable,
        StepError::RetentionUnanswered,
        StepError::OutcomeUnknown,
        StepError::NeedsApplication,
        StepError::NeedsCard,
    ];
    for lang in [Lang::Zh, Lang::En] {
        assert_eq!(refusal(lang, &StepError::Stale(RequestId(1))), None);
        for e in &all {
            let text = refusal(lang, e).unwrap();
            assert!(!text.starts_with("refused."), "{lang:?} {e:?}: {text}");
            assert!(!text.contains('{'), "{text}");
        }
        assert!(
            refusal(lang, &StepError::CodeCooldown(42))
                .unwrap()
                .contains("42")
        );
    }
}
