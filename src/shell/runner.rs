//! The one runner: carries out what `core::flow::step` decides, for every
//! front end — the terminal's event loop, the soak's headless person, the
//! benches.
//!
//! [`Runner::apply`] steps the core and runs the local effects at once
//! (journal, receipts), then hands the carrier calls back. A call is run by
//! the future [`Runner::execute`] returns — owned, so the terminal can spawn
//! it and never wait on the network inside its loop, while a headless driver
//! simply awaits it — and its [`CallDone`] goes back through
//! [`Runner::accept`], which keeps a new session and yields the reply event
//! to step with next. A reply the core no longer waits for is refused by the
//! core as stale; the runner does not filter it.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::link::Link;
use crate::carrier::exec;
use crate::carrier::{CarrierError, ErrorKind, Session};
use crate::core::flow::{Call, CarrierRequest, Effect, Event, Reply, RequestId, State, StepError};
use crate::store::journal::{Journal, JournalError};
use crate::store::vault::{Vault, VaultError};

/// Where a flow's state and receipts are kept.
#[derive(Debug, Clone)]
pub struct Store {
    /// The journal: the state after every transition.
    pub journal: Journal,
    /// The receipts vault.
    pub vault: Vault,
}

/// A local effect that failed. The flow goes on (the state is in memory, the
/// carrier has what it has); the person is told.
#[derive(Debug, thiserror::Error)]
pub enum EffectError {
    /// The journal could not be written.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// A receipt could not be added to the vault.
    #[error(transparent)]
    Receipt(#[from] VaultError),
}

/// What one accepted event led to.
#[derive(Debug)]
pub struct Applied {
    /// The new state.
    pub state: State,
    /// The carrier calls to make, in order (the core issues at most one).
    pub calls: Vec<Call>,
    /// The receipts chain written last, if a receipt was written.
    pub receipts: Option<PathBuf>,
    /// Local effects that failed.
    pub failures: Vec<EffectError>,
}

/// A finished carrier call, to hand to [`Runner::accept`].
#[derive(Debug)]
pub struct CallDone {
    req: RequestId,
    reply: Reply,
    session: Option<Session>,
}

/// Owns what a flow needs besides its state: the line to the carriers, the
/// store (if the run keeps one), the flow's id in the receipts and the
/// session. The state itself stays with the caller (the terminal's model,
/// the soak's person), who hands it in and gets the next one back.
pub struct Runner {
    link: Arc<Link>,
    store: Option<Store>,
    flow_id: String,
    session: Option<Session>,
    poll_cap: Option<Duration>,
}

impl Runner {
    /// A runner for the flow whose receipts go under `flow_id` (see
    /// [`flow_id`]); without a store, journal and receipt effects are skipped.
    pub fn new(link: Arc<Link>, store: Option<Store>, flow_id: impl Into<String>) -> Runner {
        Runner {
            link,
            store,
            flow_id: flow_id.into(),
            session: None,
            poll_cap: None,
        }
    }

    /// Honours a status poll's `after` only up to `cap` (headless drivers
    /// that must not wait as a person would).
    #[must_use]
    pub fn with_poll_cap(mut self, cap: Duration) -> Runner {
        self.poll_cap = Some(cap);
        self
    }

    /// The line to the carriers.
    pub fn link(&self) -> &Link {
        &self.link
    }

    /// The store, when the run keeps one.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// The session of the last login, if any.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Continues another flow (a journalled one): its receipts chain, and no
    /// session, since tokens are never kept.
    pub fn switch_flow(&mut self, flow_id: impl Into<String>) {
        self.flow_id = flow_id.into();
        self.session = None;
    }

    /// Steps the core from `state` with `event`, writes the journal and the
    /// receipts it asks for, and hands back the new state and the calls to
    /// make. A refused event changes nothing.
    pub fn apply(
        &self,
        state: &State,
        event: Event,
        now: DateTime<Utc>,
    ) -> Result<Applied, StepError> {
        let transition = crate::core::flow::step(state, event, now)?;
        let mut applied = Applied {
            state: transition.state,
            calls: Vec::new(),
            receipts: None,
            failures: Vec::new(),
        };
        for effect in transition.effects {
            match effect {
                Effect::Call(call) => applied.calls.push(call),
                Effect::PersistJournal => {
                    if let Some(store) = &self.store
                        && let Err(e) = store.journal.save(&applied.state)
                    {
                        tracing::error!(error = %e, "journal write failed");
                        applied.failures.push(e.into());
                    }
                }
                Effect::WriteReceipt(receipt) => {
                    let Some(store) = &self.store else { continue };
                    match store.vault.append(&self.flow_id, &receipt) {
                        Ok(chain) => applied.receipts = Some(chain),
                        Err(e) => {
                            tracing::error!(error = %e, "receipt write failed");
                            applied.failures.push(e.into());
                        }
                    }
                }
            }
        }
        Ok(applied)
    }

    /// Makes one carrier call with the current session: an owned future, to
    /// spawn or to await. A carrier that cannot be reached (the link failed)
    /// answers as a network failure.
    pub fn execute(&self, call: Call) -> impl Future<Output = CallDone> + Send + 'static {
        let link = Arc::clone(&self.link);
        let session = self.session.clone();
        let Call {
            req,
            carrier,
            mut request,
        } = call;
        if let (Some(cap), CarrierRequest::PollOrder { after, .. }) = (self.poll_cap, &mut request)
        {
            *after = (*after).min(cap);
        }
        async move {
            let outcome = match link.connect().await {
                Ok(connection) => {
                    let adapter = connection.registry.get(carrier);
                    exec::call(adapter.as_ref(), session.as_ref(), request).await
                }
                Err(e) => {
                    let kind = ErrorKind::NetworkUnreachable {
                        detail: e.to_string(),
                    };
                    Err(CarrierError::new(carrier, kind))
                }
            };
            match outcome {
                Ok((reply, session)) => CallDone {
                    req,
                    reply,
                    session,
                },
                Err(error) => CallDone {
                    req,
                    reply: Reply::Failed(error),
                    session: None,
                },
            }
        }
    }

    /// Takes a finished call back: keeps the session a login returned, and
    /// gives the reply event to step with.
    pub fn accept(&mut self, done: CallDone) -> Event {
        if let Some(session) = done.session {
            self.session = Some(session);
        }
        Event::Reply(done.req, done.reply)
    }
}

/// Names a flow's receipts chain until the carrier assigns an order number.
pub fn flow_id(state: &State) -> String {
    String::from(state.facts.key_seed)[..8].to_owned()
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::config::Config;
    use crate::core::flow::Step;
    use crate::core::model::KeySeed;
    use crate::core::validate;

    fn runner(store: Option<Store>) -> Runner {
        // Never connects: no call is executed here.
        let link = Arc::new(Link::new(Config::builtin().unwrap()));
        Runner::new(link, store, "test")
    }

    fn request_code() -> Event {
        let (msisdn, carrier) = validate::phone("13800138000").unwrap();
        Event::RequestCode { msisdn, carrier }
    }

    #[test]
    fn apply_hands_back_the_call_and_writes_the_journal() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            journal: Journal::open(dir.path().join("journal")).unwrap(),
            vault: Vault::open(dir.path().join("receipts")).unwrap(),
        };
        let runner = runner(Some(store.clone()));
        let now = Utc::now();
        let state = State::new(KeySeed([1; 16]), now);
        let applied = runner.apply(&state, request_code(), now).unwrap();
        assert!(matches!(applied.state.step, Step::Login { .. }));
        assert_eq!(applied.calls.len(), 1);
        assert_eq!(
            Some(applied.calls[0].req),
            applied.state.pending.map(|p| p.req)
        );
        assert!(applied.failures.is_empty());
        let journalled = Journal::load(&store.journal.path_for(&applied.state)).unwrap();
        assert_eq!(journalled, applied.state.without_secrets());
    }

    #[test]
    fn without_a_store_nothing_is_written_and_a_refusal_changes_nothing() {
        let runner = runner(None);
        let now = Utc::now();
        let state = State::new(KeySeed([1; 16]), now);
        assert!(runner.apply(&state, Event::Confirm, now).is_err());
        let applied = runner.apply(&state, request_code(), now).unwrap();
        assert_eq!(applied.calls.len(), 1);
        assert!(applied.receipts.is_none() && applied.failures.is_empty());
    }

    #[test]
    fn accept_keeps_a_new_session_and_yields_the_reply() {
        let mut runner = runner(None);
        let (msisdn, _) = validate::phone("13800138000").unwrap();
        let session = Session {
            msisdn,
            token: crate::core::secret::Token::new("t".to_owned()),
        };
        let done = CallDone {
            req: RequestId(7),
            reply: Reply::LoggedIn,
            session: Some(session),
        };
        let event = runner.accept(done);
        assert_eq!(event, Event::Reply(RequestId(7), Reply::LoggedIn));
        assert!(runner.session().is_some());
        runner.switch_flow("other");
        assert!(runner.session().is_none());
    }
}
