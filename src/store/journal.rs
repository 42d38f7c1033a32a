//! The journal: the flow's state after every transition, one JSON file per
//! cancellation, replaced atomically. A wizard that was closed or killed reads
//! it back and offers to resume the same order.
//!
//! It never holds a secret: the state's secret fields are `serde(skip)`, and a
//! test scans a written journal for them. A file that cannot be read (torn by
//! an old bug, edited by hand, written by a newer wizard) is moved aside —
//! never deleted — and reported with what to do.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic;
use crate::core::flow::{MigrationError, STATE_VERSION, State, migrate};

/// Marks a file as ours, so a stray JSON file is not mistaken for a journal.
const FORMAT: &str = "unsubscribe-wizard journal";

/// Why the journal could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The directory or file could not be written or read.
    #[error(
        "cannot use the journal at {path}: {source}. Check that the directory exists and is writable, or set XDG_DATA_HOME to another place."
    )]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// The file is not a journal this wizard can read.
    #[error(
        "the journal {path} cannot be read ({detail}); it was kept as {kept_as} and a new cancellation can start. Keep that file if it belongs to an order in progress."
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        detail: String,
        /// Where it was moved.
        kept_as: PathBuf,
    },
    /// Written by a newer version of the wizard.
    #[error(
        "the journal {path} was written by a newer wizard (format {found}, this one reads up to {supported}); it was kept as {kept_as}. Update unsubscribe-wizard to resume it."
    )]
    FutureVersion {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: u64,
        /// Ours.
        supported: u32,
        /// Where it was moved.
        kept_as: PathBuf,
    },
}

impl JournalError {
    /// The i18n key of the message (under `store.` in `assets/i18n`), so the
    /// shell can show it in the person's language; [`Self::message_args`]
    /// fills its placeholders.
    pub fn message_key(&self) -> &'static str {
        match self {
            JournalError::Io { .. } => "store.journal_io",
            JournalError::Corrupt { .. } => "store.journal_corrupt",
            JournalError::FutureVersion { .. } => "store.journal_future_version",
        }
    }

    /// The values the message's placeholders name.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            JournalError::Io { path, source } => vec![
                ("path", path.display().to_string()),
                ("error", source.to_string()),
            ],
            JournalError::Corrupt {
                path,
                detail,
                kept_as,
            } => vec![
                ("path", path.display().to_string()),
                ("detail", detail.clone()),
                ("kept_as", kept_as.display().to_string()),
            ],
            JournalError::FutureVersion {
                path,
                found,
                supported,
                kept_as,
            } => vec![
                ("path", path.display().to_string()),
                ("found", found.to_string()),
                ("supported", supported.to_string()),
                ("kept_as", kept_as.display().to_string()),
            ],
        }
    }
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    format: &'a str,
    version: u32,
    state: &'a State,
}

#[derive(Deserialize)]
struct EnvelopeHead {
    format: String,
    version: u64,
}

#[derive(Deserialize)]
struct EnvelopeIn {
    state: serde_json::Value,
}

/// One journal file as read: its path and state, or why it could not be read.
pub type Entry = Result<(PathBuf, State), JournalError>;

/// The journal directory.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
}

impl Journal {
    /// Opens (creating, owner-only) the journal directory.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Journal, JournalError> {
        let dir = dir.into();
        atomic::create_private_dir(&dir).map_err(|source| JournalError::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(Journal { dir })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a flow is kept in: named by when it started and its key seed,
    /// so two cancellations never share a file.
    pub fn path_for(&self, state: &State) -> PathBuf {
        let seed: String = String::from(state.facts.key_seed);
        let name = format!(
            "{}-{}.json",
            state.started_at.format("%Y%m%dT%H%M%SZ"),
            &seed[..8]
        );
        self.dir.join(name)
    }

    /// Writes the state atomically (temp file, fsync, rename, fsync dir).
    pub fn save(&self, state: &State) -> Result<PathBuf, JournalError> {
        let path = self.path_for(state);
        let bytes = encode(state);
        atomic::write(&path, &bytes).map_err(|source| JournalError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }

    /// Reads one journal file. An unreadable one is moved aside and reported.
    pub fn load(path: &Path) -> Result<State, JournalError> {
        let bytes = fs::read(path).map_err(|source| JournalError::Io {
            path: path.to_owned(),
            source,
        })?;
        match decode(&bytes) {
            Ok(state) => Ok(state),
            Err(Unreadable::Future(found)) => Err(JournalError::FutureVersion {
                path: path.to_owned(),
                found,
                supported: STATE_VERSION,
                kept_as: set_aside(path)?,
            }),
            Err(Unreadable::Corrupt(detail)) => Err(JournalError::Corrupt {
                path: path.to_owned(),
                detail,
                kept_as: set_aside(path)?,
            }),
        }
    }

    /// Every journalled flow, newest first, each read or reported.
    pub fn entries(&self) -> Result<Vec<Entry>, JournalError> {
        let read = fs::read_dir(&self.dir).map_err(|source| JournalError::Io {
            path: self.dir.clone(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = read
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        paths.reverse();
        Ok(paths
            .into_iter()
            .map(|p| Journal::load(&p).map(|s| (p, s)))
            .collect())
    }

    /// The newest flow that has not ended, if any: the one to offer to resume.
    pub fn unfinished(&self) -> Result<Option<(PathBuf, State)>, JournalError> {
        for entry in self.entries()? {
            if let Ok((path, state)) = entry
                && !state.is_finished()
            {
                return Ok(Some((path, state)));
            }
        }
        Ok(None)
    }
}

/// A journal file that could not be read: where it is now, and why.
///
/// An unreadable journal may belong to an order still awaiting payment, so
/// it is never deleted and never passed over in silence: the wizard says so
/// at start, and `status` lists it and exits 1 until the person has dealt
/// with it (checked the order with the carrier, then moved the file away).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// The file as it is now (`….json.unreadable-<when>` once moved aside).
    pub path: PathBuf,
    /// Why it could not be read.
    pub why: String,
    /// The order number, when the damaged file still shows one.
    pub order: Option<String>,
}

impl SetAside {
    fn of(path: PathBuf, bytes: &[u8], why: String) -> SetAside {
        let order = serde_json::from_slice::<serde_json::Value>(bytes)
            .ok()
            .and_then(|v| {
                v.pointer("/state/facts/order/id")
                    .and_then(|id| id.as_str().map(str::to_owned))
            });
        SetAside { path, why, order }
    }
}

/// What a look at the journal folder finds: the readable flows, newest
/// first, and the files that cannot be read.
pub type Inspection = (Vec<(PathBuf, State)>, Vec<SetAside>);

/// The marker in the name of a file moved aside.
const UNREADABLE: &str = ".unreadable-";

impl Journal {
    /// Every journal file that cannot be read, whether the wizard has
    /// already moved it aside or not, without moving anything: for
    /// `status`, which only reads, and for the wizard to tell the person
    /// at start what was set aside.
    pub fn set_aside(&self) -> Result<Vec<SetAside>, JournalError> {
        Ok(self.inspect()?.1)
    }

    /// The readable flows (newest first) and the unreadable files, without
    /// moving or changing any file.
    pub fn inspect(&self) -> Result<Inspection, JournalError> {
        let read = fs::read_dir(&self.dir).map_err(|source| JournalError::Io {
            path: self.dir.clone(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = read.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        paths.reverse();
        let mut flows = Vec::new();
        let mut unreadable = Vec::new();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let aside = name.contains(UNREADABLE);
            if !aside && !name.ends_with(".json") {
                continue;
            }
            let bytes = match fs::read(&path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    unreadable.push(SetAside::of(path, &[], format!("cannot be opened: {e}")));
                    continue;
                }
            };
            match decode(&bytes) {
                Ok(state) if !aside => flows.push((path, state)),
                // Moved aside by an older wizard, readable after all: still
                // the person's to look at.
                Ok(_) => unreadable.push(SetAside::of(
                    path,
                    &bytes,
                    "set aside earlier; it reads now (a newer wizard may have written it)".into(),
                )),
                Err(Unreadable::Future(found)) => unreadable.push(SetAside::of(
                    path,
                    &bytes,
                    format!(
                        "written by a newer wizard (format {found}, this one reads up to {STATE_VERSION})"
                    ),
                )),
                Err(Unreadable::Corrupt(detail)) => {
                    unreadable.push(SetAside::of(path, &bytes, detail));
                }
            }
        }
        Ok((flows, unreadable))
    }
}

/// The bytes written for a state.
pub fn encode(state: &State) -> Vec<u8> {
    let envelope = EnvelopeOut {
        format: FORMAT,
        version: STATE_VERSION,
        state,
    };
    // Serialising plain data with string keys cannot fail; fall back to an
    // empty object rather than panic if it ever did.
    serde_json::to_vec_pretty(&envelope).unwrap_or_else(|_| b"{}".to_vec())
}

enum Unreadable {
    Future(u64),
    Corrupt(String),
}

fn decode(bytes: &[u8]) -> Result<State, Unreadable> {
    let head: EnvelopeHead = serde_json::from_slice(bytes)
        .map_err(|e| Unreadable::Corrupt(format!("not a journal: {e}")))?;
    if head.format != FORMAT {
        return Err(Unreadable::Corrupt(format!("format is {:?}", head.format)));
    }
    if head.version > u64::from(STATE_VERSION) {
        return Err(Unreadable::Future(head.version));
    }
    let envelope: EnvelopeIn = serde_json::from_slice(bytes)
        .map_err(|e| Unreadable::Corrupt(format!("damaged state: {e}")))?;
    // An older wizard's journal is brought to today's schema.
    migrate(envelope.state).map_err(|e| match e {
        MigrationError::FutureVersion { found } => Unreadable::Future(found),
        other => Unreadable::Corrupt(other.to_string()),
    })
}

fn set_aside(path: &Path) -> Result<PathBuf, JournalError> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!("{UNREADABLE}{stamp}"));
    let aside = path.with_file_name(name);
    fs::rename(path, &aside).map_err(|source| JournalError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::core::flow::{Event, Reply, step};
    use crate::core::model::KeySeed;
    use crate::core::validate;

    fn state() -> State {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
        let s = State::new(KeySeed([9; 16]), now);
        let (msisdn, carrier) = validate::phone("13800138000").unwrap();
        let t = step(&s, Event::RequestCode { msisdn, carrier }, now).unwrap();
        let req = t.state.pending.unwrap().req;
        step(&t.state, Event::Reply(req, Reply::CodeSent), now)
            .unwrap()
            .state
    }

    #[test]
    fn round_trips_and_lists_unfinished() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path().join("journal")).unwrap();
        let s = state();
        let path = journal.save(&s).unwrap();
        assert_eq!(Journal::load(&path).unwrap(), s);
        let (found, resumed) = journal.unfinished().unwrap().unwrap();
        assert_eq!((found, resumed), (path, s));
    }

    #[test]
    fn corrupt_file_is_kept_aside_not_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path()).unwrap();
        let path = journal.save(&state()).unwrap();
        fs::write(
            &path,
            b"{\"format\": \"unsubscribe-wizard journal\", \"version\": 1, \"state\": {\"ste",
        )
        .unwrap();
        let err = Journal::load(&path).unwrap_err();
        let JournalError::Corrupt { kept_as, .. } = &err else {
            panic!("{err}")
        };
        assert!(!path.exists());
        assert!(kept_as.exists());
        assert!(err.to_string().contains("kept as"));
        assert!(journal.unfinished().unwrap().is_none());
    }

    #[test]
    fn future_version_is_refused_with_advice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        fs::write(
            &path,
            br#"{"format": "unsubscribe-wizard journal", "version": 99, "state": {}}"#,
        )
        .unwrap();
        let err = Journal::load(&path).unwrap_err();
        assert!(
            matches!(err, JournalError::FutureVersion { found: 99, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("Update unsubscribe-wizard"));
    }

    #[test]
    fn foreign_json_is_not_a_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        fs::write(&path, br#"{"format": "something else", "version": 1}"#).unwrap();
        assert!(matches!(
            Journal::load(&path),
            Err(JournalError::Corrupt { .. })
        ));
    }
}
