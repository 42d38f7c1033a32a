//! The adapters under the sandbox's faults: a request that took effect but
//! whose answer was lost is retried with the same key and body, and the
//! ledger shows exactly one order and one charge; busy answers, resets,
//! garbage and slowness each end in the right typed outcome.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::testkit::adapters::{Harness, TEST_NETWORK, application, key, total_of};
use serde_json::json;
use unsubscribe_wizard::carrier::{Carrier, PayRequest, Session, SubmitRequest};
use unsubscribe_wizard::core::error::ErrorKind;
use unsubscribe_wizard::core::model::{CarrierId, Order, OrderState, PayMethod, PaymentState};
use unsubscribe_wizard::core::validate;

/// One account per carrier with something to pay, and its dialect's routes
/// for submit, pay and order status.
struct Case {
    carrier: CarrierId,
    number: &'static str,
    password: Option<&'static str>,
    holder: &'static str,
    id: &'static str,
    submit_route: &'static str,
    pay_route: &'static str,
    status_route: &'static str,
    quote_call: &'static str,
    total_fen: i64,
}

const CASES: [Case; 3] = [
    Case {
        carrier: CarrierId::ChinaMobile,
        number: "13800138000",
        password: None,
        holder: "张伟",
        id: "110101199003071233",
        submit_route: "POST /cmcc/v2/cancel/orders",
        pay_route: "/cancel/orders/{orderId}/payments",
        status_route: "GET /cmcc/v2/cancel/orders/{orderId}",
        quote_call: "POST /cancel/quote",
        total_fen: 20790,
    },
    Case {
        carrier: CarrierId::ChinaUnicom,
        number: "18600186000",
        password: Some("135790"),
        holder: "刘洋",
        id: "510107197808156721",
        submit_route: "cancelSubmit",
        pay_route: "cancelPay",
        status_route: "queryOrder",
        quote_call: "POST /cancelTrial",
        total_fen: 9460,
    },
    Case {
        carrier: CarrierId::ChinaTelecom,
        number: "13300133000",
        password: None,
        holder: "杨帆",
        id: "330106199501011172",
        submit_route: "cancel.submit",
        pay_route: "cancel.pay",
        status_route: "cancel.status",
        quote_call: "cancel.quote",
        total_fen: 15970,
    },
];

/// Logs in and returns the first cancellable plan's quote id.
async fn quoted(h: &Harness, case: &Case) -> (Arc<dyn Carrier>, Session, String) {
    let (carrier, session) = h.login(case.carrier, case.number, case.password).await;
    let account = carrier.plans(&session).await.unwrap();
    let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
    let quote = carrier.quote(&session, &plan.id).await.unwrap();
    assert_eq!(quote.total.0, case.total_fen);
    (carrier, session, quote.id)
}

fn submit_request(case: &Case, quote_id: &str) -> SubmitRequest {
    SubmitRequest {
        idempotency_key: key("submit", quote_id),
        quote_id: quote_id.to_owned(),
        application: application(case.holder, case.id, case.number),
        accept_retention: false,
    }
}

fn pay_request(case: &Case, order: &Order) -> PayRequest {
    // Each account's way to pay: card for Mobile, balance for Unicom, a QR
    // code for Telecom (completed by the sandbox's "scan").
    let (method, card) = match case.carrier {
        CarrierId::ChinaMobile => (
            PayMethod::Card,
            Some(validate::card_number("6222021234567890128").unwrap()),
        ),
        CarrierId::ChinaUnicom => (PayMethod::Balance, None),
        CarrierId::ChinaTelecom => (PayMethod::Alipay, None),
    };
    PayRequest {
        idempotency_key: key("pay", &order.id),
        order_id: order.id.clone(),
        method,
        card,
    }
}

#[tokio::test]
async fn a_lost_answer_on_submit_and_pay_creates_one_order_and_one_charge() {
    for case in &CASES {
        let h = Harness::embedded().await;
        let (carrier, session, quote_id) = quoted(&h, case).await;

        h.fault(
            json!({"route": case.submit_route, "kind": "commit_then_reset", "nth": 1, "times": 1}),
        )
        .await;
        let order = carrier
            .submit(&session, &submit_request(case, &quote_id))
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", case.carrier));
        assert_eq!(order.state, OrderState::AwaitingPayment, "{}", case.carrier);
        assert_eq!(
            h.faults_fired().await,
            1,
            "{}: the reset happened",
            case.carrier
        );

        h.fault(
            json!({"route": case.pay_route, "kind": "commit_then_reset", "nth": 1, "times": 1}),
        )
        .await;
        let payment = carrier
            .pay(&session, &pay_request(case, &order))
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", case.carrier));
        assert_eq!(
            h.faults_fired().await,
            1,
            "{}: the reset happened",
            case.carrier
        );
        if payment.state == PaymentState::Pending {
            h.complete_payment(&payment.id).await;
        }

        let ledger = h.ledger(case.number).await;
        assert_eq!(
            ledger["orders"].as_array().unwrap().len(),
            1,
            "{}: {ledger}",
            case.carrier
        );
        assert_eq!(
            ledger["charges"].as_array().unwrap().len(),
            1,
            "{}: {ledger}",
            case.carrier
        );
        assert_eq!(
            total_of(&ledger["charges"]),
            case.total_fen,
            "{}",
            case.carrier
        );

        // Sending the same submit again (a restart resubmitting under the
        // derived key) returns the same order and creates nothing new.
        let again = carrier
            .submit(&session, &submit_request(case, &quote_id))
            .await
            .unwrap();
        assert_eq!(again.id, order.id, "{}", case.carrier);
        assert_eq!(
            h.ledger(case.number).await["orders"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn a_key_reused_for_a_different_request_is_a_conflict() {
    for case in &CASES {
        let h = Harness::embedded().await;
        let (carrier, session, quote_id) = quoted(&h, case).await;
        let first = submit_request(case, &quote_id);
        carrier.submit(&session, &first).await.unwrap();
        let mut different = first.clone();
        different.application.reason_text = "换了别的套餐".to_owned();
        let err = carrier.submit(&session, &different).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::IdempotencyConflict, "{}", case.carrier);
    }
}

#[tokio::test]
async fn http_429_with_retry_after_is_waited_out() {
    for case in &CASES {
        let h = Harness::embedded().await;
        let (carrier, session, quote_id) = quoted(&h, case).await;
        let order = carrier
            .submit(&session, &submit_request(case, &quote_id))
            .await
            .unwrap();
        h.fault(json!({"route": case.status_route, "kind": "http_429", "retryAfter": 1, "nth": 1, "times": 1}))
            .await;
        let started = Instant::now();
        let polled = carrier.order(&session, &order.id).await.unwrap();
        assert_eq!(polled.id, order.id);
        assert!(
            started.elapsed() >= Duration::from_millis(900),
            "{}: Retry-After 1 was not honoured",
            case.carrier
        );
        assert_eq!(h.faults_fired().await, 1);

        // A wait longer than the client's cap is handed to the flow instead,
        // bounded by `network.max_wait_secs` (30 by default).
        h.fault(json!({"route": case.status_route, "kind": "http_429", "retryAfter": 60, "nth": 1, "times": 1}))
            .await;
        let err = carrier.order(&session, &order.id).await.unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::CarrierBusy {
                retry_after_secs: Some(30)
            },
            "{}",
            case.carrier
        );
    }
}

#[tokio::test]
async fn busy_codes_are_retried_and_a_busy_carrier_ends_busy() {
    for case in &CASES {
        let h = Harness::embedded().await;
        let (carrier, session, _) = quoted(&h, case).await;
        h.fault(json!({"route": "*", "kind": "busy", "nth": 1, "times": 1}))
            .await;
        carrier.plans(&session).await.unwrap();
        assert_eq!(h.faults_fired().await, 1);

        h.fault(json!({"route": "*", "kind": "busy", "nth": 1, "times": 0}))
            .await;
        let err = carrier.plans(&session).await.unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::CarrierBusy { .. }),
            "{}: {err:?}",
            case.carrier
        );
    }
}

#[tokio::test]
async fn a_reset_is_retried_and_a_dead_line_ends_unreachable() {
    for case in &CASES {
        let h = Harness::embedded().await;
        let (carrier, session, _) = quoted(&h, case).await;
        h.fault(json!({"route": "*", "kind": "reset", "nth": 1, "times": 1}))
            .await;
        carrier.plans(&session).await.unwrap();
        assert_eq!(h.faults_fired().await, 1);

        h.fault(json!({"route": "*", "kind": "reset", "nth": 1, "times": 0}))
            .await;
        let err = carrier.plans(&session).await.unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::NetworkUnreachable { .. }),
            "{}: {err:?}",
            case.carrier
        );
        assert_eq!(h.faults_fired().await, 4, "every one of the 4 attempts");
    }
}

#[tokio::test]
async fn a_malformed_body_is_a_protocol_error_naming_the_call() {
    for case in &CASES {
        let h = Harness::embedded().await;
        let (carrier, session) = h.login(case.carrier, case.number, case.password).await;
        let account = carrier.plans(&session).await.unwrap();
        let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
        h.fault(json!({"route": "*", "kind": "malformed_body", "nth": 1, "times": 1}))
            .await;
        let err = carrier.quote(&session, &plan.id).await.unwrap_err();
        match err.kind {
            ErrorKind::Protocol { call, .. } => assert_eq!(call, case.quote_call),
            other => panic!("{}: {other:?}", case.carrier),
        }
        assert_eq!(h.faults_fired().await, 1, "a malformed body is not retried");
    }
}

#[tokio::test]
async fn a_slow_carrier_times_out_and_a_slow_moment_is_retried() {
    // Two attempts, so that "every time" gives up after two timeouts.
    let config = TEST_NETWORK.replace("max_attempts = 4", "max_attempts = 2");
    for case in &CASES {
        let h = Harness::with_config(&config).await;
        let (carrier, session, _) = quoted(&h, case).await;
        // Longer than the test's 1.5 s request timeout, once: the retry succeeds.
        h.fault(json!({"route": "*", "kind": "delay_ms", "delayMs": 2500, "nth": 1, "times": 1}))
            .await;
        carrier.plans(&session).await.unwrap();
        assert_eq!(h.faults_fired().await, 1);

        // Every time: the call ends timed out, naming itself.
        h.fault(json!({"route": "*", "kind": "delay_ms", "delayMs": 2500, "nth": 1, "times": 0}))
            .await;
        let err = carrier.plans(&session).await.unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::TimedOut { .. }),
            "{}: {err:?}",
            case.carrier
        );
    }
}

#[tokio::test]
async fn a_code_request_whose_answer_was_lost_counts_as_sent() {
    for (case, route) in CASES
        .iter()
        .zip(["/auth/sms-code", "sendSmsCode", "auth.sendCode"])
    {
        let h = Harness::embedded().await;
        h.fault(json!({"route": route, "kind": "commit_then_reset", "nth": 1, "times": 1}))
            .await;
        let carrier = h.carrier(case.carrier);
        let msisdn = validate::contact_phone(case.number).unwrap();
        // The code went out, the answer was lost, and the retry was told
        // "too often": the code is on its way, so this is a success.
        carrier
            .request_code(&msisdn)
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", case.carrier));
        assert_eq!(h.faults_fired().await, 1, "{}", case.carrier);
        h.latest_code(case.number).await;
    }
}

#[tokio::test]
async fn http_500_is_final_and_not_retried() {
    for case in &CASES {
        let h = Harness::embedded().await;
        let (carrier, session, _) = quoted(&h, case).await;
        h.fault(json!({"route": "*", "kind": "http_500", "nth": 1, "times": 1}))
            .await;
        let err = carrier.plans(&session).await.unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::Protocol { .. }),
            "{}: {err:?}",
            case.carrier
        );
        assert!(!err.is_retryable());
        assert_eq!(h.faults_fired().await, 1, "{}: sent once", case.carrier);
    }
}

#[tokio::test]
async fn a_login_whose_answer_was_lost_is_not_resent() {
    for (case, route) in CASES
        .iter()
        .zip(["/auth/login", "POST /cucc/mall/login", "auth.login"])
    {
        let h = Harness::embedded().await;
        let carrier = h.carrier(case.carrier);
        let msisdn = validate::contact_phone(case.number).unwrap();
        let password = case
            .password
            .map(|p| validate::service_password(p).unwrap());
        carrier.request_code(&msisdn).await.unwrap();
        let code = h.latest_code(case.number).await;
        h.fault(json!({"route": route, "kind": "commit_then_reset", "nth": 1, "times": 1}))
            .await;
        // The lost attempt spent the code; resending it would only be called
        // a wrong code (and count towards the lock). The network error stands.
        let err = carrier
            .login(&msisdn, &code, password.as_ref())
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::NetworkUnreachable { .. }),
            "{}: {err:?}",
            case.carrier
        );
        assert_eq!(h.faults_fired().await, 1, "{}: sent once", case.carrier);

        // A new code (after the minute between codes) logs in.
        h.advance_clock(61).await;
        carrier.request_code(&msisdn).await.unwrap();
        let fresh = h.latest_code(case.number).await;
        carrier
            .login(&msisdn, &fresh, password.as_ref())
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", case.carrier));
    }
}
