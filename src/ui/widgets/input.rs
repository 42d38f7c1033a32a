//! A one-line text input whose contents are zeroized when dropped or cleared.
//!
//! Every field the person types into uses it, secret or not: numbers, codes,
//! the service password, ID and card numbers, names. The cursor always sits
//! at the end (typing appends, Backspace removes the last character), which is
//! all a short form field needs and keeps wide characters whole.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;
use zeroize::Zeroizing;

/// How an input's contents are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Masking {
    /// As typed.
    Clear,
    /// One `•` per character (service password).
    Dots,
    /// All but the last four characters as `•` (bank card).
    LastFour,
}

/// A one-line input; see the module docs. Its `Debug` shows only the
/// length, so logging a model never leaks what was typed.
#[derive(Clone, PartialEq, Eq)]
pub struct TextInput {
    value: Zeroizing<String>,
    max_chars: usize,
}

impl std::fmt::Debug for TextInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TextInput({} chars)", self.value.chars().count())
    }
}

impl TextInput {
    /// An empty input taking at most `max_chars` characters.
    pub fn new(max_chars: usize) -> Self {
        TextInput {
            value: Zeroizing::new(String::new()),
            max_chars,
        }
    }

    /// What has been typed.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether nothing has been typed.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Replaces the contents (the old ones are zeroized).
    pub fn set(&mut self, text: &str) {
        self.clear();
        for c in text.chars() {
            self.push(c);
        }
    }

    /// Empties the input, zeroizing what was there.
    pub fn clear(&mut self) {
        // `Zeroizing` wipes the old buffer when it is dropped here.
        self.value = Zeroizing::new(String::new());
    }

    /// Appends a character, if there is room and it is printable.
    pub fn push(&mut self, c: char) {
        if c.is_control() || self.value.chars().count() >= self.max_chars {
            return;
        }
        // Grow into a fresh zeroizing buffer so no reallocation leaves a
        // copy of the old contents behind.
        let mut next = Zeroizing::new(String::with_capacity(self.value.len() + c.len_utf8() + 8));
        next.push_str(&self.value);
        next.push(c);
        self.value = next;
    }

    /// Removes the last character.
    pub fn pop(&mut self) {
        let mut next = Zeroizing::new(self.value.to_string());
        next.pop();
        self.value = next;
    }

    /// Applies an editing key; true when the key was an edit (consumed).
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                self.clear();
                true
            }
            KeyCode::Char(_) if ctrl || key.modifiers.contains(KeyModifiers::ALT) => false,
            KeyCode::Char(c) => {
                self.push(c);
                true
            }
            KeyCode::Backspace => {
                self.pop();
                true
            }
            _ => false,
        }
    }

    /// The contents as shown on screen.
    pub fn shown(&self, masking: Masking) -> String {
        match masking {
            Masking::Clear => self.value.to_string(),
            Masking::Dots => "•".repeat(self.value.chars().count()),
            Masking::LastFour => {
                let chars: Vec<char> = self.value.chars().filter(|c| *c != ' ').collect();
                let keep = chars.len().min(4);
                let mut out = "•".repeat(chars.len() - keep);
                out.extend(&chars[chars.len() - keep..]);
                out
            }
        }
    }

    /// Display width of the shown contents (where the cursor goes).
    pub fn shown_width(&self, masking: Masking) -> usize {
        self.shown(masking).width()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_appends_and_backspace_removes() {
        let mut input = TextInput::new(6);
        for c in "12345678".chars() {
            input.handle(&key(KeyCode::Char(c)));
        }
        assert_eq!(input.value(), "123456", "stops at the limit");
        input.handle(&key(KeyCode::Backspace));
        assert_eq!(input.value(), "12345");
        input.handle(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert!(input.is_empty());
    }

    #[test]
    fn masks_hide_what_they_should() {
        let mut input = TextInput::new(30);
        input.set("135790");
        assert_eq!(input.shown(Masking::Dots), "••••••");
        input.set("6222 0212 3456 7890 128");
        assert_eq!(input.shown(Masking::LastFour), "•••••••••••••••0128");
        input.set("张伟");
        assert_eq!(input.shown(Masking::Clear), "张伟");
        assert_eq!(input.shown_width(Masking::Clear), 4);
    }

    #[test]
    fn debug_never_shows_the_contents() {
        let mut input = TextInput::new(6);
        input.set("493817");
        let shown = format!("{input:?}");
        assert!(!shown.contains("493817"), "{shown}");
        assert_eq!(shown, "TextInput(6 chars)");
    }

    #[test]
    fn control_keys_are_not_typed() {
        let mut input = TextInput::new(10);
        assert!(!input.handle(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(!input.handle(&key(KeyCode::Enter)));
        assert!(input.is_empty());
    }
}
