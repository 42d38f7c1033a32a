//! Hostile carriers (issue 13): a server on 127.0.0.1 that answers every
//! call with what an attacker would send — bodies too large or endless,
//! waits of 136 years, ids that are empty, huge or paths — and the adapters
//! must refuse each as a protocol error (or bound it) before anything moves.
//!
//! The server is raw TCP so it can send what no well-behaved framework
//! would: a body that never ends, a `Content-Length` it does not keep.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use unsubscribe_wizard::carrier::http::{read_capped, side_channel_client};
use unsubscribe_wizard::carrier::{
    Carrier, CarrierError, ErrorKind, PayRequest, Registry, Session, SubmitRequest, connect,
};
use unsubscribe_wizard::config::Config;
use unsubscribe_wizard::core::model::{
    Application, CarrierId, IdempotencyKey, KeySeed, PayMethod, ReasonCode,
};
use unsubscribe_wizard::core::secret::Token;
use unsubscribe_wizard::core::validate;

/// More than the adapters accept (1 MiB), and what a hostile server sends.
const FIVE_MIB: usize = 5 << 20;
/// How much an "endless" body sends at most before it just stops sending
/// (and keeps the connection open): far beyond the cap, and bounded so the
/// test cannot run away even when the client keeps reading.
const ENDLESS_LIMIT: usize = 64 << 20;

/// What the server answers to every request.
#[derive(Clone)]
enum Answer {
    /// A complete answer: status, extra header lines, body.
    Whole {
        status: u16,
        headers: Vec<String>,
        body: Vec<u8>,
    },
    /// `200`, no `Content-Length`: the body ends when the connection closes.
    Unframed(Vec<u8>),
    /// `200`, `Transfer-Encoding: chunked`, and chunks of valid-looking JSON
    /// that never end.
    Endless,
}

impl Answer {
    fn json(body: impl Into<Vec<u8>>) -> Answer {
        Answer::Whole {
            status: 200,
            headers: Vec::new(),
            body: body.into(),
        }
    }
}

/// The server and the adapters pointed at it.
struct Hostile {
    answer: Arc<Mutex<Answer>>,
    registry: Registry,
    /// `http://127.0.0.1:port`.
    base: String,
}

impl Hostile {
    /// Starts the server; `network` is merged into the `[network]` table.
    async fn start(network: &str) -> Hostile {
        let answer = Arc::new(Mutex::new(Answer::json("{}")));
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let shared = answer.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let answer = shared.lock().unwrap().clone();
                tokio::spawn(serve(stream, answer));
            }
        });
        let toml = format!(
            "[network]\nrequest_timeout_ms = 3000\nmax_attempts = 1\nmax_retry_after_secs = 0\n{network}\n\
             [carriers.china_mobile]\nbase_url = \"{base}\"\n\
             [carriers.china_unicom]\nbase_url = \"{base}\"\n\
             [carriers.china_telecom]\nbase_url = \"{base}\"\n"
        );
        let registry = connect(&Config::from_user_toml(&toml, "hostile.toml").unwrap())
            .await
            .unwrap();
        Hostile {
            answer,
            registry,
            base,
        }
    }

    fn answer(&self, answer: Answer) {
        *self.answer.lock().unwrap() = answer;
    }

    fn carrier(&self, id: CarrierId) -> Arc<dyn Carrier> {
        self.registry.get(id)
    }
}

/// Reads one request (head and `Content-Length` body, bounded) and sends
/// `answer`.
async fn serve(mut stream: TcpStream, answer: Answer) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = find(&request, b"\r\n\r\n") {
            break end + 4;
        }
        if request.len() > 1 << 20 {
            return;
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
        .min(1 << 20);
    while request.len() < head_end + length {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    match answer {
        Answer::Whole {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                 set-cookie: CUSESSION=hostile; Path=/cucc/mall\r\n\
                 content-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for line in headers {
                head.push_str(&line);
                head.push_str("\r\n");
            }
            head.push_str("\r\n");
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            // A client that stops reading closes the socket: stop then.
            for chunk in body.chunks(64 << 10) {
                if stream.write_all(chunk).await.is_err() {
                    return;
                }
            }
        }
        Answer::Unframed(body) => {
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for chunk in body.chunks(64 << 10) {
                if stream.write_all(chunk).await.is_err() {
                    return;
                }
            }
            // Closing the connection ends the body.
            return;
        }
        Answer::Endless => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                        transfer-encoding: chunked\r\nconnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut chunk = format!("{:x}\r\n", 64 << 10).into_bytes();
            chunk.extend(std::iter::repeat_n(b' ', 64 << 10));
            chunk.extend_from_slice(b"\r\n");
            let mut sent = 0;
            let _ = stream.write_all(b"6\r\n{\"a\":\"\r\n").await;
            while sent < ENDLESS_LIMIT {
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
                sent += chunk.len();
            }
        }
    }
    // Keep the connection open until the client is done with it.
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

const CARRIERS: [CarrierId; 3] = [
    CarrierId::ChinaMobile,
    CarrierId::ChinaUnicom,
    CarrierId::ChinaTelecom,
];

fn session(carrier: CarrierId) -> Session {
    let number = match carrier {
        CarrierId::ChinaMobile => "13800138000",
        CarrierId::ChinaUnicom => "18600186000",
        CarrierId::ChinaTelecom => "13300133000",
    };
    Session {
        msisdn: validate::phone(number).unwrap().0,
        token: Token::new("hostile"),
    }
}

/// A valid answer listing one plan whose name is `name`.
fn plans_answer(carrier: CarrierId, name: &str) -> String {
    let name = serde_json::to_string(name).unwrap();
    match carrier {
        CarrierId::ChinaMobile => format!(
            r#"{{"retCode":"000000","retMsg":"ok","data":{{"balance":0,"items":[{{"offerId":"P1","offerName":{name},"type":"BROADBAND","monthlyFee":9900,"status":"ACTIVE","contractEnd":null,"cancellable":true,"blockReason":null}}]}}}}"#
        ),
        CarrierId::ChinaUnicom => format!(
            r#"{{"respCode":"0000","respDesc":"ok","result":{{"balance":"0.00","products":[{{"productCode":"P1","productName":{name},"productType":"KD","fee":"99.00","state":"1","endDate":"","canCancel":"Y","reasonCode":""}}]}}}}"#
        ),
        CarrierId::ChinaTelecom => format!(
            r#"{{"jsonrpc":"2.0","id":null,"result":{{"balanceFen":0,"products":[{{"prodId":"P1","name":{name},"category":"broadband","monthlyFeeFen":9900,"status":"active","contractEndsOn":null,"cancelBlock":null}}]}}}}"#
        ),
    }
}

fn assert_protocol(result: Result<impl std::fmt::Debug, CarrierError>, what: &str) -> String {
    match result {
        Err(CarrierError {
            kind: ErrorKind::Protocol { detail, .. },
            ..
        }) => detail,
        other => panic!("{what}: expected a protocol error, got {other:?}"),
    }
}

/// Asks `carrier` for its plans; the answer must be refused for its size.
async fn assert_plans_too_large(h: &Hostile, carrier: CarrierId, what: &str) {
    let result = h.carrier(carrier).plans(&session(carrier)).await;
    let detail = assert_protocol(result.map(drop), &format!("{carrier} {what}"));
    assert!(detail.contains("1 MiB"), "{what}: {detail}");
}

#[tokio::test]
async fn a_five_mib_answer_is_a_protocol_error() {
    let h = Hostile::start("").await;
    for carrier in CARRIERS {
        // Valid JSON, so only the size can make it wrong.
        let name = "宽".repeat(FIVE_MIB / 3);
        h.answer(Answer::json(plans_answer(carrier, &name)));
        assert_plans_too_large(&h, carrier, "5 MiB").await;
    }
}

#[tokio::test]
async fn an_answer_without_content_length_is_counted_while_read() {
    let h = Hostile::start("").await;
    // No Content-Length at all (read to close) with a 5 MiB body: only
    // counting while reading can stop it.
    let name = "a".repeat(FIVE_MIB);
    let body = plans_answer(CarrierId::ChinaMobile, &name);
    h.answer(Answer::Unframed(body.into_bytes()));
    assert_plans_too_large(&h, CarrierId::ChinaMobile, "unframed 5 MiB").await;
}

#[tokio::test]
async fn an_endless_answer_is_a_protocol_error() {
    let h = Hostile::start("").await;
    h.answer(Answer::Endless);
    for carrier in CARRIERS {
        assert_plans_too_large(&h, carrier, "endless").await;
    }
}

#[tokio::test]
async fn a_long_text_field_is_refused_but_a_long_plan_name_within_bounds_is_kept() {
    let h = Hostile::start("").await;
    for carrier in CARRIERS {
        // Long enough to hide everything, small enough for the body cap.
        h.answer(Answer::json(plans_answer(carrier, &"x".repeat(100_000))));
        let result = h.carrier(carrier).plans(&session(carrier)).await;
        assert_protocol(result.map(drop), &format!("{carrier} long name"));
        // Issue 22's 10,000-character texts are the screens' to elide.
        h.answer(Answer::json(plans_answer(carrier, &"y".repeat(10_000))));
        let account = h.carrier(carrier).plans(&session(carrier)).await.unwrap();
        assert_eq!(account.plans[0].name.chars().count(), 10_000);
    }
}

fn application(msisdn: &str) -> Application {
    Application {
        holder_name: "张伟".to_owned(),
        id_number: validate::id_number("110101199003071233").unwrap(),
        contact: validate::phone(msisdn).unwrap().0,
        reason: ReasonCode::Moving,
        reason_text: String::new(),
    }
}

fn submit_request(carrier: CarrierId) -> SubmitRequest {
    SubmitRequest {
        idempotency_key: IdempotencyKey::derive(&KeySeed([7; 16]), "hostile", "s", "b"),
        quote_id: "Q1".to_owned(),
        application: application(session(carrier).msisdn.as_str()),
        accept_retention: false,
    }
}

fn pay_request() -> PayRequest {
    PayRequest {
        idempotency_key: IdempotencyKey::derive(&KeySeed([7; 16]), "hostile", "p", "b"),
        order_id: "OD1".to_owned(),
        method: PayMethod::Balance,
        card: None,
    }
}

/// The largest `Retry-After` a header can state, 136 years.
const FOR_EVER: &str = "4294967295";

/// A processing order, per dialect, with a wait of [`FOR_EVER`] seconds in
/// the header (and, for Telecom, in `retryAfterSec` too).
fn processing_order(carrier: CarrierId) -> Answer {
    let body = match carrier {
        CarrierId::ChinaMobile => r#"{"retCode":"000000","retMsg":"ok","data":{"orderId":"OD1","state":"PROCESSING","expectedBy":"2026-11-25T10:02:00+08:00"}}"#.to_owned(),
        CarrierId::ChinaUnicom => r#"{"respCode":"0000","respDesc":"ok","result":{"orderNo":"OD1","orderState":"20","rejectDesc":"","expectTime":"20261125100200"}}"#.to_owned(),
        CarrierId::ChinaTelecom => format!(r#"{{"jsonrpc":"2.0","id":null,"result":{{"orderId":"OD1","status":"processing","retryAfterSec":{FOR_EVER},"expectedBy":"2026-11-25T10:02:00+08:00"}}}}"#),
    };
    Answer::Whole {
        status: 200,
        headers: vec![format!("retry-after: {FOR_EVER}")],
        body: body.into_bytes(),
    }
}

#[tokio::test]
async fn a_wait_of_136_years_on_a_processing_order_is_bounded_by_the_config() {
    let h = Hostile::start("").await;
    // `network.max_wait_secs` in config/default.toml.
    let max = 30;
    for carrier in CARRIERS {
        h.answer(processing_order(carrier));
        let order = h
            .carrier(carrier)
            .order(&session(carrier), "OD1")
            .await
            .unwrap();
        assert_eq!(order.retry_after_secs, Some(max), "{carrier}");
    }
}

#[tokio::test]
async fn a_busy_answer_asking_136_years_ends_busy_with_a_bounded_wait() {
    let h = Hostile::start("max_wait_secs = 7").await;
    for carrier in CARRIERS {
        h.answer(Answer::Whole {
            status: 429,
            headers: vec![format!("retry-after: {FOR_EVER}")],
            body: Vec::new(),
        });
        let result = h.carrier(carrier).order(&session(carrier), "OD1").await;
        match result {
            Err(CarrierError {
                kind: ErrorKind::CarrierBusy { retry_after_secs },
                ..
            }) => assert_eq!(retry_after_secs, Some(7), "{carrier}"),
            other => panic!("{carrier}: expected busy, got {other:?}"),
        }
    }
}

/// The calls whose answers carry an id the wizard keeps.
#[derive(Debug, Clone, Copy)]
enum IdCall {
    Plans,
    Quote,
    Submit,
    Pay,
    Order,
}

/// A valid answer to `call` whose id (plan, quote, order or payment) is `id`.
fn answer_with_id(carrier: CarrierId, call: IdCall, id: &str) -> String {
    let id = serde_json::to_string(id).unwrap();
    let template = match (carrier, call) {
        (CarrierId::ChinaMobile, IdCall::Plans) => {
            r#"{"retCode":"000000","retMsg":"ok","data":{"balance":0,"items":[{"offerId":%ID%,"offerName":"n","type":"BROADBAND","monthlyFee":9900,"status":"ACTIVE","contractEnd":null,"cancellable":true,"blockReason":null}]}}"#
        }
        (CarrierId::ChinaMobile, IdCall::Quote) => {
            r#"{"retCode":"000000","retMsg":"ok","data":{"quoteId":%ID%,"items":[],"total":0,"effectiveDate":"2026-11-25","expiresAt":"2026-11-25T10:15:00+08:00","retention":null}}"#
        }
        (CarrierId::ChinaMobile, IdCall::Submit) => {
            r#"{"retCode":"000000","retMsg":"ok","data":{"orderId":%ID%,"state":"WAIT_PAY","amountDue":9460}}"#
        }
        (CarrierId::ChinaMobile, IdCall::Pay) => {
            r#"{"retCode":"000000","retMsg":"ok","data":{"paymentId":%ID%,"state":"PAID"}}"#
        }
        (CarrierId::ChinaMobile, IdCall::Order) => {
            r#"{"retCode":"000000","retMsg":"ok","data":{"orderId":%ID%,"state":"PROCESSING","expectedBy":"2026-11-25T10:02:00+08:00"}}"#
        }
        (CarrierId::ChinaUnicom, IdCall::Plans) => {
            r#"{"respCode":"0000","respDesc":"ok","result":{"balance":"0.00","products":[{"productCode":%ID%,"productName":"n","productType":"KD","fee":"99.00","state":"1","endDate":"","canCancel":"Y","reasonCode":""}]}}"#
        }
        (CarrierId::ChinaUnicom, IdCall::Quote) => {
            r#"{"respCode":"0000","respDesc":"ok","result":{"trialId":%ID%,"fees":[],"totalFee":"0.00","effectDate":"20261125","validUntil":"20261125101500","retain":null}}"#
        }
        (CarrierId::ChinaUnicom, IdCall::Submit) => {
            r#"{"respCode":"0000","respDesc":"ok","result":{"orderNo":%ID%,"orderState":"10"}}"#
        }
        (CarrierId::ChinaUnicom, IdCall::Pay) => {
            r#"{"respCode":"0000","respDesc":"ok","result":{"payNo":%ID%,"payState":"S"}}"#
        }
        (CarrierId::ChinaUnicom, IdCall::Order) => {
            r#"{"respCode":"0000","respDesc":"ok","result":{"orderNo":%ID%,"orderState":"20","rejectDesc":"","expectTime":"20261125100200"}}"#
        }
        (CarrierId::ChinaTelecom, IdCall::Plans) => {
            r#"{"jsonrpc":"2.0","id":null,"result":{"balanceFen":0,"products":[{"prodId":%ID%,"name":"n","category":"broadband","monthlyFeeFen":9900,"status":"active","contractEndsOn":null,"cancelBlock":null}]}}"#
        }
        (CarrierId::ChinaTelecom, IdCall::Quote) => {
            r#"{"jsonrpc":"2.0","id":null,"result":{"quoteId":%ID%,"charges":[],"totalFen":0,"effectiveOn":"2026-11-25","validUntil":"2026-11-25T10:15:00+08:00","retentionOffer":null}}"#
        }
        (CarrierId::ChinaTelecom, IdCall::Submit) => {
            r#"{"jsonrpc":"2.0","id":null,"result":{"orderId":%ID%,"status":"awaiting_payment"}}"#
        }
        (CarrierId::ChinaTelecom, IdCall::Pay) => {
            r#"{"jsonrpc":"2.0","id":null,"result":{"paymentId":%ID%,"status":"paid"}}"#
        }
        (CarrierId::ChinaTelecom, IdCall::Order) => {
            r#"{"jsonrpc":"2.0","id":null,"result":{"orderId":%ID%,"status":"processing","expectedBy":"2026-11-25T10:02:00+08:00"}}"#
        }
    };
    template.replace("%ID%", &id)
}

async fn make_id_call(carrier: &dyn Carrier, call: IdCall) -> Result<(), CarrierError> {
    let session = session(carrier.id());
    match call {
        IdCall::Plans => carrier.plans(&session).await.map(drop),
        IdCall::Quote => carrier.quote(&session, "P1").await.map(drop),
        IdCall::Submit => carrier
            .submit(&session, &submit_request(carrier.id()))
            .await
            .map(drop),
        IdCall::Pay => carrier.pay(&session, &pay_request()).await.map(drop),
        IdCall::Order => carrier.order(&session, "OD1").await.map(drop),
    }
}

const ID_CALLS: [IdCall; 5] = [
    IdCall::Plans,
    IdCall::Quote,
    IdCall::Submit,
    IdCall::Pay,
    IdCall::Order,
];

#[tokio::test]
async fn spec_style_ids_are_accepted() {
    let h = Hostile::start("").await;
    for carrier in CARRIERS {
        for call in ID_CALLS {
            h.answer(Answer::json(answer_with_id(carrier, call, "OD-2026_11")));
            let result = make_id_call(h.carrier(carrier).as_ref(), call).await;
            assert!(result.is_ok(), "{carrier} {call:?}: {result:?}");
        }
    }
}

#[tokio::test]
async fn empty_huge_and_path_like_ids_are_protocol_errors_in_every_dialect() {
    let h = Hostile::start("").await;
    let huge = "9".repeat(5002);
    let bad = [
        "",
        huge.as_str(),
        "..",
        "../../etc",
        "a/b",
        "a\\b",
        "OD\u{1b}[2J",
        "OD\u{202e}1",
    ];
    for carrier in CARRIERS {
        for call in ID_CALLS {
            for id in bad {
                h.answer(Answer::json(answer_with_id(carrier, call, id)));
                let result = make_id_call(h.carrier(carrier).as_ref(), call).await;
                let what = format!("{carrier} {call:?} id of {} chars", id.chars().count());
                let detail = assert_protocol(result, &what);
                assert!(detail.contains("an id"), "{what}: {detail}");
                assert!(!detail.contains(&"9".repeat(100)), "{what} quotes the id");
            }
        }
    }
}

/// A listener that only counts the connections made to it.
async fn counting_listener() -> (String, Arc<Mutex<u32>>) {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .unwrap();
    let url = format!("http://{}/sandbox/clock", listener.local_addr().unwrap());
    let hits = Arc::new(Mutex::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            *counted.lock().unwrap() += 1;
            drop(stream);
        }
    });
    (url, hits)
}

#[tokio::test]
async fn the_sandbox_side_channel_never_follows_a_redirect() {
    let (elsewhere, hits) = counting_listener().await;
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let redirect = Answer::Whole {
        status: 302,
        headers: vec![format!("location: {elsewhere}")],
        body: Vec::new(),
    };
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, redirect.clone()));
        }
    });
    let client = side_channel_client(std::time::Duration::from_secs(2)).unwrap();
    for path in ["/sandbox/clock", "/sandbox/inbox/13800138000"] {
        let response = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 302, "{path}");
    }
    assert_eq!(*hits.lock().unwrap(), 0, "the redirect was followed");
}

#[tokio::test]
async fn the_sandbox_side_channel_reads_at_most_1_mib() {
    let h = Hostile::start("").await;
    h.answer(Answer::Endless);
    let base = h.base.clone();
    let client = side_channel_client(std::time::Duration::from_secs(3)).unwrap();
    let response = client
        .get(format!("{base}/sandbox/clock"))
        .send()
        .await
        .unwrap();
    match read_capped("GET /sandbox/clock", response).await {
        Err(ErrorKind::Protocol { detail, .. }) => assert!(detail.contains("1 MiB"), "{detail}"),
        other => panic!("expected a protocol error, got {other:?}"),
    }
}
