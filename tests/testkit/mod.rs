//! The one test kit every test binary shares (each binary includes it with
//! `#[path = "../testkit/mod.rs"] mod testkit;`): the pseudo-terminal harness
//! and the scripted person, the adapters' and the sandbox's harnesses, the
//! soak rig and the scripted core states behind the screen snapshots.

// Each binary uses its own part of the kit; the rest is not dead, only unused there.
#![allow(dead_code)]

pub mod adapters;
pub mod cases;
pub mod person;
pub mod pty;
pub mod sandbox;
pub mod soak;
pub mod ui;
