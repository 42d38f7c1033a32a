//! Shared by the adapter tests: a sandbox (embedded, or a separate process)
//! and the adapters pointed at it, plus the sandbox-only endpoints of the
//! spec (inbox, ledger, faults, clock, payment completion).

#![allow(dead_code)] // each test binary uses its own subset

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};
use unsubscribe_wizard::carrier::registry::{self, Registry};
use unsubscribe_wizard::carrier::{Carrier, Session};
use unsubscribe_wizard::config::Config;
use unsubscribe_wizard::core::model::{
    Application, CarrierId, IdempotencyKey, KeySeed, Order, OrderState, ReasonCode,
};
use unsubscribe_wizard::core::secret::SmsCode;
use unsubscribe_wizard::core::validate;

/// Network settings for tests: a short request timeout (so a delay fault
/// times out quickly), fast backoff, and Retry-After waited up to 3 s.
pub const TEST_NETWORK: &str = r#"
[network]
connect_timeout_ms = 1000
request_timeout_ms = 1500
max_attempts = 4
backoff_base_ms = 10
backoff_cap_ms = 50
max_retry_after_secs = 3
"#;

/// The adapters and the sandbox they talk to.
pub struct Harness {
    pub registry: Registry,
    pub sandbox: String,
    admin: reqwest::Client,
}

impl Harness {
    /// Adapters against a fresh embedded sandbox.
    pub async fn embedded() -> Harness {
        Harness::with_config(TEST_NETWORK).await
    }

    /// Adapters against a fresh embedded sandbox, with `toml` merged over the
    /// defaults.
    pub async fn with_config(toml: &str) -> Harness {
        let config = Config::from_user_toml(toml, "test config").unwrap();
        let registry = registry::connect(&config).await.unwrap();
        let sandbox = registry.sandbox_url().expect("embedded sandbox runs");
        Harness::new(registry, sandbox)
    }

    /// Adapters against the sandbox at `url` (a separate process).
    pub async fn external(url: &str) -> Harness {
        let mut toml = TEST_NETWORK.to_owned();
        for carrier in CarrierId::ALL {
            toml.push_str(&format!(
                "\n[carriers.{}]\nbase_url = \"{url}\"\n",
                carrier.config_key()
            ));
        }
        let config = Config::from_user_toml(&toml, "test config").unwrap();
        let registry = registry::connect(&config).await.unwrap();
        assert_eq!(registry.sandbox_url(), None, "no embedded sandbox");
        Harness::new(registry, url.trim_end_matches('/').to_owned())
    }

    fn new(registry: Registry, sandbox: String) -> Harness {
        let admin = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        Harness {
            registry,
            sandbox,
            admin,
        }
    }

    pub fn carrier(&self, id: CarrierId) -> Arc<dyn Carrier> {
        self.registry.get(id)
    }

    async fn get(&self, path: &str) -> Value {
        let response = self
            .admin
            .get(format!("{}{path}", self.sandbox))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let response = self
            .admin
            .post(format!("{}{path}", self.sandbox))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "POST {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// The newest login code the simulated phone received.
    pub async fn latest_code(&self, msisdn: &str) -> SmsCode {
        let inbox = self.get(&format!("/sandbox/inbox/{msisdn}")).await;
        let code = inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|m| m["kind"] == "code")
            .and_then(|m| m["code"].as_str())
            .unwrap_or_else(|| panic!("no code in the inbox of {msisdn}: {inbox}"))
            .to_owned();
        validate::sms_code(&code).unwrap()
    }

    /// Every notice (not code) the simulated phone received.
    pub async fn notices_in_inbox(&self, msisdn: &str) -> Vec<Value> {
        let inbox = self.get(&format!("/sandbox/inbox/{msisdn}")).await;
        inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == "notice")
            .cloned()
            .collect()
    }

    pub async fn ledger(&self, msisdn: &str) -> Value {
        self.get(&format!("/sandbox/ledger/{msisdn}")).await
    }

    /// Replaces the sandbox's fault rules with `rule`.
    pub async fn fault(&self, rule: Value) {
        let response = self
            .admin
            .delete(format!("{}/sandbox/faults", self.sandbox))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "DELETE /sandbox/faults");
        self.post("/sandbox/faults", rule).await;
    }

    /// How many times the installed fault rules fired (proof that a test's
    /// fault really happened).
    pub async fn faults_fired(&self) -> u64 {
        let listed = self.get("/sandbox/faults").await;
        listed["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["fired"].as_u64().unwrap())
            .sum()
    }

    pub async fn advance_clock(&self, seconds: i64) {
        self.post("/sandbox/clock", json!({ "advanceSeconds": seconds }))
            .await;
    }

    pub async fn now(&self) -> DateTime<FixedOffset> {
        let clock = self.get("/sandbox/clock").await;
        DateTime::parse_from_rfc3339(clock["now"].as_str().unwrap()).unwrap()
    }

    pub async fn complete_payment(&self, payment_id: &str) {
        self.post(
            &format!("/sandbox/payments/{payment_id}/complete"),
            json!({}),
        )
        .await;
    }

    /// Requests a code, reads it from the inbox, logs in.
    pub async fn login(
        &self,
        carrier: CarrierId,
        number: &str,
        password: Option<&str>,
    ) -> (Arc<dyn Carrier>, Session) {
        let adapter = self.carrier(carrier);
        let msisdn = validate::contact_phone(number).unwrap();
        adapter.request_code(&msisdn).await.unwrap();
        let code = self.latest_code(number).await;
        let password = password.map(|p| validate::service_password(p).unwrap());
        let session = adapter
            .login(&msisdn, &code, password.as_ref())
            .await
            .unwrap();
        (adapter, session)
    }
}

/// A filled-in cancellation form.
pub fn application(holder: &str, id: &str, contact: &str) -> Application {
    Application {
        holder_name: holder.to_owned(),
        id_number: validate::id_number(id).unwrap(),
        contact: validate::contact_phone(contact).unwrap(),
        reason: ReasonCode::NoLongerNeeded,
        reason_text: String::new(),
    }
}

/// A key as the core derives it: one per purpose and subject.
pub fn key(purpose: &str, subject: &str) -> IdempotencyKey {
    IdempotencyKey::derive(&KeySeed([7; 16]), purpose, subject, "")
}

/// Polls until the order leaves processing (or `max` polls), returning the
/// last answer and how many polls it took.
pub async fn poll(
    carrier: &dyn Carrier,
    session: &Session,
    order_id: &str,
    max: u32,
) -> (Order, u32) {
    let mut polls = 0;
    loop {
        polls += 1;
        let order = carrier.order(session, order_id).await.unwrap();
        let settled = matches!(order.state, OrderState::Completed | OrderState::Rejected(_));
        if settled || polls >= max {
            return (order, polls);
        }
    }
}

/// The sum of a ledger list's amounts, in fen.
pub fn total_of(items: &Value) -> i64 {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["amount"].as_i64().unwrap())
        .sum()
}
