//! The pure view: screen snapshots, key handling and the strings files.

// Tests may unwrap (a failure is the report), and a scripted scenario reads
// best as one story top to bottom, so the 80-line rule is for src/ only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

#[path = "../testkit/mod.rs"]
mod testkit;

mod date_cost;
mod expired_and_equipment;
mod followup_due;
mod guided;
mod hostile_text;
mod i18n;
mod keys;
mod long_texts;
mod pay_keys;
mod plan_change;
mod screens;
mod size_guard;
mod trust_core;
