//! The commands beside the wizard: `receipts` and `status`. Each reads the
//! journal or the vault, prints, and returns its exit code; the formatting
//! lives in pure functions so it can be tested without files.

pub mod complaint;
pub mod receipts;
pub mod sandbox;
pub mod status;
pub mod summary;

pub use complaint::{ComplaintError, write_complaint};

use std::io::Write;
use std::path::Path;

use crate::cli::{ExportFormat, ReceiptsAction};
use crate::store::journal::Journal;
use crate::store::paths;
use crate::store::vault::Vault;
use summary::Summary;

/// Exit code for an error (unreadable files, unknown order).
pub const EXIT_ERROR: u8 = 1;

fn fail(message: impl std::fmt::Display) -> u8 {
    eprintln!("unsubscribe-wizard: {message}");
    EXIT_ERROR
}

fn emit(text: &str, out: Option<&Path>) -> u8 {
    match out {
        Some(path) => match crate::store::atomic::write(path, text.as_bytes()) {
            Ok(()) => {
                println!("written to {}", path.display());
                0
            }
            Err(e) => fail(format!("cannot write {}: {e}", path.display())),
        },
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            0
        }
    }
}

/// `receipts …`.
pub fn receipts(action: ReceiptsAction, data_dir: &Path) -> u8 {
    let vault = match Vault::open(data_dir.join("receipts")) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    let chains = match vault.chains() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    match action {
        ReceiptsAction::List => {
            let mut summaries = Vec::new();
            for name in &chains {
                match vault.read(name) {
                    Ok((records, _)) => summaries.extend(Summary::of(name, &records)),
                    Err(e) => return fail(e),
                }
            }
            summaries.sort_by_key(|s| std::cmp::Reverse(s.last_change));
            emit(&receipts::list(&summaries), None)
        }
        ReceiptsAction::Show { order } => match vault.read(&order) {
            Ok((records, verdict)) => emit(&receipts::show(&order, &records, &verdict), None),
            Err(e) => fail(e),
        },
        ReceiptsAction::Export { order, format, out } => match vault.read(&order) {
            Ok((records, verdict)) => {
                let Some(summary) = Summary::of(&order, &records) else {
                    return fail(format!("order {order} has no readable receipts"));
                };
                let text = match format {
                    ExportFormat::Md => receipts::export_md(&summary, &records, &verdict),
                    ExportFormat::Json => receipts::export_json(&summary, &records, &verdict),
                };
                emit(&text, out.as_deref())
            }
            Err(e) => fail(e),
        },
        ReceiptsAction::Verify { order } => {
            let names = match order {
                Some(o) => vec![o],
                None => chains,
            };
            let mut broken = false;
            for name in names {
                match vault.read(&name) {
                    Ok((_, Ok(hash))) => println!("{name}: intact ({hash})"),
                    Ok((_, Err(b))) => {
                        broken = true;
                        println!("{name}: BROKEN at record {}: {}", b.seq, b.reason);
                    }
                    Err(e) => return fail(e),
                }
            }
            u8::from(broken)
        }
        ReceiptsAction::Complaint { order, out } => match vault.read(&order) {
            Ok((records, verdict)) => match Summary::of(&order, &records) {
                Some(summary) => emit(
                    &complaint::draft(&summary, verdict.as_ref().ok().map(String::as_str)),
                    out.as_deref(),
                ),
                None => fail(format!("order {order} has no readable receipts")),
            },
            Err(e) => fail(e),
        },
    }
}

/// `status [ORDER] [--json]`.
pub fn status(order: Option<&str>, json: bool, data_dir: &Path) -> u8 {
    let journal = match Journal::open(paths::journal_dir(data_dir)) {
        Ok(j) => j,
        Err(e) => return fail(e),
    };
    let entries = match journal.entries() {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let mut lines = Vec::new();
    for entry in entries {
        match entry {
            Ok((_, state)) => lines.push(status::line(&state)),
            Err(e) => eprintln!("unsubscribe-wizard: {e}"),
        }
    }
    if let Some(order) = order {
        lines.retain(|l| l.order.as_deref() == Some(order));
        if lines.is_empty() {
            return fail(format!(
                "no cancellation with order {order} in the journal; `unsubscribe-wizard status` lists them all"
            ));
        }
    }
    let text = if json {
        serde_json::to_string_pretty(&lines).unwrap_or_default() + "\n"
    } else {
        status::text(&lines)
    };
    emit(&text, None);
    status::exit_code(&lines)
}
