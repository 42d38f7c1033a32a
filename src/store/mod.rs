//! What is kept on disk: the crash-safe journal of the flow and the receipts
//! vault. Everything here is written atomically and holds no secret.

pub mod atomic;
pub mod journal;
pub mod paths;
pub mod vault;
