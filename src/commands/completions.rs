//! `unsubscribe-wizard completions SHELL`: a completion script for bash,
//! zsh, fish, elvish or PowerShell, generated from the parser's own clap tree
//! so it always knows every command and flag the binary accepts.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;

use super::output::{EXIT_ERROR, warn};
use crate::cli::Cli;

/// The name the scripts complete: the installed binary's.
pub const BIN_NAME: &str = "unsubscribe-wizard";

/// The script for `shell`, as bytes.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, BIN_NAME, &mut out);
    if shell == Shell::Bash {
        fix_bash_states(&out)
    } else {
        out
    }
}

/// clap_complete 4.6 spells the bash script's states two ways for a binary
/// name with a hyphen (clap-rs/clap#6421): the loop that reads the words
/// arrives at `unsubscribe__wizard__subcmd__receipts`, the arms are labelled
/// `unsubscribe__subcmd__wizard__subcmd__receipts`, so nothing after a
/// command would complete. The arms are relabelled the way the loop spells
/// them; once clap_complete is fixed there is nothing left to replace.
fn fix_bash_states(script: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(script)
        .replace("unsubscribe__subcmd__wizard", "unsubscribe__wizard")
        .into_bytes()
}

/// `completions SHELL`: prints the script; the exit code.
pub fn run(shell: Shell) -> u8 {
    print_raw(&script(shell))
}

/// Writes generated text to standard output as is. Not through
/// [`crate::text`]: it is code the program made, not carrier or person data,
/// and escaping would break it. A closed pipe (`… | head`) is not an error.
pub fn print_raw(bytes: &[u8]) -> u8 {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            warn(format!("cannot write to standard output: {e}"));
            EXIT_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_binary() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ] {
            let text = String::from_utf8(script(shell)).unwrap();
            assert!(text.contains(BIN_NAME), "{shell}: {text}");
            assert!(text.contains("receipts"), "{shell}");
        }
    }
}
