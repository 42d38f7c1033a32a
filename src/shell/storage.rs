//! Whether the journal and the receipts can be written right now: a probe
//! file written, flushed to disk and removed in each folder, and the free
//! space around it. Asked only before a request that moves money, which must
//! not leave while its proof cannot be kept (issue 13 item 5).

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::runner::{EffectError, Store};
use crate::store::journal::JournalError;
use crate::store::vault::VaultError;

/// The probe's name: hidden, and never a journal (`.json`) or a receipt.
const PROBE: &str = ".write-probe";

/// The first of the two folders that cannot be written, as the store would
/// report the failure.
pub fn probe(store: &Store) -> Option<EffectError> {
    let journal = store.journal.dir();
    if let Err(source) = write_probe(journal) {
        let path = journal.join(PROBE);
        return Some(EffectError::Journal(JournalError::Io { path, source }));
    }
    let vault = store.vault.dir();
    if let Err(source) = write_probe(vault) {
        let path = vault.join(PROBE);
        return Some(EffectError::Receipt(VaultError::Io { path, source }));
    }
    None
}

fn write_probe(dir: &Path) -> io::Result<()> {
    let path = dir.join(PROBE);
    let written = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .and_then(|mut file| {
            // A few bytes, flushed: a full disk refuses them at the latest
            // when they must reach it.
            file.write_all(b"probe")?;
            file.sync_all()
        });
    let removed = fs::remove_file(&path);
    written.and(removed)
}

/// The file or folder a store failure is about, and what the system said.
pub fn cause(error: &EffectError) -> (PathBuf, String) {
    match error {
        EffectError::Journal(JournalError::Io { path, source })
        | EffectError::Receipt(VaultError::Io { path, source }) => {
            (path.clone(), source.to_string())
        }
        EffectError::Journal(other) => (PathBuf::new(), other.to_string()),
        EffectError::Receipt(other) => (PathBuf::new(), other.to_string()),
    }
}

/// Free space for an unprivileged writer on the filesystem that holds
/// `path` (or its nearest existing ancestor), when the system says.
pub fn free_bytes(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        path.ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .find_map(|p| rustix::fs::statvfs(p).ok())
            .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Bytes as a person reads them: `0 B`, `512 KiB`, `3.2 GiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value >= 10.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writable_store_passes_and_leaves_no_probe() {
        let (dir, store) = crate::shell::runner::tests::breakable_store();
        assert!(probe(&store).is_none());
        assert!(!dir.path().join("journal").join(PROBE).exists());
        assert!(!dir.path().join("receipts").join(PROBE).exists());
        assert!(free_bytes(&dir.path().join("journal/not-yet")).is_some());
    }

    #[test]
    fn sizes_read_as_a_person_reads_them() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(512 * 1024), "512 KiB");
        assert_eq!(human_bytes(3_435_973_837), "3.2 GiB");
    }
}
