//! The binary's edge: parse the command line, load the configuration,
//! dispatch, and turn errors into a message and an exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use unsubscribe_wizard::cli::{Cli, Command, Lang as CliLang, ReceiptsAction};
use unsubscribe_wizard::commands;
use unsubscribe_wizard::config::{Config, Language};
use unsubscribe_wizard::shell::{self as app, AppError, Options};
use unsubscribe_wizard::ui::Lang;

/// Exit code for "cannot run here" (not a terminal, or another wizard holds
/// the data folder).
const EXIT_UNAVAILABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Sandbox { addr, world }) => commands::sandbox::run(addr, world.as_deref()),
        None => match setup(cli.config.as_deref()) {
            Ok((mut config, data_dir)) => {
                if let Some(mode) = cli.mode {
                    config.wizard.mode = Some(mode.into());
                }
                config.wizard.plain |= cli.plain;
                wizard(cli.lang, config, data_dir)
            }
            Err(code) => code,
        },
        Some(Command::Receipts {
            action: ReceiptsAction::Add { order, sms, from },
        }) => match setup(cli.config.as_deref()) {
            Ok((config, data_dir)) => {
                ExitCode::from(commands::add::run(&order, &sms, from, config, &data_dir))
            }
            Err(code) => code,
        },
        Some(Command::Receipts { action }) => match setup(cli.config.as_deref()) {
            Ok((config, data_dir)) => {
                let lang = choose_lang(cli.lang, config.wizard.language);
                ExitCode::from(commands::receipts(action, &data_dir, lang))
            }
            Err(code) => code,
        },
        Some(Command::Sms { action }) => {
            // A broken config file must not stop reading a message: its only
            // use here is the language.
            let language =
                Config::load(cli.config.as_deref()).map_or(Language::Auto, |c| c.wizard.language);
            ExitCode::from(commands::sms::run(action, choose_lang(cli.lang, language)))
        }
        Some(Command::Status { order, json }) => match setup(cli.config.as_deref()) {
            Ok((config, data_dir)) => {
                let lang = choose_lang(cli.lang, config.wizard.language);
                ExitCode::from(commands::status(order.as_deref(), json, &data_dir, lang))
            }
            Err(code) => code,
        },
        Some(Command::Completions { shell }) => ExitCode::from(commands::completions::run(shell)),
        Some(Command::Man) => ExitCode::from(commands::man::run()),
    }
}

/// Loads the configuration and finds the data directory (the config's
/// `data_dir`, else `$XDG_DATA_HOME/unsubscribe-wizard`).
fn setup(config_path: Option<&Path>) -> Result<(Config, PathBuf), ExitCode> {
    let config = Config::load(config_path).map_err(|e| {
        eprintln!("unsubscribe-wizard: {e}");
        ExitCode::FAILURE
    })?;
    let mut config = config;
    let data_dir = config.wizard.data_dir.clone().or_else(unsubscribe_wizard::store::paths::data_dir).ok_or_else(|| {
        eprintln!(
            "unsubscribe-wizard: no place for the journal and receipts: set HOME or XDG_DATA_HOME, or `data_dir` under [wizard] in the config file."
        );
        ExitCode::FAILURE
    })?;
    // Everything that keeps state (journal, receipts, the embedded sandbox's
    // world) finds it in one place.
    config.wizard.data_dir = Some(data_dir.clone());
    Ok((config, data_dir))
}

fn wizard(lang: Option<CliLang>, config: Config, data_dir: PathBuf) -> ExitCode {
    // One wizard per data folder, held until this function returns.
    let _lock = match unsubscribe_wizard::store::lock::DataLock::acquire(&data_dir) {
        Ok(lock) => lock,
        Err(e) => {
            eprintln!("unsubscribe-wizard: {e}");
            return ExitCode::from(EXIT_UNAVAILABLE);
        }
    };
    let lang = choose_lang(lang, config.wizard.language);
    if let Some(why) = unsubscribe_wizard::plain::chosen(config.wizard.plain) {
        init_log(&data_dir);
        let options = unsubscribe_wizard::plain::Options {
            lang,
            config,
            data_dir,
            why,
        };
        return ExitCode::from(unsubscribe_wizard::plain::run(options));
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    // The log is set up once the first frame is on screen.
    let after_first_frame = Box::new(init_log);
    match app::run(Options {
        lang,
        config,
        data_dir,
        no_color,
        after_first_frame,
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ AppError::NotATerminal) => {
            eprintln!("unsubscribe-wizard: {e}");
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
            if locale.starts_with("en") {
                Lang::En
            } else {
                Lang::Zh
            }
        }
    }
}

/// Logs go to a file (`<data>/logs/wizard.log`, owner-only), never to the
/// terminal the wizard draws on, not even their own write errors.
fn init_log(data_dir: &Path) {
    unsubscribe_wizard::store::log::init(data_dir);
}
