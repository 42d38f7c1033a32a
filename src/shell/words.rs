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
