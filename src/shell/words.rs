//! What the person reads when the journal or the receipts fail during a run,
//! in their language: the store's own message (its i18n key and arguments:
//! which file, what the system said, what to check) followed by what it
//! means for this run, so each fact is said in one place. The typed errors'
//! English sentences are for the log and the command line.

use super::runner::EffectError;
use super::storage;
use crate::store::journal::{JournalError, SetAside};
use crate::ui::Model;

/// The journal could not be read at start-up: no flow is offered to resume.
pub fn journal_unreadable(model: &Model, error: &JournalError) -> String {
    let said = model.tr(error.message_key(), &error.message_args());
    then(model, said, "shell.store_open_failed", &[])
}

/// A journal or receipt write failed; the flow goes on, but nothing that
/// moves money is sent until both can be written.
pub fn effect_failed(model: &Model, error: &EffectError) -> String {
    let consequence = match error {
        EffectError::Journal(_) => "shell.journal_failed",
        EffectError::Receipt(_) => "shell.receipt_failed",
    };
    then(model, store_says(model, error), consequence, &[])
}

/// A submit or pay request was not sent because of `cause`: where, what the
/// system said, and the free space there.
pub fn money_withheld(model: &Model, cause: &EffectError) -> String {
    let (path, _) = storage::cause(cause);
    let free = storage::free_bytes(&path)
        .map_or_else(|| model.t("shell.free_unknown"), storage::human_bytes);
    then(
        model,
        store_says(model, cause),
        "shell.money_withheld",
        &[("free", free)],
    )
}

/// Journal files that cannot be read (moved aside now or at an earlier
/// start): the first one — where, why, the order it names — how many in
/// all, and what to do; `None` when there are none.
pub fn set_aside(model: &Model, files: &[SetAside]) -> Option<String> {
    let first = files.first()?;
    let order = first.order.as_ref().map_or_else(String::new, |order| {
        model.tr("shell.set_aside_order", &[("order", order.as_str())])
    });
    let mut words = model.tr(
        "shell.set_aside",
        &[
            ("path", first.path.display().to_string()),
            ("why", first.why.clone()),
            ("order", order),
        ],
    );
    if files.len() > 1 {
        words.push_str(&model.tr(
            "shell.set_aside_more",
            &[("count", files.len().to_string())],
        ));
    }
    Some(words)
}

/// The store error's own message.
fn store_says(model: &Model, error: &EffectError) -> String {
    match error {
        EffectError::Journal(e) => model.tr(e.message_key(), &e.message_args()),
        EffectError::Receipt(e) => model.tr(e.message_key(), &e.message_args()),
    }
}

/// `said`, then what it means here.
fn then(model: &Model, said: String, consequence: &str, args: &[(&str, String)]) -> String {
    let separator = match model.lang {
        crate::ui::Lang::Zh => "",
        crate::ui::Lang::En => " ",
    };
    format!("{said}{separator}{}", model.tr(consequence, args))
}

#[cfg(test)]
mod tests {
    use std::io;

    use chrono::Utc;

    use super::*;
    use crate::core::flow::State;
    use crate::core::model::KeySeed;
    use crate::ui::Lang;

    #[test]
    fn a_failed_journal_write_is_told_in_the_persons_language() {
        let failed = EffectError::Journal(JournalError::Io {
            path: "/data/journal/x.json".into(),
            source: io::Error::from(io::ErrorKind::PermissionDenied),
        });
        let now = Utc::now();
        let zh = Model::new(State::new(KeySeed([1; 16]), now), Lang::Zh, now);
        let words = effect_failed(&zh, &failed);
        assert!(
            words.starts_with("无法使用位于 /data/journal/x.json 的日志："),
            "{words}"
        );
        assert!(words.contains("中途退出后无法接着办理"), "{words}");
        assert!(!words.contains("cannot use"), "{words}");
        let en = Model::new(State::new(KeySeed([1; 16]), now), Lang::En, now);
        let words = effect_failed(&en, &failed);
        assert!(
            words.starts_with("Cannot use the journal at /data/journal/x.json: "),
            "{words}"
        );
        assert!(
            words.contains("cannot be resumed if the wizard stops"),
            "{words}"
        );
        let withheld = money_withheld(&en, &failed);
        assert!(
            withheld.contains("Nothing was sent to the carrier"),
            "{withheld}"
        );
    }
}
