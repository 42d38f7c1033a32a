//! Key tables: one per screen and overlay, the single source of both what a
//! key does and what the footer says about it.
//!
//! A table is a list of [`Binding`]s, tried in order: the first whose keys
//! match and whose condition holds decides the key ([`resolve`]). The footer
//! lists, in the same order, the [`Hint`] of every binding whose condition
//! holds ([`hints`]). A hint can therefore never advertise a key that does
//! nothing, and a key that works can only be missing from the footer by a
//! deliberate `hint: None` — an alias (Down beside Tab), the other half of a
//! pair (`↑↓` is written on the ↑ binding), or a key that is no command at
//! all (typing into a field).
//!
//! The actions are small `Copy` enums, one per screen: what the key asks
//! for, in the screen's own words. The screen then carries the action out
//! on its form and returns the shell's [`Action`](super::Action), if any.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::core::flow::State;

/// A key, or a family of keys, a binding answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// This key, whatever modifiers are held (Shift-Tab arrives as BackTab).
    Code(KeyCode),
    /// This character with no modifier but Shift: `?` typed with Ctrl or
    /// Alt held is not the help key.
    Plain(char),
    /// This character with Ctrl held.
    Ctrl(char),
    /// Any digit `0`–`9`, with no modifier but Shift.
    Digit,
    /// Any key: typing into the focused field, after every command.
    Any,
}

impl Key {
    /// Whether `event` is this key.
    pub fn matches(self, event: &KeyEvent) -> bool {
        match self {
            Key::Code(code) => event.code == code,
            Key::Plain(c) => {
                event.code == KeyCode::Char(c)
                    && event.modifiers.difference(KeyModifiers::SHIFT).is_empty()
            }
            Key::Ctrl(c) => {
                event.code == KeyCode::Char(c) && event.modifiers.contains(KeyModifiers::CONTROL)
            }
            Key::Digit => {
                matches!(event.code, KeyCode::Char(c) if c.is_ascii_digit())
                    && event.modifiers.difference(KeyModifiers::SHIFT).is_empty()
            }
            Key::Any => true,
        }
    }

    /// The key's name as the footer writes it (`Enter`, `↑`, `Ctrl-C`).
    pub fn name(self) -> String {
        match self {
            Key::Code(KeyCode::Enter) => "Enter".into(),
            Key::Code(KeyCode::Esc) => "Esc".into(),
            Key::Code(KeyCode::Tab) => "Tab".into(),
            Key::Code(KeyCode::BackTab) => "Shift-Tab".into(),
            Key::Code(KeyCode::Up) => "↑".into(),
            Key::Code(KeyCode::Down) => "↓".into(),
            Key::Code(KeyCode::Left) => "←".into(),
            Key::Code(KeyCode::Right) => "→".into(),
            Key::Code(KeyCode::Char(c)) | Key::Plain(c) => c.to_string(),
            Key::Code(KeyCode::F(n)) => format!("F{n}"),
            Key::Code(other) => format!("{other:?}"),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Digit => "0-9".into(),
            Key::Any => String::new(),
        }
    }
}

/// Tab or ↓: the next field of a form.
pub const NEXT_FIELD: &[Key] = &[Key::Code(KeyCode::Tab), Key::Code(KeyCode::Down)];
/// Shift-Tab or ↑: the previous field of a form.
pub const PREV_FIELD: &[Key] = &[Key::Code(KeyCode::BackTab), Key::Code(KeyCode::Up)];

/// What the footer shows for a binding: its keys as written, and the i18n
/// key of what they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    /// The keys as the footer writes them (`y/Enter`, `↑↓`).
    pub keys: &'static str,
    /// The i18n key of what they do (`key.back`).
    pub does: &'static str,
}

/// When a binding is active: a test over the screen's form and the core
/// state (read-only).
pub type When<F> = fn(&F, &State) -> bool;

/// One row of a key table: keys → action, while a condition holds, with
/// what the footer says about it.
#[derive(Debug, Clone, Copy)]
pub struct Binding<F, A> {
    /// The keys that trigger it.
    pub keys: &'static [Key],
    /// What they ask for.
    pub action: A,
    /// When it is active (and its hint shown).
    pub when: When<F>,
    /// What the footer shows; `None` for an alias or a key that is no
    /// command (see the module docs).
    pub hint: Option<Hint>,
}

/// The condition of a binding that is always active.
pub fn always<F>(_: &F, _: &State) -> bool {
    true
}

impl<F, A: Copy> Binding<F, A> {
    /// `keys` ask for `action`, always, with no footer hint.
    pub const fn new(keys: &'static [Key], action: A) -> Self {
        Binding {
            keys,
            action,
            when: always,
            hint: None,
        }
    }

    /// Active only while `when` holds.
    pub const fn when(self, when: When<F>) -> Self {
        Binding { when, ..self }
    }

    /// Shown in the footer as `keys` and the text of the i18n key `does`.
    pub const fn hint(self, keys: &'static str, does: &'static str) -> Self {
        Binding {
            hint: Some(Hint { keys, does }),
            ..self
        }
    }

    fn answers(&self, form: &F, state: &State, event: &KeyEvent) -> bool {
        self.keys.iter().any(|k| k.matches(event)) && (self.when)(form, state)
    }
}

/// The action of the first binding in `table` that takes `event` now.
pub fn resolve<F, A: Copy>(
    table: &[Binding<F, A>],
    form: &F,
    state: &State,
    event: &KeyEvent,
) -> Option<A> {
    table
        .iter()
        .find(|b| b.answers(form, state, event))
        .map(|b| b.action)
}

/// The footer hints of `table`'s active bindings, in table order.
pub fn hints<F, A: Copy>(table: &[Binding<F, A>], form: &F, state: &State) -> Vec<Hint> {
    table
        .iter()
        .filter(|b| (b.when)(form, state))
        .filter_map(|b| b.hint)
        .collect()
}

/// Checks a table's hints against its keys: each hint starts with the name
/// of its binding's first key (`y/Enter` on `[y, Enter]`, `↑↓` on `[↑, k]`),
/// so a hint cannot name a key its binding does not have. Tests call it on
/// every table.
pub fn hints_name_their_keys<F, A: Copy>(table: &[Binding<F, A>]) -> Result<(), String> {
    for binding in table {
        let (Some(hint), Some(first)) = (binding.hint, binding.keys.first()) else {
            continue;
        };
        if !hint.keys.starts_with(&first.name()) {
            return Err(format!(
                "hint {:?} is on a binding whose first key is {}",
                hint.keys,
                first.name()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::core::model::KeySeed;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn plain_keys_allow_shift_only() {
        let q = Key::Plain('?');
        assert!(q.matches(&press(KeyCode::Char('?'), KeyModifiers::SHIFT)));
        assert!(!q.matches(&press(KeyCode::Char('?'), KeyModifiers::ALT)));
        let c = Key::Ctrl('c');
        assert!(c.matches(&press(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT
        )));
        assert!(!c.matches(&press(KeyCode::Char('c'), KeyModifiers::NONE)));
        assert!(Key::Code(KeyCode::Tab).matches(&press(KeyCode::Tab, KeyModifiers::CONTROL)));
        assert!(Key::Digit.matches(&press(KeyCode::Char('7'), KeyModifiers::NONE)));
        assert!(!Key::Digit.matches(&press(KeyCode::Char('7'), KeyModifiers::CONTROL)));
        assert!(!Key::Digit.matches(&press(KeyCode::Char('x'), KeyModifiers::NONE)));
    }

    #[test]
    fn first_match_wins_and_hints_follow_conditions() {
        fn never(_: &(), _: &State) -> bool {
            false
        }
        let table: [Binding<(), u8>; 3] = [
            Binding::new(&[Key::Code(KeyCode::Enter)], 1)
                .when(never)
                .hint("Enter", "a"),
            Binding::new(&[Key::Code(KeyCode::Enter)], 2).hint("Enter", "b"),
            Binding::new(&[Key::Any], 3),
        ];
        let state = State::new(KeySeed([0; 16]), DateTime::UNIX_EPOCH);
        let enter = press(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(resolve(&table, &(), &state, &enter), Some(2));
        let x = press(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(resolve(&table, &(), &state, &x), Some(3));
        let shown: Vec<_> = hints(&table, &(), &state).iter().map(|h| h.does).collect();
        assert_eq!(shown, ["b"]);
        assert!(hints_name_their_keys(&table).is_ok());
        let wrong = [Binding::<(), u8>::new(&[Key::Code(KeyCode::Esc)], 0).hint("Enter", "x")];
        assert!(hints_name_their_keys(&wrong).is_err());
    }
}
