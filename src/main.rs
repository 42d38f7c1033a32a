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
        Some(Command::Receipts { .. }) => not_yet("`receipts`", "the evidence-vault issue"),
        Some(Command::Status { .. }) => not_yet("`status`", "the evidence-vault issue"),
    }
}

fn not_yet(what: &str, when: &str) -> ExitCode {
    eprintln!(
        "unsubscribe-wizard: {what} is not yet available in this build (it arrives with {when})."
    );
    ExitCode::from(EXIT_UNAVAILABLE)
}
