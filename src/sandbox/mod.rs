//! The embedded sandbox carrier: all three wire dialects of
//! `docs/CARRIER-API.md` (China Mobile REST, China Unicom form posts,
//! China Telecom JSON-RPC) and the sandbox-only endpoints, over one
//! simulated world loaded from `config/sandbox.toml`.
//!
//! - [`world`]: the world's configuration and its validation;
//! - [`state`]: the simulated carrier every dialect shares;
//! - [`cmcc`], [`cucc`], [`ctcc`]: one module per dialect;
//! - [`admin`]: inbox, ledger, QR completion, faults, clock, reset;
//! - [`faults`]: fault rules and their matching;
//! - [`persist`]: the opt-in state file that lets the world live on across runs;
//! - [`shared`]: what every handler shares (state, faults, saver);
//! - [`server`]: the HTTP server, served connection by connection.
//!
//! Dependencies run one way: `server` → the dialects and `admin` → `shared`,
//! `wire`, `state`.

pub mod admin;
pub mod clock;
pub mod cmcc;
pub mod ctcc;
pub mod cucc;
pub mod faults;
pub mod persist;
pub mod server;
pub mod shared;
pub mod state;
pub mod wire;
pub mod world;

pub use server::Sandbox;
pub use world::{World, WorldError};
