//! Text from outside (carrier plan names, notices, order numbers, anything a
//! carrier or a file could put there) made safe to print on a terminal.
//!
//! The stored evidence stays verbatim; only what is shown is escaped. A
//! terminal acts on control characters (ESC starts the sequences that wipe
//! the screen, set the title or write the clipboard; U+009B is the same
//! CSI as one character) and a bidi override can make `¥1.00` read as
//! `¥00.1`: each such character is written as a visible escape (`\x1b`,
//! `\u{202e}`) instead. Pure and small, so every output — the commands,
//! the log, the TUI — uses this one definition.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The mark an elided field ends with.
pub const ELLIPSIS: char = '…';

/// Whether `c` must not reach a terminal as it is: C0 and C1 controls and
/// DEL (newline and tab included — a field never brings its own lines),
/// the line and paragraph separators, and the format characters (bidi
/// embeddings, overrides and isolates, zero-width characters, the BOM…).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_format(c)
}

/// Unicode general category Cf (Unicode 16).
fn is_format(c: char) -> bool {
    matches!(
        u32::from(c),
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

fn push_escaped(out: &mut String, c: char) {
    let code = u32::from(c);
    if code < 0x100 {
        let _ = write!(out, "\\x{code:02x}");
    } else {
        let _ = write!(out, "\\u{{{code:x}}}");
    }
}

/// `text` with every unsafe character written as a visible escape
/// (ESC → `\x1b`, U+202E → `\u{202e}`); borrowed when nothing needed it.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A field for display: [`sanitize`]d and, past `max` characters (counted
/// after escaping), cut at a character boundary and ended with `…`. Never
/// use it on an amount: a number is shown whole or not at all.
pub fn field(text: &str, max: usize) -> String {
    let clean = sanitize(text);
    if clean.chars().count() <= max {
        return clean.into_owned();
    }
    let mut out: String = clean.chars().take(max.saturating_sub(1)).collect();
    out.push(ELLIPSIS);
    out
}

/// A whole document: every line [`sanitize`]d, the document's own newlines
/// kept (the formats here put them only between lines).
pub fn document(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.split('\n')
            .map(sanitize)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// JSON text (as `serde_json` writes it) with every unsafe character that
/// is still raw written as a `\uXXXX` escape: serde escapes C0 controls but
/// leaves DEL, C1, bidi and format characters as they are, and `cat` of
/// the file would hand them to the terminal. The parsed values are
/// unchanged; the newlines of pretty-printing are structure and stay.
pub fn json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c != '\n' && is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]52;c;aGk=\u{7}\u{9b}31m\u{202e}09.1\u{2066}\u{200b}\u{7f}\nb";

    #[test]
    fn no_control_or_format_character_survives() {
        let clean = sanitize(HOSTILE);
        assert!(!clean.chars().any(is_unsafe), "{clean}");
        assert!(
            clean.contains("\\x1b[2J") && clean.contains("\\x9b") && clean.contains("\\u{202e}")
        );
        assert!(
            clean.contains("\\x0a"),
            "a field's newline is shown, not obeyed"
        );
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "沃家宽带 500M ¥94.60 — 已受理";
        assert!(matches!(sanitize(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn long_fields_are_elided_with_a_mark() {
        let long = "长".repeat(500);
        let shown = field(&long, 40);
        assert_eq!(shown.chars().count(), 40);
        assert!(shown.ends_with(ELLIPSIS));
        assert_eq!(field("short", 40), "short");
    }

    #[test]
    fn documents_keep_their_own_lines() {
        let doc = format!("title\n{HOSTILE}\nend\n");
        let clean = document(&doc);
        assert_eq!(clean.lines().count(), 4);
        assert!(!clean.chars().any(|c| c != '\n' && is_unsafe(c)));
    }

    #[test]
    fn json_stays_valid_and_parses_to_the_verbatim_value() {
        let raw =
            serde_json::to_string_pretty(&serde_json::json!({ "text": HOSTILE, "emoji": "😀" }))
                .unwrap();
        let safe = json(&raw);
        assert!(!safe.chars().any(|c| c != '\n' && is_unsafe(c)), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["text"], HOSTILE);
        assert_eq!(back["emoji"], "😀");
    }
}
