//! What anchors the receipts where an edit of the receipts folder cannot
//! reach: a random key and an index of the chains, both in `<data>/keys/`,
//! beside (not inside) `<data>/receipts/`.
//!
//! The SHA-256 chain alone shows a careless edit, but whoever edits a
//! record can recompute every hash after it. So each record also gets an
//! HMAC-SHA256 under the key (kept in the chain's `HEAD`), which cannot be
//! recomputed without the key; and the index remembers how long each chain
//! was and its last hash, so dropping the last records, or a whole chain,
//! shows too. What this cannot stop: someone who can read the key file —
//! anyone with the person's own access to the data folder — can forge all
//! of it. The export's final hash, kept elsewhere by the person, is the
//! check that does not depend on this machine.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::atomic;

/// The folder of the key and the index, inside the data folder.
pub const KEYS_DIR: &str = "keys";
/// The key file's name.
const KEY_FILE: &str = "receipts.key";
/// The index file's name.
const INDEX_FILE: &str = "chains.json";
/// Key length, bytes (HMAC-SHA256's block is 64; 32 random bytes suffice).
const KEY_LEN: usize = 32;
/// Marks what the MAC is over, so a MAC for anything else never fits.
const DOMAIN: &str = "unsubscribe-wizard receipt v1";

/// How long a chain was, and its last record's hash, when last written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// Records in the chain.
    pub records: u32,
    /// SHA-256 of the last record's file.
    pub last_sha256: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    chains: BTreeMap<String, Known>,
}

/// The key and index of one data folder.
#[derive(Debug, Clone)]
pub struct Anchor {
    dir: PathBuf,
}

impl Anchor {
    /// The anchor for a receipts folder: `keys/` in its parent (the data
    /// folder); none when the receipts folder has no parent.
    pub fn beside(receipts_dir: &Path) -> Option<Anchor> {
        let data = receipts_dir.parent()?;
        Some(Anchor {
            dir: data.join(KEYS_DIR),
        })
    }

    /// Where the key is.
    pub fn key_path(&self) -> PathBuf {
        self.dir.join(KEY_FILE)
    }

    /// The key, if one was made.
    pub fn key(&self) -> io::Result<Option<Vec<u8>>> {
        match fs::read(self.key_path()) {
            Ok(key) if key.len() == KEY_LEN => Ok(Some(key)),
            Ok(_) => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} is not a receipts key", self.key_path().display()),
            )),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The key, made once (random, owner-only) when there is none yet.
    pub fn key_or_create(&self) -> io::Result<Vec<u8>> {
        if let Some(key) = self.key()? {
            return Ok(key);
        }
        atomic::create_private_dir(&self.dir)?;
        let key: [u8; KEY_LEN] = rand::random();
        let mut options = fs::OpenOptions::new();
        // create_new: never replace a key another writer made meanwhile.
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(self.key_path()) {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(&key)?;
                file.sync_all()?;
                Ok(key.to_vec())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => self
                .key()?
                .ok_or_else(|| io::Error::other("the receipts key vanished while it was made")),
            Err(e) => Err(e),
        }
    }

    /// The chains the index knows, by name.
    pub fn known(&self) -> io::Result<BTreeMap<String, Known>> {
        Ok(self.index()?.chains)
    }

    fn index(&self) -> io::Result<Index> {
        match fs::read(self.dir.join(INDEX_FILE)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Index::default()),
            Err(e) => Err(e),
        }
    }

    fn save(&self, index: &Index) -> io::Result<()> {
        atomic::create_private_dir(&self.dir)?;
        let bytes = serde_json::to_vec_pretty(index).map_err(io::Error::other)?;
        atomic::write(&self.dir.join(INDEX_FILE), &bytes)
    }

    /// Records that `chain` now has `records` records ending in `last`.
    pub fn remember(&self, chain: &str, records: u32, last: &str) -> io::Result<()> {
        let mut index = self.index()?;
        index.chains.insert(
            chain.to_owned(),
            Known {
                records,
                last_sha256: last.to_owned(),
            },
        );
        self.save(&index)
    }

    /// Follows a chain's rename (a draft that got its order number).
    pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        let mut index = self.index()?;
        if let Some(known) = index.chains.remove(from) {
            index.chains.insert(to.to_owned(), known);
            self.save(&index)?;
        }
        Ok(())
    }
}

fn keyed(key: &[u8], seq: u32, sha256: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length, so this never falls back; an empty
    // key would still give a MAC that no other key matches.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as Mac>::new(&Default::default()));
    mac.update(format!("{DOMAIN}\n{seq}\n{sha256}").as_bytes());
    mac
}

/// The MAC (hex) of record `seq` whose file hashes to `sha256`.
pub fn mac(key: &[u8], seq: u32, sha256: &str) -> String {
    hex::encode(keyed(key, seq, sha256).finalize().into_bytes())
}

/// Whether `mac_hex` is the MAC of record `seq` with hash `sha256` (in
/// constant time).
pub fn check(key: &[u8], seq: u32, sha256: &str, mac_hex: &str) -> bool {
    hex::decode(mac_hex).is_ok_and(|tag| keyed(key, seq, sha256).verify_slice(&tag).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_owner_only_and_macs_need_it() {
        let dir = tempfile::tempdir().unwrap();
        let anchor = Anchor::beside(&dir.path().join("receipts")).unwrap();
        assert!(anchor.key().unwrap().is_none());
        let key = anchor.key_or_create().unwrap();
        assert_eq!(anchor.key_or_create().unwrap(), key);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(anchor.key_path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let tag = mac(&key, 3, "ab");
        assert!(check(&key, 3, "ab", &tag));
        assert!(!check(&key, 4, "ab", &tag));
        assert!(!check(&key, 3, "ac", &tag));
        assert!(!check(&[7; KEY_LEN], 3, "ab", &tag));
        assert!(!check(&key, 3, "ab", "not hex"));
    }

    #[test]
    fn the_index_follows_renames() {
        let dir = tempfile::tempdir().unwrap();
        let anchor = Anchor::beside(&dir.path().join("receipts")).unwrap();
        anchor.remember("draft-1", 2, "h2").unwrap();
        anchor.rename("draft-1", "CM1").unwrap();
        let known = anchor.known().unwrap();
        assert_eq!(known.keys().collect::<Vec<_>>(), ["CM1"]);
        assert_eq!(known["CM1"].records, 2);
    }
}
