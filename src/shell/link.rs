//! The shell's line to the carriers: the registry, connected once in the
//! background, and — for carriers that are a sandbox (the embedded one, or
//! `unsubscribe-wizard sandbox` on a loopback address) — the sandbox's
//! simulated clock and the person's simulated phone.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use tokio::sync::OnceCell;

use crate::carrier::http::read_capped;
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

/// The wizard's clock with a sandbox's offset (none: the local clock). An
/// adopted offset is bounded (`sandbox::clock::MAX_CLOCK_OFFSET`); should
/// one ever overflow all the same, the local clock stands.
pub fn now_with(offset: Option<chrono::Duration>) -> DateTime<Utc> {
    let now = Utc::now();
    offset
        .and_then(|offset| now.checked_add_signed(offset))
        .unwrap_or(now)
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

/// A client for a sandbox's own endpoints (clock, phone inbox): see
/// [`crate::carrier::http::side_channel_client`] — short timeout, no trust
/// roots, never a redirect, no retries.
pub fn sandbox_client() -> Option<reqwest::Client> {
    crate::carrier::http::side_channel_client(SIDE_CHANNEL_TIMEOUT)
}

/// How long a sandbox has to answer on its side channel: it is on this
/// computer.
const SIDE_CHANNEL_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /sandbox/clock`: the sandbox's time minus ours, or `None` when the
/// address does not answer like a sandbox, or its clock is further off than
/// a scenario ever moves it.
async fn sandbox_clock_offset(base: &str) -> Option<chrono::Duration> {
    let asked = Utc::now();
    let response = sandbox_client()?
        .get(format!("{base}/sandbox/clock"))
        .send()
        .await
        .ok()?;
    let body = read_capped("GET /sandbox/clock", response.error_for_status().ok()?)
        .await
        .ok()?;
    crate::sandbox::clock::offset_from_answer(&body, asked)
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
    let body = read_capped("GET /sandbox/inbox", response.error_for_status().ok()?)
        .await
        .ok()?;
    let inbox: Inbox = serde_json::from_slice(&body).ok()?;
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

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A loopback server answering each of at most `answers` connections
    /// with `response` (a whole HTTP/1.1 response); counts the requests.
    fn answering(response: String, answers: usize) -> (String, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let served = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&served);
        std::thread::spawn(move || {
            for stream in listener.incoming().take(answers) {
                let Ok(mut stream) = stream else { continue };
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                count.fetch_add(1, Ordering::SeqCst);
                let _ = stream.write_all(response.as_bytes());
            }
        });
        (base, served)
    }

    fn ok_json(body: &str) -> String {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    #[tokio::test]
    async fn a_clock_at_the_end_of_time_is_not_adopted() {
        let (base, _) = answering(ok_json(r#"{"now":"+262142-12-31T23:59:59Z"}"#), 1);
        assert_eq!(sandbox_clock_offset(&base).await, None);
        // Whatever offset a side holds, the wizard's clock never overflows.
        let _ = now_with(Some(chrono::Duration::MAX));
        let _ = now_with(Some(chrono::Duration::MIN));
    }

    #[tokio::test]
    async fn a_clock_a_month_ahead_is_adopted() {
        let ahead = Utc::now() + chrono::Duration::days(30);
        let body = format!(r#"{{"now":"{}"}}"#, ahead.to_rfc3339());
        let (base, _) = answering(ok_json(&body), 1);
        let offset = sandbox_clock_offset(&base).await.unwrap();
        assert!((offset - chrono::Duration::days(30)).abs() < chrono::Duration::seconds(5));
    }

    #[tokio::test]
    async fn the_phone_inbox_never_follows_a_redirect() {
        let inbox = r#"{"messages":[{"sentAt":"2026-11-25T10:00:00+08:00","kind":"code","text":"123456"}]}"#;
        let (elsewhere, reached) = answering(ok_json(inbox), 1);
        let redirect = format!(
            "HTTP/1.1 302 Found\r\nlocation: {elsewhere}/sandbox/inbox/18600186000\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        );
        let (base, _) = answering(redirect, 1);
        let client = sandbox_client().unwrap();
        assert_eq!(read_inbox(&client, &base, "18600186000").await, None);
        assert_eq!(
            reached.load(Ordering::SeqCst),
            0,
            "the redirect was followed"
        );
        // The same answer, not redirected, is read.
        let (direct, _) = answering(ok_json(inbox), 1);
        let messages = read_inbox(&client, &direct, "18600186000").await.unwrap();
        assert_eq!(messages.len(), 1);
    }
}
