//! Configuration: the built-in defaults (`config/default.toml`, embedded in
//! the binary) with the person's own file merged over them.
//!
//! The person's file (`--config PATH`, else
//! `$XDG_CONFIG_HOME/unsubscribe-wizard/config.toml` when it exists) may set
//! any key of the defaults and nothing else: the two TOML tables are merged
//! key by key, then read into strict structures and validated. Every problem
//! is a [`ConfigError`] naming the file, the key and what is expected, so a
//! typo is reported instead of silently ignored.

use crate::core::flow::Mode;
use std::io;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;
use toml::{Table, Value};

use crate::core::model::CarrierId;

/// The defaults, exactly as shipped in `config/default.toml`.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// How the built-in defaults are named in error messages.
const BUILTIN_LABEL: &str = "the built-in config/default.toml";

/// The whole configuration, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The `[wizard]` table.
    pub wizard: WizardConfig,
    /// The `[network]` table.
    pub network: NetworkConfig,
    /// The `[carriers.*]` tables.
    pub carriers: CarriersConfig,
}

/// The `[wizard]` table: how the wizard itself behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WizardConfig {
    /// Interface language.
    pub language: Language,
    /// Where the journal and receipts live; `None` is the platform default.
    pub data_dir: Option<PathBuf>,
    /// Guided or sandbox; `None` asks at start.
    pub mode: Option<Mode>,
    /// The line-oriented dialogue (`--plain`) instead of the full screen.
    pub plain: bool,
}

/// The interface language chosen in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// From `LC_ALL` / `LANG`, else Chinese.
    Auto,
    /// 简体中文.
    Zh,
    /// English.
    En,
}

/// The `[network]` table: timeouts and the retry policy of
/// [`crate::carrier::http`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkConfig {
    /// Longest wait for a TCP/TLS connection.
    pub connect_timeout: Duration,
    /// Longest a single request may take, connection included.
    pub request_timeout: Duration,
    /// Most times one call is sent (the first try included).
    pub max_attempts: u32,
    /// First backoff step; doubled on every retry.
    pub backoff_base: Duration,
    /// Largest backoff step.
    pub backoff_cap: Duration,
    /// Longest `Retry-After` the client waits out itself; a longer one ends
    /// the call with [`crate::core::error::ErrorKind::CarrierBusy`].
    pub max_retry_after: Duration,
    /// Longest wait a carrier may ask for (an order's `Retry-After`, or the
    /// one in a busy answer) before the wizard asks again; a longer one is
    /// shortened to this, so a stalled order is still noticed.
    pub max_wait: Duration,
}

/// The `[carriers.*]` tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriersConfig {
    /// `[carriers.china_mobile]`.
    pub china_mobile: CarrierConfig,
    /// `[carriers.china_unicom]`.
    pub china_unicom: CarrierConfig,
    /// `[carriers.china_telecom]`.
    pub china_telecom: CarrierConfig,
}

impl CarriersConfig {
    /// The table of one carrier.
    pub fn get(&self, carrier: CarrierId) -> &CarrierConfig {
        match carrier {
            CarrierId::ChinaMobile => &self.china_mobile,
            CarrierId::ChinaUnicom => &self.china_unicom,
            CarrierId::ChinaTelecom => &self.china_telecom,
        }
    }

    /// The table of one carrier, to change it (tests, the CLI).
    pub fn get_mut(&mut self, carrier: CarrierId) -> &mut CarrierConfig {
        match carrier {
            CarrierId::ChinaMobile => &mut self.china_mobile,
            CarrierId::ChinaUnicom => &mut self.china_unicom,
            CarrierId::ChinaTelecom => &mut self.china_telecom,
        }
    }
}

/// One carrier's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierConfig {
    /// Where its API is.
    pub base_url: Endpoint,
}

/// Where a carrier's API is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// The built-in sandbox, started in-process on 127.0.0.1.
    Embedded,
    /// A server at this root URL; the dialect's base path
    /// (`/cmcc/v2`, `/cucc/mall`, `/ctcc/rpc`) is appended to it.
    Url(Url),
}

impl Endpoint {
    /// Parses a `base_url` value: `"embedded"`, any `https://` URL, or an
    /// `http://` URL whose host is this computer.
    pub fn parse(text: &str) -> Result<Endpoint, EndpointError> {
        if text == "embedded" {
            return Ok(Endpoint::Embedded);
        }
        let url = Url::parse(text).map_err(|_| EndpointError::NotAUrl)?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(EndpointError::PlainHttpToRemote {
                    host: url.host_str().unwrap_or_default().to_owned(),
                });
            }
            _ => return Err(EndpointError::NotAUrl),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(EndpointError::NotAUrl);
        }
        // A query or fragment would be lost when the dialect's path is
        // appended; refusing them keeps "used as is" honest.
        if url.query().is_some() || url.fragment().is_some() {
            return Err(EndpointError::NotAUrl);
        }
        Ok(Endpoint::Url(url))
    }
}

/// Why a `base_url` was refused (see [`Endpoint::parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// Not `"embedded"` and not an absolute http(s) URL without query.
    NotAUrl,
    /// `http://` to a host that is not this computer: tokens and ID numbers
    /// would cross the network unencrypted.
    PlainHttpToRemote {
        /// The host that was named.
        host: String,
    },
}

fn is_loopback(url: &Url) -> bool {
    // `host_str` writes IPv6 hosts in brackets (`[::1]`).
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// A configuration that cannot be used, with where and what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error(
        "cannot read the configuration file {}: {source}. Check the path given to --config, or remove the file to use the defaults.",
        shown(&path.display().to_string())
    )]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file is not valid TOML.
    #[error("{} is not valid TOML: {}", shown(file), shown(detail))]
    Syntax {
        /// The file.
        file: String,
        /// The parser's message, with line and column.
        detail: String,
    },
    /// A key that the configuration does not have (often a typo).
    #[error(
        "{}: unknown key `{}`; expected one of {expected}. Check the spelling, or remove the line.",
        shown(file),
        shown(key)
    )]
    UnknownKey {
        /// The file.
        file: String,
        /// The dotted key, e.g. `network.conect_timeout_ms`.
        key: String,
        /// The keys allowed at that place.
        expected: String,
    },
    /// A key whose value is of the wrong type or out of range.
    #[error(
        "{}: `{} = {}` is not valid; expected {expected}.",
        shown(file),
        shown(key),
        shown(value)
    )]
    Invalid {
        /// The file.
        file: String,
        /// The dotted key.
        key: String,
        /// The value as written.
        value: String,
        /// What the key accepts.
        expected: String,
    },
    /// `http://` to a host that is not this computer.
    #[error(
        "{}: `{} = {}` uses plain http:// to {}, which would send tokens and ID numbers unencrypted; use https://, or http:// only to localhost / 127.0.0.1 / ::1.",
        shown(file),
        shown(key),
        shown(value),
        shown(host)
    )]
    InsecureUrl {
        /// The file.
        file: String,
        /// The dotted key.
        key: String,
        /// The URL as written.
        value: String,
        /// The remote host.
        host: String,
    },
}

/// `text` as an error message may show it: the file's key names, values
/// and lines, and its path, come from the person's disk and could hold
/// terminal controls (ESC, C1) or bidi overrides that would rewrite the
/// screen or reorder the message. Those are written as visible escapes by
/// the one sanitiser every output uses ([`crate::text::document`]); line
/// breaks stay (the parser's message quotes a line with a caret under it).
/// The error's fields keep the text exactly as written.
fn shown(text: &str) -> String {
    crate::text::document(text).into_owned()
}

/// Every key the configuration has, with what it accepts — the source of the
/// "expected" part of error messages.
const KEYS: &[(&str, &str)] = &[
    ("wizard.language", "\"auto\", \"zh\" or \"en\""),
    ("wizard.mode", "\"ask\", \"guided\" or \"sandbox\""),
    ("wizard.plain", "true or false"),
    (
        "wizard.data_dir",
        "a directory path, or \"\" for the platform's data directory",
    ),
    (
        "network.connect_timeout_ms",
        "a whole number of milliseconds from 1 to 600000",
    ),
    (
        "network.request_timeout_ms",
        "a whole number of milliseconds from 1 to 600000",
    ),
    ("network.max_attempts", "a whole number from 1 to 10"),
    (
        "network.backoff_base_ms",
        "a whole number of milliseconds from 1 to 60000",
    ),
    (
        "network.backoff_cap_ms",
        "a whole number of milliseconds from backoff_base_ms to 600000",
    ),
    (
        "network.max_retry_after_secs",
        "a whole number of seconds from 0 to 600",
    ),
    (
        "network.max_wait_secs",
        "a whole number of seconds from 1 to 600",
    ),
    ("carriers.china_mobile.base_url", BASE_URL_EXPECTED),
    ("carriers.china_unicom.base_url", BASE_URL_EXPECTED),
    ("carriers.china_telecom.base_url", BASE_URL_EXPECTED),
];

const BASE_URL_EXPECTED: &str = "\"embedded\" or an absolute https:// URL without query (http:// only to localhost, 127.0.0.1 or ::1)";

fn expected_for(key: &str) -> &'static str {
    KEYS.iter()
        .find(|(k, _)| *k == key)
        .map_or("a value of the same type as in the defaults", |(_, e)| e)
}

// The raw shapes, as in the TOML. Integers are i64 so that a negative or
// huge number reaches the range check (with its friendly message) instead of
// failing inside serde.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    wizard: RawWizard,
    network: RawNetwork,
    carriers: RawCarriers,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWizard {
    language: String,
    data_dir: String,
    mode: String,
    plain: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNetwork {
    connect_timeout_ms: i64,
    request_timeout_ms: i64,
    max_attempts: i64,
    backoff_base_ms: i64,
    backoff_cap_ms: i64,
    max_retry_after_secs: i64,
    max_wait_secs: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCarriers {
    china_mobile: RawCarrier,
    china_unicom: RawCarrier,
    china_telecom: RawCarrier,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCarrier {
    base_url: String,
}

impl Config {
    /// The built-in defaults alone.
    pub fn builtin() -> Result<Config, ConfigError> {
        Config::from_user_toml("", BUILTIN_LABEL)
    }

    /// Loads the configuration the way the binary does: `explicit`
    /// (`--config PATH`, which must exist) or else the user's
    /// `$XDG_CONFIG_HOME/unsubscribe-wizard/config.toml` when it exists, merged
    /// over the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let config_home = directories::BaseDirs::new().map(|dirs| dirs.config_dir().to_owned());
        Config::load_from(explicit, config_home.as_deref())
    }

    /// [`Config::load`] with the configuration home given (for tests, and so
    /// nothing here reads the environment twice).
    pub fn load_from(
        explicit: Option<&Path>,
        config_home: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        match user_file(explicit, config_home) {
            None => Config::builtin(),
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                    path: path.clone(),
                    source,
                })?;
                Config::from_user_toml(&text, &path.display().to_string())
            }
        }
    }

    /// Merges `text` (the contents of the file called `file` in messages)
    /// over the defaults and validates the result.
    pub fn from_user_toml(text: &str, file: &str) -> Result<Config, ConfigError> {
        let defaults = parse_table(DEFAULT_TOML, BUILTIN_LABEL)?;
        let user = parse_table(text, file)?;
        check_keys(&user, &defaults, "", file)?;
        let merged = merge(defaults, user);
        let raw: RawConfig = Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Syntax {
                file: file.to_owned(),
                detail: e.message().to_owned(),
            })?;
        validate(raw, file)
    }

    /// The endpoint of one carrier.
    pub fn endpoint(&self, carrier: CarrierId) -> &Endpoint {
        &self.carriers.get(carrier).base_url
    }
}

/// The file to read, if any: `explicit` always (a missing file is then an
/// error), else the per-user file when it exists.
fn user_file(explicit: Option<&Path>, config_home: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_owned());
    }
    let candidate = config_home?.join("unsubscribe-wizard").join("config.toml");
    candidate.is_file().then_some(candidate)
}

fn parse_table(text: &str, file: &str) -> Result<Table, ConfigError> {
    text.parse::<Table>().map_err(|e| ConfigError::Syntax {
        file: file.to_owned(),
        detail: e.to_string().trim_end().to_owned(),
    })
}

/// Every key of `user` must exist in `defaults` with a value of the same
/// type; tables are checked recursively. `prefix` is the dotted path so far.
fn check_keys(user: &Table, defaults: &Table, prefix: &str, file: &str) -> Result<(), ConfigError> {
    for (name, value) in user {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let Some(default) = defaults.get(name) else {
            let known: Vec<String> = defaults.keys().map(|k| format!("`{k}`")).collect();
            return Err(ConfigError::UnknownKey {
                file: file.to_owned(),
                key,
                expected: known.join(", "),
            });
        };
        match (default, value) {
            (Value::Table(d), Value::Table(u)) => check_keys(u, d, &key, file)?,
            (Value::Table(_), other) => {
                return Err(ConfigError::Invalid {
                    file: file.to_owned(),
                    value: other.to_string(),
                    expected: format!("a table `[{key}]`"),
                    key,
                });
            }
            (d, u) if d.type_str() != u.type_str() => {
                return Err(ConfigError::Invalid {
                    file: file.to_owned(),
                    value: u.to_string(),
                    expected: expected_for(&key).to_owned(),
                    key,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// `user` over `defaults`, key by key (tables merged, values replaced).
fn merge(mut defaults: Table, user: Table) -> Table {
    for (name, value) in user {
        let merged = match (defaults.remove(&name), value) {
            (Some(Value::Table(d)), Value::Table(u)) => Value::Table(merge(d, u)),
            (_, v) => v,
        };
        defaults.insert(name, merged);
    }
    defaults
}

fn validate(raw: RawConfig, file: &str) -> Result<Config, ConfigError> {
    let check = Checker { file };
    let language = match raw.wizard.language.as_str() {
        "auto" => Language::Auto,
        "zh" => Language::Zh,
        "en" => Language::En,
        other => return Err(check.invalid("wizard.language", format!("{other:?}"))),
    };
    let mode = match raw.wizard.mode.as_str() {
        "ask" => None,
        "guided" => Some(Mode::Guided),
        "sandbox" => Some(Mode::Api),
        other => return Err(check.invalid("wizard.mode", format!("{other:?}"))),
    };
    let data_dir = (!raw.wizard.data_dir.is_empty()).then(|| PathBuf::from(&raw.wizard.data_dir));
    let network = check.network(&raw.network)?;
    let carriers = CarriersConfig {
        china_mobile: check.endpoint("china_mobile", &raw.carriers.china_mobile)?,
        china_unicom: check.endpoint("china_unicom", &raw.carriers.china_unicom)?,
        china_telecom: check.endpoint("china_telecom", &raw.carriers.china_telecom)?,
    };
    Ok(Config {
        wizard: WizardConfig {
            language,
            data_dir,
            mode,
            plain: raw.wizard.plain,
        },
        network,
        carriers,
    })
}

/// Checks the values of one config file, naming it in every error.
struct Checker<'a> {
    file: &'a str,
}

impl Checker<'_> {
    /// `key` has a value outside what it accepts.
    fn invalid(&self, key: &str, value: String) -> ConfigError {
        ConfigError::Invalid {
            file: self.file.to_owned(),
            key: key.to_owned(),
            value,
            expected: expected_for(key).to_owned(),
        }
    }

    /// `value` if it lies in `min..=max` (and is not negative).
    fn ranged(&self, key: &str, value: i64, min: i64, max: i64) -> Result<u64, ConfigError> {
        if (min..=max).contains(&value) {
            u64::try_from(value).map_err(|_| self.invalid(key, value.to_string()))
        } else {
            Err(self.invalid(key, value.to_string()))
        }
    }

    /// The `[network]` table: timeouts and the retry policy.
    fn network(&self, n: &RawNetwork) -> Result<NetworkConfig, ConfigError> {
        let ms = Duration::from_millis;
        let backoff_base_ms =
            self.ranged("network.backoff_base_ms", n.backoff_base_ms, 1, 60_000)?;
        Ok(NetworkConfig {
            connect_timeout: ms(self.ranged(
                "network.connect_timeout_ms",
                n.connect_timeout_ms,
                1,
                600_000,
            )?),
            request_timeout: ms(self.ranged(
                "network.request_timeout_ms",
                n.request_timeout_ms,
                1,
                600_000,
            )?),
            max_attempts: u32::try_from(self.ranged(
                "network.max_attempts",
                n.max_attempts,
                1,
                10,
            )?)
            .map_err(|_| self.invalid("network.max_attempts", n.max_attempts.to_string()))?,
            backoff_base: ms(backoff_base_ms),
            backoff_cap: ms(self.ranged(
                "network.backoff_cap_ms",
                n.backoff_cap_ms,
                i64::try_from(backoff_base_ms).unwrap_or(i64::MAX),
                600_000,
            )?),
            max_retry_after: Duration::from_secs(self.ranged(
                "network.max_retry_after_secs",
                n.max_retry_after_secs,
                0,
                600,
            )?),
            max_wait: Duration::from_secs(self.ranged(
                "network.max_wait_secs",
                n.max_wait_secs,
                1,
                600,
            )?),
        })
    }

    /// One `[carriers.<carrier>]` table: a URL, and plain http only to loopback.
    fn endpoint(&self, carrier: &str, raw: &RawCarrier) -> Result<CarrierConfig, ConfigError> {
        let key = format!("carriers.{carrier}.base_url");
        match Endpoint::parse(&raw.base_url) {
            Ok(base_url) => Ok(CarrierConfig { base_url }),
            Err(EndpointError::NotAUrl) => Err(self.invalid(&key, format!("{:?}", raw.base_url))),
            Err(EndpointError::PlainHttpToRemote { host }) => Err(ConfigError::InsecureUrl {
                file: self.file.to_owned(),
                key,
                value: format!("{:?}", raw.base_url),
                host,
            }),
        }
    }
}
