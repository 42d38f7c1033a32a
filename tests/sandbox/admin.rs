//! The sandbox-only endpoints: clock, reset, ledger and inbox edges, and a
//! graceful shutdown.

use crate::testkit::sandbox::start;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_clock_starts_pinned_and_only_moves_forward() {
    let env = start().await;
    let (_, clock) = env.get("/sandbox/clock").await;
    assert!(
        clock["now"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-25T10:00"),
        "{clock}"
    );
    let (_, moved) = env
        .post("/sandbox/clock", json!({"advanceSeconds": 86_400}))
        .await;
    assert!(
        moved["now"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-26T10:00"),
        "{moved}"
    );
    let (status, body) = env
        .post("/sandbox/clock", json!({"advanceSeconds": -5}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"].as_str().unwrap().contains("advanceSeconds"),
        "{body}"
    );
}

#[tokio::test]
async fn reset_restores_the_initial_world() {
    let env = start().await;
    let token = env.mobile_login("13800138001").await;
    let (_, q) = env
        .mobile(
            Method::POST,
            "/cancel/quote",
            &token,
            None,
            Some(json!({"offerId": "CM-LL-30G"})),
        )
        .await;
    let (_, order) = env
        .mobile(
            Method::POST,
            "/cancel/orders",
            &token,
            Some("reset-test-key"),
            Some(json!({"quoteId": q["data"]["quoteId"], "holderName": "李娜", "idNumber": "310104198506120457"})),
        )
        .await;
    assert_eq!(order["retCode"], "000000", "{order}");
    env.advance(3600).await;
    assert_eq!(
        env.ledger("13800138001").await["orders"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let (status, _) = env.post("/sandbox/reset", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        env.ledger("13800138001").await["orders"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        env.get("/sandbox/inbox/13800138001").await.1["messages"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (_, clock) = env.get("/sandbox/clock").await;
    assert!(
        clock["now"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-25T10:00"),
        "{clock}"
    );
    let (status, _) = env
        .mobile(Method::GET, "/subscriptions", &token, None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "sessions are gone too");
}

#[tokio::test]
async fn ledger_of_an_unknown_number_is_404_and_its_inbox_is_empty() {
    let env = start().await;
    let (status, body) = env.get("/sandbox/ledger/13800009999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().unwrap().contains("13800009999"));
    let (status, inbox) = env.get("/sandbox/inbox/13800009999").await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox["messages"].as_array().unwrap().is_empty());
    let (status, _) = env
        .post("/sandbox/payments/PAY-NOPE/complete", json!({}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let env = start().await;
    assert_eq!(env.get("/sandbox/clock").await.0, StatusCode::OK);
    let url = env.url("/sandbox/clock");
    env.sandbox.shutdown().await;
    let fresh = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap();
    assert!(fresh.get(&url).send().await.is_err());
}
