//! The shell's line to the carriers: the registry, connected once in the
//! background, and — for carriers that are a sandbox (the embedded one, or
//! `unsubscribe-wizard sandbox` on a loopback address) — the sandbox's
//! simulated clock and the person's simulated phone.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use tokio::sync::OnceCell;

use crate::ui::PhoneMessage;
use crate::carrier::registry::{self, Registry};
use crate::config::{Config, Endpoint};
use crate::core::model::CarrierId;

/// A carrier that is a sandbox: where it is, and how far its (possibly
/// pinned) clock is from ours.
#[derive(Debug, Clone)]
pub struct SandboxSide {
    /// Its base URL.
    pub base: String,
    /// Its clock minus ours: the wizard adopts the sandbox's time, so quote
    /// expiry, code cooldowns and stall detection agree with it.
    pub clock_offset: chrono::Duration,
}

/// The carriers, once reachable.
pub struct Connection {
    /// The adapters.
    pub registry: Registry,
    sandboxes: HashMap<CarrierId, SandboxSide>,
}

impl Connection {
    /// The sandbox behind `carrier`, if it is one.
    pub fn sandbox(&self, carrier: CarrierId) -> Option<&SandboxSide> {
        self.sandboxes.get(&carrier)
    }
}

/// Set once, by whichever comes first: the start-up task or the first call.
pub type Link = Arc<OnceCell<Result<Connection, String>>>;

/// The connection, made on first use.
pub async fn connected<'a>(link: &'a Link, config: &Config) -> &'a Result<Connection, String> {
    link.get_or_init(|| async {
        let registry = registry::connect(config).await.map_err(|e| e.to_string())?;
        let mut sandboxes = HashMap::new();
        let mut probed: HashMap<String, Option<chrono::Duration>> = HashMap::new();
        for carrier in CarrierId::ALL {
            let Some(base) = sandbox_candidate(config.endpoint(carrier), &registry) else {
                continue;
            };
            if !probed.contains_key(&base) {
                let offset = sandbox_clock_offset(&base).await;
                probed.insert(base.clone(), offset);
            }
            if let Some(Some(clock_offset)) = probed.get(&base) {
                sandboxes.insert(
                    carrier,
                    SandboxSide {
                        base,
                        clock_offset: *clock_offset,
                    },
                );
            }
        }
        Ok(Connection {
            registry,
            sandboxes,
        })
    })
    .await
}

/// Where a sandbox could be: the embedded one, or a plain-http loopback
/// address (a real carrier is never plain http, nor on this machine).
fn sandbox_candidate(endpoint: &Endpoint, registry: &Registry) -> Option<String> {
    match endpoint {
        Endpoint::Embedded => registry.sandbox_url(),
        Endpoint::Url(url) if url.scheme() == "http" => {
            Some(url.as_str().trim_end_matches('/').to_owned())
        }
        Endpoint::Url(_) => None,
    }
}

/// A client for a sandbox's own endpoints (clock, phone inbox): plain http
/// on loopback, short timeout, and no trust roots, since it never speaks TLS
/// (loading them reads the whole system certificate store).
pub fn sandbox_client() -> Option<reqwest::Client> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .tls_certs_only([])
        .timeout(Duration::from_secs(2))
        .build()
        .ok()
}

/// `GET /sandbox/clock`: the sandbox's time minus ours, or `None` when the
/// address does not answer like a sandbox.
async fn sandbox_clock_offset(base: &str) -> Option<chrono::Duration> {
    #[derive(serde::Deserialize)]
    struct Clock {
        now: DateTime<FixedOffset>,
    }
    let asked = Utc::now();
    let response = sandbox_client()?
        .get(format!("{base}/sandbox/clock"))
        .send()
        .await
        .ok()?;
    let clock: Clock = response.error_for_status().ok()?.json().await.ok()?;
    Some(clock.now.to_utc() - asked)
}

/// The sandbox phone: `GET /sandbox/inbox/{msisdn}`. Anything unexpected is
/// simply not shown (the panel keeps what it had).
pub async fn read_inbox(
    client: &reqwest::Client,
    base: &str,
    msisdn: &str,
) -> Option<Vec<PhoneMessage>> {
    #[derive(serde::Deserialize)]
    struct Inbox {
        messages: Vec<InboxMessage>,
    }
    #[derive(serde::Deserialize)]
    struct InboxMessage {
        #[serde(rename = "sentAt")]
        sent_at: DateTime<FixedOffset>,
        kind: String,
        text: String,
    }
    let url = format!("{base}/sandbox/inbox/{msisdn}");
    let response = client.get(url).send().await.ok()?;
    let inbox: Inbox = response.json().await.ok()?;
    Some(
        inbox
            .messages
            .into_iter()
            .map(|m| PhoneMessage {
                sent_at: m.sent_at,
                is_code: m.kind == "code",
                text: m.text,
            })
            .collect(),
    )
}
