//! One wizard per data folder. Two wizards resuming the same journal would
//! both pay and both write receipts; the carrier's idempotency keeps the
//! money right, but the evidence would hold every payment twice.
//!
//! The lock is an OS advisory lock (`flock(2)` on Unix) on `<data>/wizard.lock`:
//! the kernel drops it when the holder exits, however it exits, so a lock
//! left by a killed wizard never blocks the next one. The file also holds
//! the holder's pid and start time, only so that a refused wizard can say
//! who holds it. `status` and `receipts` take no lock: they only read.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::atomic;

/// The lock file's name inside the data folder.
pub const LOCK_FILE: &str = "wizard.lock";

/// Who holds the lock, as its file says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Holder {
    /// The holder's process id, if it had written it yet.
    pub pid: Option<u32>,
    /// When the holder took the lock (RFC 3339, UTC).
    pub since: Option<String>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.pid {
            Some(pid) => write!(f, "pid {pid}")?,
            None => write!(f, "a process that has not said its pid yet")?,
        }
        if let Some(since) = &self.since {
            write!(f, ", running since {since}")?;
        }
        Ok(())
    }
}

/// Why the data folder could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another wizard is using the folder.
    #[error(
        "another unsubscribe-wizard ({holder}) is using {}. Finish or quit that one first (it may be in another window or terminal tab); `unsubscribe-wizard status` and `receipts` work meanwhile.",
        .path.display()
    )]
    Held {
        /// The lock file.
        path: PathBuf,
        /// Who holds it.
        holder: Holder,
    },
    /// The lock file could not be made or locked.
    #[error(
        "cannot lock the data folder at {}: {source}. Check that it exists and is writable, or set XDG_DATA_HOME (or `data_dir` in the config) to another place.",
        .path.display()
    )]
    Io {
        /// The lock file.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
}

/// The exclusive lock on a data folder, held until dropped.
#[derive(Debug)]
pub struct DataLock {
    file: File,
    path: PathBuf,
}

impl DataLock {
    /// Takes the lock on `data_dir` (creating the folder and the lock file
    /// if needed), or says who holds it. Never waits.
    pub fn acquire(data_dir: &Path) -> Result<DataLock, LockError> {
        let path = data_dir.join(LOCK_FILE);
        let io_error = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        atomic::create_private_dir(data_dir).map_err(io_error)?;
        let mut options = OpenOptions::new();
        // Not truncated on open: the holder's pid is in there.
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(io_error)?;
        if !try_lock_exclusive(&file).map_err(io_error)? {
            return Err(LockError::Held {
                holder: read_holder(&mut file),
                path,
            });
        }
        let stamp = format!(
            "pid={}\nsince={}\n",
            std::process::id(),
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(stamp.as_bytes()))
            .map_err(io_error)?;
        Ok(DataLock { file, path })
    }

    /// Who holds the lock on `data_dir` now, if anyone (for `status`, which
    /// takes no lock itself).
    pub fn holder(data_dir: &Path) -> Option<Holder> {
        let mut file = File::open(data_dir.join(LOCK_FILE)).ok()?;
        match try_lock_exclusive(&file) {
            Ok(true) => {
                unlock(&file);
                None
            }
            _ => Some(read_holder(&mut file)),
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for DataLock {
    fn drop(&mut self) {
        // Clear the stamp so nobody reads a finished wizard's pid; the lock
        // itself goes with the file handle in any case.
        let _ = self.file.set_len(0);
        unlock(&self.file);
    }
}

/// Takes the exclusive lock without waiting: `Ok(false)` when another open
/// file (in any process) holds it.
#[cfg(unix)]
fn try_lock_exclusive(file: &File) -> io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(unix)]
fn unlock(file: &File) {
    let _ = rustix::fs::flock(file, rustix::fs::FlockOperation::Unlock);
}

// Elsewhere, std's lock (stable since Rust 1.89; the crate's MSRV is for
// the Unix build).
#[cfg(not(unix))]
#[allow(clippy::incompatible_msrv)]
fn try_lock_exclusive(file: &File) -> io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => Ok(false),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

#[cfg(not(unix))]
#[allow(clippy::incompatible_msrv)]
fn unlock(file: &File) {
    let _ = file.unlock();
}

fn read_holder(file: &mut File) -> Holder {
    let mut text = String::new();
    if file.read_to_string(&mut text).is_err() {
        return Holder::default();
    }
    let value = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    Holder {
        pid: value("pid").and_then(|p| p.parse().ok()),
        since: value("since").map(|s| crate::text::field(s, 40)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_with_the_holders_pid_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataLock::acquire(dir.path()).unwrap();
        // flock locks belong to the open file, so a second open in the same
        // process conflicts just as another process would.
        let err = DataLock::acquire(dir.path()).unwrap_err();
        let LockError::Held { holder, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(holder.pid, Some(std::process::id()));
        assert!(holder.since.is_some());
        assert!(
            err.to_string()
                .contains(&format!("pid {}", std::process::id()))
        );
        assert_eq!(
            DataLock::holder(dir.path()).unwrap().pid,
            Some(std::process::id())
        );
        drop(first);
        assert!(DataLock::holder(dir.path()).is_none());
        let _again = DataLock::acquire(dir.path()).unwrap();
    }

    #[test]
    fn a_stamp_left_by_a_dead_process_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(LOCK_FILE),
            "pid=999999\nsince=2020-01-01T00:00:00Z\n",
        )
        .unwrap();
        let lock = DataLock::acquire(dir.path()).unwrap();
        let stamp = std::fs::read_to_string(lock.path()).unwrap();
        assert!(
            stamp.starts_with(&format!("pid={}\n", std::process::id())),
            "{stamp}"
        );
    }
}
