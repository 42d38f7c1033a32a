//! The receipts vault: one file per event of a cancellation, chained by
//! SHA-256 so that a later edit, insertion, removal or reordering is
//! detectable, and anchored outside the folder ([`super::anchor`]: a MAC per
//! record under a key in `<data>/keys/`, and an index of the chains) so that
//! an edit which recomputes the hashes, drops the last records or deletes a
//! chain is detectable too.
//!
//! Layout: `receipts/<order>/NNNN.json` plus `HEAD` (record count, the last
//! record's hash and each record's MAC). Records made before the carrier assigned an order number
//! (the quote, the retention answer, the submitted form) go to
//! `receipts/draft-<flow>/`, which is renamed to the order number as soon as
//! there is one, so the chain is never split. Each file is written
//! atomically; nothing in a record is secret (the core only emits masked data).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::anchor::{self, Anchor};
use super::atomic;
use crate::core::model::Receipt;

/// The hash a first record points back to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One stored record: the receipt, when, and the hash of the record before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// 1-based position in the chain.
    pub seq: u32,
    /// When it happened, UTC.
    pub at_utc: DateTime<Utc>,
    /// When it happened, Beijing time (+08:00), as the carrier's records show it.
    pub at_beijing: DateTime<FixedOffset>,
    /// SHA-256 (hex) of the previous record's file, or [`GENESIS`].
    pub prev_sha256: String,
    /// What happened.
    pub receipt: Receipt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Head {
    records: u32,
    last_sha256: String,
    /// HMAC-SHA256 of each record (by position); empty for a chain written
    /// before MACs, which stays unanchored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    macs: Vec<String>,
}

/// How far a chain's integrity can be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchoring {
    /// Every record carries a MAC that checks under the key, and the index
    /// outside the folder knows the chain.
    Anchored,
    /// Written before MACs (or without a data folder to keep a key in): only
    /// the hash chain can be checked, and a full re-chaining is not caught.
    NotAnchored,
}

/// Why the vault could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// A file or directory could not be used.
    #[error(
        "cannot use the receipts at {path}: {source}. Check that the directory is writable, or set XDG_DATA_HOME to another place."
    )]
    Io {
        /// Where.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// No receipts for that order.
    #[error(
        "no receipts for order {0}; `unsubscribe-wizard receipts list` shows the orders there are"
    )]
    UnknownOrder(String),
}

impl VaultError {
    /// The i18n key of the message (under `store.` in `assets/i18n`), so the
    /// shell can show it in the person's language; [`Self::message_args`]
    /// fills its placeholders.
    pub fn message_key(&self) -> &'static str {
        match self {
            VaultError::Io { .. } => "store.vault_io",
            VaultError::UnknownOrder(_) => "store.vault_unknown_order",
        }
    }

    /// The values the message's placeholders name.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            VaultError::Io { path, source } => vec![
                ("path", path.display().to_string()),
                ("error", source.to_string()),
            ],
            VaultError::UnknownOrder(order) => vec![("order", order.clone())],
        }
    }
}

/// Where verification found the chain broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The first record that does not fit (1-based; one past the end for a
    /// missing tail).
    pub seq: u32,
    /// What is wrong there.
    pub reason: String,
}

/// The receipts directory.
#[derive(Debug, Clone)]
pub struct Vault {
    dir: PathBuf,
    anchor: Option<Anchor>,
}

impl Vault {
    /// Opens (creating, owner-only) the receipts directory; its anchor
    /// (key and index) is `keys/` beside it, in the data folder.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Vault, VaultError> {
        let dir = dir.into();
        atomic::create_private_dir(&dir).map_err(|source| VaultError::Io {
            path: dir.clone(),
            source,
        })?;
        let anchor = Anchor::beside(&dir);
        Ok(Vault { dir, anchor })
    }

    /// Where the key that anchors the chains is (or will be).
    pub fn key_path(&self) -> Option<PathBuf> {
        self.anchor.as_ref().map(Anchor::key_path)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Appends a receipt to its chain: the order's, or the flow's draft chain
    /// until the order exists. Returns the chain's directory.
    pub fn append(&self, flow_id: &str, receipt: &Receipt) -> Result<PathBuf, VaultError> {
        let draft = self.dir.join(format!("draft-{flow_id}"));
        let (name, chain) = match &receipt.order_id {
            Some(order) => {
                let name = safe_name(order);
                let dir = self.dir.join(&name);
                if draft.exists() && !dir.exists() {
                    fs::rename(&draft, &dir).map_err(|source| VaultError::Io {
                        path: draft.clone(),
                        source,
                    })?;
                    if let Some(anchor) = &self.anchor {
                        anchor
                            .rename(&format!("draft-{flow_id}"), &name)
                            .map_err(|source| self.anchor_error(source))?;
                    }
                }
                (name, dir)
            }
            None => (format!("draft-{flow_id}"), draft),
        };
        atomic::create_private_dir(&chain).map_err(|source| VaultError::Io {
            path: chain.clone(),
            source,
        })?;
        let head = read_head(&chain)?;
        let record = Record {
            seq: head.records + 1,
            at_utc: receipt.at,
            at_beijing: receipt.at.with_timezone(&beijing()),
            prev_sha256: head.last_sha256,
            receipt: receipt.clone(),
        };
        let bytes = serde_json::to_vec_pretty(&record).map_err(|e| VaultError::Io {
            path: chain.clone(),
            source: io::Error::other(e),
        })?;
        let path = chain.join(record_name(record.seq));
        atomic::write(&path, &bytes).map_err(|source| VaultError::Io {
            path: path.clone(),
            source,
        })?;
        let hash = sha256_hex(&bytes);
        let mut macs = head.macs;
        // A chain begun before MACs stays as it was: a MAC on its later
        // records only would prove nothing about the earlier ones.
        let anchored = self
            .anchor
            .as_ref()
            .filter(|_| head.records == 0 || !macs.is_empty());
        if let Some(anchor) = anchored {
            let key = anchor
                .key_or_create()
                .map_err(|source| self.anchor_error(source))?;
            macs.push(anchor::mac(&key, record.seq, &hash));
        }
        let head = Head {
            records: record.seq,
            last_sha256: hash,
            macs,
        };
        write_head(&chain, &head)?;
        if let Some(anchor) = anchored {
            anchor
                .remember(&name, head.records, &head.last_sha256)
                .map_err(|source| self.anchor_error(source))?;
        }
        Ok(chain)
    }

    fn anchor_error(&self, source: io::Error) -> VaultError {
        VaultError::Io {
            path: self
                .anchor
                .as_ref()
                .map_or_else(|| self.dir.clone(), Anchor::key_path),
            source,
        }
    }

    /// Chains the index outside the folder knows but the folder no longer
    /// holds: deleted.
    pub fn missing_chains(&self) -> Result<Vec<String>, VaultError> {
        let Some(anchor) = &self.anchor else {
            return Ok(Vec::new());
        };
        let known = anchor.known().map_err(|source| self.anchor_error(source))?;
        Ok(known
            .into_keys()
            .filter(|name| !self.dir.join(name).is_dir())
            .collect())
    }

    /// Whether a chain is anchored (read [`Vault::read`]'s verdict first:
    /// this only says how much an intact verdict proves).
    pub fn anchoring(&self, order: &str) -> Anchoring {
        let chain = self.dir.join(safe_name(order));
        match read_head(&chain) {
            Ok(head) if !head.macs.is_empty() => Anchoring::Anchored,
            _ => Anchoring::NotAnchored,
        }
    }

    /// The directory of one order's chain.
    pub fn chain_dir(&self, order: &str) -> PathBuf {
        self.dir.join(safe_name(order))
    }

    /// The order directories (and drafts), by name.
    pub fn chains(&self) -> Result<Vec<String>, VaultError> {
        let read = fs::read_dir(&self.dir).map_err(|source| VaultError::Io {
            path: self.dir.clone(),
            source,
        })?;
        let mut names: Vec<String> = read
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        Ok(names)
    }

    /// The records of one chain, in order, with a verdict on the chain.
    ///
    /// Damage inside the chain (a record or `HEAD` that cannot be read, a
    /// directory where a record should be) is a verdict, not an error, so
    /// a caller going through every chain can report it and go on; the
    /// error is for a chain that is not there or cannot be listed at all.
    pub fn read(&self, order: &str) -> Result<(Vec<Record>, Result<String, Broken>), VaultError> {
        let name = safe_name(order);
        let chain = self.dir.join(&name);
        // An empty name would be the receipts folder itself.
        if name.is_empty() || !chain.is_dir() {
            return Err(VaultError::UnknownOrder(order.to_owned()));
        }
        let mut files: Vec<(u32, PathBuf)> = fs::read_dir(&chain)
            .map_err(|source| VaultError::Io {
                path: chain.clone(),
                source,
            })?
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let seq = name.strip_suffix(".json")?.parse().ok()?;
                Some((seq, e.path()))
            })
            .collect();
        files.sort();
        let mut records = Vec::new();
        let mut hashes = Vec::new();
        let mut prev = GENESIS.to_owned();
        let mut broken = None;
        for (index, (seq_in_name, path)) in files.iter().enumerate() {
            let expected = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let bytes = match fs::read(path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    broken.get_or_insert(Broken {
                        seq: expected,
                        reason: format!("cannot be read ({e})"),
                    });
                    prev = GENESIS.to_owned();
                    continue;
                }
            };
            let verdict = match serde_json::from_slice::<Record>(&bytes) {
                Err(e) => Err(format!("cannot be read: {e}")),
                Ok(r) if *seq_in_name != expected || r.seq != expected => {
                    Err(format!("is numbered {} where record {expected} should be (removed or reordered)", r.seq))
                }
                Ok(r) if r.prev_sha256 != prev => {
                    Err("does not follow the record before it (that one was changed, or one was removed)".to_owned())
                }
                Ok(r) => Ok(r),
            };
            match verdict {
                Ok(record) => records.push(record),
                Err(reason) => {
                    broken.get_or_insert(Broken {
                        seq: expected,
                        reason,
                    });
                }
            }
            prev = sha256_hex(&bytes);
            hashes.push(prev.clone());
        }
        if broken.is_none() {
            let count = u32::try_from(files.len()).unwrap_or(u32::MAX);
            broken = match read_head(&chain) {
                Err(e) => Some(Broken {
                    seq: count + 1,
                    reason: format!("its HEAD cannot be read: {e}"),
                }),
                Ok(head) if head.records != count => Some(Broken {
                    seq: count.min(head.records) + 1,
                    reason: format!(
                        "the chain records {} receipts but {count} are there",
                        head.records
                    ),
                }),
                Ok(head) if head.last_sha256 != prev => Some(Broken {
                    seq: count,
                    reason: "the last record was changed".to_owned(),
                }),
                Ok(head) => self.check_anchor(&name, &head, &hashes),
            };
        }
        Ok((records, broken.map_or(Ok(prev), Err)))
    }
}

impl Vault {
    /// The checks a recomputed hash chain cannot pass: each record's MAC
    /// under the key, and the length and hash the index outside the folder
    /// remembers. `hashes` are the records' SHA-256, in order.
    fn check_anchor(&self, name: &str, head: &Head, hashes: &[String]) -> Option<Broken> {
        let anchor = self.anchor.as_ref()?;
        let known = match anchor.known() {
            Ok(known) => known.get(name).cloned(),
            Err(e) => {
                return Some(Broken {
                    seq: 1,
                    reason: format!("the index of chains cannot be read ({e})"),
                });
            }
        };
        if head.macs.is_empty() {
            // Unanchored: fine for a chain made before MACs, a removal of
            // them for one the index knows.
            return known.map(|_| Broken {
                seq: 1,
                reason: "its MACs were removed (the index outside the folder knows this chain)"
                    .to_owned(),
            });
        }
        let key = match anchor.key() {
            Ok(Some(key)) => key,
            Ok(None) => {
                return Some(Broken {
                    seq: 1,
                    reason: format!(
                        "the key {} is missing, so its MACs cannot be checked",
                        anchor.key_path().display()
                    ),
                });
            }
            Err(e) => {
                return Some(Broken {
                    seq: 1,
                    reason: format!("the key cannot be read ({e})"),
                });
            }
        };
        for (index, hash) in hashes.iter().enumerate() {
            let seq = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let fits = head
                .macs
                .get(index)
                .is_some_and(|tag| anchor::check(&key, seq, hash, tag));
            if !fits {
                return Some(Broken {
                    seq,
                    reason:
                        "its MAC does not match: the record was changed or added without the key"
                            .to_owned(),
                });
            }
        }
        // Valid MACs but unknown to the index: a crash between the HEAD and
        // the first index write. The MACs alone show who wrote it.
        let known = known?;
        let count = u32::try_from(hashes.len()).unwrap_or(u32::MAX);
        // A crash between the HEAD and the index write leaves the index one
        // record behind; what it remembers must still be there, unchanged.
        let remembered = usize::try_from(known.records)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| hashes.get(i));
        if known.records > count || remembered != Some(&known.last_sha256) {
            return Some(Broken {
                seq: count.min(known.records) + 1,
                reason: format!(
                    "the chain had {} records when last written and {count} are there: records were removed",
                    known.records
                ),
            });
        }
        None
    }
}

fn beijing() -> FixedOffset {
    crate::core::time::BEIJING
}

fn record_name(seq: u32) -> String {
    format!("{seq:04}.json")
}

/// Order numbers come from the carrier: keep only characters that cannot
/// escape the vault directory.
fn safe_name(order: &str) -> String {
    order
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// SHA-256 of bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn read_head(chain: &Path) -> Result<Head, VaultError> {
    let path = chain.join("HEAD");
    match fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| VaultError::Io {
            path,
            source: io::Error::new(io::ErrorKind::InvalidData, e),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Head {
            records: 0,
            last_sha256: GENESIS.to_owned(),
            macs: Vec::new(),
        }),
        Err(source) => Err(VaultError::Io { path, source }),
    }
}

fn write_head(chain: &Path, head: &Head) -> Result<(), VaultError> {
    let path = chain.join("HEAD");
    let bytes = serde_json::to_vec(head).map_err(|e| VaultError::Io {
        path: path.clone(),
        source: io::Error::other(e),
    })?;
    atomic::write(&path, &bytes).map_err(|source| VaultError::Io { path, source })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::core::model::{CarrierId, Notice, ReceiptEvent};

    fn receipt(n: u32, order: Option<&str>) -> Receipt {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, n).unwrap();
        Receipt {
            at,
            carrier: CarrierId::ChinaMobile,
            msisdn_masked: "138****8000".into(),
            order_id: order.map(str::to_owned),
            event: ReceiptEvent::NoticeReceived {
                notice: Notice {
                    id: n.to_string(),
                    sent_at: at.fixed_offset(),
                    text: format!("通知 {n}"),
                },
            },
        }
    }

    fn vault_with_three() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(dir.path().join("receipts")).unwrap();
        vault.append("F1", &receipt(1, None)).unwrap();
        vault.append("F1", &receipt(2, Some("ORD-9"))).unwrap();
        vault.append("F1", &receipt(3, Some("ORD-9"))).unwrap();
        (dir, vault)
    }

    #[test]
    fn draft_records_move_into_the_order_chain() {
        let (_dir, vault) = vault_with_three();
        assert_eq!(vault.chains().unwrap(), vec!["ORD-9".to_owned()]);
        let (records, verdict) = vault.read("ORD-9").unwrap();
        assert_eq!(records.len(), 3);
        assert!(verdict.is_ok());
        assert_eq!(
            records[0].at_beijing.to_rfc3339(),
            "2026-11-25T10:00:01+08:00"
        );
    }

    #[test]
    fn a_changed_byte_is_caught() {
        let (_dir, vault) = vault_with_three();
        let path = vault.dir().join("ORD-9/0001.json");
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("通知 1", "通知 7");
        fs::write(&path, text).unwrap();
        let (_, verdict) = vault.read("ORD-9").unwrap();
        assert_eq!(verdict.unwrap_err().seq, 2);
    }

    #[test]
    fn a_changed_last_record_is_caught() {
        let (_dir, vault) = vault_with_three();
        let path = vault.dir().join("ORD-9/0003.json");
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("通知 3", "通知 8");
        fs::write(&path, text).unwrap();
        assert_eq!(vault.read("ORD-9").unwrap().1.unwrap_err().seq, 3);
    }

    #[test]
    fn a_removed_record_is_caught() {
        let (_dir, vault) = vault_with_three();
        fs::remove_file(vault.dir().join("ORD-9/0002.json")).unwrap();
        assert_eq!(vault.read("ORD-9").unwrap().1.unwrap_err().seq, 2);
        let (_dir, vault) = vault_with_three();
        fs::remove_file(vault.dir().join("ORD-9/0003.json")).unwrap();
        assert_eq!(vault.read("ORD-9").unwrap().1.unwrap_err().seq, 3);
    }

    #[test]
    fn a_reordered_record_is_caught() {
        let (_dir, vault) = vault_with_three();
        let chain = vault.dir().join("ORD-9");
        fs::rename(chain.join("0002.json"), chain.join("tmp")).unwrap();
        fs::rename(chain.join("0003.json"), chain.join("0002.json")).unwrap();
        fs::rename(chain.join("tmp"), chain.join("0003.json")).unwrap();
        assert_eq!(vault.read("ORD-9").unwrap().1.unwrap_err().seq, 2);
    }

    #[test]
    fn order_names_cannot_escape() {
        assert_eq!(safe_name("../../etc"), "______etc");
    }
}
