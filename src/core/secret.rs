//! Secrets: values that must never reach a disk, a log, a receipt or a panic
//! message.
//!
//! Each is a newtype over a string that is zeroized on drop, whose `Debug`
//! prints only a redacted or masked form, and which implements neither
//! `Display` nor `Serialize` — so it cannot slip into the journal, a receipt or
//! a `format!` by accident. The raw value is reachable only through
//! `expose()`, which adapters call when building a request body.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::mask::mask_middle;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident, $debug:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
        pub struct $name(String);

        impl $name {
            /// The raw value, for a request body only. Never log or store it.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let shown: fn(&str) -> String = $debug;
                write!(f, concat!(stringify!($name), "({})"), shown(&self.0))
            }
        }
    };
}

secret_type!(
    /// A 6-digit SMS verification code.
    SmsCode,
    |_| "******".to_owned()
);
secret_type!(
    /// The 6-digit service password (服务密码) China Unicom asks for.
    ServicePassword,
    |_| "******".to_owned()
);
secret_type!(
    /// A carrier session credential (bearer token, session cookie, access token).
    Token,
    |_| "[redacted]".to_owned()
);
secret_type!(
    /// A full 18-character resident ID number; shown as `110***********123X`.
    IdNumber,
    |raw| mask_middle(raw, 3, 4)
);
secret_type!(
    /// A full bank card number; shown as its last four digits only.
    CardNumber,
    |raw| format!("****{}", last4(raw))
);

fn last4(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

impl SmsCode {
    pub(crate) fn new_unchecked(raw: String) -> Self {
        SmsCode(raw)
    }
}

impl ServicePassword {
    pub(crate) fn new_unchecked(raw: String) -> Self {
        ServicePassword(raw)
    }
}

impl Token {
    /// Wraps a credential the carrier returned.
    pub fn new(raw: impl Into<String>) -> Self {
        Token(raw.into())
    }
}

impl IdNumber {
    pub(crate) fn new_unchecked(raw: String) -> Self {
        IdNumber(raw)
    }

    /// `110***********123X`: what receipts and screens show.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 3, 4)
    }
}

impl CardNumber {
    pub(crate) fn new_unchecked(raw: String) -> Self {
        CardNumber(raw)
    }

    /// The last four digits: all that is ever kept.
    pub fn last4(&self) -> String {
        last4(&self.0)
    }

    /// `**** **** **** 0128`: what the Pay screen shows once entered.
    pub fn masked(&self) -> String {
        format!("**** **** **** {}", self.last4())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let code = SmsCode::new_unchecked("493817".into());
        let pwd = ServicePassword::new_unchecked("135790".into());
        let token = Token::new("eyJhbGciOi.secret");
        let id = IdNumber::new_unchecked("110101199003071233".into());
        let card = CardNumber::new_unchecked("6222021234567890128".into());
        let all = format!("{code:?} {pwd:?} {token:?} {id:?} {card:?}");
        for raw in [
            "493817",
            "135790",
            "eyJhbGciOi",
            "110101199003071233",
            "6222021234567890128",
        ] {
            assert!(!all.contains(raw), "{raw} leaked in {all}");
        }
        assert!(all.contains("110***********1233"));
        assert!(all.contains("****0128"));
    }

    #[test]
    fn zeroize_clears_the_value() {
        let mut code = SmsCode::new_unchecked("493817".into());
        code.zeroize();
        assert_eq!(code.expose(), "");
        let mut card = CardNumber::new_unchecked("6222021234567890128".into());
        card.zeroize();
        assert_eq!(card.expose(), "");
    }
}
