//! Each carrier's refusals, end to end over HTTP, arrive as the same typed
//! error whatever the dialect: the wrong code and the lock after five, a code
//! asked for too often, an unknown number, an expired session, a holder who
//! does not match, an expired quote.

use crate::testkit::adapters::{Harness, application, key, total_of};
use unsubscribe_wizard::carrier::{Session, SubmitRequest};
use unsubscribe_wizard::core::error::ErrorKind;
use unsubscribe_wizard::core::fees::Fen;
use unsubscribe_wizard::core::model::{CarrierId, OrderState};
use unsubscribe_wizard::core::secret::Token;
use unsubscribe_wizard::core::validate;

struct Holder {
    carrier: CarrierId,
    number: &'static str,
    password: Option<&'static str>,
    name: &'static str,
    id: &'static str,
}

const HOLDERS: [Holder; 3] = [
    Holder {
        carrier: CarrierId::ChinaMobile,
        number: "13800138000",
        password: None,
        name: "张伟",
        id: "110101199003071233",
    },
    Holder {
        carrier: CarrierId::ChinaUnicom,
        number: "18600186000",
        password: Some("135790"),
        name: "刘洋",
        id: "510107197808156721",
    },
    Holder {
        carrier: CarrierId::ChinaTelecom,
        number: "13300133000",
        password: None,
        name: "杨帆",
        id: "330106199501011172",
    },
];

#[tokio::test]
async fn four_wrong_codes_are_wrong_and_the_fifth_locks_login() {
    for holder in &HOLDERS {
        let h = Harness::embedded().await;
        let carrier = h.carrier(holder.carrier);
        let msisdn = validate::contact_phone(holder.number).unwrap();
        carrier.request_code(&msisdn).await.unwrap();
        let real = h.latest_code(holder.number).await;
        let wrong_digits = if real.expose() == "000000" {
            "111111"
        } else {
            "000000"
        };
        let wrong = validate::sms_code(wrong_digits).unwrap();
        let password = holder
            .password
            .map(|p| validate::service_password(p).unwrap());
        for attempt in 1..=5 {
            let err = carrier
                .login(&msisdn, &wrong, password.as_ref())
                .await
                .unwrap_err();
            let expected = if attempt < 5 {
                ErrorKind::WrongCredentials
            } else {
                ErrorKind::LoginLocked
            };
            assert_eq!(err.kind, expected, "{} try {attempt}", holder.carrier);
        }
        let err = carrier
            .login(&msisdn, &real, password.as_ref())
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::LoginLocked, "{}", holder.carrier);
    }
}

#[tokio::test]
async fn a_second_code_within_a_minute_is_too_often() {
    for holder in &HOLDERS {
        let h = Harness::embedded().await;
        let carrier = h.carrier(holder.carrier);
        let msisdn = validate::contact_phone(holder.number).unwrap();
        carrier.request_code(&msisdn).await.unwrap();
        let err = carrier.request_code(&msisdn).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::CodeTooOften, "{}", holder.carrier);
    }
}

#[tokio::test]
async fn a_number_the_carrier_does_not_know_is_unknown() {
    for (carrier_id, number) in [
        (CarrierId::ChinaMobile, "13512345678"),
        (CarrierId::ChinaUnicom, "13012345678"),
        (CarrierId::ChinaTelecom, "18912345678"),
    ] {
        let h = Harness::embedded().await;
        let msisdn = validate::contact_phone(number).unwrap();
        let err = h
            .carrier(carrier_id)
            .request_code(&msisdn)
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnknownNumber, "{carrier_id}");
    }
}

#[tokio::test]
async fn a_bad_session_credential_is_an_expired_session() {
    for holder in &HOLDERS {
        let h = Harness::embedded().await;
        let session = Session {
            msisdn: validate::contact_phone(holder.number).unwrap(),
            token: Token::new("not-a-session"),
        };
        let err = h.carrier(holder.carrier).plans(&session).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::SessionExpired, "{}", holder.carrier);
    }
}

#[tokio::test]
async fn a_holder_who_does_not_match_and_an_expired_quote_are_refused() {
    for holder in &HOLDERS {
        let h = Harness::embedded().await;
        let (carrier, session) = h
            .login(holder.carrier, holder.number, holder.password)
            .await;
        let account = carrier.plans(&session).await.unwrap();
        let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
        let quote = carrier.quote(&session, &plan.id).await.unwrap();

        // A valid ID of someone else.
        let stranger = SubmitRequest {
            idempotency_key: key("submit-stranger", &quote.id),
            quote_id: quote.id.clone(),
            application: application(holder.name, "11010519491231002X", holder.number),
            accept_retention: false,
        };
        let err = carrier.submit(&session, &stranger).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::IdentityMismatch, "{}", holder.carrier);

        // Quotes are valid 15 minutes.
        h.advance_clock(16 * 60).await;
        let late = SubmitRequest {
            idempotency_key: key("submit-late", &quote.id),
            quote_id: quote.id.clone(),
            application: application(holder.name, holder.id, holder.number),
            accept_retention: false,
        };
        let err = carrier.submit(&session, &late).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::QuoteExpired, "{}", holder.carrier);
    }
}

#[tokio::test]
async fn taking_the_retention_offer_leaves_nothing_to_pay() {
    let h = Harness::embedded().await;
    let (unicom, session) = h
        .login(CarrierId::ChinaUnicom, "18600186000", Some("135790"))
        .await;
    let account = unicom.plans(&session).await.unwrap();
    let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
    let quote = unicom.quote(&session, &plan.id).await.unwrap();
    assert!(quote.retention.is_some());
    let order = unicom
        .submit(
            &session,
            &SubmitRequest {
                idempotency_key: key("submit-keep", &quote.id),
                quote_id: quote.id.clone(),
                application: application("刘洋", "510107197808156721", "18600186000"),
                accept_retention: true,
            },
        )
        .await
        .unwrap();
    assert_ne!(order.state, OrderState::AwaitingPayment);
    let ledger = h.ledger("18600186000").await;
    assert_eq!(ledger["balance"], 30000, "nothing charged");
    assert_eq!(total_of(&ledger["charges"]), Fen::ZERO.0);
}
