//! The wizard's words, in Simplified Chinese (the default) and English.
//!
//! Strings live in `assets/i18n/{zh,en}.toml`; `build.rs` turns them into
//! sorted tables at compile time (a broken file fails the build), so looking
//! a word up is a binary search and start-up parses nothing. Keys are dotted
//! paths (`error.account_frozen`, `remedy.not_cancellable.expired`); values may name arguments in braces
//! (`{hotline}`), filled in by [`tr`]. A key missing from a file shows as the
//! key itself rather than crashing the screen; the tests make sure none is.

pub use crate::core::lang::Lang;

impl From<crate::cli::Lang> for Lang {
    fn from(lang: crate::cli::Lang) -> Self {
        match lang {
            crate::cli::Lang::Zh => Lang::Zh,
            crate::cli::Lang::En => Lang::En,
        }
    }
}

/// The raw text of each language file, for tests that check the files.
pub const SOURCES: [(Lang, &str); 2] = [
    (Lang::Zh, include_str!("../../../assets/i18n/zh.toml")),
    (Lang::En, include_str!("../../../assets/i18n/en.toml")),
];

mod strings_file;

pub use strings_file::{Catalog, CatalogError, parse_catalog};

/// One language's strings as `build.rs` compiled them: every key and text
/// end to end in `text`, and per entry the byte ranges of its key and its
/// text, sorted by key.
struct Table {
    text: &'static str,
    ranges: &'static [[u32; 4]],
}

impl Table {
    fn part(&self, start: u32, end: u32) -> &'static str {
        // The ranges come from the same build as the text, on character
        // boundaries; `get` keeps a mismatch from ever panicking.
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    fn get(&self, key: &str) -> Option<&'static str> {
        let i = self
            .ranges
            .binary_search_by(|[ks, ke, _, _]| self.part(*ks, *ke).cmp(key))
            .ok()?;
        let [_, _, vs, ve] = self.ranges[i];
        Some(self.part(vs, ve))
    }

    /// Every (key, text), in key order.
    #[cfg(test)]
    fn entries(&self) -> Vec<(&'static str, &'static str)> {
        self.ranges
            .iter()
            .map(|[ks, ke, vs, ve]| (self.part(*ks, *ke), self.part(*vs, *ve)))
            .collect()
    }
}

// `ZH` and `EN`, from assets/i18n/{zh,en}.toml.
include!(concat!(env!("OUT_DIR"), "/strings.rs"));

fn table(lang: Lang) -> &'static Table {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The text of `key` in `lang`, if the strings file has it.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    table(lang).get(key)
}

/// Whether `key` exists in `lang`'s strings.
pub fn has(lang: Lang, key: &str) -> bool {
    lookup(lang, key).is_some()
}

/// The text of `key`, or the key itself when it is missing.
pub fn t(lang: Lang, key: &str) -> String {
    lookup(lang, key).unwrap_or(key).to_owned()
}

/// The text of `key` with `{name}` placeholders filled from `args`.
/// Unknown placeholders are left as written, so a missing argument is visible.
pub fn tr<S: AsRef<str>>(lang: Lang, key: &str, args: &[(&str, S)]) -> String {
    interpolate(&t(lang, key), args)
}

/// Replaces `{name}` in `template` by the value named `name` in `args`.
pub fn interpolate<S: AsRef<str>>(template: &str, args: &[(&str, S)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value.as_ref()),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_fills_named_values_and_keeps_unknown_ones() {
        assert_eq!(
            interpolate("call {hotline} now", &[("hotline", "10086")]),
            "call 10086 now"
        );
        assert_eq!(interpolate("{a}{b}", &[("a", "1")]), "1{b}");
        assert_eq!(interpolate("no close {x", &[("x", "1")]), "no close {x");
        assert_eq!(interpolate("宽带 {n} 元", &[("n", "99")]), "宽带 99 元");
    }

    #[test]
    fn both_files_parse() {
        for (lang, text) in SOURCES {
            let cat = parse_catalog(text).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
            assert!(cat.len() > 100, "{lang:?} has only {} keys", cat.len());
        }
    }

    #[test]
    fn the_compiled_tables_are_the_files() {
        for (lang, text) in SOURCES {
            let parsed = parse_catalog(text).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
            let compiled = table(lang).entries();
            let expected: Vec<(&str, &str)> = parsed
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            assert_eq!(
                compiled, expected,
                "{lang:?}: rebuild after editing assets/i18n"
            );
            assert!(
                compiled.windows(2).all(|w| w[0].0 < w[1].0),
                "{lang:?} not sorted"
            );
        }
        assert_eq!(t(Lang::Zh, "step.login"), "登录");
    }

    #[test]
    fn a_missing_key_shows_itself() {
        assert_eq!(t(Lang::En, "no.such.key"), "no.such.key");
        assert!(!has(Lang::Zh, "no.such.key"));
    }

    #[test]
    fn malformed_files_are_reported_not_panicked_on() {
        assert!(matches!(
            parse_catalog("a = "),
            Err(CatalogError::Syntax(_))
        ));
        assert!(matches!(
            parse_catalog("a = 1"),
            Err(CatalogError::NotText(p)) if p == "a"
        ));
    }
}
