//! The command line: `unsubscribe-wizard [--lang zh|en] [--config PATH]`
//! and the commands beside the wizard.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// What `--version` prints after the name: the package version and the
/// build's git revision and commit date (from build.rs), e.g.
/// `0.1.0 (git 63a2123, 2026-11-25)`, or `0.1.0 (git unknown)` when the
/// build had no git checkout.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("UNSUBSCRIBE_WIZARD_REVISION"),
    ")"
);

/// Cancel (退订) a China Mobile, China Unicom or China Telecom package, step by
/// step: every fee before anything is charged, the carrier's confirmation
/// followed to the end, and receipts kept for any dispute.
#[derive(Debug, Parser)]
#[command(name = "unsubscribe-wizard", version = VERSION, about)]
pub struct Cli {
    /// Language of the wizard (default: from LC_ALL / LANG, else Chinese).
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,

    /// How to cancel: guided (a real package, through the carrier's official
    /// channels) or sandbox (practise on the built-in carrier, or the APIs
    /// configured). Default: the config's `wizard.mode`, else the wizard asks.
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,

    /// A line-oriented dialogue on stdin/stdout instead of the full screen
    /// (screen readers, scripts): no colour, no cursor movement. Also chosen
    /// by the config's `wizard.plain`, and by itself when TERM=dumb or
    /// stdout is not a terminal.
    #[arg(long)]
    pub plain: bool,

    /// Configuration file (default: $XDG_CONFIG_HOME/unsubscribe-wizard/config.toml).
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// What to do; without a command, the wizard starts.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How to cancel, on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// A real package, through the carrier's official channels (SMS, app,
    /// hotline, business hall): the wizard guides, you act and paste replies.
    Guided,
    /// Practise on the built-in sandbox carrier (or the carrier APIs in the
    /// config).
    Sandbox,
}

impl From<ModeArg> for crate::core::flow::Mode {
    fn from(mode: ModeArg) -> Self {
        match mode {
            ModeArg::Guided => crate::core::flow::Mode::Guided,
            ModeArg::Sandbox => crate::core::flow::Mode::Api,
        }
    }
}

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// 简体中文.
    Zh,
    /// English.
    En,
}

/// The commands beside the wizard.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the sandbox carrier (all three dialects) as a standalone server.
    Sandbox {
        /// Address to listen on (loopback; port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: SocketAddr,
        /// The simulated world (default: the built-in config/sandbox.toml).
        #[arg(long, value_name = "PATH")]
        world: Option<PathBuf>,
    },
    /// List, show, export and verify the receipts of past cancellations.
    Receipts {
        /// What to do with them.
        #[command(subcommand)]
        action: ReceiptsAction,
    },
    /// The state of every (or one) cancellation, without the interactive wizard.
    Status {
        /// One order number.
        order: Option<String>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Read a carrier's SMS (guided mode).
    Sms {
        /// What to do with it.
        #[command(subcommand)]
        action: SmsAction,
    },
    /// Print a shell completion script on standard output.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print this program's manual page (roff) on standard output.
    Man,
}

/// What `sms` does.
#[derive(Debug, Subcommand)]
pub enum SmsAction {
    /// Read one message from standard input and say what it means.
    Parse {
        /// The carrier the number is with, if the text does not say.
        #[arg(long, value_enum)]
        carrier: Option<CarrierArg>,
        /// The sender as the phone shows it (e.g. 10086977).
        #[arg(long, value_name = "SENDER")]
        from: Option<String>,
        /// The day the message arrived (default: today, China time).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        received: Option<chrono::NaiveDate>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
}

/// A carrier on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum CarrierArg {
    /// 中国移动.
    ChinaMobile,
    /// 中国联通.
    ChinaUnicom,
    /// 中国电信.
    ChinaTelecom,
}

/// `YYYY-MM-DD`, or why not.
fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| format!("{e}; write the date as YYYY-MM-DD, e.g. 2026-11-25"))
}

/// What `receipts` does.
#[derive(Debug, Subcommand)]
pub enum ReceiptsAction {
    /// A table of every cancellation with receipts.
    List,
    /// The timeline of one order.
    Show {
        /// The order number.
        order: String,
    },
    /// A document to print or attach to a dispute.
    Export {
        /// The order number.
        order: String,
        /// Markdown (to read and print) or JSON (complete records).
        #[arg(long, value_enum, default_value = "md")]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check the hash chain of one order, or of all.
    Verify {
        /// The order number (default: every order).
        order: Option<String>,
    },
    /// File a carrier text that came later (guided mode), without opening the
    /// wizard: an open case takes it as if pasted there.
    Add {
        /// The order or case number (`G…` for a guided case).
        order: String,
        /// The text: a file holding one message, or `-` for standard input.
        #[arg(long, value_name = "FILE|-")]
        sms: PathBuf,
        /// The sender as the phone shows it (e.g. 10086).
        #[arg(long, value_name = "SENDER")]
        from: Option<String>,
    },
    /// Mark a follow-up done (see `status`): check_first_bill,
    /// return_equipment, carrier_answer, stop_using, appeal_fee_dispute,
    /// appeal_other.
    Done {
        /// The order or case number.
        order: String,
        /// The follow-up's name, as `status` lists it.
        kind: String,
    },
    /// Check the first bill after the cancellation: is the package still
    /// charged? Kept as a receipt; a line still charging goes into the
    /// complaint.
    Bill {
        /// The order or case number.
        order: String,
        /// The bill SMS, or its lines typed into a file; `-` for standard input.
        #[arg(long, value_name = "FILE|-")]
        sms: PathBuf,
    },
    /// A draft complaint to the carrier, and to the regulator (12300) if unanswered.
    Complaint {
        /// The order number.
        order: String,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The order's follow-ups as an iCalendar file (.ics) to import into a calendar.
    Calendar {
        /// The order number.
        order: String,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Markdown.
    Md,
    /// JSON.
    Json,
}
