//! The shell's line to the carriers: the registry, connected once in the
//! background, and — for carriers that are a sandbox (the embedded one, or
//! `unsubscribe-wizard sandbox` on a loopback address) — the sandbox's
//! simulated clock and the person's simulated phone.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use tokio::sync::OnceCell;

use crate::carrier::registry::{self, Registry, RegistryError};
use crate::config::{Config, Endpoint};
use crate::core::model::CarrierId;
use crate::ui::PhoneMessage;

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

/// Why the carriers could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The adapters (or the embedded sandbox) could not be set up; the
    /// registry's error says what to do.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// The line to the carriers: connected once, by whichever comes first — the
/// start-up task or the first call — and shared by every call after that.
pub struct Link {
    config: Config,
    connection: OnceCell<Result<Connection, LinkError>>,
}

impl Link {
    /// A link that connects on first use, from `config`.
    pub fn new(config: Config) -> Link {
        Link {
            config,
            connection: OnceCell::new(),
        }
    }

    /// A link over adapters already connected (headless drivers: tests,
    /// benches). Its carriers count as real ones: no sandbox clock, no phone.
    pub fn ready(config: Config, registry: Registry) -> Link {
        let connection = Connection {
            registry,
            sandboxes: HashMap::new(),
        };
        Link {
            config,
            connection: OnceCell::new_with(Some(Ok(connection))),
        }
    }

    /// The connection, made on first use.
    pub async fn connect(&self) -> Result<&Connection, &LinkError> {
        self.connection
            .get_or_init(|| connect(&self.config))
            .await
            .as_ref()
    }

    /// The connection, if it is made and good (never waits).
    pub fn connection(&self) -> Option<&Connection> {
        self.connection.get()?.as_ref().ok()
    }

    /// The sandbox behind `carrier`, once connected, if it is one.
    pub fn sandbox(&self, carrier: CarrierId) -> Option<&SandboxSide> {
        self.connection()?.sandbox(carrier)
    }
}

/// Builds the adapters and finds which carriers are a sandbox (and its clock).
async fn connect(config: &Config) -> Result<Connection, LinkError> {
    let registry = registry::connect(config).await?;
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
