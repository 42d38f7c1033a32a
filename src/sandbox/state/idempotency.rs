//! Idempotency: a key is spent only by a request that succeeded, and
//! remembers that request's fingerprint and answer.

use serde_json::Value;

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
            Some(spent) if spent.fingerprint == fingerprint => Ok(Some(spent.answer.clone())),
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
                fingerprint: fingerprint.to_owned(),
                answer: answer.clone(),
            },
        );
    }
}
