//! The commands beside the wizard: `receipts`, `status` and `sms`. Each reads the
//! journal or the vault, prints, and returns its exit code; the formatting
//! lives in pure functions so it can be tested without files.

pub mod add;
pub mod calendar;
pub mod complaint;
pub mod completions;
pub mod followups;
mod guided_export;
mod guided_text;
pub mod man;
pub mod output;
pub mod receipts;
pub mod sandbox;
pub mod sms;
pub mod status;
pub mod summary;

pub use complaint::{ComplaintError, write_complaint};
pub use output::EXIT_ERROR;

use std::path::Path;

use crate::cli::{ExportFormat, ReceiptsAction};
use crate::store::journal::Journal;
use crate::store::paths;
use crate::store::vault::{Anchoring, Broken, Record, Vault, VaultError};
use output::{emit, fail, order_arg, warn};
use summary::Summary;

/// One chain as read: its records and verdict, or why it could not be read.
type ChainRead = Result<(Vec<Record>, Result<String, Broken>), VaultError>;

/// `receipts …`; `lang` words the calendar (the other documents are
/// bilingual).
pub fn receipts(action: ReceiptsAction, data_dir: &Path, lang: crate::ui::Lang) -> u8 {
    // Check the argument before anything reads or creates a folder.
    let order = match &action {
        ReceiptsAction::Show { order }
        | ReceiptsAction::Export { order, .. }
        | ReceiptsAction::Complaint { order, .. }
        | ReceiptsAction::Calendar { order, .. }
        | ReceiptsAction::Done { order, .. }
        | ReceiptsAction::Bill { order, .. }
        | ReceiptsAction::Verify {
            order: Some(order), ..
        } => Some(order.as_str()),
        ReceiptsAction::List | ReceiptsAction::Verify { order: None } => None,
        // Checked by `add` itself, which runs from main with the config.
        ReceiptsAction::Add { .. } => None,
    };
    if let Some(Err(why)) = order.map(order_arg) {
        return fail(why);
    }
    let vault = match Vault::open(data_dir.join("receipts")) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    match action {
        ReceiptsAction::List => list(&vault),
        ReceiptsAction::Show { order } => match vault.read(&order) {
            Ok((records, verdict)) => emit(&receipts::show(&order, &records, &verdict), None),
            Err(e) => fail(e),
        },
        ReceiptsAction::Export { order, format, out } => match vault.read(&order) {
            Ok((records, verdict)) => {
                let Some(summary) = Summary::of(&order, &records) else {
                    return fail(format!("order {order} has no readable receipts"));
                };
                let anchoring = vault.anchoring(&order);
                let text = match format {
                    ExportFormat::Md => {
                        receipts::export_md(&summary, &records, &verdict, anchoring)
                    }
                    ExportFormat::Json => {
                        receipts::export_json(&summary, &records, &verdict, anchoring)
                    }
                };
                emit(&text, out.as_deref())
            }
            Err(e) => fail(e),
        },
        ReceiptsAction::Verify { order } => verify(&vault, order),
        ReceiptsAction::Add { .. } => {
            fail("`receipts add` needs the configuration; run it as a command")
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
        ReceiptsAction::Calendar { order, out } => {
            calendar::run(&vault, &order, out.as_deref(), lang, chrono::Utc::now())
        }
        ReceiptsAction::Done { order, kind } => match writer_lock(data_dir) {
            Ok(_lock) => followups::done(&vault, &order, &kind),
            Err(code) => code,
        },
        ReceiptsAction::Bill { order, sms } => {
            match (writer_lock(data_dir), add::read_text(&sms)) {
                (Ok(_lock), Ok(text)) => followups::bill(&vault, &order, text, lang),
                (Err(code), _) => code,
                (_, Err(why)) => fail(why),
            }
        }
    }
}

/// The data folder's lock, for a command that appends to a chain the
/// wizard may be writing: one writer at a time.
fn writer_lock(data_dir: &Path) -> Result<crate::store::lock::DataLock, u8> {
    crate::store::lock::DataLock::acquire(data_dir).map_err(|e| {
        warn(format!("{e}. Close the wizard, then run this again."));
        2
    })
}

/// Every chain, read one by one: a damaged one is reported, never a reason
/// to stop reading the others; a chain the index outside the folder knows
/// but the folder no longer holds is reported as deleted.
fn every_chain(vault: &Vault) -> Result<Vec<(String, ChainRead)>, VaultError> {
    let mut chains: Vec<(String, ChainRead)> = vault
        .chains()?
        .into_iter()
        .map(|name| {
            let read = vault.read(&name);
            (name, read)
        })
        .collect();
    chains.extend(vault.missing_chains()?.into_iter().map(|name| {
        let deleted = deleted(vault);
        (name, deleted)
    }));
    chains.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(chains)
}

/// A chain that was deleted, as a read of it says.
fn deleted(vault: &Vault) -> ChainRead {
    Ok((
        Vec::new(),
        Err(Broken {
            seq: 1,
            reason: format!(
                "the whole chain was deleted (the index beside {} still knows it)",
                vault
                    .key_path()
                    .map_or_else(String::new, |p| p.display().to_string())
            ),
        }),
    ))
}

/// The names of the broken chains, as the last line says them; exit 1 if any.
fn closing(broken: &[String]) -> u8 {
    if broken.is_empty() {
        0
    } else {
        warn(format!(
            "{} of the receipt chains are damaged: {}. `unsubscribe-wizard receipts verify` says where.",
            broken.len(),
            broken.join(", ")
        ));
        EXIT_ERROR
    }
}

/// `receipts list`: every readable chain; the damaged ones named on stderr.
fn list(vault: &Vault) -> u8 {
    let chains = match every_chain(vault) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let mut summaries = Vec::new();
    let mut broken = Vec::new();
    for (name, read) in chains {
        match read {
            Ok((records, verdict)) => {
                if verdict.is_err() {
                    broken.push(name.clone());
                }
                summaries.extend(Summary::of(&name, &records));
            }
            Err(e) => {
                warn(format!("{name}: {e}"));
                broken.push(name);
            }
        }
    }
    summaries.sort_by_key(|s| std::cmp::Reverse(s.last_change));
    emit(&receipts::list(&summaries), None);
    closing(&broken)
}

/// `receipts verify [ORDER]`: a verdict per chain, what the verdicts prove,
/// then the broken ones.
fn verify(vault: &Vault, order: Option<String>) -> u8 {
    let chains = match order {
        Some(name) => {
            let missing = vault.missing_chains().unwrap_or_default();
            let read = if missing.contains(&name) {
                deleted(vault)
            } else {
                vault.read(&name)
            };
            vec![(name, read)]
        }
        None => match every_chain(vault) {
            Ok(c) => c,
            Err(e) => return fail(e),
        },
    };
    let mut out = String::new();
    let mut broken = Vec::new();
    let mut given = Vec::new();
    for (name, read) in chains {
        let line = match read {
            Ok((_, Ok(hash))) => {
                let anchoring = vault.anchoring(&name);
                given.push(anchoring);
                match anchoring {
                    Anchoring::Anchored => format!("{name}: intact, anchored ({hash})"),
                    Anchoring::NotAnchored => {
                        format!("{name}: hash chain intact, not anchored ({hash})")
                    }
                }
            }
            Ok((_, Err(b))) => {
                broken.push(name.clone());
                format!("{name}: BROKEN at record {}: {}", b.seq, b.reason)
            }
            Err(e) => {
                broken.push(name.clone());
                format!("{name}: BROKEN: {e}")
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&what_verify_proves(vault, &given));
    if !broken.is_empty() {
        out.push_str(&format!("Broken: {}\n", broken.join(", ")));
    }
    emit(&out, None);
    u8::from(!broken.is_empty())
}

/// Exactly what the verdicts given above prove, and what they cannot: one
/// paragraph per kind of verdict that was given.
fn what_verify_proves(vault: &Vault, given: &[Anchoring]) -> String {
    let key = vault
        .key_path()
        .map_or_else(|| "(no key)".to_owned(), |p| p.display().to_string());
    let mut out = String::new();
    if given.contains(&Anchoring::Anchored) {
        out.push_str(&format!(
            "\n\"intact, anchored\": the chain is exactly as this wizard wrote it: no record changed, added, removed or reordered, and no chain deleted. Each record's MAC is checked under the key {key}, and an index beside it remembers every chain's length and last hash. This cannot rule out changes by someone who could also read that key file (anyone with your access to the data folder); compare the final hash with one you kept from an export for a check that does not depend on this machine.\n"
        ));
    }
    if given.contains(&Anchoring::NotAnchored) {
        out.push_str("\n\"hash chain intact, not anchored\": a chain written before anchoring; only the SHA-256 links are checked, which an edit that recomputes every hash would pass.\n");
    }
    out
}

/// `status [ORDER] [--json]`.
pub fn status(order: Option<&str>, json: bool, data_dir: &Path, lang: crate::ui::Lang) -> u8 {
    if let Some(Err(why)) = order.map(order_arg) {
        return fail(why);
    }
    let journal = match Journal::open(paths::journal_dir(data_dir)) {
        Ok(j) => j,
        Err(e) => return fail(e),
    };
    // Read only: status moves nothing aside (the wizard does that).
    let (flows, unreadable) = match journal.inspect() {
        Ok(found) => found,
        Err(e) => return fail(e),
    };
    let mut lines: Vec<status::Line> = flows.iter().map(|(_, state)| status::line(state)).collect();
    // Each case's follow-ups, from its receipts: reminders without a daemon.
    if let Ok(vault) = Vault::open(data_dir.join("receipts")) {
        let today = followups::today();
        for line in &mut lines {
            if let Some(Ok((records, _))) = line.order.as_deref().map(|o| vault.read(o)) {
                line.followups = followups::open(
                    line.order.as_deref().unwrap_or_default(),
                    &records,
                    today,
                    lang,
                );
            }
        }
        // What is due first: cases with an overdue follow-up lead.
        lines.sort_by_key(|l| !l.followups.iter().any(|f| f.overdue));
    }
    // On stderr, so `--json` stays one array for the programs that read it.
    let report_unreadable = || {
        for line in status::set_aside_text(&unreadable).lines() {
            warn(line);
        }
    };
    if let Some(order) = order {
        lines.retain(|l| l.order.as_deref() == Some(order));
        if lines.is_empty() {
            report_unreadable();
            return fail(format!(
                "no cancellation with order {order} in the journal; `unsubscribe-wizard status` lists them all"
            ));
        }
    }
    if json {
        emit(
            &(crate::text::json(&serde_json::to_string_pretty(&lines).unwrap_or_default()) + "\n"),
            None,
        );
    } else if !lines.is_empty() || unreadable.is_empty() {
        // "No cancellations" would be untrue with a file set aside.
        emit(&status::text(&lines), None);
    }
    if unreadable.is_empty() {
        status::exit_code(&lines)
    } else {
        report_unreadable();
        EXIT_ERROR
    }
}
