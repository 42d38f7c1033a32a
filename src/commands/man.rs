//! `unsubscribe-wizard man`: the manual page, unsubscribe-wizard(1), in
//! roff on standard output.
//!
//! One page for the whole program, so `man -l` on it shows everything:
//! clap_mangen renders what the parser knows (name, synopsis, description,
//! the global options); this module adds a subsection per command, walked
//! from the same clap tree, and the sections a parser cannot know — EXIT
//! STATUS, FILES, ENVIRONMENT. Each of those facts names the code it comes
//! from, so a change there has one place to update here.

use clap::{Arg, ArgAction, CommandFactory};
use clap_mangen::Man;
use roff::{Roff, bold, italic, roman};

use super::completions::{BIN_NAME, print_raw};
use super::output::EXIT_ERROR;
use super::sms::EXIT_USAGE;
use super::status::{EXIT_BLOCKED, EXIT_DONE, EXIT_IN_PROGRESS};
use crate::cli::{Cli, VERSION};

/// The exit codes, from `src/main.rs` (2 for "cannot run here"; 101 is
/// Rust's panic code, kept by `panic = "unwind"` in Cargo.toml),
/// `commands::output`, `commands::sms` and `commands::status`.
fn exit_codes() -> [(u8, &'static str); 6] {
    [
        (
            EXIT_DONE,
            "Success. For status: every cancellation shown is finished (an account with nothing cancellable counts as done).",
        ),
        (
            EXIT_ERROR,
            "An error, said on standard error: a configuration file that cannot be read or is invalid, no place for the data folder, an unknown order, an --out target that is not a regular file, a journal file that cannot be read (status), a damaged receipt chain (receipts list, receipts verify), a sandbox world that cannot be used or an address it cannot listen on.",
        ),
        (
            EXIT_USAGE,
            "Cannot run as asked: the command line is wrong; the wizard is not on a terminal, or another wizard holds the data folder (it says which process); sms parse was given input it cannot use (unreadable, not UTF-8, or over 64 KiB).",
        ),
        (
            EXIT_IN_PROGRESS,
            "status: at least one cancellation is still in progress, or a follow-up (check the bill, return the equipment, the carrier's answer) is due.",
        ),
        (
            EXIT_BLOCKED,
            "status: at least one cancellation is blocked, and none is in progress.",
        ),
        (
            101,
            "The program failed unexpectedly (a bug); a wizard on screen restored the terminal first. Please report it.",
        ),
    ]
}

/// Where files live: `store::paths`, `config::Config::load`, the stores
/// under `store/` and `carrier::registry::sandbox_state_file`.
const FILES: [(&str, &str); 9] = [
    (
        "$XDG_CONFIG_HOME/unsubscribe-wizard/config.toml",
        "Your configuration (default ~/.config/unsubscribe-wizard/config.toml), read when it exists; --config PATH names another file instead. Any key of the built-in defaults may be set, and nothing else.",
    ),
    (
        "$XDG_DATA_HOME/unsubscribe-wizard/",
        "The data folder (default ~/.local/share/unsubscribe-wizard), or data_dir under [wizard] in the configuration. Everything below is inside it; files are created 0600, folders 0700.",
    ),
    (
        "journal/",
        "Each cancellation's state after every step, so a closed or killed wizard resumes it. An unreadable file is set aside as *.unreadable-<time>, never deleted.",
    ),
    (
        "receipts/<ORDER>/",
        "The receipts of one order: a hash chain of records and its HEAD. Evidence for a dispute: keep them.",
    ),
    (
        "keys/receipts.key",
        "The random key of the receipts' MACs. Deleting it turns every anchored chain's verdict into BROKEN: back it up with the receipts.",
    ),
    (
        "keys/chains.json",
        "Each chain's length and last hash, so a deleted or shortened chain is noticed.",
    ),
    (
        "logs/wizard.log",
        "Every carrier request and answer, personal data masked. Never written to the terminal.",
    ),
    (
        "wizard.lock",
        "Held by the running wizard, so only one wizard uses the folder at a time.",
    ),
    (
        "sandbox/world-state.json",
        "The embedded sandbox carrier's simulated world, kept so a resumed cancellation finds its order.",
    ),
];

/// The environment the binary reads: `main.rs` (language, colour),
/// `directories` (the XDG paths), `store::log` and `commands::sandbox`
/// (logging), `shell::event_loop` (the test hook).
const ENVIRONMENT: [(&str, &str); 8] = [
    (
        "LC_ALL, LC_MESSAGES, LANG",
        "The language when neither --lang nor language in the configuration chooses one: English if the first of them that is set and not empty starts with en, else Chinese.",
    ),
    (
        "NO_COLOR",
        "When set and not empty, the wizard draws without colour.",
    ),
    (
        "XDG_CONFIG_HOME",
        "Where the configuration file is looked for (an absolute path; default ~/.config).",
    ),
    (
        "XDG_DATA_HOME",
        "Where the data folder is made (an absolute path; default ~/.local/share).",
    ),
    (
        "HOME",
        "The base of both defaults above (else the home directory of the user database).",
    ),
    (
        "UNSUBSCRIBE_WIZARD_LOG",
        "What goes into logs/wizard.log, as a tracing filter (default info,carrier=debug).",
    ),
    (
        "RUST_LOG",
        "sandbox only: when set, the standalone sandbox logs to standard error with this filter.",
    ),
    (
        "UNSUBSCRIBE_WIZARD_TEST_PANIC",
        "A test hook: when set, the wizard panics on start (exit 101) to prove the terminal is restored. Never set it otherwise.",
    ),
];

/// The whole page, in roff.
pub fn page() -> Vec<u8> {
    let man = Man::new(Cli::command())
        .manual("User Commands")
        .source(format!("{BIN_NAME} {VERSION}"));
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, so the results carry nothing.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    let _ = man.render_options_section(&mut out);
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    roff.text([roman(
        "Without a command, the wizard starts. --lang and --config apply to every command.",
    )]);
    let mut command = Cli::command();
    command.build();
    commands(&mut roff, BIN_NAME, &command);
    section(
        &mut roff,
        "EXIT STATUS",
        exit_codes().map(|(c, t)| (c.to_string(), t)),
    );
    section(&mut roff, "FILES", FILES.map(|(f, t)| (f.to_owned(), t)));
    section(
        &mut roff,
        "ENVIRONMENT",
        ENVIRONMENT.map(|(v, t)| (v.to_owned(), t)),
    );
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "README.md (install, configuration, what is kept), docs/SANDBOX.md and docs/CARRIER-API.md in the source repository.",
    )]);
    let _ = roff.to_writer(&mut out);
    let _ = man.render_version_section(&mut out);
    out
}

/// `man`: prints the page; the exit code.
pub fn run() -> u8 {
    print_raw(&page())
}

/// A section of tagged paragraphs: each term in bold, its text below.
fn section(
    roff: &mut Roff,
    title: &str,
    entries: impl IntoIterator<Item = (String, &'static str)>,
) {
    roff.control("SH", [title]);
    for (term, text) in entries {
        roff.control("TP", []);
        roff.text([bold(term)]);
        roff.text([roman(text)]);
    }
}

/// One subsection per command, depth first in the order the parser
/// declares them: its synopsis, what it does, and its own options.
fn commands(roff: &mut Roff, parent: &str, command: &clap::Command) {
    for sub in command
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
    {
        let path = format!("{parent} {}", sub.get_name());
        roff.control("SS", [path.as_str()]);
        let mut synopsis = vec![bold(path.as_str())];
        for arg in own_args(sub) {
            synopsis.push(roman(" "));
            synopsis.push(italic(usage(arg)));
        }
        if sub.has_subcommands() {
            synopsis.push(roman(" "));
            synopsis.push(italic("COMMAND"));
        }
        roff.text(synopsis);
        roff.control("br", []);
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            roff.text([roman(about.to_string())]);
        }
        for arg in own_args(sub) {
            roff.control("TP", []);
            roff.text([bold(usage(arg).trim_matches(['[', ']']).to_owned())]);
            let mut help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            // A flag's default ("false") says nothing.
            if takes_value(arg) {
                let defaults: Vec<String> = arg
                    .get_default_values()
                    .iter()
                    .map(|v| v.to_string_lossy().into_owned())
                    .collect();
                if !defaults.is_empty() {
                    help.push_str(&format!(" [default: {}]", defaults.join(", ")));
                }
            }
            roff.text([roman(help)]);
        }
        commands(roff, &path, sub);
    }
}

/// A command's own arguments: not the global ones (described once under
/// OPTIONS), not the generated help.
fn own_args(command: &clap::Command) -> impl Iterator<Item = &Arg> {
    command
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_global_set() && a.get_id() != "help")
}

/// Whether an argument is given a value (not a flag).
fn takes_value(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Set | ArgAction::Append)
}

/// How an argument is written in a synopsis: `[--format md|json]`, `ORDER`.
fn usage(arg: &Arg) -> String {
    let value = || {
        let possible: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect();
        if possible.is_empty() {
            arg.get_value_names().map_or_else(
                || arg.get_id().as_str().to_uppercase(),
                |names| names.join(" "),
            )
        } else {
            possible.join("|")
        }
    };
    let text = match arg.get_long() {
        Some(long) if takes_value(arg) => format!("--{long} {}", value()),
        Some(long) => format!("--{long}"),
        None => value(),
    };
    if arg.is_required_set() {
        text
    } else {
        format!("[{text}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_every_command_and_the_sections_clap_cannot_know() {
        let page = String::from_utf8(page()).unwrap();
        for heading in [
            ".SH \"EXIT STATUS\"",
            ".SH FILES",
            ".SH ENVIRONMENT",
            ".SH COMMANDS",
        ] {
            assert!(page.contains(heading), "{heading} missing:\n{page}");
        }
        for command in [
            "sandbox",
            "receipts list",
            "receipts export",
            "receipts complaint",
            "status",
            "sms parse",
            "completions",
            "man",
        ] {
            assert!(
                page.contains(&format!(".SS \"unsubscribe-wizard {command}\"")),
                "{command} missing:\n{page}"
            );
        }
        assert!(page.contains("\\-\\-format md|json"), "{page}");
    }
}
