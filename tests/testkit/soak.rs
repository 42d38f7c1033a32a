//! A headless person for the fault soak: drives the real `core::flow::step`
//! through the real adapters against an in-process sandbox with fault rules,
//! answering the person's side of the flow itself, then checks the sandbox
//! ledger for what must never happen (a second order, a second charge, a
//! charge that differs from the quote, a flow left with nothing to do).

#![allow(dead_code)] // each test binary uses a different part of it

use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use unsubscribe_wizard::carrier::connect;
use unsubscribe_wizard::config::Config;
use unsubscribe_wizard::core::error::ErrorKind;
use unsubscribe_wizard::core::flow::{
    Call, CarrierRequest, Event, State, Step, StepError, SubmitPhase,
};
use unsubscribe_wizard::core::model::{
    Application, CarrierId, KeySeed, Outcome, PayMethod, PaymentState, ReasonCode,
};
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::sandbox::{Sandbox, World};
use unsubscribe_wizard::shell::link::Link;
use unsubscribe_wizard::shell::runner::{Runner, Store};
use unsubscribe_wizard::store::journal::Journal;
use unsubscribe_wizard::store::vault::Vault;

/// Most events (intents and replies) one flow may take before it counts as stuck.
pub const MAX_EVENTS: usize = 250;
/// Most `Retry`s the person makes before leaving the flow Blocked.
const MAX_RETRIES: u32 = 30;
/// `PollOrder`'s `after` is honoured up to this, so flows are fast.
const POLL_CAP: Duration = Duration::from_millis(3);
/// The adapters' request timeout in the soak; `delay_ms` faults go past it.
pub const REQUEST_TIMEOUT_MS: u64 = 150;
/// A delay fault's delay: well past the timeout.
const DELAY_MS: u64 = 400;

/// The good and the declined card of the Mobile broadband scenario.
pub const GOOD_CARD: &str = "6222021234567890128";
pub const DECLINED_CARD: &str = "6217000000000000004";

/// One scenario account of `docs/CARRIER-API.md`.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    pub msisdn: &'static str,
    pub carrier: CarrierId,
    pub holder: &'static str,
    pub id_number: &'static str,
    pub password: Option<&'static str>,
    /// Whether the account has nothing cancellable (guidance, not an order).
    pub nothing_to_cancel: bool,
}

/// The seven scenario accounts.
pub const SCENARIOS: [Scenario; 7] = [
    Scenario {
        msisdn: "13800138000",
        carrier: CarrierId::ChinaMobile,
        holder: "张伟",
        id_number: "110101199003071233",
        password: None,
        nothing_to_cancel: false,
    },
    Scenario {
        msisdn: "13800138001",
        carrier: CarrierId::ChinaMobile,
        holder: "李娜",
        id_number: "310104198506120457",
        password: None,
        nothing_to_cancel: false,
    },
    Scenario {
        msisdn: "13900139000",
        carrier: CarrierId::ChinaMobile,
        holder: "王芳",
        id_number: "44030519921120331X",
        password: None,
        nothing_to_cancel: false,
    },
    Scenario {
        msisdn: "18600186000",
        carrier: CarrierId::ChinaUnicom,
        holder: "刘洋",
        id_number: "510107197808156721",
        password: Some("135790"),
        nothing_to_cancel: false,
    },
    Scenario {
        msisdn: "18600186001",
        carrier: CarrierId::ChinaUnicom,
        holder: "陈静",
        id_number: "320102198802290580",
        password: Some("246802"),
        nothing_to_cancel: true,
    },
    Scenario {
        msisdn: "13300133000",
        carrier: CarrierId::ChinaTelecom,
        holder: "杨帆",
        id_number: "330106199501011172",
        password: None,
        nothing_to_cancel: false,
    },
    Scenario {
        msisdn: "13300133001",
        carrier: CarrierId::ChinaTelecom,
        holder: "赵磊",
        id_number: "420102198707040018",
        password: None,
        nothing_to_cancel: false,
    },
];

/// The fault kinds the soak injects.
pub const FAULT_KINDS: [&str; 7] = [
    "reset",
    "commit_then_reset",
    "http_500",
    "http_429",
    "delay_ms",
    "malformed_body",
    "busy",
];

/// The calls of each dialect, as fault routes (Telecom: RPC methods).
fn routes(carrier: CarrierId) -> &'static [&'static str] {
    match carrier {
        CarrierId::ChinaMobile => &[
            "POST /cmcc/v2/auth/sms-code",
            "POST /cmcc/v2/auth/login",
            "GET /cmcc/v2/subscriptions",
            "POST /cmcc/v2/cancel/quote",
            "POST /cmcc/v2/cancel/orders",
            "POST /cmcc/v2/cancel/orders/{id}/payments",
            "GET /cmcc/v2/cancel/orders/{id}",
            "GET /cmcc/v2/messages",
        ],
        CarrierId::ChinaUnicom => &[
            "sendSmsCode",
            "login",
            "queryProducts",
            "cancelTrial",
            "cancelSubmit",
            "cancelPay",
            "queryOrder",
            "queryMsgs",
        ],
        CarrierId::ChinaTelecom => &[
            "auth.sendCode",
            "auth.login",
            "product.list",
            "cancel.quote",
            "cancel.submit",
            "cancel.pay",
            "cancel.status",
            "notice.list",
        ],
    }
}

/// How a flow ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// The carrier confirmed.
    Terminated(Outcome),
    /// Blocked with a remedy; `retry` says whether Retry was still offered
    /// (the person's retry budget ran out).
    Blocked { remedy: String, retry: bool },
    /// The account has nothing cancellable: guidance, no order.
    NothingToCancel,
    /// Anything else: the flow was left with nothing the person could do,
    /// or it ran out of events.
    Stuck(String),
}

/// What one flow did and what the ledger showed.
#[derive(Debug, Clone)]
pub struct FlowReport {
    pub flow: u64,
    pub scenario: &'static str,
    pub end: End,
    pub events: usize,
    /// Fault firings by kind (from the sandbox's rule counters).
    pub faults: BTreeMap<String, u64>,
    pub orders: usize,
    pub charges: usize,
    /// Invariant violations, each a sentence.
    pub violations: Vec<String>,
    /// Facts worth counting that are not violations.
    pub notes: Vec<String>,
    /// The secrets this flow handled (SMS codes typed, session tokens), so
    /// a test can prove none reached a file.
    pub secrets: Vec<String>,
}

/// The soak's running sandbox and adapters.
pub struct Rig {
    pub base: String,
    pub admin: reqwest::Client,
    /// The adapters, as the wizard's runner reaches them.
    pub link: Arc<Link>,
    /// Journal and receipts, when the run keeps them (security checks).
    pub store: Option<Store>,
    _sandbox: Sandbox,
}

impl Rig {
    /// Starts a sandbox on 127.0.0.1:0 and adapters pointing at it with a
    /// short timeout and two attempts.
    pub async fn start(data_dir: Option<&std::path::Path>) -> Rig {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let sandbox = Sandbox::start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), World::builtin())
            .await
            .expect("sandbox starts on loopback");
        let base = sandbox.base_url();
        let toml = format!(
            "[network]\nconnect_timeout_ms = 500\nrequest_timeout_ms = {REQUEST_TIMEOUT_MS}\n\
             max_attempts = 2\nbackoff_base_ms = 1\nbackoff_cap_ms = 5\nmax_retry_after_secs = 0\n\
             [carriers.china_mobile]\nbase_url = \"{base}\"\n\
             [carriers.china_unicom]\nbase_url = \"{base}\"\n\
             [carriers.china_telecom]\nbase_url = \"{base}\"\n"
        );
        let config = Config::from_user_toml(&toml, "soak.toml").expect("soak config is valid");
        let registry = connect(&config).await.expect("adapters connect");
        let store = data_dir.map(|dir| Store {
            journal: Journal::open(dir.join("journal")).expect("journal dir"),
            vault: Vault::open(dir.join("receipts")).expect("vault dir"),
        });
        Rig {
            base,
            admin: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
            link: Arc::new(Link::ready(config, registry)),
            store,
            _sandbox: sandbox,
        }
    }

    async fn get(&self, path: &str) -> Value {
        self.admin
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.admin
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap_or(Value::Null)
    }

    /// The sandbox's clock.
    async fn clock(&self) -> DateTime<Utc> {
        let now = self.get("/sandbox/clock").await;
        DateTime::parse_from_rfc3339(now["now"].as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc)
    }
}

/// Random fault rules for one flow: one to three, on the scenario's calls
/// (or on every call), each a window of one or two calls, sometimes every
/// call from then on with a probability.
pub fn fault_rules(rng: &mut StdRng, carrier: CarrierId) -> Vec<Value> {
    let count = rng.random_range(1..=3);
    (0..count)
        .map(|_| {
            let kind = FAULT_KINDS[rng.random_range(0..FAULT_KINDS.len())];
            let calls = routes(carrier);
            let route = if rng.random_bool(0.1) {
                "*"
            } else {
                calls[rng.random_range(0..calls.len())]
            };
            let mut rule = json!({
                "route": route,
                "kind": kind,
                "nth": rng.random_range(1..=3),
                "seed": rng.random::<u32>(),
            });
            if rng.random_bool(0.15) {
                rule["times"] = json!(0);
                rule["probability"] = json!(0.25);
            } else {
                rule["times"] = json!(rng.random_range(1..=2));
            }
            match kind {
                "http_429" => rule["retryAfter"] = json!(rng.random_range(1..=3)),
                "delay_ms" => rule["delayMs"] = json!(DELAY_MS),
                _ => {}
            }
            rule
        })
        .collect()
}

/// The person's memory across one flow.
struct Person {
    scenario: Scenario,
    /// Uses of each SMS code, and codes known to be refused.
    code_uses: HashMap<String, u32>,
    refused_codes: Vec<String>,
    retries: u32,
    pay_methods: Vec<(PayMethod, Option<&'static str>)>,
    pay_index: usize,
    refusal_handled: bool,
    pay_intents: u32,
    forms: u32,
    confirms: u32,
    await_polls: u32,
    clock_pushed: bool,
    resubmitted: bool,
    completed_qr: Vec<String>,
}

impl Person {
    fn new(scenario: Scenario, rng: &mut StdRng) -> Person {
        let pay_methods = match scenario.carrier {
            CarrierId::ChinaMobile => match rng.random_range(0..4) {
                0 => vec![
                    (PayMethod::Balance, None),
                    (PayMethod::Card, Some(DECLINED_CARD)),
                    (PayMethod::Card, Some(GOOD_CARD)),
                ],
                1 => vec![(PayMethod::Balance, None), (PayMethod::WeChat, None)],
                2 => vec![(PayMethod::Card, Some(GOOD_CARD))],
                _ => vec![(PayMethod::Alipay, None)],
            },
            CarrierId::ChinaUnicom => vec![(PayMethod::Balance, None)],
            CarrierId::ChinaTelecom => {
                if rng.random_bool(0.5) {
                    vec![(PayMethod::Balance, None), (PayMethod::Alipay, None)]
                } else {
                    vec![(PayMethod::WeChat, None)]
                }
            }
        };
        Person {
            scenario,
            code_uses: HashMap::new(),
            refused_codes: Vec::new(),
            retries: 0,
            pay_methods,
            pay_index: 0,
            refusal_handled: true,
            pay_intents: 0,
            forms: 0,
            confirms: 0,
            await_polls: 0,
            clock_pushed: false,
            resubmitted: false,
            completed_qr: Vec::new(),
        }
    }

    fn application(&self) -> Application {
        Application {
            holder_name: self.scenario.holder.to_owned(),
            id_number: validate::id_number(self.scenario.id_number).unwrap(),
            contact: validate::contact_phone(self.scenario.msisdn).unwrap(),
            reason: ReasonCode::Moving,
            reason_text: "搬家".to_owned(),
        }
    }
}

/// What the person does next when no call is in flight: an intent, a wish
/// to move the sandbox clock first, or the end of the flow.
enum Next {
    Act(Event),
    /// Move the sandbox clock this many seconds, then decide again.
    Wait(i64),
    Done(End),
}

/// Runs one flow of the soak: scenario `flow mod 7`, random fault rules
/// drawn from `seed` and `flow`.
pub async fn run_flow(rig: Arc<Rig>, flow: u64, seed: u64) -> FlowReport {
    run_flow_with(rig, flow, seed, None, None).await
}

/// Runs one flow end to end and checks the ledger: scenario `flow mod 7`,
/// the given fault rules (else random ones) and the given way to pay (else
/// a random one that fits the scenario).
pub async fn run_flow_with(
    rig: Arc<Rig>,
    flow: u64,
    seed: u64,
    rules: Option<Vec<Value>>,
    pay: Option<Vec<(PayMethod, Option<&'static str>)>>,
) -> FlowReport {
    let scenario = SCENARIOS[(flow % SCENARIOS.len() as u64) as usize];
    let mut rng = StdRng::seed_from_u64(seed ^ flow.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    rig.post("/sandbox/reset", json!({})).await;
    let random_rules = fault_rules(&mut rng, scenario.carrier);
    let rules = rules.unwrap_or(random_rules);
    rig.post("/sandbox/faults", json!({ "rules": rules })).await;

    let offset = rig.clock().await - Utc::now();
    let mut person = Person::new(scenario, &mut rng);
    if let Some(pay) = pay {
        person.pay_methods = pay;
    }
    let state = State::new(KeySeed(rng.random()), Utc::now() + offset);
    // The wizard's own runner: journal, receipts, session and calls as in
    // the terminal, with status polls capped so flows are fast.
    let runner = Runner::new(
        rig.link.clone(),
        rig.store.clone(),
        format!("soak{flow:06}"),
    )
    .with_poll_cap(POLL_CAP);
    let mut run = FlowRun {
        rig,
        person,
        state,
        runner,
        offset,
        in_flight: None,
        violations: Vec::new(),
        events: 0,
        tokens: Vec::new(),
    };
    let end = run.drive().await;
    run.finish(&end).await;
    run.report(flow, end).await
}

/// One flow in progress: the person, the wizard's state and runner, and
/// what was seen on the way.
struct FlowRun {
    rig: Arc<Rig>,
    person: Person,
    state: State,
    runner: Runner,
    /// The sandbox's clock minus ours.
    offset: chrono::TimeDelta,
    in_flight: Option<Call>,
    violations: Vec<String>,
    events: usize,
    tokens: Vec<String>,
}

/// Where the person's next move comes from.
enum Move {
    Event(Event),
    /// Nothing to step with this time (the clock moved); ask again.
    Again,
    End(End),
}

impl FlowRun {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }

    async fn resync_clock(&mut self) {
        self.offset = self.rig.clock().await - Utc::now();
    }

    /// Steps the flow until it ends.
    async fn drive(&mut self) -> End {
        loop {
            if self.events >= MAX_EVENTS {
                return End::Stuck(format!("out of events in {:?}", self.state.step));
            }
            let event = match self.next_move().await {
                Move::Event(event) => event,
                Move::Again => continue,
                Move::End(end) => return end,
            };
            self.events += 1;
            if let Some(end) = self.step(event).await {
                return end;
            }
            self.scan_qr().await;
        }
    }

    /// The reply to the call in flight, or what the person does now.
    async fn next_move(&mut self) -> Move {
        // The person may act while a status poll is out (Resubmit, Abandon).
        if let Some(command) = self.in_flight.take() {
            let pushed = self.person.clock_pushed;
            let intent = impatience(&mut self.person, &self.state, &self.rig).await;
            if self.person.clock_pushed != pushed {
                self.resync_clock().await;
            }
            if let Some(intent) = intent {
                return Move::Event(intent);
            }
            if matches!(command.request, CarrierRequest::PollOrder { .. }) {
                self.person.await_polls += 1;
            }
            return Move::Event(self.carry_out(command).await);
        }
        if self.state.pending.is_some() {
            return Move::End(End::Stuck(format!(
                "a call is pending but no command was issued: {:?}",
                self.state.pending
            )));
        }
        match decide(&mut self.person, &self.state, &self.rig).await {
            Next::Act(event) => Move::Event(event),
            Next::Wait(secs) => {
                self.rig
                    .post("/sandbox/clock", json!({ "advanceSeconds": secs }))
                    .await;
                self.resync_clock().await;
                self.events += 1;
                Move::Again
            }
            Next::Done(end) => Move::End(end),
        }
    }

    /// Makes the call through the runner, noting every session token seen.
    async fn carry_out(&mut self, command: Call) -> Event {
        let done = self.runner.execute(command).await;
        let event = self.runner.accept(done);
        if let Some(s) = self.runner.session() {
            let token = s.token.expose().to_owned();
            if !self.tokens.contains(&token) {
                self.tokens.push(token);
            }
        }
        event
    }

    /// Steps the wizard through its runner; `Some` when the flow is stuck.
    async fn step(&mut self, event: Event) -> Option<End> {
        let label = format!("{event:?}").chars().take(60).collect::<String>();
        match self.runner.apply(&self.state, event, self.now()) {
            Ok(applied) => {
                self.state = applied.state;
                if let Some(failure) = applied.failures.first() {
                    panic!("journal or receipt write failed: {failure}");
                }
                for carrier_call in applied.calls {
                    if self.in_flight.is_some() {
                        self.violations
                            .push("two carrier calls issued at once".to_owned());
                    }
                    self.in_flight = Some(carrier_call);
                }
            }
            Err(StepError::CodeCooldown(wait)) => {
                self.rig
                    .post("/sandbox/clock", json!({ "advanceSeconds": wait + 1 }))
                    .await;
                self.resync_clock().await;
            }
            Err(StepError::Stale(_)) => {}
            Err(e) => {
                // A refused reply leaves the call "pending" forever: the flow
                // would hang. A refused intent is the driver's own mistake.
                let step = &self.state.step;
                return Some(End::Stuck(format!("step refused {label}: {e} in {step:?}")));
            }
        }
        None
    }

    /// The person scans a QR code as soon as it is shown.
    async fn scan_qr(&mut self) {
        if let Some(payment) = &self.state.facts.progress.payment
            && payment.state == PaymentState::Pending
            && !self.person.completed_qr.contains(&payment.id)
        {
            self.person.completed_qr.push(payment.id.clone());
            self.rig
                .post(
                    &format!("/sandbox/payments/{}/complete", payment.id),
                    json!({}),
                )
                .await;
        }
    }

    /// Lets a final notices fetch finish, as the shell would.
    async fn finish(&mut self, end: &End) {
        if let (Some(command), End::Terminated(_)) = (self.in_flight.take(), end) {
            let done = self.runner.execute(command).await;
            let event = self.runner.accept(done);
            if let Ok(applied) = self.runner.apply(&self.state, event, self.now()) {
                self.state = applied.state;
            }
        }
    }

    /// Checks the sandbox ledger against what the flow did.
    async fn report(self, flow: u64, end: End) -> FlowReport {
        let scenario = self.person.scenario;
        let faults = fired_faults(&self.rig).await;
        let ledger = self
            .rig
            .get(&format!("/sandbox/ledger/{}", scenario.msisdn))
            .await;
        let orders = ledger["orders"].as_array().cloned().unwrap_or_default();
        let charges = ledger["charges"].as_array().cloned().unwrap_or_default();
        let mut violations = self.violations;
        violations.extend(ledger_violations(&orders, &charges, &self.state));
        let mut notes = Vec::new();
        check_end(
            &end,
            scenario,
            &self.state,
            (&orders, &charges),
            &mut violations,
            &mut notes,
        );
        FlowReport {
            flow,
            scenario: scenario.msisdn,
            end,
            events: self.events,
            faults,
            orders: orders.len(),
            charges: charges.len(),
            violations,
            notes,
            secrets: self
                .person
                .code_uses
                .keys()
                .cloned()
                .chain(self.tokens)
                .collect(),
        }
    }
}

/// What must never happen whatever the end: a second order or charge, a
/// charge that differs from the order or the quote, two orders for a plan.
fn ledger_violations(orders: &[Value], charges: &[Value], state: &State) -> Vec<String> {
    let mut violations = Vec::new();
    if orders.len() > 1 {
        violations.push(format!("{} orders: {orders:?}", orders.len()));
    }
    if charges.len() > 1 {
        violations.push(format!("{} charges: {charges:?}", charges.len()));
    }
    for charge in charges {
        let amount = charge["amount"].as_i64().unwrap_or(-1);
        let order = orders
            .iter()
            .find(|o| o["orderId"] == charge["orderId"])
            .cloned()
            .unwrap_or(Value::Null);
        if order["amountDue"].as_i64() != Some(amount) {
            violations.push(format!("charge {amount} differs from the order {order}"));
        }
        match &state.facts.choice.quote {
            Some(q) if q.total.0 == amount => {}
            other => violations.push(format!(
                "charge {amount} differs from the quote total {:?}",
                other.as_ref().map(|q| q.total)
            )),
        }
    }
    if let Some(plan) = &state.facts.choice.plan {
        let for_plan = orders
            .iter()
            .filter(|o| o["planId"].as_str() == Some(plan.id.as_str()))
            .count();
        if for_plan > 1 {
            violations.push(format!("{for_plan} orders for plan {}", plan.id));
        }
    }
    violations
}

/// What the end itself must satisfy, and what is worth noting about it.
fn check_end(
    end: &End,
    scenario: Scenario,
    state: &State,
    (orders, charges): (&[Value], &[Value]),
    violations: &mut Vec<String>,
    notes: &mut Vec<String>,
) {
    match end {
        End::Terminated(Outcome::Cancelled) => {
            let completed = orders.iter().any(|o| o["state"] == "completed");
            if !completed {
                violations.push("Terminated without a completed order".to_owned());
            }
            let charged: i64 = charges.iter().filter_map(|c| c["amount"].as_i64()).sum();
            if state.facts.progress.paid.map(|p| p.0) != Some(charged) {
                notes.push(format!(
                    "paid recorded as {:?}, charged {charged}",
                    state.facts.progress.paid
                ));
            }
        }
        End::Terminated(Outcome::RetentionAccepted) => {
            violations.push("the retention offer was declined, yet taken".to_owned());
        }
        End::Blocked { remedy, .. } => {
            if remedy.is_empty() {
                violations.push("Blocked without a remedy".to_owned());
            }
            let open_order = orders.iter().any(|o| o["state"] != "completed");
            if open_order && matches!(state.step, Step::Blocked { retry: None, .. }) {
                let seen = if state.facts.progress.order.is_some() {
                    "the wizard knows it"
                } else {
                    "the wizard never saw it"
                };
                notes.push(format!(
                    "blocked for good with an open order at the carrier ({remedy}, {seen})"
                ));
            }
        }
        End::NothingToCancel => {
            if !scenario.nothing_to_cancel {
                violations.push("no cancellable plan on an account that has one".to_owned());
            }
        }
        End::Stuck(why) => violations.push(format!("stuck: {why}")),
    }
}

/// While a status poll is out: the stalled order is resubmitted once, then
/// abandoned; a long wait first moves the clock past the carrier's
/// expected time.
async fn impatience(person: &mut Person, state: &State, rig: &Rig) -> Option<Event> {
    let Step::Await { stalled, .. } = state.step else {
        return None;
    };
    if person.await_polls >= 8 && !person.clock_pushed {
        person.clock_pushed = true;
        rig.post("/sandbox/clock", json!({ "advanceSeconds": 130 }))
            .await;
        return None;
    }
    if stalled && !person.resubmitted && state.facts.secrets.application.is_some() {
        person.resubmitted = true;
        person.await_polls = 0;
        return Some(Event::Resubmit);
    }
    if person.await_polls >= 16 {
        return Some(Event::Abandon);
    }
    None
}

async fn decide(person: &mut Person, state: &State, rig: &Rig) -> Next {
    match &state.step {
        Step::Login { problem, .. } => decide_login(person, state, rig, problem.as_ref()).await,
        Step::SelectPlan { .. } => match &state.facts.choice.account {
            Some(account) => match account.plans.iter().find(|p| p.is_cancellable()) {
                Some(plan) => Next::Act(Event::ChoosePlan {
                    plan_id: plan.id.clone(),
                }),
                None => Next::Done(End::NothingToCancel),
            },
            None => Next::Done(End::Stuck("SelectPlan without plans".to_owned())),
        },
        Step::Submit {
            phase: SubmitPhase::Review,
            ..
        } => {
            let offered = state
                .facts
                .choice
                .quote
                .as_ref()
                .is_some_and(|q| q.retention.is_some());
            if offered && state.facts.choice.retention_accepted.is_none() {
                return Next::Act(Event::AnswerRetention { accept: false });
            }
            person.forms += 1;
            if person.forms > 10 {
                return Next::Done(End::Stuck("the form is refused again and again".to_owned()));
            }
            Next::Act(Event::EnterApplication(person.application()))
        }
        Step::Submit {
            phase: SubmitPhase::Confirming,
            ..
        } => {
            person.confirms += 1;
            if person.confirms > 20 {
                return Next::Done(End::Stuck("confirming forever".to_owned()));
            }
            Next::Act(Event::Confirm)
        }
        Step::Submit { phase, .. } => {
            Next::Done(End::Stuck(format!("Submit {phase:?} with no call")))
        }
        Step::Pay { problem } => decide_pay(person, problem.as_ref()),
        Step::Await { .. } => Next::Act(Event::Abandon),
        Step::Terminated { outcome } => Next::Done(End::Terminated(*outcome)),
        Step::Blocked { remedy, retry, .. } => {
            if retry.is_some() && person.retries < MAX_RETRIES {
                person.retries += 1;
                return Next::Act(Event::Retry);
            }
            Next::Done(End::Blocked {
                remedy: remedy.clone(),
                retry: retry.is_some(),
            })
        }
    }
}

/// On the Login step: ask for a code, then log in with the newest one not
/// yet refused (each code at most twice).
async fn decide_login(
    person: &mut Person,
    state: &State,
    rig: &Rig,
    problem: Option<&ErrorKind>,
) -> Next {
    let scenario = person.scenario;
    let msisdn = validate::phone(scenario.msisdn).unwrap().0;
    if state.facts.msisdn().is_none() {
        return Next::Act(Event::RequestCode {
            msisdn,
            carrier: scenario.carrier,
        });
    }
    let newest = newest_code(rig, scenario.msisdn).await;
    if problem == Some(&ErrorKind::WrongCredentials)
        && let Some(code) = &newest
        && !person.refused_codes.contains(code)
    {
        person.refused_codes.push(code.clone());
    }
    if problem == Some(&ErrorKind::CodeTooOften) && !person.clock_pushed {
        person.clock_pushed = true;
        return Next::Wait(61);
    }
    match newest {
        Some(code)
            if !person.refused_codes.contains(&code)
                && person.code_uses.get(&code).copied().unwrap_or(0) < 2 =>
        {
            *person.code_uses.entry(code.clone()).or_default() += 1;
            Next::Act(Event::Login {
                code: validate::sms_code(&code).unwrap(),
                password: scenario
                    .password
                    .map(|p| validate::service_password(p).unwrap()),
            })
        }
        _ => {
            if person.retries > MAX_RETRIES {
                return Next::Done(End::Stuck("no usable SMS code".to_owned()));
            }
            person.retries += 1;
            Next::Act(Event::RequestCode {
                msisdn,
                carrier: scenario.carrier,
            })
        }
    }
}

/// On the Pay step: the next way to pay after a refusal, or give up.
fn decide_pay(person: &mut Person, problem: Option<&ErrorKind>) -> Next {
    if matches!(
        problem,
        Some(ErrorKind::BalanceInsufficient | ErrorKind::PaymentDeclined)
    ) && !person.refusal_handled
    {
        person.refusal_handled = true;
        person.pay_index += 1;
    }
    person.pay_intents += 1;
    let Some((method, card)) = person.pay_methods.get(person.pay_index).copied() else {
        return Next::Act(Event::Abandon);
    };
    if person.pay_intents > 12 {
        return Next::Act(Event::Abandon);
    }
    person.refusal_handled = false;
    Next::Act(Event::ChoosePayment {
        method,
        card: card.map(|c| validate::card_number(c).unwrap()),
    })
}

async fn newest_code(rig: &Rig, msisdn: &str) -> Option<String> {
    let inbox = rig.get(&format!("/sandbox/inbox/{msisdn}")).await;
    inbox["messages"]
        .as_array()?
        .iter()
        .filter(|m| m["kind"] == "code")
        .max_by_key(|m| m["seq"].as_u64().unwrap_or(0))
        .and_then(|m| m["code"].as_str().map(str::to_owned))
}

async fn fired_faults(rig: &Rig) -> BTreeMap<String, u64> {
    let listed = rig.get("/sandbox/faults").await;
    let mut by_kind = BTreeMap::new();
    for rule in listed["rules"].as_array().into_iter().flatten() {
        let fired = rule["fired"].as_u64().unwrap_or(0);
        if fired > 0 {
            *by_kind
                .entry(rule["kind"].as_str().unwrap_or("?").to_owned())
                .or_insert(0) += fired;
        }
    }
    by_kind
}

/// The soak's tallies.
#[derive(Debug, Default)]
pub struct Tally {
    pub flows: u64,
    pub events: u64,
    pub faults: BTreeMap<String, u64>,
    pub ends: BTreeMap<String, u64>,
    pub orders_checked: u64,
    pub charges_checked: u64,
    pub double_orders: u64,
    pub double_charges: u64,
    pub wrong_amounts: u64,
    pub stuck: u64,
    pub panics: u64,
    pub violations: Vec<String>,
    pub notes: BTreeMap<String, u64>,
}

impl Tally {
    pub fn add(&mut self, report: &FlowReport) {
        self.flows += 1;
        self.events += report.events as u64;
        for (kind, n) in &report.faults {
            *self.faults.entry(kind.clone()).or_insert(0) += n;
        }
        let end = match &report.end {
            End::Terminated(o) => format!("terminated ({o:?})"),
            End::Blocked { remedy, retry } => {
                format!(
                    "blocked {remedy}{}",
                    if *retry { " (retry offered)" } else { "" }
                )
            }
            End::NothingToCancel => "nothing to cancel (guidance)".to_owned(),
            End::Stuck(_) => "STUCK".to_owned(),
        };
        *self.ends.entry(end).or_insert(0) += 1;
        self.orders_checked += report.orders as u64;
        self.charges_checked += report.charges as u64;
        self.double_orders += u64::from(report.orders > 1);
        self.double_charges += u64::from(report.charges > 1);
        self.wrong_amounts += report
            .violations
            .iter()
            .filter(|v| v.contains("differs"))
            .count() as u64;
        self.stuck += u64::from(matches!(report.end, End::Stuck(_)));
        for v in &report.violations {
            self.violations
                .push(format!("flow {} ({}): {v}", report.flow, report.scenario));
        }
        for n in &report.notes {
            let key: String = n.chars().take(110).collect();
            *self.notes.entry(key).or_insert(0) += 1;
        }
    }

    /// The printed summary.
    pub fn summary(&self, seed: u64) -> String {
        let mut out = format!(
            "fault soak: seed {seed:#x}, {} flows, {} events\n",
            self.flows, self.events
        );
        let total: u64 = self.faults.values().sum();
        out.push_str(&format!("faults injected: {total}\n"));
        for kind in FAULT_KINDS {
            out.push_str(&format!(
                "  {kind:<18} {}\n",
                self.faults.get(kind).copied().unwrap_or(0)
            ));
        }
        out.push_str("ends:\n");
        for (end, n) in &self.ends {
            out.push_str(&format!("  {end:<60} {n}\n"));
        }
        out.push_str(&format!(
            "orders checked: {}, charges checked: {}\n\
             double orders: {}, double charges: {}, wrong amounts: {}, stuck: {}, panics: {}\n",
            self.orders_checked,
            self.charges_checked,
            self.double_orders,
            self.double_charges,
            self.wrong_amounts,
            self.stuck,
            self.panics
        ));
        if !self.notes.is_empty() {
            out.push_str("notes:\n");
            for (note, n) in &self.notes {
                out.push_str(&format!("  {note}: {n}\n"));
            }
        }
        for v in self.violations.iter().take(30) {
            out.push_str(&format!("VIOLATION {v}\n"));
        }
        out
    }
}

/// Runs `flows` flows from `seed` on one rig, each in its own task so a
/// panic is caught and counted.
pub async fn soak(rig: Arc<Rig>, flows: u64, seed: u64) -> Tally {
    let mut tally = Tally::default();
    for flow in 0..flows {
        let task = tokio::spawn(run_flow(rig.clone(), flow, seed));
        match task.await {
            Ok(report) => tally.add(&report),
            Err(e) if e.is_panic() => {
                tally.flows += 1;
                tally.panics += 1;
                tally.violations.push(format!("flow {flow}: panicked"));
            }
            Err(e) => tally.violations.push(format!("flow {flow}: {e}")),
        }
    }
    tally
}
