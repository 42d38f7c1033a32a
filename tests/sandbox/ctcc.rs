//! China Telecom dialect against a real sandbox: JSON-RPC 2.0, access
//! tokens in params, QR payments, the stalling account, requestId rules.

use crate::testkit::sandbox::{Env, start, uuid_key};
use serde_json::{Value, json};

fn applicant(name: &str, id: &str) -> Value {
    json!({"name": name, "idNumber": id, "contactPhone": "13300133000"})
}

async fn submit(env: &Env, token: &str, quote_id: &str, request_id: &str, who: Value) -> Value {
    env.rpc(
        "cancel.submit",
        json!({
            "accessToken": token,
            "quoteId": quote_id,
            "requestId": request_id,
            "applicant": who,
            "reason": {"code": "SWITCHING_CARRIER", "text": "转网"},
            "acceptRetention": false
        }),
    )
    .await
}

#[tokio::test]
async fn qr_payment_path_for_13300133000() {
    let env = start().await;
    let token = env.telecom_login("13300133000").await;
    let list = env.rpc("product.list", json!({"accessToken": token})).await;
    assert_eq!(list["result"]["balanceFen"], 0);
    let p = &list["result"]["products"][0];
    assert_eq!(
        (p["category"].clone(), p["monthlyFeeFen"].clone()),
        (json!("broadband"), json!(19900))
    );
    assert_eq!(p["contractEndsOn"], "2026-12-31");
    assert_eq!(p["cancelBlock"], Value::Null);

    let q = env
        .rpc(
            "cancel.quote",
            json!({"accessToken": token, "prodId": "CT-KD-1000M"}),
        )
        .await;
    let q = &q["result"];
    assert_eq!(q["totalFen"], 15970);
    let charges: Vec<(&str, i64)> = q["charges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["type"].as_str().unwrap(), c["fen"].as_i64().unwrap()))
        .collect();
    assert_eq!(charges, [("penalty", 5970), ("equipment", 10000)]);
    assert!(q["validUntil"].as_str().unwrap().ends_with("+08:00"));

    let order = submit(
        &env,
        &token,
        q["quoteId"].as_str().unwrap(),
        &uuid_key(1),
        applicant("杨帆", "330106199501011172"),
    )
    .await;
    assert_eq!(order["result"]["status"], "awaiting_payment", "{order}");
    let order_id = order["result"]["orderId"].as_str().unwrap().to_owned();

    let short = env.rpc("cancel.pay", json!({"accessToken": token, "orderId": order_id, "requestId": uuid_key(2), "method": "balance"})).await;
    assert_eq!(short["error"]["code"], -32020);
    let qr = env.rpc("cancel.pay", json!({"accessToken": token, "orderId": order_id, "requestId": uuid_key(3), "method": "alipay"})).await;
    assert_eq!(qr["result"]["status"], "pending", "{qr}");
    assert!(qr["result"]["qrContent"].is_string());

    // Still waiting for the scan: the poll does not count.
    let waiting = env
        .rpc(
            "cancel.status",
            json!({"accessToken": token, "orderId": order_id}),
        )
        .await;
    assert_eq!(waiting["result"]["status"], "awaiting_payment");
    // Scanned automatically 5 s after creation.
    env.advance(6).await;
    let statuses: Vec<Value> = {
        let mut v = Vec::new();
        for _ in 0..2 {
            let s = env
                .rpc(
                    "cancel.status",
                    json!({"accessToken": token, "orderId": order_id}),
                )
                .await;
            v.push(s["result"]["status"].clone());
        }
        v
    };
    assert_eq!(statuses, [json!("processing"), json!("completed")]);

    let ledger = env.ledger("13300133000").await;
    assert_eq!(ledger["charges"].as_array().unwrap().len(), 1);
    assert_eq!(ledger["charges"][0]["method"], "alipay");
    let notices = env
        .rpc("notice.list", json!({"accessToken": token, "afterId": 0}))
        .await;
    let notices = notices["result"]["notices"].as_array().unwrap().clone();
    assert!(notices.iter().all(|n| n["id"].is_u64()));
    assert!(
        notices.last().unwrap()["text"]
            .as_str()
            .unwrap()
            .contains("天翼宽带 1000M")
    );
}

async fn now(env: &Env) -> chrono::DateTime<chrono::FixedOffset> {
    let (_, clock) = env.get("/sandbox/clock").await;
    chrono::DateTime::parse_from_rfc3339(clock["now"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn stalling_account_never_completes_and_gets_no_notices() {
    let env = start().await;
    let token = env.telecom_login("13300133001").await;
    let q = env
        .rpc(
            "cancel.quote",
            json!({"accessToken": token, "prodId": "CT-LL-10G"}),
        )
        .await;
    assert_eq!(q["result"]["totalFen"], 0);
    assert_eq!(q["result"]["effectiveOn"], "2026-12-01");
    let before = now(&env).await;
    let order = submit(
        &env,
        &token,
        q["result"]["quoteId"].as_str().unwrap(),
        &uuid_key(1),
        applicant("赵磊", "420102198707040018"),
    )
    .await;
    let after = now(&env).await;
    assert_eq!(order["result"]["status"], "processing");
    let order_id = order["result"]["orderId"].as_str().unwrap();
    let mut last = Value::Null;
    for _ in 0..6 {
        last = env
            .rpc(
                "cancel.status",
                json!({"accessToken": token, "orderId": order_id}),
            )
            .await;
        assert_eq!(last["result"]["status"], "processing");
    }
    // expectedBy = processing start (between `before` and `after`) + 125 s.
    let expected =
        chrono::DateTime::parse_from_rfc3339(last["result"]["expectedBy"].as_str().unwrap())
            .unwrap();
    let stall = chrono::Duration::seconds(125);
    assert!(
        before + stall <= expected && expected <= after + stall,
        "{expected}"
    );
    assert!(env.notices("13300133001").await.is_empty());
}

#[tokio::test]
async fn tokens_request_ids_and_protocol_errors() {
    let env = start().await;
    let no_token = env.rpc("product.list", json!({})).await;
    assert_eq!(no_token["error"]["code"], -32006);
    let token = env.telecom_login("13300133000").await;
    let unknown = env
        .rpc("cancel.explode", json!({"accessToken": token}))
        .await;
    assert_eq!(unknown["error"]["code"], -32601);
    let bad_params = env.rpc("cancel.quote", json!({"accessToken": token})).await;
    assert_eq!(bad_params["error"]["code"], -32602);

    let q = env
        .rpc(
            "cancel.quote",
            json!({"accessToken": token, "prodId": "CT-KD-1000M"}),
        )
        .await;
    let qid = q["result"]["quoteId"].as_str().unwrap();
    let who = applicant("杨帆", "330106199501011172");
    assert_eq!(
        submit(&env, &token, qid, "not-a-uuid", who.clone()).await["error"]["code"],
        -32602
    );
    assert_eq!(
        submit(
            &env,
            &token,
            qid,
            &uuid_key(5),
            applicant("杨帆", "330106199501011180")
        )
        .await["error"]["code"],
        -32010
    );
    let first = submit(&env, &token, qid, &uuid_key(5), who.clone()).await;
    assert!(first.get("result").is_some(), "{first}");
    assert_eq!(
        submit(&env, &token, qid, &uuid_key(5), who.clone()).await["result"],
        first["result"]
    );
    let mut other = who.clone();
    other["contactPhone"] = json!("13300000000");
    assert_eq!(
        submit(&env, &token, qid, &uuid_key(5), other).await["error"]["code"],
        -32019
    );
    assert_eq!(
        submit(&env, &token, qid, &uuid_key(6), who).await["error"]["code"],
        -32012
    );

    // Not JSON at all: a parse error with a null id.
    let raw = env
        .http
        .post(env.url("/ctcc/rpc"))
        .body("{nope")
        .send()
        .await
        .unwrap();
    let raw: Value = raw.json().await.unwrap();
    assert_eq!(
        (raw["error"]["code"].clone(), raw["id"].clone()),
        (json!(-32700), Value::Null)
    );
}
