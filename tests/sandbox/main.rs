//! The sandbox carriers over HTTP: each dialect, the admin endpoints, fault
//! rules, persistence and the world file.

// Tests may unwrap (a failure is the report), and a scripted scenario reads
// best as one story top to bottom, so the 80-line rule is for src/ only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

#[path = "../testkit/mod.rs"]
mod testkit;

mod admin;
mod cmcc;
mod ctcc;
mod cucc;
mod faults;
mod pending_cancel;
mod persist;
mod world;
