//! Where the commands' text goes, and the arguments they refuse before
//! touching a file: every line printed passes through [`crate::text`], an
//! `--out` target must be a regular file (or not exist yet), and an order
//! number must not name a folder.

use std::fmt::Display;
use std::io::Write;
use std::path::Path;

use crate::text;

/// Exit code for an error (unreadable files, unknown order, refused argument).
pub const EXIT_ERROR: u8 = 1;

/// The longest order number accepted on the command line; carriers' are
/// far shorter, and the vault's folder names must stay well within a
/// file name's limit.
const MAX_ORDER_LEN: usize = 64;

/// Prints an error on stderr (escaped like everything else) and returns
/// the error exit code.
pub fn fail(message: impl Display) -> u8 {
    warn(message);
    EXIT_ERROR
}

/// Prints one line on stderr, escaped.
pub fn warn(message: impl Display) {
    let line = format!("unsubscribe-wizard: {message}");
    eprintln!("{}", text::document(&line));
}

/// Writes `doc` to standard output, or to `out` (atomically, refusing a
/// target that is not a regular file); the exit code.
pub fn emit(doc: &str, out: Option<&Path>) -> u8 {
    let doc = text::document(doc);
    match out {
        Some(path) => {
            if let Err(why) = check_target(path) {
                return fail(why);
            }
            match crate::store::atomic::write(path, doc.as_bytes()) {
                Ok(()) => {
                    println!("written to {}", text::sanitize(&path.display().to_string()));
                    0
                }
                Err(e) => fail(format!("cannot write {}: {e}", path.display())),
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(doc.as_bytes());
            0
        }
    }
}

/// An `--out` target is replaced by a new file, so it must be a regular
/// file or nothing yet: writing "onto" a FIFO or a device (or a link to
/// one) would otherwise replace it with a regular file.
pub fn check_target(path: &Path) -> Result<(), String> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(format!(
            "{} is not a regular file (a folder, pipe or device); give --out a file name to create or replace",
            path.display()
        )),
        Ok(_) => Ok(()),
        // Not there yet (or a dangling link, which is then replaced).
        Err(_) => Ok(()),
    }
}

/// An order number as given on the command line, or why it is refused:
/// it must name one chain of receipts, never the receipts folder itself
/// (an empty name) or a path.
pub fn order_arg(order: &str) -> Result<&str, String> {
    let refuse = |why: &str| {
        Err(format!(
            "{:?} is not an order number: {why}. `unsubscribe-wizard receipts list` shows the order numbers there are",
            text::field(order, MAX_ORDER_LEN)
        ))
    };
    if order.trim().is_empty() {
        refuse("it is empty")
    } else if order == "." || order == ".." || order.contains(['/', '\\']) {
        refuse("it is a path")
    } else if order.chars().any(text::is_unsafe) {
        refuse("it holds control characters")
    } else if order.chars().count() > MAX_ORDER_LEN {
        refuse("it is too long")
    } else {
        Ok(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_that_name_folders_are_refused() {
        for bad in ["", "  ", ".", "..", "../x", "a/b", "a\\b", "a\u{1b}b"] {
            assert!(order_arg(bad).is_err(), "{bad:?}");
        }
        assert!(order_arg(&"9".repeat(65)).is_err());
        for good in ["CU20261125001", "draft-20261125T020000Z-ab12cd34", "CM.1"] {
            assert_eq!(order_arg(good), Ok(good));
        }
    }
}
