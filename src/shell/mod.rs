//! The imperative shell around the pure core: the terminal, the event loop,
//! the line to the carriers, and the runner that carries out what the core
//! decides.

pub mod event_loop;
pub mod link;
pub mod runner;
mod storage;
pub mod terminal;
mod words;

pub use event_loop::{AppError, Options, run};
