//! Where files live: `$XDG_DATA_HOME/unsubscribe-wizard/…` (via `directories`,
//! so other platforms get their native place).

use std::path::PathBuf;

/// The wizard's data directory, or `None` when no home directory can be found
/// (then the caller must be given one explicitly).
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "unsubscribe-wizard")
        .map(|dirs| dirs.data_dir().to_path_buf())
}

/// The journal directory inside a data directory.
pub fn journal_dir(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("journal")
}
