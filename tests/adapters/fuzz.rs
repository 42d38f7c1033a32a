//! Fuzzing each adapter's response decoding over real HTTP: a tiny server on
//! 127.0.0.1 answers every call with a fuzzed body (arbitrary bytes, a valid
//! body with one value replaced by anything, or a valid body with bytes
//! flipped, cut or inserted) and the adapters must answer with a value or a
//! typed `CarrierError` — never a panic. Arbitrary bytes are always an error.
//!
//! Fast by default (`FUZZ_CASES`, default 48 per property); for a long run:
//! `FUZZ_CASES=5000 cargo test --release --test adapters fuzz::`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use proptest::prelude::*;
use serde_json::Value;
use unsubscribe_wizard::carrier::{
    Carrier, CarrierError, PayRequest, Registry, Session, SubmitRequest, connect,
};
use unsubscribe_wizard::config::Config;
use unsubscribe_wizard::core::model::{
    Application, CarrierId, IdempotencyKey, KeySeed, PayMethod, ReasonCode,
};
use unsubscribe_wizard::core::secret::Token;
use unsubscribe_wizard::core::validate;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(48)
}

/// What the fuzz server answers, shared with the test.
#[derive(Clone)]
struct Answer {
    status: u16,
    body: Vec<u8>,
}

/// The server and adapters pointing at it, on one runtime.
struct Bench {
    rt: tokio::runtime::Runtime,
    answer: Arc<Mutex<Answer>>,
    registry: Registry,
}

impl Bench {
    fn start() -> Bench {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let answer = Arc::new(Mutex::new(Answer {
            status: 200,
            body: b"{}".to_vec(),
        }));
        let registry = rt.block_on(async {
            let shared = answer.clone();
            let app = Router::new().fallback(move || {
                let a = shared.lock().unwrap().clone();
                async move {
                    let mut headers = HeaderMap::new();
                    headers.insert(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                    // Unicom's login hands its session over in a cookie.
                    headers.insert(
                        header::SET_COOKIE,
                        HeaderValue::from_static("CUSESSION=fuzz; Path=/cucc/mall"),
                    );
                    let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK);
                    (status, headers, a.body).into_response()
                }
            });
            let listener =
                tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
                    .await
                    .unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
            let toml = format!(
                "[network]\nrequest_timeout_ms = 2000\nmax_attempts = 1\nmax_retry_after_secs = 0\n\
                 [carriers.china_mobile]\nbase_url = \"{base}\"\n\
                 [carriers.china_unicom]\nbase_url = \"{base}\"\n\
                 [carriers.china_telecom]\nbase_url = \"{base}\"\n"
            );
            connect(&Config::from_user_toml(&toml, "fuzz.toml").unwrap())
                .await
                .unwrap()
        });
        Bench {
            rt,
            answer,
            registry,
        }
    }

    fn answer(&self, status: u16, body: Vec<u8>) {
        *self.answer.lock().unwrap() = Answer { status, body };
    }

    /// Makes call `call` (0..8) of `carrier`; `Ok(())` for a decoded value.
    fn call(&self, carrier: CarrierId, call: usize) -> Result<(), CarrierError> {
        let adapter = self.registry.get(carrier);
        self.rt.block_on(make_call(adapter.as_ref(), call))
    }
}

async fn make_call(carrier: &dyn Carrier, call: usize) -> Result<(), CarrierError> {
    let msisdn = match carrier.id() {
        CarrierId::ChinaMobile => "13800138000",
        CarrierId::ChinaUnicom => "18600186000",
        CarrierId::ChinaTelecom => "13300133000",
    };
    let msisdn = validate::phone(msisdn).unwrap().0;
    let session = Session {
        msisdn: msisdn.clone(),
        token: Token::new("fuzz"),
    };
    let key = IdempotencyKey::derive(&KeySeed([7; 16]), "fuzz", "s", "b");
    match call {
        0 => carrier.request_code(&msisdn).await,
        1 => {
            let code = validate::sms_code("123456").unwrap();
            let password = carrier
                .id()
                .needs_service_password()
                .then(|| validate::service_password("135790").unwrap());
            carrier
                .login(&msisdn, &code, password.as_ref())
                .await
                .map(drop)
        }
        2 => carrier.plans(&session).await.map(drop),
        3 => carrier.quote(&session, "P1").await.map(drop),
        4 => carrier
            .submit(
                &session,
                &SubmitRequest {
                    idempotency_key: key,
                    quote_id: "Q1".to_owned(),
                    application: Application {
                        holder_name: "张伟".to_owned(),
                        id_number: validate::id_number("110101199003071233").unwrap(),
                        contact: msisdn.clone(),
                        reason: ReasonCode::Moving,
                        reason_text: String::new(),
                    },
                    accept_retention: false,
                },
            )
            .await
            .map(drop),
        5 => carrier
            .pay(
                &session,
                &PayRequest {
                    idempotency_key: key,
                    order_id: "OD1".to_owned(),
                    method: PayMethod::Card,
                    card: Some(validate::card_number("6222021234567890128").unwrap()),
                },
            )
            .await
            .map(drop),
        6 => carrier.order(&session, "OD1").await.map(drop),
        _ => carrier.notices(&session, Some("3")).await.map(drop),
    }
}

const CARRIERS: [CarrierId; 3] = [
    CarrierId::ChinaMobile,
    CarrierId::ChinaUnicom,
    CarrierId::ChinaTelecom,
];

/// A valid answer to each call, per carrier (from the spec's examples).
fn sample(carrier: CarrierId, call: usize) -> &'static str {
    const MOBILE: [&str; 8] = [
        r#"{"data":{},"retCode":"000000","retMsg":"成功"}"#,
        r#"{"data":{"expiresIn":1800,"token":"b3762dbe1734449eccd231b76210d54d"},"retCode":"000000","retMsg":"成功"}"#,
        r#"{"data":{"balance":3000,"items":[{"blockReason":null,"cancellable":true,"contractEnd":"2027-06-30","monthlyFee":9900,"offerId":"CM-KD-300M","offerName":"5G智享宽带 300M","status":"ACTIVE","type":"BROADBAND"},{"blockReason":"IN_BUNDLE","cancellable":false,"contractEnd":null,"monthlyFee":3000,"offerId":"X","offerName":"包","status":"EXPIRED","type":"DATA_PACK"}]},"retCode":"000000","retMsg":"成功"}"#,
        r#"{"data":{"effectiveDate":"2026-11-25","expiresAt":"2026-11-25T10:15:00+08:00","items":[{"amount":20790,"code":"PENALTY","name":"提前解约违约金"},{"amount":-100,"code":"REFUND","name":"退"}],"quoteId":"Q20261125000001","retention":{"offerCode":"R1","description":"留","monthlyFee":6450},"total":20690},"retCode":"000000","retMsg":"成功"}"#,
        r#"{"data":{"amountDue":20790,"orderId":"OD20261125000002","state":"WAIT_PAY"},"retCode":"000000","retMsg":"成功"}"#,
        r#"{"data":{"paymentId":"PAY20261125000004","state":"PENDING","payUrl":"https://qr.alipay.com/x"},"retCode":"000000","retMsg":"成功"}"#,
        r#"{"data":{"expectedBy":"2026-11-25T10:02:01+08:00","orderId":"OD20261125000002","state":"REJECTED","rejectReason":"欠费"},"retCode":"000000","retMsg":"成功"}"#,
        r#"{"data":{"items":[{"sentAt":"2026-11-25T10:00:01+08:00","seq":2,"text":"【中国移动】已受理"}]},"retCode":"000000","retMsg":"成功"}"#,
    ];
    const UNICOM: [&str; 8] = [
        r#"{"respCode":"0000","respDesc":"成功","result":{}}"#,
        r#"{"respCode":"0000","respDesc":"成功","result":{"custName":"刘*"}}"#,
        r#"{"respCode":"0000","respDesc":"成功","result":{"balance":"300.00","products":[{"canCancel":"Y","endDate":"20270228","fee":"129.00","productCode":"CU-KD-500M","productName":"沃家宽带 500M","productType":"KD","reasonCode":"","state":"1"},{"canCancel":"N","endDate":"","fee":"10.00","productCode":"X","productName":"融合","productType":"RH","reasonCode":"RH_MEMBER","state":"2"}]}}"#,
        r#"{"respCode":"0000","respDesc":"成功","result":{"effectDate":"20261125","fees":[{"fee":"116.10","feeName":"提前解约违约金","feeType":"WYJ"},{"fee":"-21.50","feeName":"未使用月费退还","feeType":"TF"}],"retain":{"newFee":"64.50","retainDesc":"挽留优惠","retainId":"CU-RET-6450"},"totalFee":"94.60","trialId":"Q20261125000005","validUntil":"20261125101502"}}"#,
        r#"{"respCode":"0000","respDesc":"成功","result":{"orderNo":"OD20261125000006","orderState":"10"}}"#,
        r#"{"respCode":"0000","respDesc":"成功","result":{"payNo":"PAY20261125000007","payState":"P","qrUrl":"https://qr.alipay.com/y"}}"#,
        r#"{"respCode":"0000","respDesc":"成功","result":{"expectTime":"20261125100202","orderNo":"OD20261125000006","orderState":"20","rejectDesc":""}}"#,
        r#"{"respCode":"0000","respDesc":"成功","result":{"msgs":[{"content":"【中国联通】已受理","msgId":"2","sendTime":"20261125100002"}]}}"#,
    ];
    const TELECOM: [&str; 8] = [
        r#"{"jsonrpc":"2.0","id":null,"result":{}}"#,
        r#"{"jsonrpc":"2.0","id":null,"result":{"accessToken":"c41f51ed1715e8034ce37b029d7f750f","expiresAt":"2026-11-25T10:30:03+08:00"}}"#,
        r#"{"jsonrpc":"2.0","id":null,"result":{"balanceFen":0,"products":[{"cancelBlock":null,"category":"broadband","contractEndsOn":"2026-12-31","monthlyFeeFen":19900,"name":"天翼宽带 1000M","prodId":"CT-KD-1000M","status":"active"},{"cancelBlock":"bundle","category":"data","contractEndsOn":null,"monthlyFeeFen":100,"name":"包","prodId":"X","status":"expired"}]}}"#,
        r#"{"jsonrpc":"2.0","id":null,"result":{"charges":[{"fen":5970,"label":"提前解约违约金","type":"penalty"},{"fen":10000,"label":"光猫未退还","type":"equipment"}],"effectiveOn":"2026-11-25","quoteId":"Q20261125000008","retentionOffer":{"id":"R","text":"留","monthlyFeeFen":100},"totalFen":15970,"validUntil":"2026-11-25T10:15:03+08:00"}}"#,
        r#"{"jsonrpc":"2.0","id":null,"result":{"orderId":"OD20261125000009","status":"awaiting_payment"}}"#,
        r#"{"jsonrpc":"2.0","id":null,"result":{"paymentId":"PAY20261125000010","qrContent":"https://qr.alipay.com/sbx","status":"pending"}}"#,
        r#"{"jsonrpc":"2.0","id":null,"result":{"expectedBy":"2026-11-25T10:02:04+08:00","orderId":"OD20261125000009","status":"rejected","reason":"欠费","retryAfterSec":2}}"#,
        r#"{"jsonrpc":"2.0","id":null,"result":{"notices":[{"at":"2026-11-25T10:00:03+08:00","id":2,"text":"【中国电信】已受理"}]}}"#,
    ];
    match carrier {
        CarrierId::ChinaMobile => MOBILE[call],
        CarrierId::ChinaUnicom => UNICOM[call],
        CarrierId::ChinaTelecom => TELECOM[call],
    }
}

/// Every leaf of a JSON value, as paths of object keys and array indexes.
fn leaves(value: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match value {
        Value::Object(map) => {
            out.push(path.clone());
            for (k, v) in map {
                path.push(Value::String(k.clone()));
                leaves(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            out.push(path.clone());
            for (i, v) in items.iter().enumerate() {
                path.push(Value::from(i));
                leaves(v, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn replace(value: &mut Value, path: &[Value], with: Value) {
    let mut at = value;
    for step in path {
        at = match (step, at) {
            (Value::String(k), Value::Object(map)) => map.get_mut(k).unwrap(),
            (Value::Number(i), Value::Array(items)) => &mut items[i.as_u64().unwrap() as usize],
            _ => unreachable!(),
        };
    }
    *at = with;
}

/// Values a careless decoder trips on.
fn nasty_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(Value::Bool(true)),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!(0)),
        Just(serde_json::json!(i64::MAX)),
        Just(serde_json::json!(i64::MIN)),
        Just(serde_json::json!(u64::MAX)),
        Just(serde_json::json!(1e300)),
        Just(serde_json::json!(-0.5)),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!("")),
        Just(serde_json::json!("9223372036854775808")),
        Just(serde_json::json!("99999999999999999.99")),
        Just(serde_json::json!("2026-13-45T99:99:99+08:00")),
        Just(serde_json::json!("2026112510150")),
        Just(serde_json::json!("２０２６１１２５１０１５０２")),
        Just(serde_json::json!("é1234567890123")),
        any::<String>().prop_map(Value::String),
        "[0-9.+-]{0,20}".prop_map(Value::String),
        any::<i64>().prop_map(Value::from),
    ]
}

/// A byte-level edit of a valid body.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        any::<usize>().prop_map(Edit::Cut),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Edit::Insert(i, b)),
    ]
}

fn apply(body: &mut Vec<u8>, edit: &Edit) {
    let len = body.len().max(1);
    match edit {
        Edit::Flip(i, b) => {
            if !body.is_empty() {
                body[i % len] = *b;
            }
        }
        Edit::Cut(i) => body.truncate(i % len),
        Edit::Insert(i, bytes) => {
            let at = i % (body.len() + 1);
            body.splice(at..at, bytes.iter().copied());
        }
    }
}

#[test]
fn every_sample_decodes_so_the_mutations_start_from_valid_answers() {
    let bench = Bench::start();
    for carrier in CARRIERS {
        for call in 0..8 {
            bench.answer(200, sample(carrier, call).as_bytes().to_vec());
            let result = bench.call(carrier, call);
            assert!(result.is_ok(), "{carrier:?} call {call}: {result:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn arbitrary_bytes_are_a_typed_error_for_every_call(
        body in proptest::collection::vec(any::<u8>(), 0..300),
        status in proptest::sample::select(vec![200u16, 200, 200, 400, 401, 404, 500]),
        carrier in 0usize..3,
    ) {
        thread_local!(static BENCH: Bench = Bench::start());
        BENCH.with(|bench| {
            bench.answer(status, body.clone());
            for call in 0..8 {
                let result = bench.call(CARRIERS[carrier], call);
                prop_assert!(result.is_err(), "call {call} accepted {body:?}");
            }
            Ok(())
        })?;
    }

    #[test]
    fn a_valid_answer_with_any_value_replaced_is_decoded_or_refused(
        carrier in 0usize..3,
        call in 0usize..8,
        pick in any::<usize>(),
        with in nasty_value(),
    ) {
        thread_local!(static BENCH: Bench = Bench::start());
        let carrier = CARRIERS[carrier];
        let mut value: Value = serde_json::from_str(sample(carrier, call)).unwrap();
        let mut paths = Vec::new();
        leaves(&value, &mut Vec::new(), &mut paths);
        let path = paths[pick % paths.len()].clone();
        replace(&mut value, &path, with);
        let body = serde_json::to_vec(&value).unwrap();
        BENCH.with(|bench| {
            bench.answer(200, body);
            // Either outcome is fine; a panic fails the property.
            let _ = bench.call(carrier, call);
        });
    }

    #[test]
    fn a_valid_answer_with_bytes_edited_is_decoded_or_refused(
        carrier in 0usize..3,
        call in 0usize..8,
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        thread_local!(static BENCH: Bench = Bench::start());
        let carrier = CARRIERS[carrier];
        let mut body = sample(carrier, call).as_bytes().to_vec();
        for e in &edits {
            apply(&mut body, e);
        }
        BENCH.with(|bench| {
            bench.answer(200, body);
            let _ = bench.call(carrier, call);
        });
    }
}
