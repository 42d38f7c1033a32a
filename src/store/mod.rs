//! What is kept on disk: the crash-safe journal of the flow and the receipts
//! vault. Everything here is written atomically and holds no secret.

pub mod anchor;
pub mod atomic;
pub mod journal;
pub mod lock;
pub mod log;
pub mod paths;
pub mod vault;

#[cfg(test)]
mod tests {
    use std::io;
    use std::path::PathBuf;

    use super::journal::JournalError;
    use super::vault::VaultError;
    use crate::ui::i18n::{Lang, lookup, tr};

    fn every_error() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
        let path = || PathBuf::from("/data/journal/x.json");
        let io = || io::Error::from(io::ErrorKind::PermissionDenied);
        let journal = [
            JournalError::Io {
                path: path(),
                source: io(),
            },
            JournalError::Corrupt {
                path: path(),
                detail: "expected value".into(),
                kept_as: path(),
            },
            JournalError::FutureVersion {
                path: path(),
                found: 9,
                supported: 2,
                kept_as: path(),
            },
        ];
        let vault = [
            VaultError::Io {
                path: path(),
                source: io(),
            },
            VaultError::UnknownOrder("CM1".into()),
        ];
        journal
            .iter()
            .map(|e| (e.message_key(), e.message_args()))
            .chain(vault.iter().map(|e| (e.message_key(), e.message_args())))
            .collect()
    }

    #[test]
    fn every_store_error_has_words_in_both_languages_with_every_placeholder_filled() {
        for (key, args) in every_error() {
            for lang in [Lang::Zh, Lang::En] {
                assert!(lookup(lang, key).is_some(), "{key} missing in {lang:?}");
                let text = tr(lang, key, &args);
                assert!(
                    !text.contains('{'),
                    "{key} in {lang:?} left a placeholder: {text}"
                );
            }
        }
    }
}
