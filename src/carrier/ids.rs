//! The ids a carrier hands out (plans, quotes, orders, payments, offers,
//! notices). The wizard names receipt files after them, sends them back in
//! paths and bodies, and shows them, so an id must be what the spec's
//! examples are: a short opaque token. An empty one would put receipts in
//! the vault's root, a 5,000-character one makes every later receipt fail,
//! a `/`, `\` or `..` could climb out of a folder, and a control character
//! could rewrite the screen. Such an answer is a protocol error, refused
//! while it is decoded — before the wizard acts on it, so before any charge.

use serde::{Deserialize, Deserializer};

/// The longest id accepted, in characters.
pub const MAX_ID_CHARS: usize = 64;

/// Why a carrier's id was refused. The message never quotes the id (it may
/// be huge or hold control characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdProblem {
    /// `""`.
    #[error("an id is empty (ids are 1 to {MAX_ID_CHARS} letters, digits, '-' or '_')")]
    Empty,
    /// Longer than [`MAX_ID_CHARS`].
    #[error("an id is {chars} characters long (at most {MAX_ID_CHARS})")]
    TooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// A character other than `A–Z a–z 0–9 - _` (a path separator, a dot, a
    /// space, a control or format character…).
    #[error("an id holds a character other than letters, digits, '-' and '_'")]
    BadCharacter,
}

/// Checks one id: 1 to [`MAX_ID_CHARS`] characters of `[A-Za-z0-9_-]`.
pub fn check_id(id: &str) -> Result<(), IdProblem> {
    let chars = id.chars().count();
    if chars == 0 {
        return Err(IdProblem::Empty);
    }
    if chars > MAX_ID_CHARS {
        return Err(IdProblem::TooLong { chars });
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(IdProblem::BadCharacter);
    }
    Ok(())
}

/// For `#[serde(deserialize_with = "opaque_id")]` on a wire type's id
/// field: the id, or a decoding error that the adapter's decoder turns into
/// `ErrorKind::Protocol` naming the call.
pub fn opaque_id<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    let id = String::deserialize(de)?;
    check_id(&id).map_err(serde::de::Error::custom)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_style_ids_pass() {
        for id in ["OD20261125000002", "CM-KD-300M", "Q1", "CU_RET_6450", "2"] {
            assert_eq!(check_id(id), Ok(()), "{id}");
        }
        assert_eq!(check_id(&"a".repeat(MAX_ID_CHARS)), Ok(()));
    }

    #[test]
    fn empty_long_and_path_like_ids_are_refused() {
        assert_eq!(check_id(""), Err(IdProblem::Empty));
        assert_eq!(
            check_id(&"9".repeat(5002)),
            Err(IdProblem::TooLong { chars: 5002 })
        );
        for id in [
            "..",
            "../x",
            "a/b",
            "a\\b",
            "a.b",
            "a b",
            "OD\u{1b}[2J",
            "OD\u{202e}1",
            "OD\u{0}",
            "订单1",
        ] {
            assert_eq!(check_id(id), Err(IdProblem::BadCharacter), "{id:?}");
        }
    }

    #[test]
    fn the_message_never_quotes_the_id() {
        let long = "7".repeat(5002);
        let text = check_id(&long).unwrap_err().to_string();
        assert!(!text.contains(&long[..100]), "{text}");
    }
}
