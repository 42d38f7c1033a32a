//! Shared helpers for the sandbox tests: a fresh sandbox per test on
//! 127.0.0.1 with a free port, a bounded HTTP client, and one login helper
//! per dialect that reads the SMS code from the simulated phone's inbox.
#![allow(dead_code)]

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use unsubscribe_wizard::sandbox::{Sandbox, World};

/// A running sandbox and a client for it.
pub struct Env {
    pub sandbox: Sandbox,
    pub base: String,
    pub http: reqwest::Client,
}

/// A fresh sandbox on the built-in world.
pub async fn start() -> Env {
    start_with(World::builtin()).await
}

/// A fresh sandbox on the given world.
pub async fn start_with(world: World) -> Env {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = Sandbox::start("127.0.0.1:0".parse().unwrap(), world)
        .await
        .unwrap();
    let base = sandbox.base_url();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    Env {
        sandbox,
        base,
        http,
    }
}

/// A 16-byte key as 32 hex characters, different for each `n`.
pub fn hex_key(n: u8) -> String {
    format!("{:032x}", 0x1234_5678_9abc_def0_u128 * 1000 + u128::from(n))
}

/// A UUID-shaped key, different for each `n`.
pub fn uuid_key(n: u8) -> String {
    let h = hex_key(n);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = self.http.get(self.url(path)).send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let response = self
            .http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The newest login code in the number's inbox.
    pub async fn code(&self, msisdn: &str) -> String {
        let (_, inbox) = self.get(&format!("/sandbox/inbox/{msisdn}")).await;
        inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|m| m["kind"] == "code")
            .and_then(|m| m["code"].as_str())
            .expect("a code in the inbox")
            .to_owned()
    }

    /// Notices (not codes) in the number's inbox.
    pub async fn notices(&self, msisdn: &str) -> Vec<String> {
        let (_, inbox) = self.get(&format!("/sandbox/inbox/{msisdn}")).await;
        inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == "notice")
            .map(|m| m["text"].as_str().unwrap().to_owned())
            .collect()
    }

    pub async fn ledger(&self, msisdn: &str) -> Value {
        self.get(&format!("/sandbox/ledger/{msisdn}")).await.1
    }

    pub async fn advance(&self, seconds: u64) {
        let (status, _) = self
            .post("/sandbox/clock", json!({ "advanceSeconds": seconds }))
            .await;
        assert_eq!(status, StatusCode::OK);
    }

    pub async fn install_faults(&self, rules: Value) {
        let (status, body) = self.post("/sandbox/faults", rules).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    // --- China Mobile -----------------------------------------------------

    pub async fn mobile_login(&self, msisdn: &str) -> String {
        let (_, sent) = self
            .post("/cmcc/v2/auth/sms-code", json!({ "msisdn": msisdn }))
            .await;
        assert_eq!(sent["retCode"], "000000", "{sent}");
        let code = self.code(msisdn).await;
        let (_, login) = self
            .post(
                "/cmcc/v2/auth/login",
                json!({ "msisdn": msisdn, "smsCode": code }),
            )
            .await;
        assert_eq!(login["retCode"], "000000", "{login}");
        login["data"]["token"].as_str().unwrap().to_owned()
    }

    pub async fn mobile(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .http
            .request(method, self.url(&format!("/cmcc/v2{path}")))
            .bearer_auth(token);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    // --- China Unicom -----------------------------------------------------

    /// Logs in and returns the `Cookie` header value to send.
    pub async fn unicom_login(&self, msisdn: &str, password: &str) -> String {
        let (_, sent) = self
            .unicom("/sendSmsCode", None, &[("mobile", msisdn)])
            .await;
        assert_eq!(sent["respCode"], "0000", "{sent}");
        let code = self.code(msisdn).await;
        let response = self
            .http
            .post(self.url("/cucc/mall/login"))
            .form(&[
                ("mobile", msisdn),
                ("servicePwd", password),
                ("smsCode", &code),
            ])
            .send()
            .await
            .unwrap();
        let cookie = response
            .headers()
            .get("set-cookie")
            .expect("CUSESSION cookie")
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["respCode"], "0000", "{body}");
        assert!(cookie.starts_with("CUSESSION="));
        cookie
    }

    pub async fn unicom(
        &self,
        path: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let (status, _, body) = self.unicom_full(path, cookie, form).await;
        (status, body)
    }

    pub async fn unicom_full(
        &self,
        path: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut request = self
            .http
            .post(self.url(&format!("/cucc/mall{path}")))
            .form(form);
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        (
            status,
            headers,
            response.json().await.unwrap_or(Value::Null),
        )
    }

    // --- China Telecom ----------------------------------------------------

    /// One JSON-RPC call; the whole response object.
    pub async fn rpc(&self, method: &str, params: Value) -> Value {
        let (status, body) = self
            .post(
                "/ctcc/rpc",
                json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["jsonrpc"], "2.0");
        assert_eq!(body["id"], 7);
        body
    }

    pub async fn telecom_login(&self, msisdn: &str) -> String {
        let sent = self.rpc("auth.sendCode", json!({ "phone": msisdn })).await;
        assert!(sent.get("error").is_none(), "{sent}");
        let code = self.code(msisdn).await;
        let login = self
            .rpc("auth.login", json!({ "phone": msisdn, "code": code }))
            .await;
        login["result"]["accessToken"].as_str().unwrap().to_owned()
    }
}
