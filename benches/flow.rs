//! How long the pure core takes to decide: a full scripted cancellation
//! (login → plan → quote → form → submit → card payment → polls → notices →
//! terminated) through `core::flow::step`, replies included, and each of its
//! transitions on its own (`flow/step/NN_<event>`: one `step` call from the
//! state the script had reached; cloning the event is included).
//! `flow/runner/full_card_payment_flow` runs the same script through the
//! shell's `Runner` without a store, as the wizard steps: the core plus
//! sorting its effects into local ones and calls (no call is made; the
//! script answers them).
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches run fixed data

use std::hint::black_box;

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use unsubscribe_wizard::config::Config;
use unsubscribe_wizard::core::flow::{Event, Reply, State, step};
use unsubscribe_wizard::core::model::{
    Account, Application, FeeKind, Fen, KeySeed, LineItem, Notice, Order, OrderState, PayMethod,
    Payment, PaymentState, Plan, PlanKind, PlanStatus, Quote, ReasonCode,
};
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::shell::link::Link;
use unsubscribe_wizard::shell::runner::Runner;

/// One event of the script: a person's intent, or a reply to the call in flight.
enum Beat {
    Intent(Event),
    Answer(Reply),
}

fn script() -> Vec<Beat> {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    let bj = |d: chrono::DateTime<Utc>| d.fixed_offset();
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    let plan = Plan {
        id: "P-BB300".into(),
        name: "5G智享宽带 300M".into(),
        kind: PlanKind::Broadband,
        monthly_fee: Fen(9900),
        status: PlanStatus::Active,
        contract_end: chrono::NaiveDate::from_ymd_opt(2027, 6, 30),
        blocked: None,
    };
    let quote = Quote {
        id: "Q1".into(),
        items: vec![LineItem {
            kind: FeeKind::Penalty,
            label: "违约金".into(),
            amount: Fen(20790),
        }],
        total: Fen(20790),
        effective_date: now.date_naive(),
        expires_at: bj(now + Duration::minutes(15)),
        retention: None,
    };
    let order = |state| Order {
        id: "O1".into(),
        state,
        expected_by: Some(bj(now + Duration::seconds(120))),
        retry_after_secs: None,
        amount_due: Some(Fen(20790)),
    };
    use Beat::*;
    vec![
        Intent(Event::RequestCode {
            msisdn: msisdn.clone(),
            carrier,
        }),
        Answer(Reply::CodeSent),
        Intent(Event::Login {
            code: validate::sms_code("123456").unwrap(),
            password: None,
        }),
        Answer(Reply::LoggedIn),
        Answer(Reply::Plans(Account {
            balance: Fen(3000),
            plans: vec![plan],
        })),
        Intent(Event::ChoosePlan {
            plan_id: "P-BB300".into(),
        }),
        Answer(Reply::Quoted(quote)),
        Intent(Event::EnterApplication(Application {
            holder_name: "张伟".into(),
            id_number: validate::id_number("110101199003071233").unwrap(),
            contact: msisdn,
            reason: ReasonCode::NoLongerNeeded,
            reason_text: String::new(),
        })),
        Intent(Event::Confirm),
        Answer(Reply::Submitted(order(OrderState::AwaitingPayment))),
        Intent(Event::ChoosePayment {
            method: PayMethod::Card,
            card: Some(validate::card_number("6222021234567890128").unwrap()),
        }),
        Answer(Reply::Paid(Payment {
            id: "PAY1".into(),
            method: PayMethod::Card,
            state: PaymentState::Paid,
            pay_url: None,
            card_last4: Some("0128".into()),
        })),
        Answer(Reply::OrderStatus(order(OrderState::Processing))),
        Answer(Reply::Notices(vec![Notice {
            id: "1".into(),
            sent_at: bj(now),
            text: "已受理".into(),
        }])),
        Answer(Reply::OrderStatus(order(OrderState::Completed))),
    ]
}

/// The event a beat turns into in `state`, if the core waits for it.
fn event_of(beat: &Beat, state: &State) -> Option<Event> {
    match beat {
        Beat::Intent(e) => Some(e.clone()),
        Beat::Answer(r) => state.pending.map(|p| Event::Reply(p.req, r.clone())),
    }
}

/// A short name for a beat, for the benchmark id.
fn label(beat: &Beat) -> String {
    let debug = match beat {
        Beat::Intent(e) => format!("{e:?}"),
        Beat::Answer(r) => format!("Reply{r:?}"),
    };
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("event")
        .to_owned()
}

/// Plays the script, stepping with `advance` (the next state, or `None`
/// when the event is refused).
fn run(script: &[Beat], advance: impl Fn(&State, Event) -> Option<State>) -> State {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    let mut state = State::new(KeySeed([1; 16]), now);
    for beat in script {
        let event = match beat {
            Beat::Intent(e) => e.clone(),
            Beat::Answer(r) => match state.pending {
                Some(p) => Event::Reply(p.req, r.clone()),
                None => continue,
            },
        };
        if let Some(next) = advance(&state, event) {
            state = next;
        }
    }
    state
}

fn full_flow(c: &mut Criterion) {
    let script = script();
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    let core = |state: &State, event| step(state, event, now).ok().map(|t| t.state);
    assert!(
        run(&script, core).is_finished(),
        "the script must reach Terminated"
    );
    c.bench_function("flow/full_card_payment_flow", |b| {
        b.iter(|| black_box(run(black_box(&script), core)))
    });

    // The link is never used (the script answers every call), so it never
    // connects: no sandbox, no network.
    let link = Arc::new(Link::new(Config::builtin().unwrap()));
    let runner = Runner::new(link, None, "bench");
    let through_runner =
        |state: &State, event| runner.apply(state, event, now).ok().map(|a| a.state);
    assert!(
        run(&script, through_runner).is_finished(),
        "the script must reach Terminated through the runner"
    );
    c.bench_function("flow/runner/full_card_payment_flow", |b| {
        b.iter(|| black_box(run(black_box(&script), through_runner)))
    });

    let mut state = State::new(KeySeed([1; 16]), now);
    for (i, beat) in script.iter().enumerate() {
        let Some(event) = event_of(beat, &state) else {
            continue;
        };
        let name = format!("flow/step/{i:02}_{}", label(beat));
        let before = state.clone();
        c.bench_function(&name, |b| {
            b.iter(|| black_box(step(black_box(&before), event.clone(), now)))
        });
        if let Ok(t) = step(&state, event, now) {
            state = t.state;
        }
    }
}

criterion_group!(benches, full_flow);
criterion_main!(benches);
