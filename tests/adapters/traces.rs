//! The adapters' traces, captured over whole flows: every request and
//! response is there, and no secret or personal datum is — no SMS code,
//! service password, token, full ID or card number, and phone numbers only
//! masked.

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::testkit::adapters::{Harness, application, key};
use tracing_subscriber::fmt::MakeWriter;
use unsubscribe_wizard::carrier::{PayRequest, SubmitRequest};
use unsubscribe_wizard::core::model::{CarrierId, PayMethod};
use unsubscribe_wizard::core::validate;

/// Collects everything written to the log.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

// A current-thread runtime, so the thread-local subscriber sees every event.
#[tokio::test(flavor = "current_thread")]
async fn traces_cover_every_call_and_hold_no_secret() {
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(log.clone())
        .with_ansi(false)
        .with_env_filter("carrier=debug")
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let h = Harness::embedded().await;
    let mut secrets: Vec<String> = Vec::new();

    // China Mobile: login, quote, submit, pay by card.
    let (mobile, session) = h.login(CarrierId::ChinaMobile, "13800138000", None).await;
    secrets.push(session.token.expose().to_owned());
    secrets.push(h.latest_code("13800138000").await.expose().to_owned());
    let account = mobile.plans(&session).await.unwrap();
    let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
    let quote = mobile.quote(&session, &plan.id).await.unwrap();
    let order = mobile
        .submit(
            &session,
            &SubmitRequest {
                idempotency_key: key("submit", &quote.id),
                quote_id: quote.id.clone(),
                application: application("张伟", "110101199003071233", "13800138000"),
                accept_retention: false,
            },
        )
        .await
        .unwrap();
    mobile
        .pay(
            &session,
            &PayRequest {
                idempotency_key: key("pay", &order.id),
                order_id: order.id.clone(),
                method: PayMethod::Card,
                card: Some(validate::card_number("6222021234567890128").unwrap()),
            },
        )
        .await
        .unwrap();

    // China Unicom: login with the service password, submit.
    let (unicom, session) = h
        .login(CarrierId::ChinaUnicom, "18600186000", Some("135790"))
        .await;
    secrets.push(session.token.expose().to_owned());
    secrets.push(h.latest_code("18600186000").await.expose().to_owned());
    let account = unicom.plans(&session).await.unwrap();
    let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
    let quote = unicom.quote(&session, &plan.id).await.unwrap();
    unicom
        .submit(
            &session,
            &SubmitRequest {
                idempotency_key: key("submit", &quote.id),
                quote_id: quote.id.clone(),
                application: application("刘洋", "510107197808156721", "18600186000"),
                accept_retention: false,
            },
        )
        .await
        .unwrap();

    // China Telecom: the token travels in the params.
    let (telecom, session) = h.login(CarrierId::ChinaTelecom, "13300133000", None).await;
    secrets.push(session.token.expose().to_owned());
    secrets.push(h.latest_code("13300133000").await.expose().to_owned());
    let account = telecom.plans(&session).await.unwrap();
    let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
    let quote = telecom.quote(&session, &plan.id).await.unwrap();
    telecom
        .submit(
            &session,
            &SubmitRequest {
                idempotency_key: key("submit", &quote.id),
                quote_id: quote.id.clone(),
                application: application("杨帆", "330106199501011172", "13300133000"),
                accept_retention: false,
            },
        )
        .await
        .unwrap();

    let text = log.text();
    if std::env::var_os("SHOW_TRACES").is_some() {
        eprintln!("{text}");
    }
    // Every call was traced, request and response.
    for call in [
        "POST /auth/sms-code",
        "POST /auth/login",
        "GET /subscriptions",
        "POST /cancel/quote",
        "POST /cancel/orders",
        "POST /cancel/orders/{orderId}/payments",
        "POST /login",
        "POST /cancelSubmit",
        "auth.login",
        "product.list",
        "cancel.submit",
    ] {
        assert!(
            text.contains(&format!("call=\"{call}\"")),
            "{call} not traced"
        );
    }
    let requests = text.matches("carrier: request ").count();
    let responses = text.matches("carrier: response ").count();
    assert_eq!(requests, 16, "one trace per call made above");
    assert_eq!(requests, responses, "each request has its response");
    assert!(
        text.contains(r#""retCode":"000000""#),
        "status codes stay readable"
    );
    assert!(text.contains("138****8000"), "phone numbers appear masked");

    secrets.extend(
        [
            "13800138000",
            "18600186000",
            "13300133000",
            "135790",
            "110101199003071233",
            "510107197808156721",
            "330106199501011172",
            "6222021234567890128",
            "张伟",
            "刘洋",
            "杨帆",
        ]
        .map(str::to_owned),
    );
    for secret in &secrets {
        assert!(!secret.is_empty());
        assert!(!text.contains(secret.as_str()), "{secret} is in the log");
    }
}
