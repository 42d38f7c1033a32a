//! How often and how patiently a call is retried: exponential backoff with
//! full jitter, and the carrier's `Retry-After` honoured up to a cap.

use std::time::Duration;

use rand::Rng;

use crate::config::NetworkConfig;
use crate::core::error::ErrorKind;

/// How often and how patiently a call is retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Most times one call is sent, the first try included (at least 1).
    pub max_attempts: u32,
    /// First backoff step; doubled on every retry.
    pub backoff_base: Duration,
    /// Largest backoff step.
    pub backoff_cap: Duration,
    /// Longest `Retry-After` waited out; a longer one ends the call.
    pub max_retry_after: Duration,
}

impl RetryPolicy {
    /// The policy of the `[network]` table.
    pub fn from_config(network: &NetworkConfig) -> RetryPolicy {
        RetryPolicy {
            max_attempts: network.max_attempts.max(1),
            backoff_base: network.backoff_base,
            backoff_cap: network.backoff_cap,
            max_retry_after: network.max_retry_after,
        }
    }

    /// The longest sleep before retry number `retry` (1 for the first
    /// retry): `min(cap, base × 2^(retry−1))`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(30);
        self.backoff_base
            .saturating_mul(1u32 << doublings)
            .min(self.backoff_cap)
    }

    /// What to do after attempt number `attempt` failed with `kind`: wait the
    /// returned time and send again, or give up (`None`). "Full jitter": the
    /// wait is uniform in `[0, ceiling]`, so clients that failed together do
    /// not retry together. A carrier's `Retry-After` replaces the backoff; one
    /// longer than `max_retry_after` is not waited out here but returned to
    /// the flow in the error.
    pub fn wait_before_retry(
        &self,
        attempt: u32,
        kind: &ErrorKind,
        rng: &mut impl Rng,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts || !kind.is_retryable() {
            return None;
        }
        if let ErrorKind::CarrierBusy {
            retry_after_secs: Some(secs),
        } = kind
        {
            let asked = Duration::from_secs(u64::from(*secs));
            return (asked <= self.max_retry_after).then_some(asked);
        }
        let ceiling = u64::try_from(self.backoff_ceiling(attempt).as_millis()).unwrap_or(u64::MAX);
        Some(Duration::from_millis(rng.random_range(0..=ceiling)))
    }
}
