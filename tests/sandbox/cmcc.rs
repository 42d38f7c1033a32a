//! China Mobile dialect against a real sandbox over HTTP: the scenario
//! accounts' paths and the rules the spec sets (codes, locks, quotes,
//! identity, idempotency, payments).

use crate::testkit::sandbox::{Env, start};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const CARD_OK: &str = "6222021234567890128";
const CARD_DECLINED: &str = "6217000000000000004";

fn application(quote_id: &str) -> Value {
    json!({
        "quoteId": quote_id,
        "holderName": "张伟",
        "idNumber": "110101199003071233",
        "contactMsisdn": "13800138000",
        "reasonCode": "MOVING",
        "reasonText": "搬家",
        "retentionAccepted": false,
        "someFutureField": {"ignored": true}
    })
}

async fn quote(env: &Env, token: &str, offer: &str) -> Value {
    let (_, q) = env
        .mobile(
            Method::POST,
            "/cancel/quote",
            token,
            None,
            Some(json!({"offerId": offer})),
        )
        .await;
    assert_eq!(q["retCode"], "000000", "{q}");
    q["data"].clone()
}

async fn submit(env: &Env, token: &str, key: &str, body: Value) -> Value {
    env.mobile(Method::POST, "/cancel/orders", token, Some(key), Some(body))
        .await
        .1
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

async fn poll(env: &Env, token: &str, order: &str) -> Value {
    let (status, body) = env
        .mobile(
            Method::GET,
            &format!("/cancel/orders/{order}"),
            token,
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    body
}

#[tokio::test]
async fn card_payment_path_for_13800138000() {
    let env = start().await;
    let token = env.mobile_login("13800138000").await;

    let (_, subs) = env
        .mobile(Method::GET, "/subscriptions", &token, None, None)
        .await;
    assert_eq!(subs["data"]["balance"], 3000);
    let item = &subs["data"]["items"][0];
    assert_eq!(item["offerName"], "5G智享宽带 300M");
    assert_eq!(item["monthlyFee"], 9900);
    assert_eq!(item["contractEnd"], "2027-06-30");
    assert_eq!(item["cancellable"], true);

    let q = quote(&env, &token, "CM-KD-300M").await;
    assert_eq!(q["total"], 20790);
    assert_eq!(q["items"][0]["code"], "PENALTY");
    assert_eq!(q["effectiveDate"], "2026-11-25");
    assert!(q["expiresAt"].as_str().unwrap().ends_with("+08:00"));

    let order = submit(
        &env,
        &token,
        "submit-key-0001",
        application(q["quoteId"].as_str().unwrap()),
    )
    .await;
    assert_eq!(order["data"]["state"], "WAIT_PAY", "{order}");
    assert_eq!(order["data"]["amountDue"], 20790);
    let order_id = order["data"]["orderId"].as_str().unwrap().to_owned();

    // The balance (30.00) does not cover 207.90.
    let short = pay(
        &env,
        &token,
        &order_id,
        "pay-key-0001",
        json!({"method": "BALANCE"}),
    )
    .await;
    assert_eq!(short["retCode"], "300001");
    // The scenario's declined card, and a number failing Luhn.
    let declined = pay(
        &env,
        &token,
        &order_id,
        "pay-key-0002",
        json!({"method": "CARD", "cardNo": CARD_DECLINED}),
    )
    .await;
    assert_eq!(declined["retCode"], "300002");
    let not_luhn = pay(
        &env,
        &token,
        &order_id,
        "pay-key-0003",
        json!({"method": "CARD", "cardNo": "6222021234567890127"}),
    )
    .await;
    assert_eq!(not_luhn["retCode"], "300002");

    // Waiting for payment does not count as a processing poll.
    assert_eq!(
        poll(&env, &token, &order_id).await["data"]["state"],
        "WAIT_PAY"
    );

    let paid = pay(
        &env,
        &token,
        &order_id,
        "pay-key-0004",
        json!({"method": "CARD", "cardNo": CARD_OK}),
    )
    .await;
    assert_eq!(paid["data"]["state"], "PAID", "{paid}");

    let first = poll(&env, &token, &order_id).await;
    assert_eq!(first["data"]["state"], "PROCESSING");
    let second = poll(&env, &token, &order_id).await;
    assert_eq!(second["data"]["state"], "DONE");

    let ledger = env.ledger("13800138000").await;
    assert_eq!(
        ledger["balance"], 3000,
        "a card payment leaves the balance alone"
    );
    assert_eq!(ledger["charges"].as_array().unwrap().len(), 1);
    assert_eq!(ledger["charges"][0]["amount"], 20790);
    assert_eq!(
        ledger["payments"].as_array().unwrap().len(),
        4,
        "every attempt is listed"
    );

    let notices = env.notices("13800138000").await;
    assert!(
        notices
            .iter()
            .any(|n| n.contains("已退订成功") && n.contains("5G智享宽带 300M")),
        "{notices:?}"
    );
    let (_, msgs) = env
        .mobile(Method::GET, "/messages?since=0", &token, None, None)
        .await;
    assert_eq!(
        msgs["data"]["items"].as_array().unwrap().len(),
        notices.len()
    );
    assert!(msgs["data"]["items"][0]["seq"].is_u64());

    // Cancelled: gone from the subscriptions.
    let (_, subs) = env
        .mobile(Method::GET, "/subscriptions", &token, None, None)
        .await;
    assert!(subs["data"]["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn zero_total_skips_payment_for_13800138001() {
    let env = start().await;
    let token = env.mobile_login("13800138001").await;
    let q = quote(&env, &token, "CM-LL-30G").await;
    assert_eq!(q["total"], 0);
    assert!(q["items"].as_array().unwrap().is_empty());
    assert_eq!(q["effectiveDate"], "2026-12-01");
    let mut body = application(q["quoteId"].as_str().unwrap());
    body["holderName"] = json!("李娜");
    body["idNumber"] = json!("310104198506120457");
    let order = submit(&env, &token, "submit-key-zero", body).await;
    assert_eq!(order["data"]["state"], "PROCESSING", "{order}");
    assert_eq!(order["data"]["amountDue"], 0);
    let id = order["data"]["orderId"].as_str().unwrap();
    assert_eq!(poll(&env, &token, id).await["data"]["state"], "PROCESSING");
    assert_eq!(poll(&env, &token, id).await["data"]["state"], "DONE");
    assert!(
        env.ledger("13800138001").await["charges"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn frozen_account_gets_its_code_but_cannot_log_in() {
    let env = start().await;
    let (_, sent) = env
        .post("/cmcc/v2/auth/sms-code", json!({"msisdn": "13900139000"}))
        .await;
    assert_eq!(sent["retCode"], "000000");
    let code = env.code("13900139000").await;
    assert_eq!(code.len(), 6);
    let (_, login) = env
        .post(
            "/cmcc/v2/auth/login",
            json!({"msisdn": "13900139000", "smsCode": code}),
        )
        .await;
    assert_eq!(login["retCode"], "100002");
}

#[tokio::test]
async fn codes_are_rate_limited_and_expire() {
    let env = start().await;
    let ask = || env.post("/cmcc/v2/auth/sms-code", json!({"msisdn": "13800138000"}));
    assert_eq!(ask().await.1["retCode"], "000000");
    assert_eq!(ask().await.1["retCode"], "100003");
    env.advance(61).await;
    assert_eq!(ask().await.1["retCode"], "000000");
    let code = env.code("13800138000").await;
    env.advance(301).await;
    let (_, login) = env
        .post(
            "/cmcc/v2/auth/login",
            json!({"msisdn": "13800138000", "smsCode": code}),
        )
        .await;
    assert_eq!(
        login["retCode"], "100001",
        "an expired code is a wrong code"
    );
    let (_, unknown) = env
        .post("/cmcc/v2/auth/sms-code", json!({"msisdn": "13800009999"}))
        .await;
    assert_eq!(unknown["retCode"], "100004");
}

#[tokio::test]
async fn five_wrong_codes_lock_login_for_30_minutes() {
    let env = start().await;
    env.post("/cmcc/v2/auth/sms-code", json!({"msisdn": "13800138000"}))
        .await;
    let code = env.code("13800138000").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let try_code = |c: String| {
        env.post(
            "/cmcc/v2/auth/login",
            json!({"msisdn": "13800138000", "smsCode": c}),
        )
    };
    for attempt in 1..=4 {
        assert_eq!(
            try_code(wrong.into()).await.1["retCode"],
            "100001",
            "attempt {attempt}"
        );
    }
    assert_eq!(try_code(wrong.into()).await.1["retCode"], "100005");
    assert_eq!(
        try_code(code.clone()).await.1["retCode"],
        "100005",
        "even the right code"
    );
    env.advance(30 * 60).await;
    env.post("/cmcc/v2/auth/sms-code", json!({"msisdn": "13800138000"}))
        .await;
    let fresh = env.code("13800138000").await;
    assert_eq!(try_code(fresh).await.1["retCode"], "000000");
}

#[tokio::test]
async fn missing_or_expired_token_is_401() {
    let env = start().await;
    let (status, _) = env.get("/cmcc/v2/subscriptions").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let token = env.mobile_login("13800138000").await;
    env.advance(1801).await;
    let (status, _) = env
        .mobile(Method::GET, "/subscriptions", &token, None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_quote_and_identity_mismatch_are_refused() {
    let env = start().await;
    let token = env.mobile_login("13800138000").await;
    let q = quote(&env, &token, "CM-KD-300M").await;
    let qid = q["quoteId"].as_str().unwrap();

    let mut wrong_name = application(qid);
    wrong_name["holderName"] = json!("张三");
    assert_eq!(
        submit(&env, &token, "submit-key-name", wrong_name).await["retCode"],
        "200001"
    );
    let mut wrong_id = application(qid);
    wrong_id["idNumber"] = json!("110101199003071217");
    assert_eq!(
        submit(&env, &token, "submit-key-idno", wrong_id).await["retCode"],
        "200001"
    );

    env.advance(15 * 60 + 1).await;
    assert_eq!(
        submit(&env, &token, "submit-key-late", application(qid)).await["retCode"],
        "200002"
    );
}

#[tokio::test]
async fn idempotency_keys_replay_refuse_reuse_and_are_spent_only_on_success() {
    let env = start().await;
    let token = env.mobile_login("13800138000").await;
    let q = quote(&env, &token, "CM-KD-300M").await;
    let qid = q["quoteId"].as_str().unwrap();

    // A failed request does not spend its key.
    let mut wrong = application(qid);
    wrong["holderName"] = json!("张三");
    assert_eq!(
        submit(&env, &token, "key-A-00000001", wrong).await["retCode"],
        "200001"
    );
    let first = submit(&env, &token, "key-A-00000001", application(qid)).await;
    assert_eq!(first["retCode"], "000000", "{first}");

    // Same key, same body: the original answer, nothing new.
    let again = submit(&env, &token, "key-A-00000001", application(qid)).await;
    assert_eq!(again["data"], first["data"]);
    // Same key, different body: refused.
    let mut changed = application(qid);
    changed["reasonText"] = json!("太贵");
    assert_eq!(
        submit(&env, &token, "key-A-00000001", changed).await["retCode"],
        "200009"
    );
    // New key for a plan already being cancelled: not cancellable.
    assert_eq!(
        submit(&env, &token, "key-B-00000002", application(qid)).await["retCode"],
        "200003"
    );
    assert_eq!(
        env.ledger("13800138000").await["orders"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Missing or malformed key: HTTP 400 400001.
    let (status, body) = env
        .mobile(
            Method::POST,
            "/cancel/orders",
            &token,
            None,
            Some(application(qid)),
        )
        .await;
    assert_eq!(
        (status, body["retCode"].clone()),
        (StatusCode::BAD_REQUEST, json!("400001"))
    );
    let (status, _) = env
        .mobile(
            Method::POST,
            "/cancel/orders",
            &token,
            Some("bad key!"),
            Some(application(qid)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // One charge per payment, and paying again returns the original payment.
    let order_id = first["data"]["orderId"].as_str().unwrap();
    let card = json!({"method": "CARD", "cardNo": CARD_OK});
    let paid = pay(&env, &token, order_id, "pay-key-1111", card.clone()).await;
    let replay = pay(&env, &token, order_id, "pay-key-1111", card.clone()).await;
    let repaid = pay(&env, &token, order_id, "pay-key-2222", card).await;
    assert_eq!(replay["data"], paid["data"]);
    assert_eq!(repaid["data"]["paymentId"], paid["data"]["paymentId"]);
    let ledger = env.ledger("13800138000").await;
    assert_eq!(ledger["charges"].as_array().unwrap().len(), 1, "{ledger}");
}

#[tokio::test]
async fn a_second_qr_payment_closes_the_first_and_scanning_completes_it() {
    let env = start().await;
    let token = env.mobile_login("13800138000").await;
    let q = quote(&env, &token, "CM-KD-300M").await;
    let order = submit(
        &env,
        &token,
        "submit-key-qr01",
        application(q["quoteId"].as_str().unwrap()),
    )
    .await;
    let order_id = order["data"]["orderId"].as_str().unwrap();

    let alipay = pay(
        &env,
        &token,
        order_id,
        "pay-key-ali1",
        json!({"method": "ALIPAY"}),
    )
    .await;
    assert_eq!(alipay["data"]["state"], "PENDING");
    assert!(
        alipay["data"]["payUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let wechat = pay(
        &env,
        &token,
        order_id,
        "pay-key-wx01",
        json!({"method": "WECHAT"}),
    )
    .await;
    let wechat_id = wechat["data"]["paymentId"].as_str().unwrap();

    let first_id = alipay["data"]["paymentId"].as_str().unwrap();
    let (status, _) = env
        .post(&format!("/sandbox/payments/{first_id}/complete"), json!({}))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the closed payment cannot be scanned"
    );
    let (status, done) = env
        .post(
            &format!("/sandbox/payments/{wechat_id}/complete"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(done["state"], "paid");

    let ledger = env.ledger("13800138000").await;
    let states: Vec<&str> = ledger["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["closed", "paid"]);
    assert_eq!(ledger["charges"].as_array().unwrap().len(), 1);
    assert_eq!(
        poll(&env, &token, order_id).await["data"]["state"],
        "PROCESSING"
    );
}
