//! The China Mobile adapter's unit tests: every error code of its section, and
//! each wire type mapped (or refused as a protocol error) from sample bodies.

use chrono::NaiveDate;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::codes::{Empty, decode};
use super::wire::{OrderData, QuoteData, Subscription, Subscriptions};
use crate::carrier::http::Reply;
use crate::core::error::ErrorKind;
use crate::core::fees::Fen;
use crate::core::model::{BlockReason, FeeKind, OrderState, Plan, PlanKind};

fn reply(status: u16, body: &str) -> Reply {
    Reply {
        status: StatusCode::from_u16(status).unwrap(),
        headers: HeaderMap::new(),
        body: body.as_bytes().to_vec(),
    }
}

fn error_of(ret_code: &str) -> ErrorKind {
    let body = format!(r#"{{"retCode":"{ret_code}","retMsg":"x","data":null}}"#);
    decode::<Empty>("call", &reply(200, &body)).err().unwrap()
}

#[test]
fn every_error_code_of_the_section_has_its_kind() {
    let table = [
        ("100001", ErrorKind::WrongCredentials),
        ("100002", ErrorKind::AccountFrozen),
        ("100003", ErrorKind::CodeTooOften),
        ("100004", ErrorKind::UnknownNumber),
        ("100005", ErrorKind::LoginLocked),
        ("200001", ErrorKind::IdentityMismatch),
        ("200002", ErrorKind::QuoteExpired),
        (
            "200003",
            ErrorKind::NotCancellable {
                reason: BlockReason::Unspecified,
            },
        ),
        ("200009", ErrorKind::IdempotencyConflict),
        ("300001", ErrorKind::BalanceInsufficient),
        ("300002", ErrorKind::PaymentDeclined),
        (
            "999999",
            ErrorKind::CarrierBusy {
                retry_after_secs: None,
            },
        ),
    ];
    for (code, kind) in table {
        assert_eq!(error_of(code), kind, "retCode {code}");
    }
    assert!(matches!(error_of("400001"), ErrorKind::Protocol { .. }));
    assert!(matches!(error_of("123456"), ErrorKind::Protocol { .. }));
}

#[test]
fn not_cancellable_carries_the_block_reason_when_given() {
    let body = r#"{"retCode":"200003","retMsg":"x","data":{"blockReason":"IN_BUNDLE"}}"#;
    assert_eq!(
        decode::<Empty>("call", &reply(200, body)).err(),
        Some(ErrorKind::NotCancellable {
            reason: BlockReason::InBundle
        })
    );
}

#[test]
fn http_401_is_an_expired_session() {
    assert_eq!(
        decode::<Empty>("GET /subscriptions", &reply(401, "")).err(),
        Some(ErrorKind::SessionExpired)
    );
}

#[test]
fn subscriptions_map_into_plans_ignoring_unknown_fields() {
    let body = r#"{"retCode":"000000","retMsg":"ok","newField":1,"data":{"balance":3000,"items":[
        {"offerId":"BB300","offerName":"5G智享宽带 300M","type":"BROADBAND","monthlyFee":9900,"status":"ACTIVE","contractEnd":"2027-06-30","cancellable":true,"blockReason":null,"promo":"x"},
        {"offerId":"P1","offerName":"pack","type":"DATA_PACK","monthlyFee":3000,"status":"PENDING_CANCEL","contractEnd":null,"cancellable":false,"blockReason":null},
        {"offerId":"P2","offerName":"member","type":"BUNDLE","monthlyFee":0,"status":"ACTIVE","contractEnd":null,"cancellable":false,"blockReason":"IN_BUNDLE"}]}}"#;
    let data: Subscriptions = decode("GET /subscriptions", &reply(200, body)).unwrap();
    assert_eq!(data.balance, 3000);
    let plans: Vec<Plan> = data
        .items
        .into_iter()
        .map(Subscription::into_plan)
        .collect();
    assert_eq!(plans[0].monthly_fee, Fen::yuan(99, 0));
    assert_eq!(plans[0].contract_end, NaiveDate::from_ymd_opt(2027, 6, 30));
    assert_eq!(plans[0].kind, PlanKind::Broadband);
    assert!(plans[0].is_cancellable());
    assert_eq!(plans[1].blocked, Some(BlockReason::AlreadyCancelling));
    assert_eq!(plans[2].blocked, Some(BlockReason::InBundle));
}

#[test]
fn quote_maps_every_line_and_the_retention_offer() {
    let body = r#"{"retCode":"000000","retMsg":"ok","data":{"quoteId":"Q1","items":[
        {"code":"PENALTY","name":"违约金","amount":20790},{"code":"REFUND","name":"退费","amount":-150}],
        "total":20640,"effectiveDate":"2026-11-25","expiresAt":"2026-11-25T10:15:00+08:00",
        "retention":{"offerCode":"R1","description":"半价6个月","monthlyFee":4950}}}"#;
    let quote = decode::<QuoteData>("POST /cancel/quote", &reply(200, body))
        .unwrap()
        .into_quote();
    assert_eq!(quote.total, Fen(20640));
    assert_eq!(quote.items[1].kind, FeeKind::Refund);
    assert!(quote.lines_add_up());
    assert_eq!(quote.expires_at.to_rfc3339(), "2026-11-25T10:15:00+08:00");
    assert_eq!(quote.retention.unwrap().monthly_fee, Fen(4950));
}

#[test]
fn order_state_amount_due_and_retry_after() {
    let body =
        r#"{"retCode":"000000","data":{"orderId":"O1","state":"WAIT_PAY","amountDue":20790}}"#;
    let order = decode::<OrderData>("x", &reply(200, body))
        .unwrap()
        .into_order(None);
    assert_eq!(order.state, OrderState::AwaitingPayment);
    assert_eq!(order.amount_due, Some(Fen(20790)));
    let body = r#"{"retCode":"000000","data":{"orderId":"O1","state":"REJECTED","rejectReason":"欠费","expectedBy":"2026-11-25T10:02:00+08:00"}}"#;
    let order = decode::<OrderData>("x", &reply(200, body))
        .unwrap()
        .into_order(Some(3));
    assert_eq!(order.state, OrderState::Rejected(Some("欠费".into())));
    assert_eq!(order.retry_after_secs, Some(3));
}

#[test]
fn malformed_bodies_are_protocol_errors_naming_the_call() {
    for body in [
        "not json",
        r#"{"retMsg":"no code"}"#,
        r#"{"retCode":"000000","data":{"quoteId":"Q1"}}"#,
        r#"{"retCode":"000000","data":{"quoteId":"Q1","items":[],"total":"12.00","effectiveDate":"2026-11-25","expiresAt":"2026-11-25T10:15:00+08:00","retention":null}}"#,
        r#"{"retCode":"000000","data":{"quoteId":"Q1","items":[],"total":0,"effectiveDate":"25/11/2026","expiresAt":"2026-11-25T10:15:00+08:00","retention":null}}"#,
        r#"{"retCode":"000000","data":{"quoteId":"Q1","items":[{"code":"TIP","name":"x","amount":1}],"total":1,"effectiveDate":"2026-11-25","expiresAt":"2026-11-25T10:15:00+08:00","retention":null}}"#,
    ] {
        match decode::<QuoteData>("POST /cancel/quote", &reply(200, body)) {
            Err(ErrorKind::Protocol { call, .. }) => assert_eq!(call, "POST /cancel/quote"),
            Err(other) => panic!("{body}: {other:?}"),
            Ok(_) => panic!("{body}: accepted"),
        }
    }
}

proptest::proptest! {
    #[test]
    fn any_body_is_decoded_or_refused_as_protocol(
        body in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
        status in proptest::sample::select(vec![200u16, 400, 500]),
    ) {
        let reply = Reply {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body,
        };
        let result = decode::<QuoteData>("POST /cancel/quote", &reply);
        proptest::prop_assert!(
            matches!(result, Err(ErrorKind::Protocol { .. })),
            "{:?}",
            result.err()
        );
    }
}
