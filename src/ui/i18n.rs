//! The wizard's words, in Simplified Chinese (the default) and English.
//!
//! Strings live in `assets/i18n/{zh,en}.toml`, compiled in with
//! `include_str!` and parsed once. Keys are dotted paths (`error.account_frozen`,
//! `remedy.not_cancellable.expired`); values may name arguments in braces
//! (`{hotline}`), filled in by [`tr`]. A key missing from a file shows as the
//! key itself rather than crashing the screen; the tests make sure none is.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The language the wizard speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 简体中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl From<crate::cli::Lang> for Lang {
    fn from(lang: crate::cli::Lang) -> Self {
        match lang {
            crate::cli::Lang::Zh => Lang::Zh,
            crate::cli::Lang::En => Lang::En,
        }
    }
}

/// The raw text of each language file, for tests that compare them.
pub const SOURCES: [(Lang, &str); 2] = [
    (Lang::Zh, include_str!("../../assets/i18n/zh.toml")),
    (Lang::En, include_str!("../../assets/i18n/en.toml")),
];

/// Why a strings file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The file is not valid TOML.
    #[error("the strings file is not valid TOML: {0}; fix assets/i18n and rebuild")]
    Syntax(String),
    /// A value is neither a string nor a table.
    #[error("the strings file has a non-string value at {0}; every leaf must be a string")]
    NotText(String),
}

/// One language's strings by dotted key.
pub type Catalog = BTreeMap<String, String>;

/// Parses a strings file into dotted keys.
pub fn parse_catalog(text: &str) -> Result<Catalog, CatalogError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| CatalogError::Syntax(e.to_string()))?;
    let mut out = Catalog::new();
    flatten("", &table, &mut out)?;
    Ok(out)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) -> Result<(), CatalogError> {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(s) => {
                out.insert(path, s.clone());
            }
            toml::Value::Table(t) => flatten(&path, t, out)?,
            _ => return Err(CatalogError::NotText(path)),
        }
    }
    Ok(())
}

fn catalog(lang: Lang) -> &'static Catalog {
    static ZH: OnceLock<Catalog> = OnceLock::new();
    static EN: OnceLock<Catalog> = OnceLock::new();
    let (cell, index) = match lang {
        Lang::Zh => (&ZH, 0),
        Lang::En => (&EN, 1),
    };
    // The files are compiled in and checked by tests; should one still be
    // broken, the screens show keys instead of crashing the terminal.
    cell.get_or_init(|| parse_catalog(SOURCES[index].1).unwrap_or_default())
}

/// Whether `key` exists in `lang`'s strings.
pub fn has(lang: Lang, key: &str) -> bool {
    catalog(lang).contains_key(key)
}

/// The text of `key`, or the key itself when it is missing.
pub fn t(lang: Lang, key: &str) -> String {
    catalog(lang)
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.to_owned())
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
