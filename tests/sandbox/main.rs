//! The sandbox carriers over HTTP: each dialect, the admin endpoints, fault
//! rules, persistence and the world file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

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
