//! What the wizard keeps on disk: the journal (killed mid-write, free of
//! secrets), the receipts and the documents made from them, and owner-only
//! files with no secret in them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../testkit/mod.rs"]
mod testkit;

mod journal_crash;
mod journal_secrets;
mod qr_paid;
mod receipts_export;
mod security_secrets;
