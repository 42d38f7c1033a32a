//! The line front end (`--plain`): the same six steps, in sandbox and guided
//! mode, as a dialogue on stdin/stdout — for screen readers, `TERM=dumb`
//! and scripts. No alternate screen, no cursor movement, no colour, no
//! escape byte at all: every line goes through `crate::text`.
//!
//! Each step prints its heading with its number ("Step 3 of 6: Submit"),
//! what matters on it as short lines (fees one per line, the total last),
//! then a prompt listing the answers it takes; a line it does not
//! understand is answered with what is expected. The core, the [`Runner`]
//! (journal and receipts), the data lock and the resume offer are the TUI's
//! own, so every guard holds here too and the receipts are the same.
//!
//! `render` (state → lines) and `answer` (line → event) are pure; `driver`
//! does the IO.
//!
//! Exit codes, as `status`: 0 the flow ended (cancelled, the offer taken, or
//! nothing to cancel), 3 stopped before the end (the input ended, or `q`:
//! the case is journalled and resumes on the next run), 4 blocked with
//! nothing to retry, 1 the journal or receipts could not be opened.
//!
//! [`Runner`]: crate::shell::runner::Runner

pub mod answer;
mod driver;
pub mod form;
mod guided;
mod input;
pub mod render;
pub mod words;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;

use crate::config::Config;
use crate::core::flow::{Event, State, Step};
use crate::core::model::KeySeed;
use crate::shell::link::Link;
use crate::shell::runner::{Store, flow_id};
use crate::store::journal::Journal;
use crate::store::vault::Vault;
use crate::ui::Lang;

/// The flow ended.
pub const EXIT_DONE: u8 = crate::commands::status::EXIT_DONE;
/// Stopped before the end; the journal keeps the case.
pub const EXIT_IN_PROGRESS: u8 = crate::commands::status::EXIT_IN_PROGRESS;
/// Blocked, nothing to retry.
pub const EXIT_BLOCKED: u8 = crate::commands::status::EXIT_BLOCKED;

/// Why the line front end runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// `--plain`, or `wizard.plain = true`.
    Asked,
    /// `TERM=dumb`.
    DumbTerminal,
    /// Standard output (or input) is not a terminal.
    NoTerminal,
}

/// Whether the line front end runs, and why: asked for, or no terminal
/// the full screen could use.
pub fn chosen(asked: bool) -> Option<Why> {
    if asked {
        Some(Why::Asked)
    } else if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        Some(Why::DumbTerminal)
    } else if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        Some(Why::NoTerminal)
    } else {
        None
    }
}

/// How the line front end was started.
pub struct Options {
    /// Language.
    pub lang: Lang,
    /// The loaded configuration.
    pub config: Config,
    /// Where the journal, receipts and log live (locked by the caller).
    pub data_dir: PathBuf,
    /// Why it runs (said on the first line when it was not asked for).
    pub why: Why,
}

/// Runs the dialogue to its end; the exit code.
pub fn run(options: Options) -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("unsubscribe-wizard: {e}");
            return 1;
        }
    };
    runtime.block_on(dialogue(options))
}

async fn dialogue(options: Options) -> u8 {
    let opened = Journal::open(crate::store::paths::journal_dir(&options.data_dir))
        .map_err(|e| e.to_string())
        .and_then(|journal| {
            let vault =
                Vault::open(options.data_dir.join("receipts")).map_err(|e| e.to_string())?;
            Ok(Store { journal, vault })
        });
    let store = match opened {
        Ok(store) => store,
        Err(e) => {
            eprintln!("unsubscribe-wizard: {e}");
            return 1;
        }
    };
    let mode = options.config.wizard.mode;
    let link = Arc::new(Link::new(options.config));
    let mut state = State::new(KeySeed(rand::random()), Utc::now());
    if let Some(mode) = mode {
        state.mode = mode;
    }
    let unfinished = store.journal.unfinished().ok().flatten().map(|(_, s)| s);
    let mut plain = driver::Plain::new(state, link, store, options.lang, std::io::stdout());
    plain.form.mode_chosen = mode.is_some();
    match options.why {
        Why::Asked => {}
        Why::DumbTerminal => plain.say(&words::t(options.lang, "plain.dumb_terminal")),
        Why::NoTerminal => plain.say(&words::t(options.lang, "plain.no_terminal")),
    }
    if let Some(journalled) = unfinished.filter(resumable)
        && let Some(code) = offer_resume(&mut plain, journalled).await
    {
        return code;
    }
    loop {
        if let Some(code) = plain.ask().await {
            return code;
        }
    }
}

/// Offers the journal's unfinished case; `Some(code)` when the input ended.
async fn offer_resume<W: std::io::Write>(
    plain: &mut driver::Plain<W>,
    journalled: State,
) -> Option<u8> {
    let lang = plain.lang;
    let package = journalled
        .facts
        .guided
        .as_ref()
        .and_then(|c| c.package.as_ref());
    let plan = package
        .map(|p| p.name.clone())
        .or_else(|| journalled.facts.plan().map(|p| p.name.clone()))
        .unwrap_or_else(|| words::t(lang, "resume.no_plan"));
    let number = journalled
        .facts
        .msisdn()
        .map(|m| m.masked())
        .unwrap_or_default();
    let step = journalled.step.name().unwrap_or(journalled.last_step);
    plain.say(&words::tr(
        lang,
        "plain.resume",
        &[("plan", plan), ("number", number)],
    ));
    plain.say(&words::heading(lang, journalled.mode, step));
    loop {
        plain.say(&words::t(lang, "plain.ask_resume"));
        let Some(line) = plain.input.line().await else {
            return Some(plain.stop());
        };
        match line.trim() {
            "y" | "是" => break,
            "n" | "否" => return None,
            _ => {}
        }
    }
    plain.runner.switch_flow(flow_id(&journalled));
    plain.state = journalled;
    plain.form.mode_chosen = true;
    plain.step(Event::Resume).await
}

/// Whether a journalled case is worth offering (as the TUI decides).
fn resumable(state: &State) -> bool {
    !state.is_finished()
        && !matches!(state.step, Step::Login { then: None, .. })
        && crate::commands::status::nothing_cancellable(&state.facts).is_none()
}

#[cfg(test)]
mod tests;
