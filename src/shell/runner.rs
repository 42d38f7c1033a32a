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
use super::storage;
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
    /// Why a request that moves money (submit, pay) was not sent: the
    /// journal or the receipts could not be written, so there would be no
    /// proof of it. The core has had the request answered as failed with
    /// `ErrorKind::StorageUnavailable`; nothing reached the carrier.
    pub withheld: Option<EffectError>,
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
    /// make. A request that moves money is never handed back while the
    /// journal or the receipts cannot be written (see [`Applied::withheld`]).
    /// A refused event changes nothing.
    pub fn apply(
        &self,
        state: &State,
        event: Event,
        now: DateTime<Utc>,
    ) -> Result<Applied, StepError> {
        let mut applied = self.carry_out(state, event, now)?;
        if let Some((unsent, cause)) = self.withhold_money(&mut applied) {
            match self.carry_out(&applied.state, unsent, now) {
                Ok(next) => {
                    applied.state = next.state;
                    applied.calls.extend(next.calls);
                    applied.receipts = next.receipts.or(applied.receipts);
                    applied.failures.extend(next.failures);
                }
                Err(refused) => {
                    tracing::error!(%refused, "a withheld request's answer was refused")
                }
            }
            applied.withheld = Some(cause);
        }
        Ok(applied)
    }

    /// Steps the core once and carries out the local effects.
    fn carry_out(
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
            withheld: None,
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

    /// Takes a submit or pay call out of `applied` when the journal or the
    /// receipts failed in this very step, or cannot be written now: the
    /// answer to step with instead (nothing was sent), and why.
    fn withhold_money(&self, applied: &mut Applied) -> Option<(Event, EffectError)> {
        let store = self.store.as_ref()?;
        let at = applied.calls.iter().position(|c| {
            matches!(
                c.request,
                CarrierRequest::Submit { .. } | CarrierRequest::Pay { .. }
            )
        })?;
        let cause = if applied.failures.is_empty() {
            storage::probe(store)?
        } else {
            applied.failures.remove(0)
        };
        let call = applied.calls.remove(at);
        let (path, said) = storage::cause(&cause);
        let detail = match storage::free_bytes(&path) {
            Some(free) => format!("{said}; {} free", storage::human_bytes(free)),
            None => said,
        };
        tracing::error!(path = %path.display(), %detail, "a request that moves money was not sent");
        let kind = ErrorKind::StorageUnavailable {
            path: path.display().to_string(),
            detail,
        };
        let failed = Reply::Failed(CarrierError::new(call.carrier, kind));
        Some((Event::Reply(call.req, failed), cause))
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
pub(super) mod tests {
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
        let (_dir, store) = breakable_store();
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

    /// A flow driven through `runner` up to the summary, every carrier call
    /// answered as the carrier would (18600186000, ¥94.60 due).
    fn at_confirming(runner: &Runner, now: DateTime<Utc>) -> State {
        use crate::core::fees::Fen;
        use crate::core::model::{
            Account, Application, FeeKind, LineItem, Plan, PlanKind, PlanStatus, Quote, ReasonCode,
        };
        let step = |state: &State, event: Event| runner.apply(state, event, now).unwrap().state;
        let answer = |state: &State, reply: Reply| {
            let req = state.pending.expect("a call in flight").req;
            step(state, Event::Reply(req, reply))
        };
        let (msisdn, carrier) = validate::phone("18600186000").unwrap();
        let mut state = step(
            &State::new(KeySeed([3; 16]), now),
            Event::RequestCode { msisdn, carrier },
        );
        state = answer(&state, Reply::CodeSent);
        let code = validate::sms_code("123456").unwrap();
        state = step(
            &state,
            Event::Login {
                code,
                password: None,
            },
        );
        state = answer(&state, Reply::LoggedIn);
        let plan = Plan {
            id: "BB500".into(),
            name: "沃家宽带 500M".into(),
            kind: PlanKind::Broadband,
            monthly_fee: Fen(11610),
            status: PlanStatus::Active,
            contract_end: None,
            blocked: None,
        };
        let account = Account {
            balance: Fen(30000),
            plans: vec![plan],
        };
        state = answer(&state, Reply::Plans(account));
        state = step(
            &state,
            Event::ChoosePlan {
                plan_id: "BB500".into(),
            },
        );
        let quote = Quote {
            id: "Q1".into(),
            items: vec![LineItem {
                kind: FeeKind::Penalty,
                label: "违约金".into(),
                amount: Fen(9460),
            }],
            total: Fen(9460),
            effective_date: now.date_naive(),
            expires_at: (now + chrono::Duration::minutes(15)).fixed_offset(),
            retention: None,
        };
        state = answer(&state, Reply::Quoted(quote));
        let application = Application {
            holder_name: "刘洋".into(),
            id_number: validate::id_number("510107197808156721").unwrap(),
            contact: validate::contact_phone("18600186000").unwrap(),
            reason: ReasonCode::NoLongerNeeded,
            reason_text: String::new(),
        };
        step(&state, Event::EnterApplication(application))
    }

    /// A store whose folders can be broken in a way that stops root too:
    /// a regular file where the folder was.
    pub(in crate::shell) fn breakable_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            journal: Journal::open(dir.path().join("journal")).unwrap(),
            vault: Vault::open(dir.path().join("receipts")).unwrap(),
        };
        (dir, store)
    }

    fn break_folder(path: &std::path::Path) {
        std::fs::remove_dir_all(path).unwrap();
        std::fs::write(path, b"not a folder").unwrap();
    }

    fn money_calls(applied: &Applied) -> usize {
        applied
            .calls
            .iter()
            .filter(|c| {
                matches!(
                    c.request,
                    CarrierRequest::Submit { .. } | CarrierRequest::Pay { .. }
                )
            })
            .count()
    }

    fn assert_withheld(applied: &Applied) {
        assert_eq!(
            money_calls(applied),
            0,
            "a request that moves money went out"
        );
        assert!(applied.withheld.is_some(), "no reason given");
        let Step::Blocked { error, .. } = &applied.state.step else {
            panic!("not blocked: {:?}", applied.state.step);
        };
        assert!(
            matches!(error.kind, ErrorKind::StorageUnavailable { .. }),
            "{error:?}"
        );
        assert!(applied.state.pending.is_none(), "still waiting for a call");
    }

    #[test]
    fn no_submit_goes_out_while_the_journal_cannot_be_written() {
        let (dir, store) = breakable_store();
        let runner = runner(Some(store));
        let now = Utc::now();
        let confirming = at_confirming(&runner, now);
        break_folder(&dir.path().join("journal"));
        let applied = runner.apply(&confirming, Event::Confirm, now).unwrap();
        assert_withheld(&applied);
        let submit = applied.state.facts.progress.submit.as_ref();
        assert!(
            submit.is_none_or(|s| !s.outcome_unknown),
            "nothing was sent, so its outcome is known"
        );
        let ErrorKind::StorageUnavailable { path, .. } = blocked_kind(&applied) else {
            unreachable!()
        };
        assert!(path.contains("journal"), "{path}");
    }

    #[test]
    fn no_payment_goes_out_while_the_receipts_cannot_be_written() {
        let (dir, store) = breakable_store();
        let runner = runner(Some(store.clone()));
        let now = Utc::now();
        let confirming = at_confirming(&runner, now);
        let sent = runner.apply(&confirming, Event::Confirm, now).unwrap();
        assert_eq!(
            money_calls(&sent),
            1,
            "the submit goes out while all is well"
        );
        let order = crate::core::model::Order {
            id: "ORD-1".into(),
            state: crate::core::model::OrderState::AwaitingPayment,
            expected_by: None,
            retry_after_secs: None,
            amount_due: Some(crate::core::fees::Fen(9460)),
        };
        let req = sent.calls[0].req;
        let paying = runner
            .apply(&sent.state, Event::Reply(req, Reply::Submitted(order)), now)
            .unwrap()
            .state;
        assert!(matches!(paying.step, Step::Pay { .. }), "{:?}", paying.step);
        break_folder(&dir.path().join("receipts"));
        let pay = Event::ChoosePayment {
            method: crate::core::model::PayMethod::Balance,
            card: None,
        };
        let applied = runner.apply(&paying, pay, now).unwrap();
        assert_withheld(&applied);
        // The journal, still writable, says where things stand: blocked, not paid.
        let journalled = Journal::load(&store.journal.path_for(&applied.state)).unwrap();
        assert!(matches!(journalled.step, Step::Blocked { .. }));
        assert_eq!(journalled.facts.progress.paid, None);
    }

    fn blocked_kind(applied: &Applied) -> ErrorKind {
        match &applied.state.step {
            Step::Blocked { error, .. } => error.kind.clone(),
            other => panic!("not blocked: {other:?}"),
        }
    }
}
