//! The binary's edge: parse the command line, load the configuration,
//! dispatch, and turn errors into a message and an exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use unsubscribe_wizard::cli::{Cli, Command, Lang as CliLang};
use unsubscribe_wizard::config::{Config, Language};
use unsubscribe_wizard::ui::Lang;
use unsubscribe_wizard::ui::app::{self, AppError, Options};

/// Exit code for "cannot do that here" (not a terminal, not yet available).
const EXIT_UNAVAILABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => wizard(cli.lang, cli.config.as_deref()),
        Some(Command::Sandbox { .. }) => not_yet("`sandbox`", "the carrier issue"),
        Some(Command::Receipts { .. }) => not_yet("`receipts`", "the evidence-vault issue"),
        Some(Command::Status { .. }) => not_yet("`status`", "the evidence-vault issue"),
    }
}

fn wizard(lang: Option<CliLang>, config_path: Option<&Path>) -> ExitCode {
    let config = match Config::load(config_path) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("unsubscribe-wizard: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(data_dir) = config.wizard.data_dir.clone().or_else(unsubscribe_wizard::store::paths::data_dir) else {
        eprintln!(
            "unsubscribe-wizard: no place for the journal and receipts: set HOME or XDG_DATA_HOME, or `data_dir` under [wizard] in the config file."
        );
        return ExitCode::FAILURE;
    };
    let lang = choose_lang(lang, config.wizard.language);
    init_log(&data_dir);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match app::run(Options { lang, config, data_dir, no_color }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(AppError::NotATerminal) => {
            eprintln!("unsubscribe-wizard: {}", AppError::NotATerminal);
            ExitCode::from(EXIT_UNAVAILABLE)
        }
        Err(e) => {
            eprintln!("unsubscribe-wizard: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--lang` first, then the config file, then `LC_ALL`/`LC_MESSAGES`/`LANG`;
/// Chinese unless one of them asks for English.
fn choose_lang(cli: Option<CliLang>, config: Language) -> Lang {
    match (cli, config) {
        (Some(CliLang::En), _) | (None, Language::En) => Lang::En,
        (Some(CliLang::Zh), _) | (None, Language::Zh) => Lang::Zh,
        (None, Language::Auto) => {
            let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|k| std::env::var(k).ok())
                .find(|v| !v.is_empty())
                .unwrap_or_default();
            if locale.starts_with("en") { Lang::En } else { Lang::Zh }
        }
    }
}

/// Logs go to a file, never to the terminal the wizard draws on.
fn init_log(data_dir: &Path) {
    let dir: PathBuf = data_dir.join("logs");
    if unsubscribe_wizard::store::atomic::create_private_dir(&dir).is_err() {
        return;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let Ok(file) = options.open(dir.join("wizard.log")) else { return };
    let filter = tracing_subscriber::EnvFilter::try_from_env("UNSUBSCRIBE_WIZARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
}

fn not_yet(what: &str, when: &str) -> ExitCode {
    eprintln!("unsubscribe-wizard: {what} is not yet available in this build (it arrives with {when}).");
    ExitCode::from(EXIT_UNAVAILABLE)
}
