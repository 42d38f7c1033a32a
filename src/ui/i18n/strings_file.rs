//! Reading a strings file (`assets/i18n/*.toml`) into dotted keys.
//!
//! Shared by `build.rs`, which compiles the files into sorted tables so that
//! no TOML is parsed on the way to the first frame, and by the library, whose
//! tests check the files themselves. One reader, so the two cannot disagree.
//! It depends on `toml` and `thiserror` only (both are build-dependencies).

use std::collections::BTreeMap;

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

/// One language's strings by dotted key, in key order.
pub type Catalog = BTreeMap<String, String>;

/// Parses a strings file into dotted keys (`[error] account_frozen = ".."`
/// becomes `error.account_frozen`).
pub fn parse_catalog(text: &str) -> Result<Catalog, CatalogError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| CatalogError::Syntax(e.to_string()))?;
    let mut out = Catalog::new();
    flatten("", table, &mut out)?;
    Ok(out)
}

fn flatten(prefix: &str, table: toml::Table, out: &mut Catalog) -> Result<(), CatalogError> {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(s) => {
                out.insert(path, s);
            }
            toml::Value::Table(t) => flatten(&path, t, out)?,
            _ => return Err(CatalogError::NotText(path)),
        }
    }
    Ok(())
}
