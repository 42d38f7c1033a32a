//! The real binary in a pseudo-terminal, driven as a person would: whole
//! cancellations, resume after SIGKILL, terminal abuse and restore, and no
//! secret on disk.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../testkit/mod.rs"]
mod testkit;

mod log_full;
mod privacy;
mod resume_kill;
mod terminal_faults;
mod terminal_restore;
mod two_wizards;
mod wizard;
