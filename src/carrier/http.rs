//! The one HTTP client the three adapters share: timeouts from the config,
//! retries for exactly the faults the spec calls retryable, and a trace of
//! every request and response with secrets and personal data masked.
//!
//! An adapter describes a call once as a [`Request`] (method, URL, credential,
//! idempotency key, body) and hands [`Http::send`] a decoder for the reply.
//! The body is encoded once, before the first attempt, so every retry sends
//! the same bytes under the same idempotency key — the carrier then returns
//! the original result instead of creating a second order or charge.
//!
//! Retryable (spec, "Shared semantics"): HTTP 429 (honouring `Retry-After`),
//! 502, 503, 504, connection failures and timeouts, and the dialects' busy
//! codes — which the decoder reports as [`ErrorKind::CarrierBusy`]. Everything
//! else is final and returned at once.

use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue, RETRY_AFTER, SET_COOKIE};
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use crate::config::NetworkConfig;
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::model::{CarrierId, mask_middle};
use crate::core::secret::Token;

/// The shared client. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    policy: RetryPolicy,
}

/// Why the HTTP client could not be built (a TLS set-up problem).
#[derive(Debug, thiserror::Error)]
#[error(
    "the HTTP client could not be set up ({0}); this is a bug or a broken TLS installation — please report it"
)]
pub struct HttpInitError(String);

/// How often and how patiently a call is retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Most times one call is sent, the first try included (at least 1).
    pub max_attempts: u32,
    /// First backoff step; doubled on every retry.
    pub backoff_base: Duration,
    /// Largest backoff step.
    pub backoff_cap: Duration,
    /// Longest `Retry-After` waited out; a longer one ends the call.
    pub max_retry_after: Duration,
}

impl RetryPolicy {
    /// The policy of the `[network]` table.
    pub fn from_config(network: &NetworkConfig) -> RetryPolicy {
        RetryPolicy {
            max_attempts: network.max_attempts.max(1),
            backoff_base: network.backoff_base,
            backoff_cap: network.backoff_cap,
            max_retry_after: network.max_retry_after,
        }
    }

    /// The longest sleep before retry number `retry` (1 for the first
    /// retry): `min(cap, base × 2^(retry−1))`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(30);
        self.backoff_base
            .saturating_mul(1u32 << doublings)
            .min(self.backoff_cap)
    }

    /// What to do after attempt number `attempt` failed with `kind`: wait the
    /// returned time and send again, or give up (`None`). "Full jitter": the
    /// wait is uniform in `[0, ceiling]`, so clients that failed together do
    /// not retry together. A carrier's `Retry-After` replaces the backoff; one
    /// longer than `max_retry_after` is not waited out here but returned to
    /// the flow in the error.
    pub fn wait_before_retry(
        &self,
        attempt: u32,
        kind: &ErrorKind,
        rng: &mut impl Rng,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts || !kind.is_retryable() {
            return None;
        }
        if let ErrorKind::CarrierBusy {
            retry_after_secs: Some(secs),
        } = kind
        {
            let asked = Duration::from_secs(u64::from(*secs));
            return (asked <= self.max_retry_after).then_some(asked);
        }
        let ceiling = u64::try_from(self.backoff_ceiling(attempt).as_millis()).unwrap_or(u64::MAX);
        Some(Duration::from_millis(rng.random_range(0..=ceiling)))
    }
}

/// The credential a call carries.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// None (sending a code, logging in, JSON-RPC with the token in params).
    None,
    /// `Authorization: Bearer <token>` (China Mobile).
    Bearer(&'a Token),
    /// `Cookie: <name>=<value>` (China Unicom's `CUSESSION`).
    Cookie {
        /// The cookie's name.
        name: &'static str,
        /// Its value.
        value: &'a Token,
    },
}

/// A request body, encoded once and sent unchanged on every attempt.
#[derive(Debug, Clone)]
pub enum Body {
    /// No body (GET).
    Empty,
    /// `application/json`.
    Json(Value),
    /// `application/x-www-form-urlencoded`, fields in this order.
    Form(Vec<(&'static str, String)>),
}

/// One call, described once and sent as often as the policy allows.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// Whose API this is (for errors and traces).
    pub carrier: CarrierId,
    /// The call's name in the spec (`POST /cancel/orders`, `cancel.submit`),
    /// used in errors and traces.
    pub call: &'a str,
    /// The HTTP method.
    pub method: Method,
    /// The full URL.
    pub url: Url,
    /// The credential.
    pub auth: Auth<'a>,
    /// Sent as the `Idempotency-Key` header when present (China Mobile).
    pub idempotency_key: Option<String>,
    /// Whether an attempt that got no answer (timeout, broken connection)
    /// may be sent again. True for reads and for calls the carrier
    /// deduplicates; false for login, where a lost attempt may already have
    /// spent the one-time SMS code, so a resend could only be refused as a
    /// wrong code — and count towards the lock after five.
    pub resend_unanswered: bool,
    /// The body.
    pub body: Body,
}

/// What came back from one attempt.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Reply {
    /// `Retry-After` in seconds, when the carrier sent one (the spec uses
    /// seconds only; an HTTP date is ignored).
    pub fn retry_after_secs(&self) -> Option<u32> {
        self.headers
            .get(RETRY_AFTER)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// The value of cookie `name` from the `Set-Cookie` headers, if set.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|header| {
                let pair = header.split(';').next()?;
                let (key, value) = pair.split_once('=')?;
                (key.trim() == name).then(|| value.trim().to_owned())
            })
            .filter(|v| !v.is_empty())
    }
}

/// Where in its retries a call is, for decoders that must tell "the carrier
/// refused" from "an earlier, lost attempt already did it".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first try.
    pub number: u32,
    /// Whether an earlier attempt ended without an answer (timeout or broken
    /// connection), so it may have taken effect.
    pub earlier_outcome_unknown: bool,
}

impl Http {
    /// Builds the client: rustls with the ring provider (no OpenSSL), the
    /// config's timeouts, no redirects (a carrier API never redirects; one
    /// that does should not get our token), and no hidden retries of its own.
    ///
    /// `https` says whether any endpoint needs TLS. Without it (every carrier
    /// a plain-http sandbox on loopback) the client gets no trust roots, so
    /// the system's certificate store, hundreds of files, is never read.
    pub fn new(network: &NetworkConfig, https: bool) -> Result<Http, HttpInitError> {
        // Installing twice is harmless; the first provider stays.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder();
        if !https {
            builder = builder.tls_certs_only([]);
        }
        let client = builder
            .connect_timeout(network.connect_timeout)
            .timeout(network.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .user_agent(concat!("unsubscribe-wizard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| HttpInitError(e.to_string()))?;
        Ok(Http {
            client,
            policy: RetryPolicy::from_config(network),
        })
    }

    /// The retry policy in force.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Sends `request`, retrying retryable faults, and decodes the reply.
    ///
    /// HTTP 429/502/503/504 never reach `decode` (they are
    /// [`ErrorKind::CarrierBusy`]); every other reply does, and `decode` maps
    /// it to a value or an [`ErrorKind`] — a busy code as `CarrierBusy`, which
    /// is then retried like the statuses.
    pub async fn send<T>(
        &self,
        request: &Request<'_>,
        decode: impl Fn(&Reply, Attempt) -> Result<T, ErrorKind>,
    ) -> Result<T, CarrierError> {
        let fail = |kind| CarrierError::new(request.carrier, kind);
        let (content_type, body) = encode(&request.body).map_err(|detail| {
            fail(ErrorKind::Protocol {
                call: request.call.to_owned(),
                detail,
            })
        })?;
        let mut attempt = Attempt {
            number: 1,
            earlier_outcome_unknown: false,
        };
        loop {
            trace_request(request, attempt.number);
            let started = Instant::now();
            let (result, outcome_unknown) = match self.once(request, content_type, &body).await {
                Ok(reply) => {
                    trace_reply(request, attempt.number, &reply, started.elapsed());
                    (
                        classify(&reply).and_then(|()| decode(&reply, attempt)),
                        false,
                    )
                }
                Err(kind) => {
                    tracing::debug!(
                        target: "carrier",
                        carrier = request.carrier.config_key(),
                        call = request.call,
                        attempt = attempt.number,
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        error = %kind,
                        "no reply"
                    );
                    (Err(kind), true)
                }
            };
            let kind = match result {
                Ok(value) => return Ok(value),
                Err(kind) => kind,
            };
            // The thread-local RNG is not `Send`; it must be gone before the await.
            let wait = if outcome_unknown && !request.resend_unanswered {
                None
            } else {
                self.policy
                    .wait_before_retry(attempt.number, &kind, &mut rand::rng())
            };
            let Some(wait) = wait else {
                tracing::info!(
                    target: "carrier",
                    carrier = request.carrier.config_key(),
                    call = request.call,
                    attempts = attempt.number,
                    error = %kind,
                    "giving up"
                );
                return Err(fail(kind));
            };
            tracing::info!(
                target: "carrier",
                carrier = request.carrier.config_key(),
                call = request.call,
                attempt = attempt.number,
                wait_ms = wait.as_millis() as u64,
                error = %kind,
                "retrying with the same body and key"
            );
            tokio::time::sleep(wait).await;
            attempt.number += 1;
            attempt.earlier_outcome_unknown |= outcome_unknown;
        }
    }

    /// One attempt: send, read the whole body.
    async fn once(
        &self,
        request: &Request<'_>,
        content_type: Option<&'static str>,
        body: &[u8],
    ) -> Result<Reply, ErrorKind> {
        let mut builder = self
            .client
            .request(request.method.clone(), request.url.clone());
        match request.auth {
            Auth::None => {}
            Auth::Bearer(token) => builder = builder.bearer_auth(token.expose()),
            Auth::Cookie { name, value } => {
                let mut header = HeaderValue::from_str(&format!("{name}={}", value.expose()))
                    .map_err(|_| ErrorKind::SessionExpired)?;
                header.set_sensitive(true);
                builder = builder.header(COOKIE, header);
            }
        }
        if let Some(key) = &request.idempotency_key {
            builder = builder.header("Idempotency-Key", key.as_str());
        }
        if let Some(content_type) = content_type {
            builder = builder
                .header(CONTENT_TYPE, content_type)
                .body(body.to_vec());
        }
        let response = builder
            .send()
            .await
            .map_err(|e| transport_error(request.call, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_error(request.call, &e))?
            .to_vec();
        Ok(Reply {
            status,
            headers,
            body,
        })
    }
}

/// The statuses the spec makes retryable, before any decoding.
fn classify(reply: &Reply) -> Result<(), ErrorKind> {
    match reply.status {
        StatusCode::TOO_MANY_REQUESTS
        | StatusCode::BAD_GATEWAY
        | StatusCode::SERVICE_UNAVAILABLE
        | StatusCode::GATEWAY_TIMEOUT => Err(ErrorKind::CarrierBusy {
            retry_after_secs: reply.retry_after_secs(),
        }),
        _ => Ok(()),
    }
}

fn encode(body: &Body) -> Result<(Option<&'static str>, Vec<u8>), String> {
    match body {
        Body::Empty => Ok((None, Vec::new())),
        Body::Json(value) => serde_json::to_vec(value)
            .map(|b| (Some("application/json"), b))
            .map_err(|e| format!("the request could not be encoded: {e}")),
        Body::Form(fields) => serde_urlencoded::to_string(fields)
            .map(|s| (Some("application/x-www-form-urlencoded"), s.into_bytes()))
            .map_err(|e| format!("the request could not be encoded: {e}")),
    }
}

/// A failed attempt without an answer: a timeout, or a connection that
/// could not be made or broke.
fn transport_error(call: &str, error: &reqwest::Error) -> ErrorKind {
    if error.is_timeout() {
        return ErrorKind::TimedOut {
            call: call.to_owned(),
        };
    }
    // Nothing was sent: retrying the same request cannot help.
    if error.is_builder() {
        return protocol(
            call,
            "the request could not be built (a credential or id with characters HTTP does not allow)",
        );
    }
    // The innermost cause says what happened ("connection reset by peer",
    // "connection refused") without the URL.
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let what = if error.is_connect() {
        "could not connect"
    } else {
        "the connection broke"
    };
    ErrorKind::NetworkUnreachable {
        detail: format!("{call}: {what} ({cause})"),
    }
}

// ---------------------------------------------------------------------------
// Decoding helpers the adapters share: every malformed answer becomes
// `ErrorKind::Protocol` naming the call, never a panic.

/// A [`ErrorKind::Protocol`] for `call`.
pub fn protocol(call: &str, detail: impl Into<String>) -> ErrorKind {
    ErrorKind::Protocol {
        call: call.to_owned(),
        detail: detail.into(),
    }
}

/// Parses a body as JSON into a wire type. The parser's message is kept
/// (it names the field and position) with digit runs masked, since it may
/// quote a value.
pub fn parse_json<T: serde::de::DeserializeOwned>(call: &str, body: &[u8]) -> Result<T, ErrorKind> {
    serde_json::from_slice(body).map_err(|e| {
        protocol(
            call,
            format!(
                "the body is not the JSON the spec defines: {}",
                mask_digit_runs(&e.to_string())
            ),
        )
    })
}

/// Reads a JSON value (the `data`/`result` part of an envelope) into a wire
/// type; `part` names it in the error.
pub fn from_value<T: serde::de::DeserializeOwned>(
    call: &str,
    part: &str,
    value: Value,
) -> Result<T, ErrorKind> {
    serde_json::from_value(value).map_err(|e| {
        protocol(
            call,
            format!(
                "`{part}` is not what the spec defines: {}",
                mask_digit_runs(&e.to_string())
            ),
        )
    })
}

/// An answer of the form "a result code, a message, a payload" (China
/// Mobile's `retCode`/`data`, China Unicom's `respCode`/`result`).
pub trait CodedEnvelope: serde::de::DeserializeOwned {
    /// The code field's name, for error messages.
    const CODE_FIELD: &'static str;
    /// The payload field's name, for error messages.
    const PAYLOAD_FIELD: &'static str;
    /// The success code.
    const OK: &'static str;
    /// The result code.
    fn code(&self) -> &str;
    /// The payload, taken out.
    fn into_payload(self) -> Value;
}

/// Reads a coded envelope: the payload of a success into `T`; a refusal
/// through `refused` (the dialect's table of codes); a body that is not the
/// envelope, or an HTTP error that claims success, as a protocol error.
pub fn decode_coded<E: CodedEnvelope, T: serde::de::DeserializeOwned>(
    call: &str,
    reply: &Reply,
    refused: impl FnOnce(&E) -> ErrorKind,
) -> Result<T, ErrorKind> {
    let envelope: E = match parse_json(call, &reply.body) {
        Ok(envelope) => envelope,
        Err(_) if !reply.status.is_success() => {
            return Err(protocol(
                call,
                format!("HTTP {} without a {}", reply.status, E::CODE_FIELD),
            ));
        }
        Err(e) => return Err(e),
    };
    if envelope.code() != E::OK {
        return Err(refused(&envelope));
    }
    if !reply.status.is_success() {
        return Err(protocol(
            call,
            format!("HTTP {} with {} {}", reply.status, E::CODE_FIELD, E::OK),
        ));
    }
    // A success without a payload is an empty object.
    let payload = match envelope.into_payload() {
        Value::Null => Value::Object(Default::default()),
        payload => payload,
    };
    from_value(call, E::PAYLOAD_FIELD, payload)
}

/// `root` with `segments` appended as path segments (percent-encoded, so an
/// order id cannot change the path).
pub fn join_url(root: &Url, segments: &[&str]) -> Url {
    let mut url = root.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// A code request whose earlier attempt got lost may have sent the code:
/// then "too often" on the retry means the code is on its way.
pub fn code_sent(result: Result<(), ErrorKind>, attempt: Attempt) -> Result<(), ErrorKind> {
    match result {
        Err(ErrorKind::CodeTooOften) if attempt.earlier_outcome_unknown => Ok(()),
        other => other,
    }
}

// ---------------------------------------------------------------------------
// Traces. The log is a file, but still never holds a secret: credentials,
// codes, passwords, ID and card numbers are replaced, phone numbers and names
// masked, and long digit runs in free text masked too (a notice may quote a
// number).

fn trace_request(request: &Request<'_>, attempt: u32) {
    let auth = match request.auth {
        Auth::None => "none",
        Auth::Bearer(_) => "bearer [redacted]",
        Auth::Cookie { .. } => "cookie [redacted]",
    };
    let body = match &request.body {
        Body::Empty => String::new(),
        Body::Json(value) => redact_json(value, None).to_string(),
        Body::Form(fields) => redact_form(fields),
    };
    tracing::debug!(
        target: "carrier",
        carrier = request.carrier.config_key(),
        call = request.call,
        attempt,
        method = %request.method,
        path = request.url.path(),
        query = request.url.query().unwrap_or(""),
        auth,
        idempotency_key = request.idempotency_key.as_deref().unwrap_or(""),
        body = %body,
        "request"
    );
}

fn trace_reply(request: &Request<'_>, attempt: u32, reply: &Reply, elapsed: Duration) {
    let body = match serde_json::from_slice::<Value>(&reply.body) {
        Ok(value) => redact_json(&value, None).to_string(),
        Err(_) => format!("<{} bytes, not JSON>", reply.body.len()),
    };
    tracing::debug!(
        target: "carrier",
        carrier = request.carrier.config_key(),
        call = request.call,
        attempt,
        status = reply.status.as_u16(),
        retry_after = reply.retry_after_secs(),
        elapsed_ms = elapsed.as_millis() as u64,
        body = %body,
        "response"
    );
}

/// Keys whose values are secrets: replaced entirely.
const SECRET_KEYS: &[&str] = &[
    "smsCode",
    "servicePwd",
    "password",
    "token",
    "accessToken",
    "cardNo",
    "cardNumber",
    "idNumber",
    "certNo",
];
/// Keys whose values are phone numbers: `138****8000`.
const PHONE_KEYS: &[&str] = &["msisdn", "mobile", "phone", "contactMsisdn", "contactPhone"];
/// Keys whose values are a person's name: first character kept.
const NAME_KEYS: &[&str] = &["holderName", "custName", "name"];

/// Keys whose values are status codes, logged verbatim (`"000000"` is not
/// an SMS code).
const STATUS_KEYS: &[&str] = &["retCode", "respCode"];

/// How one value under `key` is written to the log.
fn redact_str(key: Option<&str>, value: &str) -> String {
    match key {
        Some(k) if STATUS_KEYS.contains(&k) => value.to_owned(),
        Some(k) if SECRET_KEYS.contains(&k) => "[redacted]".to_owned(),
        // Telecom's login `code` is the SMS code; other `code`s (fee codes,
        // reason codes) are words and stay readable.
        Some("code") if value.bytes().any(|b| b.is_ascii_digit()) => "[redacted]".to_owned(),
        Some(k) if PHONE_KEYS.contains(&k) => mask_middle(value, 3, 4),
        Some(k) if NAME_KEYS.contains(&k) => mask_middle(value, 1, 0),
        _ => mask_digit_runs(value),
    }
}

/// A JSON value as it may be logged.
pub(crate) fn redact_json(value: &Value, key: Option<&str>) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), redact_json(v, Some(k))))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| redact_json(v, key)).collect()),
        Value::String(s) => Value::String(redact_str(key, s)),
        Value::Number(_) if key.is_some_and(|k| SECRET_KEYS.contains(&k)) => {
            Value::String("[redacted]".to_owned())
        }
        other => other.clone(),
    }
}

/// A form body as it may be logged.
pub(crate) fn redact_form(fields: &[(&'static str, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", redact_str(Some(k), v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Masks digit runs that look like personal data in free text: 6 digits (an
/// SMS code or password) entirely, 11 (a phone number) and 15–19 (an ID or
/// card number, with a trailing `X`) keeping the first 3 and last 4. Dates
/// and times (8 and 14 digits) and amounts stay readable.
pub fn mask_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 17 && i < chars.len() && matches!(chars[i], 'X' | 'x') {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        match run.len() {
            6 => out.push_str("******"),
            11 | 15..=19 => out.push_str(&mask_middle(&run, 3, 4)),
            _ => out.push_str(&run),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use serde_json::json;

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
}
