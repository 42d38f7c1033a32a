//! The binary's edge: parse the command line, dispatch, turn errors into a
//! message and an exit code.

use std::process::ExitCode;

use clap::Parser;
use unsubscribe_wizard::cli::{Cli, Command};

/// Exit code for "cannot do that here" (not a terminal, not yet available).
const EXIT_UNAVAILABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => not_yet("the interactive wizard", "the terminal-wizard issue"),
        Some(Command::Sandbox { .. }) => not_yet("`sandbox`", "the carrier issue"),
        Some(Command::Receipts { action }) => {
            with_data_dir(|dir| unsubscribe_wizard::commands::receipts(action, dir))
        }
        Some(Command::Status { order, json }) => {
            with_data_dir(|dir| unsubscribe_wizard::commands::status(order.as_deref(), json, dir))
        }
    }
}

/// Runs a command that reads the data directory (`$XDG_DATA_HOME/unsubscribe-wizard`).
fn with_data_dir(command: impl FnOnce(&std::path::Path) -> u8) -> ExitCode {
    match unsubscribe_wizard::store::paths::data_dir() {
        Some(dir) => ExitCode::from(command(&dir)),
        None => {
            eprintln!("unsubscribe-wizard: no data directory: set HOME or XDG_DATA_HOME.");
            ExitCode::FAILURE
        }
    }
}

fn not_yet(what: &str, when: &str) -> ExitCode {
    eprintln!(
        "unsubscribe-wizard: {what} is not yet available in this build (it arrives with {when})."
    );
    ExitCode::from(EXIT_UNAVAILABLE)
}
