//! unsubscribe-wizard: cancel a China Mobile, China Unicom or China Telecom package
//! with every fee known first, the confirmation followed to the end, and receipts kept.
//!
//! The crate is a functional core (`core`, pure: no IO, no clock reads) with an
//! imperative shell around it: `shell` (the event loop, the terminal, the
//! line to the carriers, and the runner that carries out the core's
//! effects), `carrier` (the adapters), `sandbox` (the embedded carrier),
//! `store` (journal and receipts), and `ui`, the pure view the shell draws.

pub mod carrier;
pub mod cli;
pub mod commands;
pub mod config;
pub mod core;
pub mod plain;
pub mod sandbox;
pub mod shell;
pub mod store;
pub mod text;
pub mod ui;
