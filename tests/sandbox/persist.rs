//! The persistent sandbox over HTTP: an order made before a restart is still
//! there after it (with its payment, charge, keys and clock), an unusable
//! state file is set aside rather than lost, and no SMS code ever reaches
//! the file. Plus the registry: an embedded carrier with a data directory
//! keeps its world there.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::testkit::sandbox::Env;
use chrono::{DateTime, FixedOffset};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use unsubscribe_wizard::carrier::registry::{connect, sandbox_state_file};
use unsubscribe_wizard::config::Config;
use unsubscribe_wizard::sandbox::{Sandbox, World};

const NUMBER: &str = "13800138000";
const CARD: &str = "6222021234567890128";
const ID_NUMBER: &str = "110101199003071233";
const SUBMIT_KEY: &str = "persist-submit-0001";
const PAY_KEY: &str = "persist-pay-0001";

async fn start_at(world: World, file: &Path) -> Env {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = Sandbox::start_persistent("127.0.0.1:0".parse().unwrap(), world, file.to_owned())
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

fn state_file(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("sandbox").join("world-state.json")
}

/// Every file in the state file's folder, by name.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

async fn clock(env: &Env) -> DateTime<FixedOffset> {
    let (_, body) = env.get("/sandbox/clock").await;
    DateTime::parse_from_rfc3339(body["now"].as_str().unwrap()).unwrap()
}

/// Every code the number's inbox shows.
async fn codes(env: &Env, msisdn: &str) -> Vec<String> {
    let (_, inbox) = env.get(&format!("/sandbox/inbox/{msisdn}")).await;
    inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["code"].as_str().map(str::to_owned))
        .collect()
}

fn application(quote_id: &str) -> Value {
    json!({
        "quoteId": quote_id,
        "holderName": "张伟",
        "idNumber": ID_NUMBER,
        "contactMsisdn": NUMBER,
        "reasonCode": "MOVING",
        "reasonText": "搬家",
        "retentionAccepted": false
    })
}

async fn quote_and_submit(env: &Env, token: &str) -> String {
    let (_, quote) = env
        .mobile(
            Method::POST,
            "/cancel/quote",
            token,
            None,
            Some(json!({"offerId": "CM-KD-300M"})),
        )
        .await;
    assert_eq!(quote["retCode"], "000000", "{quote}");
    let quote_id = quote["data"]["quoteId"].as_str().unwrap();
    let (_, order) = env
        .mobile(
            Method::POST,
            "/cancel/orders",
            token,
            Some(SUBMIT_KEY),
            Some(application(quote_id)),
        )
        .await;
    assert_eq!(order["retCode"], "000000", "{order}");
    order["data"]["orderId"].as_str().unwrap().to_owned()
}

async fn pay(env: &Env, token: &str, order: &str, key: &str, body: Value) -> Value {
    env.mobile(
        Method::POST,
        &format!("/cancel/orders/{order}/payments"),
        token,
        Some(key),
        Some(body),
    )
    .await
    .1
}

async fn poll(env: &Env, token: &str, order: &str) -> (StatusCode, Value) {
    env.mobile(
        Method::GET,
        &format!("/cancel/orders/{order}"),
        token,
        None,
        None,
    )
    .await
}

#[tokio::test]
async fn an_order_paid_before_a_restart_is_there_after_it_and_completes() {
    let dir = tempfile::tempdir().unwrap();
    let file = state_file(&dir);
    let env = start_at(World::builtin(), &file).await;
    let pinned_start = clock(&env).await;

    let token = env.mobile_login(NUMBER).await;
    let order = quote_and_submit(&env, &token).await;
    let card = json!({"method": "CARD", "cardNo": CARD});
    let paid = pay(&env, &token, &order, PAY_KEY, card.clone()).await;
    assert_eq!(paid["data"]["state"], "PAID", "{paid}");
    // A second code, sent and never used, must not reach the file either.
    env.advance(90).await;
    let (_, sent) = env
        .post("/cmcc/v2/auth/sms-code", json!({"msisdn": NUMBER}))
        .await;
    assert_eq!(sent["retCode"], "000000", "{sent}");
    env.advance(600).await;
    let ledger_before = env.ledger(NUMBER).await;
    let clock_before = clock(&env).await;
    let sent_codes = codes(&env, NUMBER).await;
    assert_eq!(sent_codes.len(), 2);
    env.sandbox.shutdown().await;

    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains(&order));
    for secret in sent_codes
        .iter()
        .map(String::as_str)
        .chain([CARD, ID_NUMBER])
    {
        assert!(!saved.contains(secret), "{secret} is in the saved state");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let env = start_at(World::builtin(), &file).await;
    assert_eq!(env.ledger(NUMBER).await, ledger_before);
    let clock_after = clock(&env).await;
    assert!(
        clock_after >= clock_before && clock_after - pinned_start >= chrono::Duration::seconds(690),
        "the clock went back: {clock_before} then {clock_after}"
    );
    // Sessions do not survive a restart; codes do not either, and a new one
    // can be asked for at once.
    let (status, _) = poll(&env, &token, &order).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(codes(&env, NUMBER).await.is_empty());
    let token = env.mobile_login(NUMBER).await;

    // The same payment again, under the same key: the original answer, no
    // second charge.
    let again = pay(&env, &token, &order, PAY_KEY, card).await;
    assert_eq!(again["data"], paid["data"], "{again}");
    let (_, first) = poll(&env, &token, &order).await;
    assert_eq!(first["data"]["state"], "PROCESSING", "{first}");
    let (_, second) = poll(&env, &token, &order).await;
    assert_eq!(second["data"]["state"], "DONE", "{second}");

    let ledger = env.ledger(NUMBER).await;
    assert_eq!(ledger["charges"], ledger_before["charges"]);
    assert_eq!(ledger["charges"].as_array().unwrap().len(), 1);
    assert_eq!(ledger["orders"][0]["state"], "completed");
    // Notices from before the restart are still in the inbox, numbered on.
    let notices = env.notices(NUMBER).await;
    assert!(
        notices.iter().any(|n| n.contains("已成功支付")),
        "{notices:?}"
    );
    assert!(
        notices.iter().any(|n| n.contains("已退订成功")),
        "{notices:?}"
    );
    let (_, inbox) = env.get(&format!("/sandbox/inbox/{NUMBER}")).await;
    let seqs: Vec<u64> = inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["seq"].as_u64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_pending_qr_payment_is_scanned_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = state_file(&dir);
    let env = start_at(World::builtin(), &file).await;
    let token = env.mobile_login(NUMBER).await;
    let order = quote_and_submit(&env, &token).await;
    let pending = pay(&env, &token, &order, PAY_KEY, json!({"method": "ALIPAY"})).await;
    assert_eq!(pending["data"]["state"], "PENDING", "{pending}");
    env.sandbox.shutdown().await;

    let env = start_at(World::builtin(), &file).await;
    let ledger = env.ledger(NUMBER).await;
    // The simulated clock has not run on while the sandbox was down.
    assert_eq!(ledger["payments"][0]["state"], "pending", "{ledger}");
    env.advance(10).await;
    let ledger = env.ledger(NUMBER).await;
    assert_eq!(ledger["payments"][0]["state"], "paid", "{ledger}");
    assert_eq!(ledger["charges"].as_array().unwrap().len(), 1);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_damaged_state_file_is_set_aside_and_the_world_starts_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let file = state_file(&dir);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, b"{\"format\": 1, \"world\": trunc").unwrap();

    let env = start_at(World::builtin(), &file).await;
    let names = names_in(file.parent().unwrap());
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        names[0].starts_with("world-state.json.unreadable-"),
        "{names:?}"
    );
    let aside = file.parent().unwrap().join(&names[0]);
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        b"{\"format\": 1, \"world\": trunc"
    );
    let ledger = env.ledger(NUMBER).await;
    assert_eq!(ledger["balance"], 3000);
    assert!(ledger["orders"].as_array().unwrap().is_empty());

    // The fresh world is saved once it changes.
    env.advance(60).await;
    env.sandbox.shutdown().await;
    assert!(file.exists());
    assert_eq!(names_in(file.parent().unwrap()).len(), 2);
}

#[tokio::test]
async fn state_from_another_world_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let file = state_file(&dir);
    let env = start_at(World::builtin(), &file).await;
    let start = clock(&env).await;
    env.advance(3600).await;
    env.sandbox.shutdown().await;
    let saved = std::fs::read(&file).unwrap();

    let mut other = World::builtin();
    other.seed += 1;
    let env = start_at(other, &file).await;
    let now = clock(&env).await;
    assert!(
        now - start < chrono::Duration::minutes(30),
        "the other world's clock went on from the saved one: {now}"
    );
    let names = names_in(file.parent().unwrap());
    let aside: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("world-state.json.unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1, "{names:?}");
    assert_eq!(
        std::fs::read(file.parent().unwrap().join(aside[0])).unwrap(),
        saved
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn the_in_memory_sandbox_starts_fresh_each_time() {
    let env = crate::testkit::sandbox::start().await;
    let start = clock(&env).await;
    env.advance(3600).await;
    env.sandbox.shutdown().await;
    let env = crate::testkit::sandbox::start().await;
    assert!(clock(&env).await - start < chrono::Duration::minutes(30));
    env.sandbox.shutdown().await;
}

async fn registry_clock(base: &str, advance: u64) -> DateTime<FixedOffset> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let body: Value = http
        .post(format!("{base}/sandbox/clock"))
        .json(&json!({"advanceSeconds": advance}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    DateTime::parse_from_rfc3339(body["now"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn an_embedded_carrier_with_a_data_dir_keeps_its_world_there() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::builtin().unwrap();
    config.wizard.data_dir = Some(dir.path().to_owned());

    let registry = connect(&config).await.unwrap();
    let base = registry.sandbox_url().unwrap();
    let moved = registry_clock(&base, 7200).await;
    registry.shutdown().await;
    let file = sandbox_state_file(dir.path());
    assert_eq!(file, dir.path().join("sandbox/world-state.json"));
    assert!(file.exists());

    let registry = connect(&config).await.unwrap();
    let base = registry.sandbox_url().unwrap();
    let now = registry_clock(&base, 0).await;
    assert!(now >= moved, "the clock went back: {moved} then {now}");
    registry.shutdown().await;
}
