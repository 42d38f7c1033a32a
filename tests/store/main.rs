//! What the wizard keeps on disk: the journal (killed mid-write, free of
//! secrets), the receipts and the documents made from them, and owner-only
//! files with no secret in them.

// Tests may unwrap (a failure is the report), and a scripted scenario reads
// best as one story top to bottom, so the 80-line rule is for src/ only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

#[path = "../testkit/mod.rs"]
mod testkit;

mod calendar;
mod chains;
mod cli_edges;
mod double_count;
mod guided;
mod hostile_text;
mod journal_crash;
mod journal_secrets;
mod plan_change;
mod qr_paid;
mod receipts_export;
mod security_secrets;
mod status_journal;
mod tamper;
