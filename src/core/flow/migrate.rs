//! Journals written by older wizards, brought to today's schema, so that a
//! flow journalled before an upgrade still resumes. Pure: JSON in, state out;
//! reading the file is the store's job.
//!
//! Version 1 kept the facts flat; version 2 groups them into the line, the
//! choice and the order's progress (see `state.rs`); version 3 adds the mode
//! and the guided case.

use serde_json::{Map, Value, json};

use super::state::{STATE_VERSION, State};

/// Why a journalled state cannot be brought to today's schema.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// Written by a newer wizard: refused, not guessed at.
    #[error(
        "written by a newer wizard (format {found}, this one reads up to {STATE_VERSION}); update unsubscribe-wizard to resume it"
    )]
    FutureVersion {
        /// The state's version.
        found: u64,
    },
    /// No version this wizard ever wrote.
    #[error(
        "format {found} was never written by unsubscribe-wizard; keep the file and start a new cancellation"
    )]
    UnknownVersion {
        /// The state's version.
        found: u64,
    },
    /// Not shaped like the version it says it is.
    #[error("damaged state: {0}; keep the file and start a new cancellation")]
    Damaged(String),
}

impl From<serde_json::Error> for MigrationError {
    fn from(e: serde_json::Error) -> Self {
        MigrationError::Damaged(e.to_string())
    }
}

/// Reads a journalled state of any version this wizard knows, as today's
/// [`State`].
pub fn migrate(mut value: Value) -> Result<State, MigrationError> {
    let version = value
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| MigrationError::Damaged("no format version".into()))?;
    match version {
        1 => {
            from_v1(&mut value)?;
            from_v2(&mut value);
        }
        2 => from_v2(&mut value),
        v if v == u64::from(STATE_VERSION) => {}
        found if found > u64::from(STATE_VERSION) => {
            return Err(MigrationError::FutureVersion { found });
        }
        found => return Err(MigrationError::UnknownVersion { found }),
    }
    Ok(serde_json::from_value(value)?)
}

/// Version 1 to 2: the flat facts grouped; nothing else changed.
fn from_v1(value: &mut Value) -> Result<(), MigrationError> {
    let state = value
        .as_object_mut()
        .ok_or_else(|| MigrationError::Damaged("the state is not an object".into()))?;
    let facts = state
        .get_mut("facts")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| MigrationError::Damaged("no facts".into()))?;
    let line = line_of_v1(facts)?;
    let choice = group(facts, &["account", "plan", "quote", "retention_accepted"]);
    let progress = group(
        facts,
        &[
            "submit",
            "order",
            "pay",
            "payment",
            "paid",
            "notices",
            "processing_since",
        ],
    );
    facts.insert("line".into(), line);
    facts.insert("choice".into(), choice);
    facts.insert("progress".into(), progress);
    state.insert("version".into(), json!(2));
    Ok(())
}

/// Version 2 to 3: the mode and the guided case are new; every version-2
/// flow went through an API and has no case (both are their defaults).
fn from_v2(value: &mut Value) {
    if let Some(state) = value.as_object_mut() {
        state.insert("version".into(), json!(3));
    }
}

/// Version 1 set the carrier and the number together; one without the other
/// was never written.
fn line_of_v1(facts: &mut Map<String, Value>) -> Result<Value, MigrationError> {
    let carrier = facts.remove("carrier").unwrap_or(Value::Null);
    let msisdn = facts.remove("msisdn").unwrap_or(Value::Null);
    match (carrier, msisdn) {
        (Value::Null, Value::Null) => Ok(Value::Null),
        (Value::Null, _) | (_, Value::Null) => Err(MigrationError::Damaged(
            "a number without its carrier".into(),
        )),
        (carrier, msisdn) => Ok(json!({ "carrier": carrier, "msisdn": msisdn })),
    }
}

/// Moves `keys` out of the flat facts into one object (absent ones stay
/// absent, as they were).
fn group(facts: &mut Map<String, Value>, keys: &[&str]) -> Value {
    let part: Map<String, Value> = keys
        .iter()
        .filter_map(|key| facts.remove(*key).map(|v| ((*key).to_owned(), v)))
        .collect();
    Value::Object(part)
}
