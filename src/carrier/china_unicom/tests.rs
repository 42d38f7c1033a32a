//! The China Unicom adapter's unit tests: every error code of its section, and
//! each wire type mapped (or refused as a protocol error) from sample bodies.

use chrono::NaiveDate;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::codes::{Empty, decode};
use super::wire::{Products, Trial, WireOrder};
use crate::carrier::http::Reply;
use crate::core::error::ErrorKind;
use crate::core::fees::Fen;
use crate::core::model::{BlockReason, OrderState, PlanStatus};

fn reply(body: &str) -> Reply {
    Reply {
        status: StatusCode::OK,
        headers: HeaderMap::new(),
        body: body.as_bytes().to_vec(),
    }
}

fn error_of(code: &str) -> ErrorKind {
    let body = format!(r#"{{"respCode":"{code}","respDesc":"x","result":null}}"#);
    decode::<Empty>("call", &reply(&body)).err().unwrap()
}

#[test]
fn every_error_code_of_the_section_has_its_kind() {
    let table = [
        ("1001", ErrorKind::SessionExpired),
        ("2001", ErrorKind::WrongCredentials),
        ("2002", ErrorKind::AccountFrozen),
        ("2003", ErrorKind::LoginLocked),
        ("2101", ErrorKind::CodeTooOften),
        ("2102", ErrorKind::UnknownNumber),
        ("3001", ErrorKind::IdentityMismatch),
        ("3002", ErrorKind::QuoteExpired),
        (
            "3003",
            ErrorKind::NotCancellable {
                reason: BlockReason::Unspecified,
            },
        ),
        ("3009", ErrorKind::IdempotencyConflict),
        ("4001", ErrorKind::BalanceInsufficient),
        ("4002", ErrorKind::PaymentDeclined),
        (
            "9999",
            ErrorKind::CarrierBusy {
                retry_after_secs: None,
            },
        ),
    ];
    for (code, kind) in table {
        assert_eq!(error_of(code), kind, "respCode {code}");
    }
    assert!(matches!(error_of("9001"), ErrorKind::Protocol { .. }));
    assert!(matches!(error_of("7777"), ErrorKind::Protocol { .. }));
}

fn balance_of(yuan: &str) -> Result<Fen, ErrorKind> {
    let body = format!(r#"{{"respCode":"0000","result":{{"balance":"{yuan}","products":[]}}}}"#);
    decode::<Products>("POST /queryProducts", &reply(&body))?
        .into_account("POST /queryProducts")
        .map(|a| a.balance)
}

#[test]
fn yuan_strings_are_parsed_exactly_or_refused() {
    assert_eq!(balance_of("0.00"), Ok(Fen(0)));
    assert_eq!(balance_of("-21.50"), Ok(Fen(-2150)));
    assert_eq!(balance_of("300.00"), Ok(Fen(30000)));
    assert_eq!(balance_of("12.5"), Ok(Fen(1250)));
    assert_eq!(balance_of("92233720368547758.07"), Ok(Fen(i64::MAX)));
    for bad in [
        "1,000.00",
        "abc",
        "",
        "12.345",
        "92233720368547758.08",
        "99999999999999999999999.00",
    ] {
        match balance_of(bad) {
            Err(ErrorKind::Protocol { call, detail }) => {
                assert_eq!(call, "POST /queryProducts");
                assert!(detail.contains("balance"), "{detail}");
            }
            other => panic!("{bad:?} gave {other:?}"),
        }
    }
}

#[test]
fn products_map_with_dates_and_block_reasons() {
    let body = r#"{"respCode":"0000","respDesc":"成功","result":{"balance":"300.00","extra":true,"products":[
        {"productCode":"KD500","productName":"沃家宽带 500M","productType":"KD","fee":"129.00","state":"1","endDate":"20270228","canCancel":"Y","reasonCode":""},
        {"productCode":"RH1","productName":"member","productType":"RH","fee":"0.00","state":"1","endDate":"","canCancel":"N","reasonCode":"RH_MEMBER"},
        {"productCode":"LL1","productName":"pack","productType":"LL","fee":"10.00","state":"2","endDate":"","canCancel":"N","reasonCode":"EXPIRED"}]}}"#;
    let account = decode::<Products>("POST /queryProducts", &reply(body))
        .unwrap()
        .into_account("POST /queryProducts")
        .unwrap();
    assert_eq!(account.balance, Fen(30000));
    assert_eq!(account.plans[0].monthly_fee, Fen(12900));
    assert_eq!(
        account.plans[0].contract_end,
        NaiveDate::from_ymd_opt(2027, 2, 28)
    );
    assert!(account.plans[0].is_cancellable());
    assert_eq!(account.plans[1].blocked, Some(BlockReason::InBundle));
    assert_eq!(account.plans[2].blocked, Some(BlockReason::Expired));
    assert_eq!(account.plans[2].status, PlanStatus::Expired);
}

#[test]
fn trial_maps_into_a_quote_in_beijing_time() {
    let body = r#"{"respCode":"0000","result":{"trialId":"T1","fees":[
        {"feeType":"WYJ","feeName":"违约金","fee":"116.10"},{"feeType":"TF","feeName":"退费","fee":"-21.50"}],
        "totalFee":"94.60","effectDate":"20261125","validUntil":"20261125101500",
        "retain":{"retainId":"R1","retainDesc":"64.50元/月，6个月","newFee":"64.50"}}}"#;
    let quote = decode::<Trial>("POST /cancelTrial", &reply(body))
        .unwrap()
        .into_quote("POST /cancelTrial")
        .unwrap();
    assert_eq!(quote.total, Fen::yuan(94, 60));
    assert_eq!(quote.items[1].amount, Fen(-2150));
    assert!(quote.lines_add_up());
    assert_eq!(
        quote.effective_date,
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    );
    assert_eq!(quote.expires_at.to_rfc3339(), "2026-11-25T10:15:00+08:00");
    assert_eq!(quote.retention.unwrap().monthly_fee, Fen(6450));
}

#[test]
fn bad_dates_and_times_are_protocol_errors() {
    for (effect, valid) in [
        ("2026-11-25", "20261125101500"),
        ("20261131", "20261125101500"),
        ("20261125", "2026112510150"),
        ("20261125", "20261125251500"),
    ] {
        let body = format!(
            r#"{{"respCode":"0000","result":{{"trialId":"T1","fees":[],"totalFee":"0.00","effectDate":"{effect}","validUntil":"{valid}","retain":null}}}}"#
        );
        let result = decode::<Trial>("POST /cancelTrial", &reply(&body))
            .and_then(|t| t.into_quote("POST /cancelTrial"));
        assert!(
            matches!(result, Err(ErrorKind::Protocol { .. })),
            "{effect} {valid}: {result:?}"
        );
    }
}

#[test]
fn order_states_expect_time_and_reject_reason() {
    let body = r#"{"respCode":"0000","result":{"orderNo":"U1","orderState":"20","rejectDesc":"","expectTime":"20261125120200"}}"#;
    let order = decode::<WireOrder>("q", &reply(body))
        .unwrap()
        .into_order("q", Some(2))
        .unwrap();
    assert_eq!(order.state, OrderState::Processing);
    assert_eq!(order.retry_after_secs, Some(2));
    assert_eq!(
        order.expected_by.unwrap().to_rfc3339(),
        "2026-11-25T12:02:00+08:00"
    );
    let body = r#"{"respCode":"0000","result":{"orderNo":"U1","orderState":"40","rejectDesc":"欠费未结清","expectTime":""}}"#;
    let order = decode::<WireOrder>("q", &reply(body))
        .unwrap()
        .into_order("q", None)
        .unwrap();
    assert_eq!(order.state, OrderState::Rejected(Some("欠费未结清".into())));
    assert_eq!(order.expected_by, None);
    let body = r#"{"respCode":"0000","result":{"orderNo":"U1","orderState":"99"}}"#;
    assert!(matches!(
        decode::<WireOrder>("q", &reply(body)),
        Err(ErrorKind::Protocol { .. })
    ));
}

proptest::proptest! {
    // Whatever the carrier writes in a money, date or time field, the
    // trial is either read exactly or refused as a protocol error.
    #[test]
    fn any_field_text_is_read_exactly_or_refused(
        total in proptest::prop_oneof!["-?[0-9]{1,4}\\.[0-9]{2}", "[-0-9.,a-z ]{0,24}"],
        effect in proptest::prop_oneof![proptest::strategy::Just("20261125".to_owned()), "[0-9-]{0,10}"],
        valid in proptest::prop_oneof![proptest::strategy::Just("20261125101500".to_owned()), "[0-9]{0,16}"],
    ) {
        let body = serde_json::json!({"respCode": "0000", "result": {
            "trialId": "T1", "fees": [], "totalFee": total,
            "effectDate": effect, "validUntil": valid, "retain": null}});
        let result = decode::<Trial>("POST /cancelTrial", &reply(&body.to_string()))
            .and_then(|t| t.into_quote("POST /cancelTrial"));
        match result {
            Ok(quote) => proptest::prop_assert_eq!(Ok(quote.total), Fen::parse_yuan(&total)),
            Err(kind) => proptest::prop_assert!(
                matches!(kind, ErrorKind::Protocol { .. }),
                "{:?}",
                kind
            ),
        }
    }
}
