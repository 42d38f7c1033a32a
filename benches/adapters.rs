//! One full cancellation per adapter against the in-process sandbox: code,
//! login, plans, quote, submit, pay, and status polls until completed.
//! Measures the adapters and the HTTP stack on loopback, not a carrier.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;
use unsubscribe_wizard::carrier::registry::{self, Registry};
use unsubscribe_wizard::carrier::{PayRequest, SubmitRequest};
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

async fn full_flow(registry: &Registry, admin: &reqwest::Client, sandbox: &str, a: &Account) {
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
    let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
    let quote = carrier.quote(&session, &plan.id).await.unwrap();
    let seed = KeySeed([1; 16]);
    let order = carrier
        .submit(
            &session,
            &SubmitRequest {
                idempotency_key: IdempotencyKey::derive(&seed, "submit", &quote.id, ""),
                quote_id: quote.id.clone(),
                application: Application {
                    holder_name: a.holder.to_owned(),
                    id_number: validate::id_number(a.id).unwrap(),
                    contact: msisdn.clone(),
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
            &session,
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
    for _ in 0..10 {
        let polled = carrier.order(&session, &order.id).await.unwrap();
        if polled.state == OrderState::Completed {
            black_box(polled);
            return;
        }
    }
    panic!("{} did not complete in 10 polls", a.carrier);
}

fn adapters(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
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
