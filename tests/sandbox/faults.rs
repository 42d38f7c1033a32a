//! Fault rules observed over real HTTP: each kind does what the spec says,
//! matching by route/verb/RPC method, the nth/times window, seeded
//! probability, and the sandbox endpoints themselves never fault.

use std::time::{Duration, Instant};

use crate::testkit::sandbox::{Env, start};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn mobile_order(env: &Env, token: &str, key: &str) -> Result<Value, reqwest::Error> {
    let (_, q) = env
        .mobile(
            Method::POST,
            "/cancel/quote",
            token,
            None,
            Some(json!({"offerId": "CM-LL-30G"})),
        )
        .await;
    let response = env
        .http
        .post(env.url("/cmcc/v2/cancel/orders"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&json!({
            "quoteId": q["data"]["quoteId"],
            "holderName": "李娜",
            "idNumber": "310104198506120457",
            "contactMsisdn": "13800138001",
            "reasonCode": "OTHER",
            "reasonText": "",
            "retentionAccepted": false
        }))
        .send()
        .await?;
    Ok(response.json().await.unwrap_or(Value::Null))
}

async fn unauthenticated_status(env: &Env) -> u16 {
    env.get("/cmcc/v2/subscriptions").await.0.as_u16()
}

#[tokio::test]
async fn http_500_and_busy_do_nothing() {
    let env = start().await;
    env.install_faults(json!({"route": "POST /cmcc/v2/auth/sms-code", "kind": "http_500"}))
        .await;
    let (status, _) = env
        .post("/cmcc/v2/auth/sms-code", json!({"msisdn": "13800138000"}))
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        env.get("/sandbox/inbox/13800138000").await.1["messages"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    env.install_faults(json!([
        {"route": "/cmcc/v2/auth/sms-code", "kind": "busy"},
        {"route": "sendSmsCode", "kind": "busy"},
        {"route": "auth.sendCode", "kind": "busy"}
    ]))
    .await;
    let (_, mobile) = env
        .post("/cmcc/v2/auth/sms-code", json!({"msisdn": "13800138000"}))
        .await;
    assert_eq!(mobile["retCode"], "999999");
    let (_, unicom) = env
        .unicom("/sendSmsCode", None, &[("mobile", "18600186000")])
        .await;
    assert_eq!(unicom["respCode"], "9999");
    let telecom = env
        .rpc("auth.sendCode", json!({"phone": "13300133000"}))
        .await;
    assert_eq!(telecom["error"]["code"], -32099);
    for number in ["13800138000", "18600186000", "13300133000"] {
        assert!(env.notices(number).await.is_empty());
        let (_, inbox) = env.get(&format!("/sandbox/inbox/{number}")).await;
        assert!(
            inbox["messages"].as_array().unwrap().is_empty(),
            "{number}: {inbox}"
        );
    }
    // Each rule fired once; the next calls go through.
    let (_, ok) = env
        .post("/cmcc/v2/auth/sms-code", json!({"msisdn": "13800138000"}))
        .await;
    assert_eq!(ok["retCode"], "000000");
}

#[tokio::test]
async fn http_429_sets_retry_after_and_does_not_count_as_a_poll() {
    let env = start().await;
    let token = env.mobile_login("13800138001").await;
    let order = mobile_order(&env, &token, "order-key-429").await.unwrap();
    let order_id = order["data"]["orderId"].as_str().unwrap().to_owned();
    env.install_faults(
        json!({"route": "GET /cancel/orders/{orderId}", "kind": "http_429", "retryAfter": 3}),
    )
    .await;
    let path = format!("/cmcc/v2/cancel/orders/{order_id}");
    let limited = env
        .http
        .get(env.url(&path))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers().get("retry-after").unwrap(), "3");
    let (_, first) = env
        .mobile(
            Method::GET,
            &format!("/cancel/orders/{order_id}"),
            &token,
            None,
            None,
        )
        .await;
    assert_eq!(first["data"]["state"], "PROCESSING");
    let (_, second) = env
        .mobile(
            Method::GET,
            &format!("/cancel/orders/{order_id}"),
            &token,
            None,
            None,
        )
        .await;
    assert_eq!(second["data"]["state"], "DONE");
}

#[tokio::test]
async fn reset_closes_without_answer_and_without_effect() {
    let env = start().await;
    let token = env.mobile_login("13800138001").await;
    env.install_faults(json!({"route": "POST /cmcc/v2/cancel/orders", "kind": "reset"}))
        .await;
    let outcome = mobile_order(&env, &token, "order-key-reset").await;
    assert!(outcome.is_err(), "no response expected: {outcome:?}");
    assert!(
        env.ledger("13800138001").await["orders"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The retry with the same key goes through and creates exactly one order.
    let retry = mobile_order(&env, &token, "order-key-reset").await.unwrap();
    assert_eq!(retry["retCode"], "000000", "{retry}");
    assert_eq!(
        env.ledger("13800138001").await["orders"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn commit_then_reset_applies_the_call_then_closes() {
    let env = start().await;
    let token = env.mobile_login("13800138001").await;
    env.install_faults(json!({"route": "/cancel/orders", "kind": "commit_then_reset"}))
        .await;
    let quote = env
        .mobile(
            Method::POST,
            "/cancel/quote",
            &token,
            None,
            Some(json!({"offerId": "CM-LL-30G"})),
        )
        .await
        .1;
    let body = json!({
        "quoteId": quote["data"]["quoteId"],
        "holderName": "李娜",
        "idNumber": "310104198506120457",
        "retentionAccepted": false
    });
    let send = || {
        env.http
            .post(env.url("/cmcc/v2/cancel/orders"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "order-key-commit")
            .json(&body)
            .send()
    };
    assert!(send().await.is_err(), "no response expected");
    let orders = env.ledger("13800138001").await["orders"].clone();
    assert_eq!(orders.as_array().unwrap().len(), 1, "the order was created");
    // Retrying with the same key returns that order, not a second one.
    let retry: Value = send().await.unwrap().json().await.unwrap();
    assert_eq!(retry["data"]["orderId"], orders[0]["orderId"]);
    assert_eq!(
        env.ledger("13800138001").await["orders"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn delay_ms_answers_late_but_normally() {
    let env = start().await;
    env.install_faults(
        json!({"route": "POST /cmcc/v2/auth/sms-code", "kind": "delay_ms", "delayMs": 300}),
    )
    .await;
    let started = Instant::now();
    let (status, body) = env
        .post("/cmcc/v2/auth/sms-code", json!({"msisdn": "13800138000"}))
        .await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        (status, body["retCode"].clone()),
        (StatusCode::OK, json!("000000"))
    );
}

#[tokio::test]
async fn malformed_body_is_200_with_unparseable_json() {
    let env = start().await;
    env.install_faults(json!({"route": "auth.sendCode", "kind": "malformed_body"}))
        .await;
    let response = env
        .http
        .post(env.url("/ctcc/rpc"))
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "auth.sendCode", "params": {"phone": "13300133000"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    assert!(!bytes.is_empty());
    assert!(
        serde_json::from_slice::<Value>(&bytes).is_err(),
        "{bytes:?}"
    );
}

#[tokio::test]
async fn rpc_narrows_and_nth_times_window() {
    let env = start().await;
    env.install_faults(json!({"route": "/ctcc/rpc", "rpc": "auth.login", "kind": "busy"}))
        .await;
    let sent = env
        .rpc("auth.sendCode", json!({"phone": "13300133000"}))
        .await;
    assert!(sent.get("result").is_some(), "{sent}");
    let login = env
        .rpc(
            "auth.login",
            json!({"phone": "13300133000", "code": "000000"}),
        )
        .await;
    assert_eq!(login["error"]["code"], -32099);

    env.install_faults(json!({"rules": [{"route": "GET /cmcc/v2/subscriptions", "kind": "http_500", "nth": 2, "times": 2}]})).await;
    let mut seen = Vec::new();
    for _ in 0..5 {
        seen.push(unauthenticated_status(&env).await);
    }
    assert_eq!(seen, [401, 500, 500, 401, 401]);

    let (_, listed) = env.get("/sandbox/faults").await;
    let rules = listed["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(
        (rules[1]["matched"].clone(), rules[1]["fired"].clone()),
        (json!(5), json!(2))
    );

    let (status, _) = env
        .http
        .delete(env.url("/sandbox/faults"))
        .send()
        .await
        .map(|r| (r.status(), ()))
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(
        env.get("/sandbox/faults").await.1["rules"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    env.install_faults(json!({"route": "*", "kind": "http_500", "nth": 2, "times": 0}))
        .await;
    let seen: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..4 {
            v.push(unauthenticated_status(&env).await);
        }
        v
    };
    assert_eq!(seen, [401, 500, 500, 500]);
    // The sandbox's own endpoints never fault, so the rules can be removed.
    assert_eq!(env.get("/sandbox/clock").await.0, StatusCode::OK);
    assert_eq!(
        env.post("/sandbox/reset", json!({})).await.0,
        StatusCode::OK
    );
    assert_eq!(
        unauthenticated_status(&env).await,
        401,
        "reset removes the rules"
    );
}

#[tokio::test]
async fn probability_draws_are_reproducible() {
    async fn pattern() -> Vec<u16> {
        let env = start().await;
        env.install_faults(
            json!({"route": "*", "kind": "http_500", "times": 0, "probability": 0.5, "seed": 42}),
        )
        .await;
        let mut v = Vec::new();
        for _ in 0..24 {
            v.push(unauthenticated_status(&env).await);
        }
        v
    }
    let first = pattern().await;
    assert_eq!(first, pattern().await);
    assert!(first.contains(&500) && first.contains(&401), "{first:?}");
}

#[tokio::test]
async fn bad_rules_are_rejected_with_a_reason() {
    let env = start().await;
    let (status, body) = env
        .post("/sandbox/faults", json!({"route": "*", "kind": "meltdown"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"].as_str().unwrap().contains("meltdown"),
        "{body}"
    );
    let (status, _) = env
        .post(
            "/sandbox/faults",
            json!({"route": "*", "kind": "busy", "nth": 0}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
