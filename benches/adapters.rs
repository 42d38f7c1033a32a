//! The adapters against the in-process sandbox, on a current-thread runtime
//! like the wizard's (client and sandbox share one thread, as in the app).
//!
//! - `full_flow/<carrier>`: one whole cancellation (reset, code, inbox read,
//!   login, plans, quote, submit, pay, status polls until completed).
//! - `step/<carrier>/<call>`: one carrier call at a time (plans, quote, order
//!   status) on a logged-in session: the adapter's encode + HTTP on loopback +
//!   the sandbox's handler + the adapter's decode.
//! - `floor/loopback_get`: a bare reqwest GET of `/sandbox/clock` (a handler
//!   that does almost nothing): the HTTP stack and loopback alone.
//!
//! `step − floor` bounds the client-side overhead of a call from above (it
//! still includes the sandbox's own handler work). Measures the adapters and
//! the HTTP stack on loopback, not a carrier.
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches run fixed data

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;
use unsubscribe_wizard::carrier::registry::{self, Registry};
use unsubscribe_wizard::carrier::{Carrier, PayRequest, Session, SubmitRequest};
use unsubscribe_wizard::config::Config;
use unsubscribe_wizard::core::model::{
    Application, CarrierId, IdempotencyKey, KeySeed, OrderState, PayMethod, PaymentState,
    ReasonCode,
};
use unsubscribe_wizard::core::validate;

/// A scenario account with something to pay, per carrier.
struct Account {
    carrier: CarrierId,
    number: &'static str,
    password: Option<&'static str>,
    holder: &'static str,
    id: &'static str,
    method: PayMethod,
}

const ACCOUNTS: [Account; 3] = [
    Account {
        carrier: CarrierId::ChinaMobile,
        number: "13800138000",
        password: None,
        holder: "张伟",
        id: "110101199003071233",
        method: PayMethod::Card,
    },
    Account {
        carrier: CarrierId::ChinaUnicom,
        number: "18600186000",
        password: Some("135790"),
        holder: "刘洋",
        id: "510107197808156721",
        method: PayMethod::Balance,
    },
    Account {
        carrier: CarrierId::ChinaTelecom,
        number: "13300133000",
        password: None,
        holder: "杨帆",
        id: "330106199501011172",
        method: PayMethod::Alipay,
    },
];

/// Where a prepared account stands: logged in, with a cancellable plan.
struct LoggedIn {
    carrier: std::sync::Arc<dyn Carrier>,
    session: Session,
    plan_id: String,
}

async fn log_in(
    registry: &Registry,
    admin: &reqwest::Client,
    sandbox: &str,
    a: &Account,
) -> LoggedIn {
    admin
        .post(format!("{sandbox}/sandbox/reset"))
        .send()
        .await
        .unwrap();
    let carrier = registry.get(a.carrier);
    let msisdn = validate::contact_phone(a.number).unwrap();
    carrier.request_code(&msisdn).await.unwrap();
    let inbox: Value = admin
        .get(format!("{sandbox}/sandbox/inbox/{}", a.number))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find_map(|m| m["code"].as_str())
        .unwrap();
    let code = validate::sms_code(code).unwrap();
    let password = a.password.map(|p| validate::service_password(p).unwrap());
    let session = carrier
        .login(&msisdn, &code, password.as_ref())
        .await
        .unwrap();
    let account = carrier.plans(&session).await.unwrap();
    let plan_id = account
        .plans
        .iter()
        .find(|p| p.is_cancellable())
        .unwrap()
        .id
        .clone();
    LoggedIn {
        carrier,
        session,
        plan_id,
    }
}

/// From logged in to a paid order; returns the order id.
async fn order_paid(admin: &reqwest::Client, sandbox: &str, a: &Account, at: &LoggedIn) -> String {
    let LoggedIn {
        carrier, session, ..
    } = at;
    let quote = carrier.quote(session, &at.plan_id).await.unwrap();
    let seed = KeySeed([1; 16]);
    let order = carrier
        .submit(
            session,
            &SubmitRequest {
                idempotency_key: IdempotencyKey::derive(&seed, "submit", &quote.id, ""),
                quote_id: quote.id.clone(),
                application: Application {
                    holder_name: a.holder.to_owned(),
                    id_number: validate::id_number(a.id).unwrap(),
                    contact: validate::contact_phone(a.number).unwrap(),
                    reason: ReasonCode::NoLongerNeeded,
                    reason_text: String::new(),
                },
                accept_retention: false,
            },
        )
        .await
        .unwrap();
    let card = (a.method == PayMethod::Card)
        .then(|| validate::card_number("6222021234567890128").unwrap());
    let payment = carrier
        .pay(
            session,
            &PayRequest {
                idempotency_key: IdempotencyKey::derive(&seed, "pay", &order.id, ""),
                order_id: order.id.clone(),
                method: a.method,
                card,
            },
        )
        .await
        .unwrap();
    if payment.state == PaymentState::Pending {
        admin
            .post(format!(
                "{sandbox}/sandbox/payments/{}/complete",
                payment.id
            ))
            .send()
            .await
            .unwrap();
    }
    order.id
}

async fn full_flow(registry: &Registry, admin: &reqwest::Client, sandbox: &str, a: &Account) {
    let at = log_in(registry, admin, sandbox, a).await;
    let order_id = order_paid(admin, sandbox, a, &at).await;
    for _ in 0..10 {
        let polled = at.carrier.order(&at.session, &order_id).await.unwrap();
        if polled.state == OrderState::Completed {
            black_box(polled);
            return;
        }
    }
    panic!("{} did not complete in 10 polls", a.carrier);
}

fn adapters(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = Config::builtin().unwrap();
    let registry = runtime.block_on(registry::connect(&config)).unwrap();
    let sandbox = registry.sandbox_url().unwrap();
    let admin = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    c.bench_function("floor/loopback_get", |b| {
        let url = format!("{sandbox}/sandbox/clock");
        b.iter(|| {
            runtime.block_on(async {
                let body = admin.get(&url).send().await.unwrap().bytes().await.unwrap();
                black_box(body);
            })
        });
    });

    let mut group = c.benchmark_group("step");
    for account in &ACCOUNTS {
        let name = account.carrier.config_key();
        let at = runtime.block_on(log_in(&registry, &admin, &sandbox, account));
        group.bench_function(format!("{name}/plans"), |b| {
            b.iter(|| {
                runtime.block_on(async { black_box(at.carrier.plans(&at.session).await.unwrap()) })
            });
        });
        group.bench_function(format!("{name}/quote"), |b| {
            b.iter(|| {
                runtime.block_on(async {
                    black_box(at.carrier.quote(&at.session, &at.plan_id).await.unwrap())
                })
            });
        });
        let order_id = runtime.block_on(order_paid(&admin, &sandbox, account, &at));
        group.bench_function(format!("{name}/order_status"), |b| {
            b.iter(|| {
                runtime.block_on(async {
                    black_box(at.carrier.order(&at.session, &order_id).await.unwrap())
                })
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("full_flow");
    for account in &ACCOUNTS {
        group.bench_function(account.carrier.config_key(), |b| {
            b.iter(|| runtime.block_on(full_flow(&registry, &admin, &sandbox, account)));
        });
    }
    group.finish();
    runtime.block_on(registry.shutdown());
}

criterion_group!(benches, adapters);
criterion_main!(benches);
