//! The simulated state in the form saved between runs, and restoring it.
//!
//! Kept: balances and remaining plans (with a taken retention offer's fee),
//! wrong-try locks, quotes, orders, payments, notices, spent idempotency keys
//! (their fingerprints only as digests), and the id counter. The clock's
//! instant is saved next to it (see `sandbox::persist`).
//!
//! Not kept:
//! - sessions: a restarted client logs in again, as after a real outage;
//! - SMS codes, their 60-second resend interval and their inbox messages: a
//!   code is a secret, so none is ever written out (a 6-digit code's hash
//!   would not hide it either). A code sent before a restart is void after
//!   it; asking for a new one works at once;
//! - the world's configuration: it is restored from the world itself, which
//!   the saver checks is the one the state was made from.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{AccountState, LoginGuard, MessageKind, PlanState, Sim, SpentKey};
use super::{Message, OrderRec, PaymentRec, QuoteRec};
use crate::core::fees::Fen;
use crate::core::model::CarrierId;
use crate::sandbox::clock::SimClock;
use crate::sandbox::world::World;

/// The simulated carrier's state as saved (clock instant aside).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    accounts: BTreeMap<String, AccountSnap>,
    guards: BTreeMap<String, LoginGuard>,
    quotes: BTreeMap<String, QuoteRec>,
    orders: BTreeMap<String, OrderRec>,
    payments: BTreeMap<String, PaymentRec>,
    inbox: BTreeMap<String, Vec<Message>>,
    keys: Vec<KeySnap>,
    next_id: u64,
}

/// What changes on an account at run time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountSnap {
    balance: Fen,
    /// The plans still on the account (a completed cancellation removes one).
    plans: Vec<PlanSnap>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanSnap {
    id: String,
    monthly_fee: Fen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeySnap {
    carrier: CarrierId,
    msisdn: String,
    key: String,
    /// SHA-256 (hex) of the request's fingerprint, as kept in memory.
    fingerprint: String,
    answer: serde_json::Value,
}

/// Saved state that does not fit the world it is restored into.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The state has an account the world lacks.
    #[error("the saved state has an account {0} that the world does not have")]
    UnknownAccount(String),
    /// The state has a plan the world's account lacks.
    #[error("the saved state has a plan {plan} on {msisdn} that the world does not have")]
    UnknownPlan {
        /// The account.
        msisdn: String,
        /// The plan id.
        plan: String,
    },
}

impl Sim {
    /// The state to save. Deterministic: the same state gives the same JSON,
    /// so a saver can skip unchanged state.
    pub fn snapshot(&self) -> Snapshot {
        let accounts = self
            .accounts
            .iter()
            .map(|(msisdn, account)| {
                let plans = account
                    .plans
                    .iter()
                    .map(|p| PlanSnap {
                        id: p.config.id.clone(),
                        monthly_fee: p.monthly_fee,
                    })
                    .collect();
                let snap = AccountSnap {
                    balance: account.balance,
                    plans,
                };
                (msisdn.clone(), snap)
            })
            .collect();
        let inbox = self
            .inbox
            .iter()
            .map(|(msisdn, messages)| {
                let notices: Vec<Message> = messages
                    .iter()
                    .filter(|m| m.kind == MessageKind::Notice)
                    .cloned()
                    .collect();
                (msisdn.clone(), notices)
            })
            .filter(|(_, notices)| !notices.is_empty())
            .collect();
        let mut keys: Vec<KeySnap> = self
            .keys
            .iter()
            .map(|((carrier, msisdn, key), spent)| KeySnap {
                carrier: *carrier,
                msisdn: msisdn.clone(),
                key: key.clone(),
                fingerprint: spent.fingerprint.clone(),
                answer: spent.answer.clone(),
            })
            .collect();
        keys.sort_by(|a, b| (a.carrier, &a.msisdn, &a.key).cmp(&(b.carrier, &b.msisdn, &b.key)));
        Snapshot {
            accounts,
            guards: self
                .guards
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            quotes: self
                .quotes
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            orders: self.orders.clone(),
            payments: self.payments.clone(),
            inbox,
            keys,
            next_id: self.next_id,
        }
    }

    /// The instant on the simulated clock, without letting time-driven
    /// events happen (saving must not change what it saves).
    pub fn clock_now(&self) -> DateTime<FixedOffset> {
        self.clock.now()
    }

    /// The clock's start and moves (see [`SimClock::setting`]).
    pub fn clock_setting(&self) -> (DateTime<FixedOffset>, chrono::Duration) {
        self.clock.setting()
    }

    /// The world's state as saved, the clock going on from `clock_at`.
    pub fn restore(
        world: &World,
        snapshot: Snapshot,
        clock_at: DateTime<FixedOffset>,
    ) -> Result<Sim, SnapshotError> {
        let mut sim = Sim::new(world);
        for (msisdn, saved) in snapshot.accounts {
            let account = sim
                .accounts
                .get_mut(&msisdn)
                .ok_or_else(|| SnapshotError::UnknownAccount(msisdn.clone()))?;
            let plans = saved
                .plans
                .into_iter()
                .map(|p| {
                    let config = account
                        .config
                        .plans
                        .iter()
                        .find(|c| c.id == p.id)
                        .cloned()
                        .ok_or_else(|| SnapshotError::UnknownPlan {
                            msisdn: msisdn.clone(),
                            plan: p.id.clone(),
                        })?;
                    Ok(PlanState {
                        config,
                        monthly_fee: p.monthly_fee,
                    })
                })
                .collect::<Result<Vec<_>, SnapshotError>>()?;
            *account = AccountState {
                config: account.config.clone(),
                balance: saved.balance,
                plans,
            };
        }
        sim.clock = SimClock::resume(world.clock, clock_at);
        sim.guards = snapshot.guards.into_iter().collect();
        sim.quotes = snapshot.quotes.into_iter().collect();
        sim.orders = snapshot.orders;
        sim.payments = snapshot.payments;
        sim.inbox = snapshot.inbox.into_iter().collect();
        sim.keys = snapshot
            .keys
            .into_iter()
            .map(|k| {
                let spent = SpentKey {
                    fingerprint: k.fingerprint,
                    answer: k.answer,
                };
                ((k.carrier, k.msisdn, k.key), spent)
            })
            .collect();
        sim.next_id = snapshot.next_id;
        Ok(sim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_holds_no_code_and_restores_to_the_same_state() {
        let world = World::builtin();
        let mut sim = Sim::new(&world);
        sim.send_code(CarrierId::ChinaMobile, "13800138000")
            .unwrap();
        let code = sim.codes["13800138000"].code.clone();
        sim.login(CarrierId::ChinaMobile, "13800138000", &code, None)
            .unwrap();
        let quote = sim
            .quote(CarrierId::ChinaMobile, "13800138000", "CM-KD-300M")
            .unwrap();
        let order = sim
            .submit(
                CarrierId::ChinaMobile,
                "13800138000",
                &quote.id,
                "张伟",
                "110101199003071233",
                false,
            )
            .unwrap();
        let snapshot = sim.snapshot();
        let text = serde_json::to_string(&snapshot).unwrap();
        assert!(!text.contains(&code), "the code was saved: {text}");
        assert!(text.contains(&order.id));

        let back: Snapshot = serde_json::from_str(&text).unwrap();
        let restored = Sim::restore(&world, back, sim.clock_now()).unwrap();
        assert_eq!(serde_json::to_string(&restored.snapshot()).unwrap(), text);
        assert!(restored.sessions.is_empty() && restored.codes.is_empty());
    }

    #[test]
    fn a_plan_the_world_lacks_is_refused() {
        let world = World::builtin();
        let sim = Sim::new(&world);
        let mut snapshot = sim.snapshot();
        if let Some(account) = snapshot.accounts.get_mut("13800138000") {
            account.plans.push(PlanSnap {
                id: "NO-SUCH-PLAN".into(),
                monthly_fee: Fen(100),
            });
        }
        let refused = Sim::restore(&world, snapshot, sim.clock_now());
        assert!(matches!(refused, Err(SnapshotError::UnknownPlan { .. })));
    }
}
