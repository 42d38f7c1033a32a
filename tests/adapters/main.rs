//! The carrier adapters over real HTTP: every scenario flow, refusals, faults,
//! traces, a separate sandbox process, and fuzzed answers.

// Tests may unwrap (a failure is the report), and a scripted scenario reads
// best as one story top to bottom, so the 80-line rule is for src/ only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

#[path = "../testkit/mod.rs"]
mod testkit;

mod external;
mod faults;
mod flows;
mod fuzz;
mod hostile;
mod refusals;
mod traces;
