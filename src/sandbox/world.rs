//! The simulated world's initial configuration (`config/sandbox.toml`): the
//! clock, and every account with its holder, balance, cards and plans.
//!
//! Loading is strict: unknown keys are rejected (a typo must not silently
//! become a default), and every value that parses but makes no sense is
//! reported with its key and what is expected. Never a panic.

use std::collections::HashSet;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::core::fees::Fen;
use crate::core::model::{CarrierId, PlanKind};
use crate::core::validate;

/// The world that ships with the binary (and the default of `sandbox`).
const BUILTIN: &str = include_str!("../../config/sandbox.toml");

/// Why a world file was not accepted. Each message names the file, the key
/// and what is expected, so the person can fix the file.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    /// The file could not be read.
    #[error("cannot read the sandbox world {path}: {source} (check the path and its permissions)")]
    Read {
        /// The file.
        path: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// Not TOML, an unknown key, or a value of the wrong type or shape.
    #[error("{origin}: {detail}")]
    Syntax {
        /// The file (or "world text").
        origin: String,
        /// The parser's message, with line, column and key.
        detail: String,
    },
    /// Well-formed, but a value makes no sense.
    #[error("{origin}: `{key}` {problem}")]
    Invalid {
        /// The file (or "world text").
        origin: String,
        /// Dotted path to the offending value, e.g. `account[3].service_password`.
        key: String,
        /// What is wrong and what is expected instead.
        problem: String,
    },
}

/// How the simulated clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// From the machine's clock.
    System,
    /// From a fixed instant; it then runs on in real time.
    Pinned(DateTime<FixedOffset>),
}

/// The simulated world's initial configuration. Serialized only to
/// fingerprint it (see [`World::fingerprint`]).
#[derive(Debug, Clone, Serialize)]
pub struct World {
    /// How the clock starts.
    pub clock: ClockStart,
    /// Seed of the random draws fault rules with a `probability` make, so
    /// runs are reproducible.
    pub seed: u64,
    /// Every account, by number.
    pub accounts: Vec<AccountConfig>,
}

/// One number's account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    /// The 11-digit number.
    pub msisdn: String,
    /// Which carrier's dialect serves it.
    pub carrier: CarrierId,
    /// Holder's name as on the ID; must match on submit.
    pub holder_name: String,
    /// Holder's 18-character resident ID; must match on submit.
    pub id_number: String,
    /// The 6-digit service password (China Unicom accounts only).
    #[serde(default)]
    pub service_password: Option<String>,
    /// Prepaid balance, yuan string.
    #[serde(deserialize_with = "yuan", serialize_with = "yuan_out")]
    pub balance: Fen,
    /// Card numbers that are charged (any other card passing Luhn is, too).
    #[serde(default)]
    pub cards_accepted: Vec<String>,
    /// Card numbers the bank declines.
    #[serde(default)]
    pub cards_declined: Vec<String>,
    /// A frozen account still receives its code, but login is refused.
    #[serde(default)]
    pub frozen: bool,
    /// The status poll (while processing) on which the order completes.
    #[serde(default = "default_polls")]
    pub polls_to_complete: u32,
    /// `Retry-After` seconds the status call suggests while processing.
    #[serde(default)]
    pub retry_after_secs: Option<u32>,
    /// Processing never completes, `expectedBy` is 5 s later, and no SMS
    /// notice is delivered.
    #[serde(default)]
    pub stalls: bool,
    /// The account's packages.
    #[serde(default, rename = "plan")]
    pub plans: Vec<PlanConfig>,
}

fn default_polls() -> u32 {
    2
}

/// A plan's status in the world file (cancellation states arise at run time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatusConfig {
    /// In service.
    Active,
    /// Past its term.
    Expired,
}

/// Why a plan cannot be cancelled, as the world file states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockConfig {
    /// Expired plan.
    Expired,
    /// Member of a bundle.
    InBundle,
    /// Arrears on the account.
    Arrears,
}

/// One package on an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanConfig {
    /// The carrier's product id.
    pub id: String,
    /// Display name, e.g. `5G智享宽带 300M`.
    pub name: String,
    /// Broadband, data pack or bundle.
    pub kind: PlanKind,
    /// Monthly fee, yuan string.
    #[serde(deserialize_with = "yuan", serialize_with = "yuan_out")]
    pub monthly_fee: Fen,
    /// Active or expired.
    #[serde(default = "default_status")]
    pub status: PlanStatusConfig,
    /// Last day of the contract, if any (`2027-06-30`).
    #[serde(default)]
    pub contract_end: Option<NaiveDate>,
    /// Why it cannot be cancelled, if it cannot.
    #[serde(default)]
    pub block_reason: Option<BlockConfig>,
    /// Equipment not returned (modem), yuan string; zero when returned.
    #[serde(default, deserialize_with = "yuan", serialize_with = "yuan_out")]
    pub equipment_fee: Fen,
    /// What the equipment line is called.
    #[serde(default = "default_equipment_name")]
    pub equipment_name: String,
    /// Arrears settled with the cancellation, yuan string.
    #[serde(default, deserialize_with = "yuan", serialize_with = "yuan_out")]
    pub arrears: Fen,
    /// Pro-rata refund, written as a positive yuan string; quoted negative.
    #[serde(default, deserialize_with = "yuan", serialize_with = "yuan_out")]
    pub refund: Fen,
    /// What the carrier offers to keep the customer.
    #[serde(default)]
    pub retention: Option<RetentionConfig>,
}

fn default_status() -> PlanStatusConfig {
    PlanStatusConfig::Active
}

fn default_equipment_name() -> String {
    "设备未退还费".to_owned()
}

/// A retention offer (挽留).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionConfig {
    /// The carrier's id for the offer.
    pub id: String,
    /// The carrier's wording, shown verbatim.
    pub description: String,
    /// The monthly fee the plan would have instead, yuan string.
    #[serde(deserialize_with = "yuan", serialize_with = "yuan_out")]
    pub monthly_fee: Fen,
}

/// The file's shape, before the clock string is interpreted.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorldFile {
    #[serde(default = "default_clock")]
    clock: String,
    #[serde(default = "default_seed")]
    seed: u64,
    #[serde(default, rename = "account")]
    accounts: Vec<AccountConfig>,
}

fn default_clock() -> String {
    "system".to_owned()
}

fn default_seed() -> u64 {
    20_261_125
}

fn yuan<'de, D: Deserializer<'de>>(de: D) -> Result<Fen, D::Error> {
    let text = String::deserialize(de)?;
    Fen::parse_yuan(&text).map_err(|e| {
        serde::de::Error::custom(format!(
            "{e}; write money as a yuan string with up to two decimals, e.g. \"99.00\""
        ))
    })
}

/// Writes money back the way the world file (and [`yuan`]) reads it, so a
/// serialized offer reads back as the same offer.
fn yuan_out<S: Serializer>(fen: &Fen, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(&fen.to_yuan_string())
}

impl World {
    /// SHA-256 (hex) of the world's serialized form: a saved simulated state
    /// is only restored into the world it was made from.
    pub fn fingerprint(&self) -> String {
        // Plain structs, strings, numbers and dates serialize into memory
        // without fail (no maps with non-string keys, no refusing serializer).
        let form = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&form))
    }

    /// The world that ships with the binary (`config/sandbox.toml`).
    pub fn builtin() -> World {
        match World::parse(BUILTIN, "the built-in world") {
            Ok(world) => world,
            // The built-in file is checked by a unit test; should it ever be
            // broken anyway, an empty world on the system clock still serves.
            Err(e) => {
                tracing::error!("built-in sandbox world rejected: {e}");
                World {
                    clock: ClockStart::System,
                    seed: default_seed(),
                    accounts: Vec::new(),
                }
            }
        }
    }

    /// Parses a world from TOML text.
    pub fn from_toml_str(s: &str) -> Result<World, WorldError> {
        World::parse(s, "world text")
    }

    /// Reads and parses a world file; errors name the file.
    pub fn load(path: &Path) -> Result<World, WorldError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| WorldError::Read {
            path: origin.clone(),
            source,
        })?;
        World::parse(&text, &origin)
    }

    /// The account behind a number, if the world has one.
    pub fn account(&self, msisdn: &str) -> Option<&AccountConfig> {
        self.accounts.iter().find(|a| a.msisdn == msisdn)
    }

    fn parse(text: &str, origin: &str) -> Result<World, WorldError> {
        let file: WorldFile = toml::from_str(text).map_err(|e| WorldError::Syntax {
            origin: origin.to_owned(),
            detail: e.to_string().trim_end().to_owned(),
        })?;
        let invalid = |key: String, problem: String| WorldError::Invalid {
            origin: origin.to_owned(),
            key,
            problem,
        };
        let clock = parse_clock(&file.clock)
            .ok_or_else(|| invalid("clock".into(), format!(
                "is {:?}; expected \"system\" or an RFC 3339 instant such as \"2026-11-25T10:00:00+08:00\"",
                file.clock
            )))?;
        let mut seen = HashSet::new();
        for (i, account) in file.accounts.iter().enumerate() {
            check_account(i, account, &mut seen).map_err(|(key, problem)| invalid(key, problem))?;
        }
        Ok(World {
            clock,
            seed: file.seed,
            accounts: file.accounts,
        })
    }
}

fn parse_clock(text: &str) -> Option<ClockStart> {
    if text == "system" {
        return Some(ClockStart::System);
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(ClockStart::Pinned)
}

/// Checks one account; on failure, the key and what is expected.
fn check_account(
    index: usize,
    account: &AccountConfig,
    seen: &mut HashSet<String>,
) -> Result<(), (String, String)> {
    let at = |field: &str| format!("account[{index}].{field}");
    check_holder(account, seen, at)?;
    if account.balance.0 < 0 {
        return Err((
            at("balance"),
            "is negative; expected zero or more (debts are `arrears` on a plan)".into(),
        ));
    }
    if account.polls_to_complete == 0 {
        return Err((
            at("polls_to_complete"),
            "is 0; expected 1 or more (the status poll on which the order completes)".into(),
        ));
    }
    let mut plan_ids = HashSet::new();
    for (j, plan) in account.plans.iter().enumerate() {
        let at = |field: &str| format!("account[{index}].plan[{j}].{field}");
        check_plan(plan, &mut plan_ids, at)?;
    }
    Ok(())
}

/// Checks who the account is: its number (a real one, of its carrier, seen
/// once), the holder's name and ID, and the service password where needed.
fn check_holder(
    account: &AccountConfig,
    seen: &mut HashSet<String>,
    at: impl Fn(&str) -> String,
) -> Result<(), (String, String)> {
    let segment_carrier = validate::phone(&account.msisdn)
        .map(|(_, carrier)| carrier)
        .map_err(|e| {
            (
                at("msisdn"),
                format!(
                    "is {:?} ({e:?}); expected an 11-digit mainland mobile number",
                    account.msisdn
                ),
            )
        })?;
    if segment_carrier != account.carrier {
        return Err((
            at("carrier"),
            format!(
                "is {} but {} is a {} number; expected \"{}\"",
                account.carrier.config_key(),
                account.msisdn,
                segment_carrier.name_en(),
                segment_carrier.config_key()
            ),
        ));
    }
    if !seen.insert(account.msisdn.clone()) {
        return Err((
            at("msisdn"),
            format!(
                "{} appears twice; expected each number once",
                account.msisdn
            ),
        ));
    }
    if validate::holder_name(&account.holder_name).is_err() {
        return Err((
            at("holder_name"),
            "is blank or longer than 30 characters; expected the name on the ID".into(),
        ));
    }
    if let Err(e) = validate::id_number(&account.id_number) {
        return Err((
            at("id_number"),
            format!("is not a valid 18-character resident ID ({e:?})"),
        ));
    }
    match (&account.service_password, account.carrier) {
        (None, CarrierId::ChinaUnicom) => Err((
            at("service_password"),
            "is missing; China Unicom accounts need a 6-digit service password".into(),
        )),
        (Some(pwd), _) if validate::service_password(pwd).is_err() => {
            Err((at("service_password"), "must be exactly 6 digits".into()))
        }
        _ => Ok(()),
    }
}

/// Checks one plan of an account: a unique id, a name, no negative amount.
fn check_plan(
    plan: &PlanConfig,
    plan_ids: &mut HashSet<String>,
    at: impl Fn(&str) -> String,
) -> Result<(), (String, String)> {
    if plan.id.trim().is_empty() || !plan_ids.insert(plan.id.clone()) {
        return Err((
            at("id"),
            format!(
                "{:?} is blank or used twice on this account; expected a unique id",
                plan.id
            ),
        ));
    }
    if plan.name.trim().is_empty() {
        return Err((
            at("name"),
            "is blank; expected the plan's display name".into(),
        ));
    }
    for (field, amount) in [
        ("monthly_fee", plan.monthly_fee),
        ("equipment_fee", plan.equipment_fee),
        ("arrears", plan.arrears),
        ("refund", plan.refund),
    ] {
        if amount.0 < 0 {
            return Err((
                at(field),
                "is negative; expected zero or more (a refund is written positive and quoted negative)".into(),
            ));
        }
    }
    if let Some(offer) = &plan.retention
        && offer.monthly_fee.0 < 0
    {
        return Err((
            at("retention.monthly_fee"),
            "is negative; expected zero or more".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_world_loads_with_the_scenario_accounts() {
        let world = World::parse(BUILTIN, "builtin").unwrap();
        assert!(matches!(world.clock, ClockStart::Pinned(_)));
        for number in [
            "13800138000",
            "13800138001",
            "13900139000",
            "18600186000",
            "18600186001",
            "13300133000",
            "13300133001",
        ] {
            assert!(world.account(number).is_some(), "{number} missing");
        }
    }
}
