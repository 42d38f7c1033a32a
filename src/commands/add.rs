//! `unsubscribe-wizard receipts add ORDER --sms FILE|- [--from SENDER]`:
//! files a carrier text that came after the wizard was closed, without
//! opening it. An open guided case takes it as if pasted in the wizard (the
//! same core step: a confirmation ends the case, with its receipts and
//! journal); any other case keeps it verbatim in its chain, parsed.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use chrono::Utc;

use super::output::{fail, order_arg};
use crate::config::Config;
use crate::core::flow::guided::take;
use crate::core::flow::{Event, Mode, State};
use crate::core::receipt::ReceiptEvent;
use crate::shell::link::Link;
use crate::shell::runner::{Runner, Store, flow_id};
use crate::store::journal::Journal;
use crate::store::lock::DataLock;
use crate::store::vault::Vault;

/// The most bytes read from the file or standard input: far above any SMS
/// (the parser's cap is 8,000 characters), far below harm.
const MAX_INPUT_BYTES: u64 = 64 * 1024;

/// Exit code: the wizard holds the data folder (as `status` and the wizard use).
const EXIT_BUSY: u8 = 2;

/// Where the text comes from: a file, or `-` for standard input.
pub fn read_text(source: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    let read = if source == Path::new("-") {
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(source)
            .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| format!("{}: {e}", source.display()))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "{} is larger than {MAX_INPUT_BYTES} bytes: that is not one SMS. Save one message per file.",
            source.display()
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        format!(
            "{} is not UTF-8 text: copy the message from the phone again, as plain text.",
            source.display()
        )
    })?;
    if text.trim().is_empty() {
        return Err(format!("{} holds no text.", source.display()));
    }
    Ok(text)
}

/// `receipts add`: returns the exit code.
pub fn run(
    order: &str,
    source: &Path,
    from: Option<String>,
    config: Config,
    data_dir: &Path,
) -> u8 {
    let order = match order_arg(order) {
        Ok(order) => order.to_owned(),
        Err(why) => return fail(why),
    };
    let text = match read_text(source) {
        Ok(text) => text,
        Err(why) => return fail(why),
    };
    // The wizard may be writing this case's journal: one writer at a time.
    let _lock = match DataLock::acquire(data_dir) {
        Ok(lock) => lock,
        Err(e) => {
            super::output::warn(format!(
                "{e}. Paste the text in the open wizard instead, or close it and run this again."
            ));
            return EXIT_BUSY;
        }
    };
    let store = match (
        Journal::open(crate::store::paths::journal_dir(data_dir)),
        Vault::open(data_dir.join("receipts")),
    ) {
        (Ok(journal), Ok(vault)) => Store { journal, vault },
        (Err(e), _) => return fail(e),
        (_, Err(e)) => return fail(e),
    };
    match open_case(&store.journal, &order) {
        Some(state) => into_case(state, text, from, config, store),
        None => into_chain(&store.vault, &order, text, from),
    }
}

/// The journalled guided case filed under `order`, if there is one.
fn open_case(journal: &Journal, order: &str) -> Option<State> {
    journal
        .entries()
        .ok()?
        .into_iter()
        .filter_map(Result::ok)
        .map(|(_, state)| state)
        .find(|s| s.mode == Mode::Guided && s.facts.case_id() == Some(order))
}

/// Steps the case with the text, as the wizard would on a paste.
fn into_case(state: State, text: String, from: Option<String>, config: Config, store: Store) -> u8 {
    let runner = Runner::new(Arc::new(Link::new(config)), Some(store), flow_id(&state));
    match runner.apply(&state, Event::PasteSms { text, from }, Utc::now()) {
        Ok(applied) if applied.failures.is_empty() => {
            let case = applied.state.facts.guided.as_ref();
            let verdict = case.and_then(|c| c.verdict);
            println!(
                "Filed under {}: {}. `unsubscribe-wizard status` shows where the case stands.",
                state.facts.case_id().unwrap_or_default(),
                match verdict {
                    Some(v) => super::guided_text::verdict_words(v),
                    None => "kept",
                }
            );
            0
        }
        Ok(applied) => {
            for failure in &applied.failures {
                super::output::warn(failure);
            }
            super::EXIT_ERROR
        }
        Err(refused) => fail(format!("the case did not take the text: {refused}")),
    }
}

/// Appends the text to a chain with no open case behind it, read the way
/// the wizard reads a paste (`guided::take`).
fn into_chain(vault: &Vault, order: &str, text: String, from: Option<String>) -> u8 {
    let filed = super::followups::append_with(vault, order, |carrier, now| {
        match take(text, from, carrier, now) {
            Ok(Some(pasted)) => Ok(ReceiptEvent::SmsPasted { pasted }),
            Ok(None) => Err(
                "that is a login code: it is never kept. Never give it to anyone who asks for it."
                    .to_owned(),
            ),
            Err(refused) => Err(format!("the text was not filed: {refused}")),
        }
    });
    match filed {
        Ok(()) => {
            println!("Filed under {order}, verbatim, with what the wizard read from it.");
            0
        }
        Err(why) => fail(why),
    }
}
