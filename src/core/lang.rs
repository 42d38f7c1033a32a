//! The two languages the wizard speaks. In the core because its data (the
//! channel guidance) carries both; the screens use the same type.

/// The language the wizard speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 简体中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}
