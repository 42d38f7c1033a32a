//! The client itself: built once from the `[network]` table, it sends a
//! [`Request`] as often as the [`RetryPolicy`] allows and hands each reply
//! to the adapter's decoder.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderValue};

use super::decode::protocol;
use super::limits::{MAX_BODY_BYTES, body_too_large, bound_busy, bound_wait};
use super::retry::RetryPolicy;
use super::trace;
use super::{Attempt, Auth, Body, Reply, Request};
use crate::config::NetworkConfig;
use crate::core::error::{CarrierError, ErrorKind};

/// The shared client. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    policy: RetryPolicy,
    /// `network.max_wait_secs`: the longest carrier-given wait passed on.
    max_wait_secs: u32,
}

/// Why the HTTP client could not be built (a TLS set-up problem).
#[derive(Debug, thiserror::Error)]
#[error(
    "the HTTP client could not be set up ({0}); this is a bug or a broken TLS installation — please report it"
)]
pub struct HttpInitError(String);

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
            max_wait_secs: u32::try_from(network.max_wait.as_secs()).unwrap_or(u32::MAX),
        })
    }

    /// The retry policy in force.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// A wait the carrier asked for (`Retry-After`, Telecom's
    /// `retryAfterSec`), shortened to `network.max_wait_secs`. Adapters pass
    /// every such wait through this before it reaches the flow.
    pub fn bound_wait(&self, asked: Option<u32>) -> Option<u32> {
        bound_wait(asked, self.max_wait_secs)
    }

    /// Sends `request`, retrying retryable faults, and decodes the reply.
    ///
    /// HTTP 429/502/503/504 never reach `decode` (they are
    /// [`ErrorKind::CarrierBusy`]); every other reply does, and `decode` maps
    /// it to a value or an [`ErrorKind`] — a busy code as `CarrierBusy`, which
    /// is then retried like the statuses. A `CarrierBusy` that ends the call
    /// carries the carrier's wait bounded by `network.max_wait_secs`.
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
            let (result, outcome_unknown) = self
                .send_and_decode(request, attempt, content_type, &body, &decode)
                .await;
            let kind = match result {
                Ok(value) => return Ok(value),
                Err(kind) => kind,
            };
            let Some(wait) =
                self.wait_before_retry(request, attempt.number, &kind, outcome_unknown)
            else {
                return Err(fail(bound_busy(kind, self.max_wait_secs)));
            };
            tokio::time::sleep(wait).await;
            attempt.number += 1;
            attempt.earlier_outcome_unknown |= outcome_unknown;
        }
    }

    /// One attempt, traced, and its reply decoded; also whether it ended
    /// without an answer (so it may have taken effect).
    async fn send_and_decode<T>(
        &self,
        request: &Request<'_>,
        attempt: Attempt,
        content_type: Option<&'static str>,
        body: &[u8],
        decode: &impl Fn(&Reply, Attempt) -> Result<T, ErrorKind>,
    ) -> (Result<T, ErrorKind>, bool) {
        trace::request(request, attempt.number);
        let started = Instant::now();
        match self.once(request, content_type, body).await {
            Ok(reply) => {
                trace::reply(request, attempt.number, &reply, started.elapsed());
                (
                    classify(&reply).and_then(|()| decode(&reply, attempt)),
                    false,
                )
            }
            Err(kind) => {
                trace::no_reply(request, attempt.number, started.elapsed(), &kind);
                (Err(kind), true)
            }
        }
    }

    /// How long to wait before sending attempt `attempt` + 1, or `None` to
    /// give up. An attempt without an answer is only resent when the call
    /// allows it (see [`Request::resend_unanswered`]).
    fn wait_before_retry(
        &self,
        request: &Request<'_>,
        attempt: u32,
        kind: &ErrorKind,
        outcome_unknown: bool,
    ) -> Option<Duration> {
        // The thread-local RNG is not `Send`; it must be gone before the await.
        let wait = if outcome_unknown && !request.resend_unanswered {
            None
        } else {
            self.policy
                .wait_before_retry(attempt, kind, &mut rand::rng())
        };
        match wait {
            Some(wait) => trace::retrying(request, attempt, wait, kind),
            None => trace::giving_up(request, attempt, kind),
        }
        wait
    }

    /// One attempt: send, read the whole body (at most [`MAX_BODY_BYTES`]).
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
        let body = read_capped(request.call, response).await?;
        Ok(Reply {
            status,
            headers,
            body,
        })
    }
}

/// A client for a sandbox's own side channel (`GET /sandbox/clock`, `GET
/// /sandbox/inbox/{msisdn}`): plain http to loopback, a short timeout, no
/// trust roots (it never speaks TLS, and loading them reads the whole system
/// certificate store), and never a redirect — a loopback server must not be
/// able to send the wizard on to another host, over plain http at that.
/// Read its answers with [`read_capped`], so they are bounded like a
/// carrier's.
pub fn side_channel_client(timeout: Duration) -> Option<reqwest::Client> {
    // Installing twice is harmless; the first provider stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .tls_certs_only([])
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never())
        .build()
        .ok()
}

/// Reads a body of at most [`MAX_BODY_BYTES`], counting while reading: a
/// `Content-Length` may be missing (chunked, or read to close) and a body
/// may never end, so only the running count can stop it. `call` names the
/// request in the protocol error.
pub async fn read_capped(
    call: &str,
    mut response: reqwest::Response,
) -> Result<Vec<u8>, ErrorKind> {
    if response
        .content_length()
        .is_some_and(|length| length > MAX_BODY_BYTES as u64)
    {
        return Err(body_too_large(call));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(call, &e))?
    {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(body_too_large(call));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The statuses the spec makes retryable, before any decoding.
pub(super) fn classify(reply: &Reply) -> Result<(), ErrorKind> {
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

/// The body's bytes and content type, encoded once for every attempt.
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
