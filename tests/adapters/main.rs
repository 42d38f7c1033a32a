//! The carrier adapters over real HTTP: every scenario flow, refusals, faults,
//! traces, a separate sandbox process, and fuzzed answers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../testkit/mod.rs"]
mod testkit;

mod external;
mod faults;
mod flows;
mod fuzz;
mod hostile;
mod refusals;
mod traces;
