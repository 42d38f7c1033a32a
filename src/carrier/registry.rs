//! The three adapters, built from the configuration.
//!
//! Carriers whose `base_url` is `"embedded"` all point at one in-process
//! sandbox on an ephemeral 127.0.0.1 port, started here and kept running for
//! as long as the [`Registry`] lives; the others use their URL as is. All
//! three share one HTTP client (one connection pool, one retry policy).
//!
//! With a data directory configured, the embedded sandbox keeps its world in
//! [`sandbox_state_file`], so an order a killed wizard left behind still
//! exists when it is resumed, as it would at a real carrier.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use reqwest::Url;

use super::Carrier;
use super::china_mobile::ChinaMobile;
use super::china_telecom::ChinaTelecom;
use super::china_unicom::ChinaUnicom;
use super::http::{Http, HttpInitError};
use crate::config::{Config, Endpoint};
use crate::core::model::CarrierId;
use crate::sandbox::{Sandbox, World};

/// The adapters, and the embedded sandbox when one is in use.
pub struct Registry {
    mobile: Arc<dyn Carrier>,
    unicom: Arc<dyn Carrier>,
    telecom: Arc<dyn Carrier>,
    /// Kept so the server runs as long as the adapters that point at it.
    sandbox: Option<Sandbox>,
    sandbox_url: Option<String>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("sandbox_url", &self.sandbox_url)
            .finish_non_exhaustive()
    }
}

/// Why the carriers could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The HTTP client could not be built.
    #[error(transparent)]
    Http(#[from] HttpInitError),
    /// The embedded sandbox could not listen on 127.0.0.1.
    #[error(
        "the built-in sandbox carrier could not start on 127.0.0.1 ({0}); check that the loopback interface is up, or set base_url to a running sandbox (`unsubscribe-wizard sandbox`)"
    )]
    Sandbox(#[source] io::Error),
    /// The embedded sandbox could not start with its saved state.
    #[error(
        "the built-in sandbox carrier could not start with its saved state {path} ({source}); check that the loopback interface is up and that the folder is writable by you"
    )]
    SandboxState {
        /// The state file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: io::Error,
    },
    /// The embedded sandbox reported an address that is not a URL.
    #[error("the built-in sandbox reported the address {0:?}, which is not a URL; this is a bug")]
    SandboxUrl(String),
}

/// Where the embedded sandbox keeps its world under a data directory.
pub fn sandbox_state_file(data_dir: &Path) -> PathBuf {
    data_dir.join("sandbox").join("world-state.json")
}

/// Builds the three adapters from `config`, starting the embedded sandbox if
/// any carrier uses it: persistent in [`sandbox_state_file`] when
/// `config.wizard.data_dir` is set, in memory otherwise.
pub async fn connect(config: &Config) -> Result<Registry, RegistryError> {
    let https = CarrierId::ALL
        .iter()
        .any(|c| matches!(config.endpoint(*c), Endpoint::Url(url) if url.scheme() == "https"));
    let http = Http::new(&config.network, https)?;
    let wants_sandbox = CarrierId::ALL
        .iter()
        .any(|c| config.endpoint(*c) == &Endpoint::Embedded);
    let (sandbox, sandbox_root) = if wants_sandbox {
        let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let sandbox = match &config.wizard.data_dir {
            Some(dir) => {
                let path = sandbox_state_file(dir);
                Sandbox::start_persistent(loopback, World::builtin(), path.clone())
                    .await
                    .map_err(|source| RegistryError::SandboxState { path, source })?
            }
            None => Sandbox::start(loopback, World::builtin())
                .await
                .map_err(RegistryError::Sandbox)?,
        };
        let url = sandbox.base_url();
        let root = Url::parse(&url).map_err(|_| RegistryError::SandboxUrl(url.clone()))?;
        tracing::info!(target: "carrier", url = %url, "embedded sandbox started");
        (Some(sandbox), Some(root))
    } else {
        (None, None)
    };
    let root_of = |carrier: CarrierId| -> Result<Url, RegistryError> {
        match (config.endpoint(carrier), &sandbox_root) {
            (Endpoint::Url(url), _) => Ok(url.clone()),
            (Endpoint::Embedded, Some(root)) => Ok(root.clone()),
            // `wants_sandbox` was true for this carrier, so the sandbox exists.
            (Endpoint::Embedded, None) => Err(RegistryError::SandboxUrl(String::new())),
        }
    };
    Ok(Registry {
        mobile: Arc::new(ChinaMobile::new(
            http.clone(),
            root_of(CarrierId::ChinaMobile)?,
        )),
        unicom: Arc::new(ChinaUnicom::new(
            http.clone(),
            root_of(CarrierId::ChinaUnicom)?,
        )),
        telecom: Arc::new(ChinaTelecom::new(http, root_of(CarrierId::ChinaTelecom)?)),
        sandbox_url: sandbox_root.map(|root| root.as_str().trim_end_matches('/').to_owned()),
        sandbox,
    })
}

impl Registry {
    /// The adapter of one carrier.
    pub fn get(&self, carrier: CarrierId) -> Arc<dyn Carrier> {
        match carrier {
            CarrierId::ChinaMobile => Arc::clone(&self.mobile),
            CarrierId::ChinaUnicom => Arc::clone(&self.unicom),
            CarrierId::ChinaTelecom => Arc::clone(&self.telecom),
        }
    }

    /// The embedded sandbox's base URL (`http://127.0.0.1:PORT`), when one
    /// runs — so the UI can read the simulated phone's inbox.
    pub fn sandbox_url(&self) -> Option<String> {
        self.sandbox_url.clone()
    }

    /// Stops the embedded sandbox, if any, and waits until it has.
    pub async fn shutdown(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}
