//! The pure view: screen snapshots, key handling and the strings files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../testkit/mod.rs"]
mod testkit;

mod expired_and_equipment;
mod hostile_text;
mod i18n;
mod keys;
mod long_texts;
mod pay_keys;
mod plan_change;
mod screens;
mod size_guard;
mod trust_core;
