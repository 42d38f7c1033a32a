//! Opt-in persistence of the simulated state: a real carrier remembers an
//! order when the wizard is restarted, so the embedded sandbox must too.
//!
//! The state file holds a format number, the world's fingerprint, the
//! clock's instant and the [`Snapshot`]. It is written atomically (temporary
//! file, fsync, rename; mode 0600) after each request that changed the
//! simulated state. On start, a file that cannot be read, does not parse, or
//! was made from another world is renamed aside (`.unreadable-<time>`),
//! never deleted, and the sandbox starts fresh.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::state::{Sim, Snapshot};
use super::world::World;
use crate::store::atomic;

/// The state file's format; a file of another format is set aside.
const FORMAT: u32 = 1;

/// The file as written.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    format: u32,
    /// [`World::fingerprint`] of the world the state was made from.
    world: String,
    /// The simulated clock's instant when the state was saved.
    clock: DateTime<FixedOffset>,
    state: Snapshot,
}

/// What tells two saves apart: the state's JSON and the clock's setting
/// (its start and moves, not its running time).
type SaveKey = (Vec<u8>, (DateTime<FixedOffset>, Duration));

/// Saves the simulated state to one file, only when it changed.
#[derive(Debug)]
pub struct Persister {
    path: PathBuf,
    world: String,
    /// The JSON of the state last saved (or restored) and the clock's
    /// setting then: equal ones mean nothing to save.
    last: Option<SaveKey>,
}

impl Persister {
    /// Opens the state file at `path` for `world`: the saved state if there
    /// is a usable one, a fresh world otherwise (an unusable file is set
    /// aside first). Errors only if the directory cannot be created or an
    /// unusable file cannot be set aside, since saving over it would lose it.
    pub fn open(path: PathBuf, world: &World) -> io::Result<(Persister, Sim)> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            atomic::create_private_dir(dir)
                .map_err(|e| explain(e, "create the folder of", &path))?;
        }
        let mut persister = Persister {
            path,
            world: world.fingerprint(),
            last: None,
        };
        let sim = match persister.load(world) {
            Ok(Some(sim)) => {
                tracing::info!(path = %persister.path.display(), "sandbox: saved state restored");
                sim
            }
            Ok(None) => Sim::new(world),
            Err(why) => {
                let aside = set_aside(&persister.path)?;
                tracing::warn!(
                    path = %persister.path.display(),
                    aside = %aside.display(),
                    "sandbox: saved state not usable ({why}); set aside, starting fresh"
                );
                Sim::new(world)
            }
        };
        persister.last = Some(persister.key_of(&sim));
        Ok((persister, sim))
    }

    /// Where the state is saved.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Saves the simulated state if it changed since the last save. `sim`
    /// is locked only while it is read, not while the file is written.
    pub fn save_if_changed(&mut self, sim: &Mutex<Sim>) -> io::Result<()> {
        let (key, file) = {
            let sim = sim.lock().unwrap_or_else(|p| p.into_inner());
            let key = self.key_of(&sim);
            if self.last.as_ref() == Some(&key) {
                return Ok(());
            }
            let file = StateFile {
                format: FORMAT,
                world: self.world.clone(),
                clock: sim.clock_now(),
                state: sim.snapshot(),
            };
            (key, file)
        };
        let bytes = serde_json::to_vec(&file).map_err(io::Error::other)?;
        atomic::write(&self.path, &bytes)?;
        self.last = Some(key);
        Ok(())
    }

    fn key_of(&self, sim: &Sim) -> SaveKey {
        // Serializing the in-memory records cannot fail; an empty form would
        // only cause one needless save.
        let state = serde_json::to_vec(&sim.snapshot()).unwrap_or_default();
        (state, sim.clock_setting())
    }

    /// `Ok(None)`: no file yet. `Err`: a file that cannot be used, and why.
    fn load(&self, world: &World) -> Result<Option<Sim>, String> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read it: {e}")),
        };
        let file: StateFile =
            serde_json::from_slice(&bytes).map_err(|e| format!("damaged: {e}"))?;
        if file.format != FORMAT {
            return Err(format!(
                "format {} (this version reads {FORMAT})",
                file.format
            ));
        }
        if file.world != self.world {
            return Err("made from another world configuration".into());
        }
        Sim::restore(world, file.state, file.clock)
            .map(Some)
            .map_err(|e| e.to_string())
    }
}

/// Renames an unusable state file to `<name>.unreadable-<UTC time>` (with a
/// counter should that exist already) and returns the new path.
fn set_aside(path: &Path) -> io::Result<PathBuf> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".unreadable-{stamp}"));
    let first = PathBuf::from(name);
    // Two set aside within the same millisecond get a counter; a thousand
    // would mean something else is wrong.
    let aside = std::iter::once(first.clone())
        .chain((2..1000).map(|n| {
            let mut numbered = first.as_os_str().to_owned();
            numbered.push(format!("-{n}"));
            PathBuf::from(numbered)
        }))
        .find(|candidate| !candidate.exists())
        .ok_or_else(|| {
            explain(
                io::Error::new(io::ErrorKind::AlreadyExists, "too many set-aside copies"),
                "set aside the unusable",
                path,
            )
        })?;
    fs::rename(path, &aside).map_err(|e| explain(e, "set aside the unusable", path))?;
    Ok(aside)
}

/// An I/O error whose message says what was attempted on which file and
/// what the person can do.
fn explain(e: io::Error, doing: &str, path: &Path) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "cannot {doing} sandbox state file {}: {e}; check that the folder is writable by you, or move the file away",
            path.display()
        ),
    )
}
