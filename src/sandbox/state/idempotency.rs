//! Idempotency: a key is spent only by a request that succeeded, and
//! remembers that request's fingerprint and answer.
//!
//! Only a SHA-256 digest of the fingerprint is kept: the fingerprint holds
//! the request's fields (a holder's ID number, a card number), and the
//! simulated state may be saved to disk.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::*;

impl Sim {
    /// The original answer if this key was spent on the same request; the
    /// reuse error if it was spent on a different one; `None` if unspent.
    pub fn replay(
        &self,
        carrier: CarrierId,
        msisdn: &str,
        key: &str,
        fingerprint: &str,
    ) -> Result<Option<Value>, Refusal> {
        match self.keys.get(&(carrier, msisdn.to_owned(), key.to_owned())) {
            None => Ok(None),
            Some(spent) if spent.fingerprint == digest(fingerprint) => {
                Ok(Some(spent.answer.clone()))
            }
            Some(_) => Err(Refusal::KeyReused),
        }
    }

    /// Records the answer of a request that succeeded under this key.
    pub fn spend(
        &mut self,
        carrier: CarrierId,
        msisdn: &str,
        key: &str,
        fingerprint: &str,
        answer: &Value,
    ) {
        self.keys.insert(
            (carrier, msisdn.to_owned(), key.to_owned()),
            SpentKey {
                fingerprint: digest(fingerprint),
                answer: answer.clone(),
            },
        );
    }
}

/// What is kept of a request's fingerprint.
fn digest(fingerprint: &str) -> String {
    hex::encode(Sha256::digest(fingerprint.as_bytes()))
}
