//! The shared client's unit tests: backoff and jitter, `Retry-After`,
//! busy statuses, cookies, and traces that never hold a secret.

use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;

use super::client::classify;
use super::trace::{mask_digit_runs, redact_form, redact_json};
use super::{Attempt, Reply, RetryPolicy, code_sent};
use crate::core::error::ErrorKind;

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        backoff_base: Duration::from_millis(100),
        backoff_cap: Duration::from_millis(1000),
        max_retry_after: Duration::from_secs(5),
    }
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let p = policy();
    let ceilings: Vec<u128> = (1..=6).map(|n| p.backoff_ceiling(n).as_millis()).collect();
    assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
    assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_millis(1000));
}

#[test]
fn jittered_waits_stay_within_the_ceiling_and_vary() {
    let p = policy();
    let mut rng = StdRng::seed_from_u64(7);
    let reset = ErrorKind::NetworkUnreachable {
        detail: "reset".into(),
    };
    let waits: Vec<Duration> = (0..50)
        .map(|_| p.wait_before_retry(3, &reset, &mut rng).unwrap())
        .collect();
    assert!(waits.iter().all(|w| *w <= Duration::from_millis(400)));
    let first = waits[0];
    assert!(waits.iter().any(|w| *w != first), "no jitter: {waits:?}");
}

#[test]
fn only_retryable_kinds_within_the_attempt_budget_are_retried() {
    let p = policy();
    let mut rng = StdRng::seed_from_u64(1);
    let busy = ErrorKind::CarrierBusy {
        retry_after_secs: None,
    };
    assert!(p.wait_before_retry(1, &busy, &mut rng).is_some());
    assert!(p.wait_before_retry(3, &busy, &mut rng).is_some());
    assert!(p.wait_before_retry(4, &busy, &mut rng).is_none());
    for final_kind in [
        ErrorKind::PaymentDeclined,
        ErrorKind::SessionExpired,
        ErrorKind::Protocol {
            call: "x".into(),
            detail: "y".into(),
        },
    ] {
        assert!(p.wait_before_retry(1, &final_kind, &mut rng).is_none());
    }
}

#[test]
fn retry_after_is_honoured_up_to_the_cap() {
    let p = policy();
    let mut rng = StdRng::seed_from_u64(1);
    let asked = |secs| ErrorKind::CarrierBusy {
        retry_after_secs: Some(secs),
    };
    assert_eq!(
        p.wait_before_retry(1, &asked(2), &mut rng),
        Some(Duration::from_secs(2))
    );
    assert_eq!(p.wait_before_retry(1, &asked(60), &mut rng), None);
}

#[test]
fn traces_never_hold_secrets() {
    let body = json!({
        "msisdn": "13800138000",
        "smsCode": "493817",
        "holderName": "张伟",
        "idNumber": "110101199003071233",
        "cardNo": "6222021234567890128",
        "contactMsisdn": "13800138000",
        "applicant": {"name": "杨帆", "idNumber": "330106199501011172"},
        "code": "493817",
        "items": [{"code": "PENALTY", "amount": 20790}],
        "retCode": "000000",
        "text": "验证码 493817，请勿告诉他人。卡号 6222021234567890128 身份证 11010119900307123X",
        "data": {"token": "eyJ.secret"}
    });
    let logged = redact_json(&body, None).to_string();
    for secret in [
        "13800138000",
        "493817",
        "张伟",
        "110101199003071233",
        "6222021234567890128",
        "330106199501011172",
        "11010119900307123X",
        "eyJ.secret",
        "杨帆",
    ] {
        assert!(!logged.contains(secret), "{secret} leaked: {logged}");
    }
    assert!(logged.contains("138****8000"), "{logged}");
    assert!(logged.contains("PENALTY") && logged.contains("20790"));
    assert!(logged.contains(r#""retCode":"000000""#), "{logged}");

    let form = redact_form(&[
        ("mobile", "18600186000".into()),
        ("servicePwd", "135790".into()),
        ("smsCode", "246810".into()),
        ("certNo", "510107197808156721".into()),
        ("trialId", "T1".into()),
    ]);
    assert_eq!(
        form,
        "mobile=186****6000&servicePwd=[redacted]&smsCode=[redacted]&certNo=[redacted]&trialId=T1"
    );
}

#[test]
fn free_text_keeps_dates_and_amounts() {
    assert_eq!(
        mask_digit_runs("于20261201生效，费用94.60元，20261125103000"),
        "于20261201生效，费用94.60元，20261125103000"
    );
    assert_eq!(mask_digit_runs("code 123456"), "code ******");
}

fn reply_with(headers: &[(&'static str, &str)]) -> Reply {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.append(*k, HeaderValue::from_str(v).unwrap());
    }
    Reply {
        status: StatusCode::OK,
        headers: map,
        body: Vec::new(),
    }
}

#[test]
fn reads_retry_after_seconds_and_session_cookie() {
    let reply = reply_with(&[
        ("retry-after", "2"),
        ("set-cookie", "other=1; Path=/"),
        ("set-cookie", "CUSESSION=abc123; Path=/cucc; HttpOnly"),
    ]);
    assert_eq!(reply.retry_after_secs(), Some(2));
    assert_eq!(reply.set_cookie("CUSESSION").as_deref(), Some("abc123"));
    assert_eq!(reply.set_cookie("MISSING"), None);
    let dated = reply_with(&[("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT")]);
    assert_eq!(dated.retry_after_secs(), None);
}

#[test]
fn busy_statuses_are_classified_before_decoding() {
    for (status, retryable) in [
        (429, true),
        (502, true),
        (503, true),
        (504, true),
        (500, false),
        (401, false),
    ] {
        let mut reply = reply_with(&[("retry-after", "1")]);
        reply.status = StatusCode::from_u16(status).unwrap();
        assert_eq!(classify(&reply).is_err(), retryable, "HTTP {status}");
    }
}

#[test]
fn a_lost_code_request_then_too_often_means_sent() {
    let lost = Attempt {
        number: 2,
        earlier_outcome_unknown: true,
    };
    let clean = Attempt {
        number: 1,
        earlier_outcome_unknown: false,
    };
    assert_eq!(code_sent(Err(ErrorKind::CodeTooOften), lost), Ok(()));
    assert_eq!(
        code_sent(Err(ErrorKind::CodeTooOften), clean),
        Err(ErrorKind::CodeTooOften)
    );
}
