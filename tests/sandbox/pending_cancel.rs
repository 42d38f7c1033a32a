//! A cancellation that takes effect later (issue 13 item 26): the spec's
//! 13800138001 data pack is cancelled on 2026-11-25 with effect from
//! 2026-12-01, so until then `GET /subscriptions` lists it as
//! `PENDING_CANCEL` and not cancellable; from that day on it is gone. A
//! cancellation effective at once (broadband, effective today) removes the
//! plan at once. In all three dialects, with each one's status words.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use unsubscribe_wizard::sandbox::World;

use crate::testkit::sandbox::{Env, hex_key, start, start_with, uuid_key};

/// One account per carrier with a data pack (stops on the 1st of next
/// month) and a broadband line without a contract (stops at once), both
/// free to cancel.
const WORLD: &str = r#"
clock = "2026-11-25T10:00:00+08:00"

[[account]]
msisdn = "13800138001"
carrier = "china_mobile"
holder_name = "李娜"
id_number = "310104198506120457"
balance = "12.00"
polls_to_complete = 1

[[account.plan]]
id = "CM-LL-30G"
name = "流量加油包 30GB"
kind = "data_pack"
monthly_fee = "30.00"

[[account.plan]]
id = "CM-KD-100M"
name = "宽带 100M"
kind = "broadband"
monthly_fee = "50.00"

[[account]]
msisdn = "18600186001"
carrier = "china_unicom"
holder_name = "陈静"
id_number = "320102198802290580"
service_password = "246802"
balance = "45.00"
polls_to_complete = 1

[[account.plan]]
id = "CU-LL-5G"
name = "5GB流量月包"
kind = "data_pack"
monthly_fee = "10.00"

[[account.plan]]
id = "CU-KD-100M"
name = "沃家宽带 100M"
kind = "broadband"
monthly_fee = "50.00"

[[account]]
msisdn = "13300133001"
carrier = "china_telecom"
holder_name = "赵磊"
id_number = "420102198707040018"
balance = "5.00"
polls_to_complete = 1

[[account.plan]]
id = "CT-LL-10G"
name = "天翼流量包 10GB"
kind = "data_pack"
monthly_fee = "20.00"

[[account.plan]]
id = "CT-KD-100M"
name = "天翼宽带 100M"
kind = "broadband"
monthly_fee = "50.00"
"#;

/// Seconds from the pinned 2026-11-25 10:00 (Beijing) to 2026-12-01 00:00.
const TO_DECEMBER: u64 = (5 * 24 + 14) * 3600;

// --- China Mobile ---------------------------------------------------------

async fn mobile_plans(env: &Env, token: &str) -> Vec<Value> {
    let (_, subs) = env
        .mobile(Method::GET, "/subscriptions", token, None, None)
        .await;
    assert_eq!(subs["retCode"], "000000", "{subs}");
    subs["data"]["items"].as_array().unwrap().clone()
}

/// Quotes, submits and polls `offer` until done; returns the effective date.
async fn mobile_cancel(env: &Env, token: &str, offer: &str, key: u8) -> String {
    let (_, quote) = env
        .mobile(
            Method::POST,
            "/cancel/quote",
            token,
            None,
            Some(json!({ "offerId": offer })),
        )
        .await;
    let quote = &quote["data"];
    assert_eq!(quote["total"], 0, "{quote}");
    let (_, order) = env
        .mobile(
            Method::POST,
            "/cancel/orders",
            token,
            Some(&hex_key(key)),
            Some(json!({
                "quoteId": quote["quoteId"],
                "holderName": "李娜",
                "idNumber": "310104198506120457",
                "contactMsisdn": "13800138001",
                "reasonCode": "MOVING",
                "reasonText": "",
                "retentionAccepted": false
            })),
        )
        .await;
    let order_id = order["data"]["orderId"].as_str().unwrap().to_owned();
    let mut state = Value::Null;
    for _ in 0..5 {
        let (status, polled) = env
            .mobile(
                Method::GET,
                &format!("/cancel/orders/{order_id}"),
                token,
                None,
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        state = polled["data"]["state"].clone();
        if state == "DONE" {
            break;
        }
    }
    assert_eq!(state, "DONE");
    quote["effectiveDate"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn mobile_lists_a_cancelled_data_pack_as_pending_until_it_ends() {
    let env = start().await;
    let token = env.mobile_login("13800138001").await;
    let effective = mobile_cancel(&env, &token, "CM-LL-30G", 1).await;
    assert_eq!(effective, "2026-12-01");

    let plans = mobile_plans(&env, &token).await;
    assert_eq!(plans.len(), 1, "still listed until 2026-12-01: {plans:?}");
    let plan = &plans[0];
    assert_eq!(plan["offerId"], "CM-LL-30G");
    assert_eq!(plan["status"], "PENDING_CANCEL");
    assert_eq!(plan["cancellable"], false);
    assert_eq!(plan["blockReason"], Value::Null);

    // A second cancellation of it is refused as not cancellable.
    let (_, again) = env
        .mobile(
            Method::POST,
            "/cancel/quote",
            &token,
            None,
            Some(json!({ "offerId": "CM-LL-30G" })),
        )
        .await;
    assert_eq!(again["retCode"], "200003", "{again}");

    // Days later the session has expired: log in again each time.
    env.advance(TO_DECEMBER - 60).await;
    let token = env.mobile_login("13800138001").await;
    assert_eq!(mobile_plans(&env, &token).await.len(), 1, "30 Nov 23:59");
    env.advance(60).await;
    let token = env.mobile_login("13800138001").await;
    assert_eq!(mobile_plans(&env, &token).await, Vec::<Value>::new());
}

#[tokio::test]
async fn mobile_removes_a_plan_cancelled_with_effect_today_at_once() {
    let env = start_with(World::from_toml_str(WORLD).unwrap()).await;
    let token = env.mobile_login("13800138001").await;
    let effective = mobile_cancel(&env, &token, "CM-KD-100M", 2).await;
    assert_eq!(effective, "2026-11-25");
    let plans = mobile_plans(&env, &token).await;
    let ids: Vec<&Value> = plans.iter().map(|p| &p["offerId"]).collect();
    assert_eq!(ids, ["CM-LL-30G"], "the broadband line is gone");
    assert_eq!(plans[0]["status"], "ACTIVE");
}

// --- China Unicom ---------------------------------------------------------

async fn unicom_plans(env: &Env, cookie: &str) -> Vec<Value> {
    let (_, products) = env.unicom("/queryProducts", Some(cookie), &[]).await;
    assert_eq!(products["respCode"], "0000", "{products}");
    products["result"]["products"].as_array().unwrap().clone()
}

async fn unicom_cancel(env: &Env, cookie: &str, product: &str, key: u8) -> String {
    let (_, trial) = env
        .unicom("/cancelTrial", Some(cookie), &[("productCode", product)])
        .await;
    let trial = &trial["result"];
    assert_eq!(trial["totalFee"], "0.00", "{trial}");
    let (_, order) = env
        .unicom(
            "/cancelSubmit",
            Some(cookie),
            &[
                ("trialId", trial["trialId"].as_str().unwrap()),
                ("custName", "陈静"),
                ("certNo", "320102198802290580"),
                ("contactPhone", "18600186001"),
                ("reason", "MOVING"),
                ("reasonDesc", ""),
                ("declineRetain", "Y"),
                ("reqSeq", &hex_key(key)),
            ],
        )
        .await;
    let order_no = order["result"]["orderNo"].as_str().unwrap().to_owned();
    let mut state = Value::Null;
    for _ in 0..5 {
        let (_, polled) = env
            .unicom("/queryOrder", Some(cookie), &[("orderNo", &order_no)])
            .await;
        state = polled["result"]["orderState"].clone();
        if state == "30" {
            break;
        }
    }
    assert_eq!(state, "30", "done");
    trial["effectDate"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn unicom_lists_a_cancelled_data_pack_as_cancelling_until_it_ends() {
    let env = start_with(World::from_toml_str(WORLD).unwrap()).await;
    let cookie = env.unicom_login("18600186001", "246802").await;
    assert_eq!(
        unicom_cancel(&env, &cookie, "CU-KD-100M", 1).await,
        "20261125"
    );
    assert_eq!(
        unicom_cancel(&env, &cookie, "CU-LL-5G", 2).await,
        "20261201"
    );

    let plans = unicom_plans(&env, &cookie).await;
    assert_eq!(plans.len(), 1, "broadband gone, pack pending: {plans:?}");
    assert_eq!(plans[0]["productCode"], "CU-LL-5G");
    assert_eq!(plans[0]["state"], "3", "cancelling");
    assert_eq!(plans[0]["canCancel"], "N");

    env.advance(TO_DECEMBER).await;
    let cookie = env.unicom_login("18600186001", "246802").await;
    assert_eq!(unicom_plans(&env, &cookie).await, Vec::<Value>::new());
}

// --- China Telecom --------------------------------------------------------

async fn telecom_plans(env: &Env, token: &str) -> Vec<Value> {
    let list = env
        .rpc("product.list", json!({ "accessToken": token }))
        .await;
    list["result"]["products"].as_array().unwrap().clone()
}

async fn telecom_cancel(env: &Env, token: &str, product: &str, key: u8) -> String {
    let quote = env
        .rpc(
            "cancel.quote",
            json!({ "accessToken": token, "prodId": product }),
        )
        .await;
    let quote = &quote["result"];
    assert_eq!(quote["totalFen"], 0, "{quote}");
    let order = env
        .rpc(
            "cancel.submit",
            json!({
                "accessToken": token,
                "quoteId": quote["quoteId"],
                "requestId": uuid_key(key),
                "applicant": {"name": "赵磊", "idNumber": "420102198707040018", "contactPhone": "13300133001"},
                "reason": {"code": "MOVING", "text": ""},
                "acceptRetention": false
            }),
        )
        .await;
    let order_id = order["result"]["orderId"].as_str().unwrap().to_owned();
    let mut status = Value::Null;
    for _ in 0..5 {
        let polled = env
            .rpc(
                "cancel.status",
                json!({ "accessToken": token, "orderId": order_id }),
            )
            .await;
        status = polled["result"]["status"].clone();
        if status == "completed" {
            break;
        }
    }
    assert_eq!(status, "completed");
    quote["effectiveOn"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn telecom_lists_a_cancelled_data_pack_as_cancelling_until_it_ends() {
    let env = start_with(World::from_toml_str(WORLD).unwrap()).await;
    let token = env.telecom_login("13300133001").await;
    assert_eq!(
        telecom_cancel(&env, &token, "CT-KD-100M", 1).await,
        "2026-11-25"
    );
    assert_eq!(
        telecom_cancel(&env, &token, "CT-LL-10G", 2).await,
        "2026-12-01"
    );

    let plans = telecom_plans(&env, &token).await;
    assert_eq!(plans.len(), 1, "broadband gone, pack pending: {plans:?}");
    assert_eq!(plans[0]["prodId"], "CT-LL-10G");
    assert_eq!(plans[0]["status"], "cancelling");

    env.advance(TO_DECEMBER).await;
    let token = env.telecom_login("13300133001").await;
    assert_eq!(telecom_plans(&env, &token).await, Vec::<Value>::new());
}
