//! The China Telecom adapter's unit tests: every error code of its section, and
//! each wire type mapped (or refused as a protocol error) from sample bodies.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::codes::{Empty, decode};
use super::wire::{OrderResult, Product, ProductList, QuoteResult};
use crate::carrier::http::Reply;
use crate::core::error::ErrorKind;
use crate::core::fees::Fen;
use crate::core::model::{BlockReason, OrderState, Plan};

fn reply(body: &str) -> Reply {
    Reply {
        status: StatusCode::OK,
        headers: HeaderMap::new(),
        body: body.as_bytes().to_vec(),
    }
}

fn error_of(code: i64) -> ErrorKind {
    let body = format!(r#"{{"jsonrpc":"2.0","id":7,"error":{{"code":{code},"message":"x"}}}}"#);
    decode::<Empty>("m", 7, &reply(&body)).err().unwrap()
}

#[test]
fn every_error_code_of_the_section_has_its_kind() {
    let table = [
        (-32001, ErrorKind::WrongCredentials),
        (-32002, ErrorKind::AccountFrozen),
        (-32003, ErrorKind::CodeTooOften),
        (-32004, ErrorKind::UnknownNumber),
        (-32005, ErrorKind::LoginLocked),
        (-32006, ErrorKind::SessionExpired),
        (-32010, ErrorKind::IdentityMismatch),
        (-32011, ErrorKind::QuoteExpired),
        (
            -32012,
            ErrorKind::NotCancellable {
                reason: BlockReason::Unspecified,
            },
        ),
        (-32019, ErrorKind::IdempotencyConflict),
        (-32020, ErrorKind::BalanceInsufficient),
        (-32021, ErrorKind::PaymentDeclined),
        (
            -32099,
            ErrorKind::CarrierBusy {
                retry_after_secs: None,
            },
        ),
    ];
    for (code, kind) in table {
        assert_eq!(error_of(code), kind, "code {code}");
    }
    for code in [-32700, -32600, -32601, -32602, -32603, -31000] {
        assert!(
            matches!(error_of(code), ErrorKind::Protocol { .. }),
            "code {code}"
        );
    }
}

#[test]
fn envelope_must_be_json_rpc_2_for_this_request() {
    for body in [
        r#"{"jsonrpc":"1.0","id":7,"result":{}}"#,
        r#"{"jsonrpc":"2.0","id":8,"result":{}}"#,
        r#"{"jsonrpc":"2.0","id":7}"#,
        r#"{"id":7,"result":{}}"#,
        "<html>",
    ] {
        assert!(
            matches!(decode::<Empty>("m", 7, &reply(body)), Err(ErrorKind::Protocol { call, .. }) if call == "m"),
            "{body}"
        );
    }
    assert!(
        decode::<Empty>(
            "m",
            7,
            &reply(r#"{"jsonrpc":"2.0","id":7,"result":{},"x":1}"#)
        )
        .is_ok()
    );
}

#[test]
fn product_list_maps_blocks_and_states() {
    let body = r#"{"jsonrpc":"2.0","id":1,"result":{"balanceFen":0,"products":[
        {"prodId":"BB1000","name":"天翼宽带 1000M","category":"broadband","monthlyFeeFen":19900,"status":"active","contractEndsOn":"2026-12-31","cancelBlock":null},
        {"prodId":"D1","name":"d","category":"data","monthlyFeeFen":100,"status":"cancelling","contractEndsOn":null,"cancelBlock":null},
        {"prodId":"D2","name":"d","category":"bundle","monthlyFeeFen":100,"status":"active","contractEndsOn":null,"cancelBlock":"arrears"}]}}"#;
    let list: ProductList = decode("product.list", 1, &reply(body)).unwrap();
    let plans: Vec<Plan> = list.products.into_iter().map(Product::into_plan).collect();
    assert_eq!(plans[0].monthly_fee, Fen::yuan(199, 0));
    assert!(plans[0].is_cancellable());
    assert_eq!(plans[1].blocked, Some(BlockReason::AlreadyCancelling));
    assert_eq!(plans[2].blocked, Some(BlockReason::Arrears));
}

#[test]
fn quote_and_status_map_exactly() {
    let body = r#"{"jsonrpc":"2.0","id":2,"result":{"quoteId":"Q","charges":[
        {"type":"penalty","label":"违约金","fen":5970},{"type":"equipment","label":"光猫未归还","fen":10000}],
        "totalFen":15970,"effectiveOn":"2026-11-25","validUntil":"2026-11-25T10:15:00+08:00","retentionOffer":null}}"#;
    let quote = decode::<QuoteResult>("cancel.quote", 2, &reply(body))
        .unwrap()
        .into_quote();
    assert_eq!(quote.total, Fen::yuan(159, 70));
    assert!(quote.lines_add_up());
    assert_eq!(quote.retention, None);

    let body = r#"{"jsonrpc":"2.0","id":3,"result":{"orderId":"T9","status":"processing","retryAfterSec":2,"expectedBy":"2026-11-25T10:02:05+08:00"}}"#;
    let order = decode::<OrderResult>("cancel.status", 3, &reply(body))
        .unwrap()
        .into_order();
    assert_eq!(order.state, OrderState::Processing);
    assert_eq!(order.retry_after_secs, Some(2));
    assert!(order.expected_by.is_some());
}

#[test]
fn malformed_results_are_protocol_errors() {
    for result in [
        r#"{"quoteId":"Q","charges":[],"totalFen":1.5,"effectiveOn":"2026-11-25","validUntil":"2026-11-25T10:15:00+08:00","retentionOffer":null}"#,
        r#"{"quoteId":"Q","charges":[],"totalFen":0,"effectiveOn":"2026-11-25","validUntil":"yesterday","retentionOffer":null}"#,
        r#"{"quoteId":"Q","charges":[]}"#,
    ] {
        let body = format!(r#"{{"jsonrpc":"2.0","id":1,"result":{result}}}"#);
        assert!(
            matches!(
                decode::<QuoteResult>("cancel.quote", 1, &reply(&body)),
                Err(ErrorKind::Protocol { .. })
            ),
            "{result}"
        );
    }
}

proptest::proptest! {
    #[test]
    fn any_body_is_decoded_or_refused_as_protocol(
        body in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
    ) {
        let result = decode::<QuoteResult>("cancel.quote", 1, &Reply {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body,
        });
        proptest::prop_assert!(
            matches!(result, Err(ErrorKind::Protocol { .. })),
            "{:?}",
            result.err()
        );
    }
}
