//! China Unicom dialect against a real sandbox: form posts, the CUSESSION
//! cookie, yuan strings, Beijing `yyyyMMddHHmmss` times, reqSeq idempotency.

use crate::testkit::sandbox::{Env, hex_key, start};
use reqwest::StatusCode;
use serde_json::Value;

const NUMBER: &str = "18600186000";
const PASSWORD: &str = "135790";

async fn trial(env: &Env, cookie: &str) -> Value {
    let (_, t) = env
        .unicom(
            "/cancelTrial",
            Some(cookie),
            &[("productCode", "CU-KD-500M")],
        )
        .await;
    assert_eq!(t["respCode"], "0000", "{t}");
    t["result"].clone()
}

async fn submit(env: &Env, cookie: &str, trial_id: &str, decline: &str, seq: &str) -> Value {
    env.unicom(
        "/cancelSubmit",
        Some(cookie),
        &[
            ("trialId", trial_id),
            ("custName", "刘洋"),
            ("certNo", "510107197808156721"),
            ("contactPhone", NUMBER),
            ("reason", "TOO_EXPENSIVE"),
            ("reasonDesc", "资费太高"),
            ("declineRetain", decline),
            ("reqSeq", seq),
            ("channel", "unknown-fields-are-ignored"),
        ],
    )
    .await
    .1
}

#[tokio::test]
async fn balance_payment_path_for_18600186000() {
    let env = start().await;
    let cookie = env.unicom_login(NUMBER, PASSWORD).await;

    let (_, products) = env.unicom("/queryProducts", Some(&cookie), &[]).await;
    assert_eq!(products["result"]["balance"], "300.00");
    let p = &products["result"]["products"][0];
    assert_eq!(p["fee"], "129.00");
    assert_eq!(p["productType"], "KD");
    assert_eq!(p["state"], "1");
    assert_eq!(p["endDate"], "20270228");
    assert_eq!(p["canCancel"], "Y");

    let t = trial(&env, &cookie).await;
    assert_eq!(t["totalFee"], "94.60");
    let fees: Vec<(&str, &str)> = t["fees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["feeType"].as_str().unwrap(), f["fee"].as_str().unwrap()))
        .collect();
    assert_eq!(fees, [("WYJ", "116.10"), ("TF", "-21.50")]);
    assert_eq!(t["effectDate"], "20261125");
    let valid_until = t["validUntil"].as_str().unwrap();
    assert_eq!(valid_until.len(), 14);
    assert!(valid_until.starts_with("2026112510"), "{valid_until}");
    assert_eq!(t["retain"]["newFee"], "64.50");

    let order = submit(
        &env,
        &cookie,
        t["trialId"].as_str().unwrap(),
        "Y",
        &hex_key(1),
    )
    .await;
    assert_eq!(order["result"]["orderState"], "10", "{order}");
    let order_no = order["result"]["orderNo"].as_str().unwrap().to_owned();

    let (_, paid) = env
        .unicom(
            "/cancelPay",
            Some(&cookie),
            &[
                ("orderNo", &order_no),
                ("payType", "01"),
                ("reqSeq", &hex_key(2)),
            ],
        )
        .await;
    assert_eq!(paid["result"]["payState"], "S", "{paid}");

    // Completes on the 3rd processing poll; each suggests Retry-After 2.
    for expected in ["20", "20", "30"] {
        let (_, headers, status) = env
            .unicom_full("/queryOrder", Some(&cookie), &[("orderNo", &order_no)])
            .await;
        assert_eq!(status["result"]["orderState"], expected, "{status}");
        assert_eq!(status["result"]["expectTime"].as_str().unwrap().len(), 14);
        if expected == "20" {
            assert_eq!(headers.get("retry-after").unwrap(), "2");
        }
    }
    let ledger = env.ledger(NUMBER).await;
    assert_eq!(ledger["balance"], 30000 - 9460);

    let (_, msgs) = env
        .unicom("/queryMsgs", Some(&cookie), &[("lastId", "0")])
        .await;
    let msgs = msgs["result"]["msgs"].as_array().unwrap().clone();
    assert!(msgs.len() >= 3, "{msgs:?}");
    assert!(msgs.iter().all(|m| {
        m["msgId"]
            .as_str()
            .unwrap()
            .bytes()
            .all(|b| b.is_ascii_digit())
    }));
    assert_eq!(msgs[0]["sendTime"].as_str().unwrap().len(), 14);
    let last = msgs.last().unwrap()["msgId"].as_str().unwrap().to_owned();
    let (_, none) = env
        .unicom("/queryMsgs", Some(&cookie), &[("lastId", &last)])
        .await;
    assert!(none["result"]["msgs"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn accepting_retention_changes_the_fee_instead_of_cancelling() {
    let env = start().await;
    let cookie = env.unicom_login(NUMBER, PASSWORD).await;
    let t = trial(&env, &cookie).await;
    let order = submit(
        &env,
        &cookie,
        t["trialId"].as_str().unwrap(),
        "N",
        &hex_key(3),
    )
    .await;
    assert_eq!(
        order["result"]["orderState"], "20",
        "nothing to pay: {order}"
    );
    let order_no = order["result"]["orderNo"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        env.unicom("/queryOrder", Some(&cookie), &[("orderNo", &order_no)])
            .await;
    }
    let (_, products) = env.unicom("/queryProducts", Some(&cookie), &[]).await;
    let p = &products["result"]["products"][0];
    assert_eq!(p["fee"], "64.50");
    assert_eq!(p["state"], "1");
    assert_eq!(env.ledger(NUMBER).await["balance"], 30000);
}

#[tokio::test]
async fn nothing_cancellable_for_18600186001() {
    let env = start().await;
    let cookie = env.unicom_login("18600186001", "246802").await;
    let (_, products) = env.unicom("/queryProducts", Some(&cookie), &[]).await;
    let reasons: Vec<(&str, &str, &str)> = products["result"]["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["canCancel"].as_str().unwrap(),
                p["reasonCode"].as_str().unwrap(),
                p["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(reasons, [("N", "RH_MEMBER", "1"), ("N", "EXPIRED", "2")]);
    let (_, t) = env
        .unicom(
            "/cancelTrial",
            Some(&cookie),
            &[("productCode", "CU-LL-5G")],
        )
        .await;
    assert_eq!(t["respCode"], "3003");
}

#[tokio::test]
async fn session_password_and_reqseq_rules() {
    let env = start().await;
    let (_, no_session) = env.unicom("/queryProducts", None, &[]).await;
    assert_eq!(no_session["respCode"], "1001");

    env.unicom("/sendSmsCode", None, &[("mobile", NUMBER)])
        .await;
    let code = env.code(NUMBER).await;
    let (_, wrong_pwd) = env
        .unicom(
            "/login",
            None,
            &[
                ("mobile", NUMBER),
                ("servicePwd", "000000"),
                ("smsCode", &code),
            ],
        )
        .await;
    assert_eq!(wrong_pwd["respCode"], "2001");
    env.advance(61).await;

    let cookie = env.unicom_login(NUMBER, PASSWORD).await;
    let t = trial(&env, &cookie).await;
    let trial_id = t["trialId"].as_str().unwrap();

    let (status, bad) = env
        .unicom(
            "/cancelSubmit",
            Some(&cookie),
            &[
                ("trialId", trial_id),
                ("custName", "刘洋"),
                ("certNo", "510107197808156721"),
                ("reqSeq", "not-hex"),
            ],
        )
        .await;
    assert_eq!(
        (status, bad["respCode"].as_str().unwrap()),
        (StatusCode::BAD_REQUEST, "9001")
    );

    let mismatch = env
        .unicom(
            "/cancelSubmit",
            Some(&cookie),
            &[
                ("trialId", trial_id),
                ("custName", "刘阳"),
                ("certNo", "510107197808156721"),
                ("reqSeq", &hex_key(9)),
            ],
        )
        .await
        .1;
    assert_eq!(mismatch["respCode"], "3001");

    let first = submit(&env, &cookie, trial_id, "Y", &hex_key(9)).await;
    assert_eq!(
        first["respCode"], "0000",
        "a failed request does not spend reqSeq"
    );
    let again = submit(&env, &cookie, trial_id, "Y", &hex_key(9)).await;
    assert_eq!(again["result"], first["result"]);
    let reused = submit(&env, &cookie, trial_id, "N", &hex_key(9)).await;
    assert_eq!(reused["respCode"], "3009");
    let second = submit(&env, &cookie, trial_id, "Y", &hex_key(10)).await;
    assert_eq!(second["respCode"], "3003");

    env.advance(15 * 60 + 1).await;
    // Still logged in (30 min session), but the trial has expired.
    let expired = submit(&env, &cookie, trial_id, "Y", &hex_key(11)).await;
    assert_eq!(expired["respCode"], "3002");
}
