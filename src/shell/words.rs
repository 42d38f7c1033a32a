//! What the person reads when the journal or the receipts fail during a run:
//! in their language, through i18n keys, with the file and the operating
//! system's own words as arguments (the typed errors' English sentences are
//! for the log and the command line).

use std::fmt::Display;
use std::path::Path;

use super::runner::{EffectError, Store};
use crate::store::journal::JournalError;
use crate::store::vault::VaultError;
use crate::ui::Model;

/// The journal could not be read at start-up: no flow is offered to resume.
pub fn journal_unreadable(model: &Model, error: &JournalError, store: &Store) -> String {
    let (path, cause) = journal_cause(error, store);
    say(model, "shell.store_open_failed", path, &cause)
}

/// A journal or receipt write failed; the flow goes on.
pub fn effect_failed(model: &Model, error: &EffectError, store: &Store) -> String {
    match error {
        EffectError::Journal(e) => {
            let (path, cause) = journal_cause(e, store);
            say(model, "shell.journal_failed", path, &cause)
        }
        EffectError::Receipt(e) => {
            let (path, cause) = match e {
                VaultError::Io { path, source } => (path.as_path(), source.to_string()),
                other => (store.vault.dir(), other.to_string()),
            };
            say(model, "shell.receipt_failed", path, &cause)
        }
    }
}

/// The file a journal error is about, and what went wrong with it.
fn journal_cause<'a>(error: &'a JournalError, store: &'a Store) -> (&'a Path, String) {
    match error {
        JournalError::Io { path, source } => (path.as_path(), source.to_string()),
        other => (store.journal.dir(), other.to_string()),
    }
}

fn say(model: &Model, key: &str, path: &Path, cause: &dyn Display) -> String {
    model.tr(
        key,
        &[
            ("path", path.display().to_string()),
            ("error", cause.to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use std::io;

    use chrono::Utc;

    use super::*;
    use crate::core::flow::State;
    use crate::core::model::KeySeed;
    use crate::store::journal::Journal;
    use crate::store::vault::Vault;
    use crate::ui::Lang;

    #[test]
    fn a_failed_journal_write_is_told_in_the_persons_language() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            journal: Journal::open(dir.path().join("journal")).unwrap(),
            vault: Vault::open(dir.path().join("receipts")).unwrap(),
        };
        let failed = EffectError::Journal(JournalError::Io {
            path: "/data/journal/x.json".into(),
            source: io::Error::from(io::ErrorKind::PermissionDenied),
        });
        let now = Utc::now();
        let zh = Model::new(State::new(KeySeed([1; 16]), now), Lang::Zh, now);
        let words = effect_failed(&zh, &failed, &store);
        assert!(
            words.starts_with("无法写入日志 /data/journal/x.json（"),
            "{words}"
        );
        assert!(!words.contains("cannot use"), "{words}");
        let en = Model::new(State::new(KeySeed([1; 16]), now), Lang::En, now);
        let words = effect_failed(&en, &failed, &store);
        assert!(
            words.starts_with("The journal /data/journal/x.json could not"),
            "{words}"
        );
    }
}
