//! The real binary in a pseudo-terminal, driven as a person would: whole
//! cancellations, resume after SIGKILL, terminal abuse and restore, and no
//! secret on disk.

// Tests may unwrap (a failure is the report), and a scripted scenario reads
// best as one story top to bottom, so the 80-line rule is for src/ only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

#[path = "../testkit/mod.rs"]
mod testkit;

mod completions;
mod followups;
mod guided;
mod log_full;
mod plain;
mod privacy;
mod resume_kill;
mod set_aside;
mod signals;
mod size_guard;
mod terminal_faults;
mod terminal_restore;
mod two_wizards;
mod wizard;
