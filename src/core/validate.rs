//! Checks on what a person types: phone numbers (and the carrier their prefix
//! suggests), resident ID numbers, SMS codes, service passwords, bank cards.
//!
//! Every rejection is an [`InputError`] that says what is wrong in words, with
//! a message key for the zh/en strings and the values the message needs.

use chrono::NaiveDate;

use super::model::{CarrierId, Msisdn};
use super::secret::{CardNumber, IdNumber, ServicePassword, SmsCode};

/// What is wrong with a typed value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Nothing was entered.
    #[error("nothing entered yet")]
    Empty,
    /// A character other than a digit (or `X` at the end of an ID number).
    #[error("only digits are allowed here")]
    NotDigits,
    /// Too few or too many digits.
    #[error("{expected} digits are needed, {got} entered")]
    WrongLength {
        /// What the field needs, e.g. "11" or "16–19".
        expected: &'static str,
        /// How many characters were entered.
        got: usize,
    },
    /// Not a mainland mobile number (must start 13–19).
    #[error("a mainland mobile number starts with 13 to 19")]
    NotMobile,
    /// A segment no carrier uses.
    #[error("no carrier uses the number segment {0}; check the number")]
    UnknownSegment(String),
    /// A virtual-operator segment: the person must choose the host carrier.
    #[error("{0} is a virtual-operator segment: choose the host carrier your provider uses")]
    VirtualOperator(String),
    /// China Broadnet: not one of the three carriers the wizard supports.
    #[error("{0} belongs to China Broadnet, which this wizard does not support")]
    Broadnet(String),
    /// The first six digits are not a mainland region code.
    #[error("the ID number's first six digits are not a region code")]
    BadRegion,
    /// Digits 7–14 are not a real birth date.
    #[error("the ID number's birth date ({0}) is not a real date")]
    BadBirthDate(String),
    /// The 18th character does not match the ISO 7064 MOD 11-2 check.
    #[error("the ID number's last character should be {expected}: a digit may be mistyped")]
    BadIdCheck {
        /// What the check character would have to be.
        expected: char,
    },
    /// The card number fails the Luhn check.
    #[error("the card number fails its check digit: a digit may be mistyped")]
    BadCardCheck,
    /// A form sent before (its answer lost) must go again unchanged: this
    /// field differs from what was sent, shown masked.
    #[error("this differs from what was sent before ({0})")]
    NotAsSent(String),
}

impl InputError {
    /// The i18n key of this message (`input.wrong_length`…).
    pub fn key(&self) -> &'static str {
        match self {
            InputError::Empty => "input.empty",
            InputError::NotDigits => "input.not_digits",
            InputError::WrongLength { .. } => "input.wrong_length",
            InputError::NotMobile => "input.not_mobile",
            InputError::UnknownSegment(_) => "input.unknown_segment",
            InputError::VirtualOperator(_) => "input.virtual_operator",
            InputError::Broadnet(_) => "input.broadnet",
            InputError::BadRegion => "input.bad_region",
            InputError::BadBirthDate(_) => "input.bad_birth_date",
            InputError::BadIdCheck { .. } => "input.bad_id_check",
            InputError::BadCardCheck => "input.bad_card_check",
            InputError::NotAsSent(_) => "input.not_as_sent",
        }
    }

    /// The values the message interpolates, by name.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            InputError::WrongLength { expected, got } => {
                vec![
                    ("expected", (*expected).to_owned()),
                    ("got", got.to_string()),
                ]
            }
            InputError::UnknownSegment(s)
            | InputError::VirtualOperator(s)
            | InputError::Broadnet(s)
            | InputError::BadBirthDate(s)
            | InputError::NotAsSent(s) => vec![("value", s.clone())],
            InputError::BadIdCheck { expected } => vec![("expected", expected.to_string())],
            _ => Vec::new(),
        }
    }
}

/// Removes what people commonly type around a number: spaces, dashes and a
/// `+86`/`86` country code.
fn normalise_phone(raw: &str) -> String {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .collect();
    let without_cc = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("0086"))
        .or_else(|| {
            (compact.len() == 13)
                .then(|| compact.strip_prefix("86"))
                .flatten()
        })
        .unwrap_or(&compact);
    without_cc.to_owned()
}

/// Checks an 11-digit mainland mobile number and returns it with the carrier
/// its segment suggests.
pub fn phone(raw: &str) -> Result<(Msisdn, CarrierId), InputError> {
    let digits = normalise_phone(raw);
    if digits.is_empty() {
        return Err(InputError::Empty);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputError::NotDigits);
    }
    if digits.len() != 11 {
        return Err(InputError::WrongLength {
            expected: "11",
            got: digits.chars().count(),
        });
    }
    let carrier = carrier_of_segment(&digits)?;
    Ok((Msisdn(digits), carrier))
}

/// The carrier a number's first digits belong to (current allocations of the
/// three carriers; Broadnet's 192; virtual operators' 162/165/167/170/171).
pub fn carrier_of_segment(digits: &str) -> Result<CarrierId, InputError> {
    use CarrierId::*;
    let three = digits.get(..3).ok_or(InputError::WrongLength {
        expected: "11",
        got: digits.len(),
    })?;
    let four = digits.get(..4).unwrap_or(three);
    if !three.starts_with('1') || !matches!(three.as_bytes()[1], b'3'..=b'9') {
        return Err(InputError::NotMobile);
    }
    // 1349 was the satellite segment, now China Telecom's; the rest of 134 is Mobile.
    if four == "1349" {
        return Ok(ChinaTelecom);
    }
    let carrier = match three {
        "134" | "135" | "136" | "137" | "138" | "139" | "147" | "148" | "150" | "151" | "152"
        | "157" | "158" | "159" | "172" | "178" | "182" | "183" | "184" | "187" | "188" | "195"
        | "197" | "198" => ChinaMobile,
        "130" | "131" | "132" | "145" | "146" | "155" | "156" | "166" | "175" | "176" | "185"
        | "186" | "196" => ChinaUnicom,
        "133" | "149" | "153" | "173" | "174" | "177" | "180" | "181" | "189" | "190" | "191"
        | "193" | "199" => ChinaTelecom,
        "162" | "165" | "167" | "170" | "171" => {
            return Err(InputError::VirtualOperator(three.to_owned()));
        }
        "192" => return Err(InputError::Broadnet(three.to_owned())),
        _ => return Err(InputError::UnknownSegment(three.to_owned())),
    };
    Ok(carrier)
}

/// Checks a number's shape only (11 digits, 13–19), without the carrier
/// suggestion: for contact numbers, and for a login number whose carrier the
/// person has chosen themselves (virtual operators, moved numbers).
pub fn contact_phone(raw: &str) -> Result<Msisdn, InputError> {
    match phone(raw) {
        Ok((msisdn, _)) => Ok(msisdn),
        Err(InputError::VirtualOperator(_) | InputError::Broadnet(_)) => {
            Ok(Msisdn(normalise_phone(raw)))
        }
        Err(e) => Err(e),
    }
}

fn exact_digits(raw: &str, len: usize, expected: &'static str) -> Result<String, InputError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    if !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputError::NotDigits);
    }
    if trimmed.len() != len {
        return Err(InputError::WrongLength {
            expected,
            got: trimmed.chars().count(),
        });
    }
    Ok(trimmed.to_owned())
}

/// A 6-digit SMS code.
pub fn sms_code(raw: &str) -> Result<SmsCode, InputError> {
    exact_digits(raw, 6, "6").map(SmsCode::new_unchecked)
}

/// A 6-digit service password (服务密码).
pub fn service_password(raw: &str) -> Result<ServicePassword, InputError> {
    exact_digits(raw, 6, "6").map(ServicePassword::new_unchecked)
}

/// Region codes' first two digits: the mainland's provinces, plus Taiwan (71),
/// Hong Kong (81), Macao (82) as used on residence permits.
fn is_region(code: &str) -> bool {
    let Ok(province) = code[..2].parse::<u8>() else {
        return false;
    };
    matches!(province, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82)
}

/// The ISO 7064 MOD 11-2 check character of the first 17 digits.
pub fn id_check_char(first17: &[u8]) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// An 18-character resident ID: region, a real birth date, and the check
/// character (a lowercase `x` is accepted and stored as `X`).
pub fn id_number(raw: &str) -> Result<IdNumber, InputError> {
    let id = raw.trim().to_ascii_uppercase();
    if id.is_empty() {
        return Err(InputError::Empty);
    }
    let bytes = id.as_bytes();
    let shape_ok = bytes
        .iter()
        .enumerate()
        .all(|(i, b)| b.is_ascii_digit() || (i == 17 && *b == b'X'));
    if !shape_ok || !id.is_ascii() {
        return Err(InputError::NotDigits);
    }
    if bytes.len() != 18 {
        return Err(InputError::WrongLength {
            expected: "18",
            got: id.chars().count(),
        });
    }
    if !is_region(&id[..6]) {
        return Err(InputError::BadRegion);
    }
    let birth = &id[6..14];
    let date_ok = NaiveDate::parse_from_str(birth, "%Y%m%d")
        .ok()
        .filter(|d| (1900..=2099).contains(&chrono::Datelike::year(d)));
    if date_ok.is_none() {
        return Err(InputError::BadBirthDate(birth.to_owned()));
    }
    let expected = id_check_char(&bytes[..17]);
    if char::from(bytes[17]) != expected {
        return Err(InputError::BadIdCheck { expected });
    }
    Ok(IdNumber::new_unchecked(id))
}

/// Whether a digit string passes the Luhn check.
pub fn luhn_ok(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b.wrapping_sub(b'0'));
        if d > 9 {
            return false;
        }
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum % 10 == 0
}

/// A bank card number: 16–19 digits (spaces allowed while typing) passing Luhn.
pub fn card_number(raw: &str) -> Result<CardNumber, InputError> {
    let digits: String = raw.chars().filter(|c| *c != ' ' && *c != '-').collect();
    if digits.is_empty() {
        return Err(InputError::Empty);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputError::NotDigits);
    }
    if !(16..=19).contains(&digits.len()) {
        return Err(InputError::WrongLength {
            expected: "16–19",
            got: digits.chars().count(),
        });
    }
    if !luhn_ok(&digits) {
        return Err(InputError::BadCardCheck);
    }
    Ok(CardNumber::new_unchecked(digits))
}

/// A holder's name as on the ID: 1–30 characters, not blank.
pub fn holder_name(raw: &str) -> Result<String, InputError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(InputError::Empty);
    }
    let len = name.chars().count();
    if len > 30 {
        return Err(InputError::WrongLength {
            expected: "1–30",
            got: len,
        });
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn scenario_numbers_map_to_their_carriers() {
        assert_eq!(phone("13800138000").unwrap().1, CarrierId::ChinaMobile);
        assert_eq!(phone("13900139000").unwrap().1, CarrierId::ChinaMobile);
        assert_eq!(phone("18600186000").unwrap().1, CarrierId::ChinaUnicom);
        assert_eq!(phone("13300133000").unwrap().1, CarrierId::ChinaTelecom);
        assert_eq!(phone("13490000000").unwrap().1, CarrierId::ChinaTelecom);
        assert_eq!(
            phone("+86 138-0013-8000").unwrap().0.as_str(),
            "13800138000"
        );
        assert_eq!(phone("8613800138000").unwrap().0.as_str(), "13800138000");
    }

    #[test]
    fn phone_rejections_say_why() {
        assert_eq!(phone(""), Err(InputError::Empty));
        assert_eq!(phone("1380013800a"), Err(InputError::NotDigits));
        assert_eq!(
            phone("1380013800"),
            Err(InputError::WrongLength {
                expected: "11",
                got: 10
            })
        );
        assert_eq!(phone("12800138000"), Err(InputError::NotMobile));
        assert_eq!(phone("23800138000"), Err(InputError::NotMobile));
        assert_eq!(
            phone("14000000000"),
            Err(InputError::UnknownSegment("140".into()))
        );
        for v in ["162", "165", "167", "170", "171"] {
            let n = format!("{v}00000000");
            assert_eq!(phone(&n), Err(InputError::VirtualOperator(v.into())));
            assert!(contact_phone(&n).is_ok());
        }
        assert_eq!(
            phone("19200000000"),
            Err(InputError::Broadnet("192".into()))
        );
    }

    #[test]
    fn scenario_ids_pass() {
        for id in [
            "110101199003071233",
            "310104198506120457",
            "44030519921120331X",
            "44030519921120331x",
            "510107197808156721",
            "320102198802290580",
            "330106199501011172",
            "420102198707040018",
        ] {
            assert!(id_number(id).is_ok(), "{id}");
        }
        assert_eq!(
            id_number("44030519921120331x").unwrap().expose(),
            "44030519921120331X"
        );
    }

    #[test]
    fn id_rejections_say_why() {
        assert_eq!(
            id_number("110101199003071234"),
            Err(InputError::BadIdCheck { expected: '3' })
        );
        assert_eq!(id_number("000101199003071233"), Err(InputError::BadRegion));
        assert_eq!(
            id_number("110101199002301233"),
            Err(InputError::BadBirthDate("19900230".into()))
        );
        assert_eq!(
            id_number("11010119900307123"),
            Err(InputError::WrongLength {
                expected: "18",
                got: 17
            })
        );
        assert_eq!(id_number("11010119900307X233"), Err(InputError::NotDigits));
        assert_eq!(id_number("１１０"), Err(InputError::NotDigits));
        // 2000-02-29 is real; 1900-02-29 is not.
        assert!(!matches!(
            id_number("110101200002291230"),
            Err(InputError::BadBirthDate(_))
        ));
        assert!(matches!(
            id_number("110101190002291230"),
            Err(InputError::BadBirthDate(_))
        ));
    }

    #[test]
    fn codes_and_passwords_are_six_digits() {
        assert!(sms_code("123456").is_ok());
        assert_eq!(
            sms_code("12345").err(),
            Some(InputError::WrongLength {
                expected: "6",
                got: 5
            })
        );
        assert_eq!(sms_code("12345a").err(), Some(InputError::NotDigits));
        assert!(service_password("135790").is_ok());
        assert_eq!(service_password("").err(), Some(InputError::Empty));
    }

    #[test]
    fn cards_need_luhn() {
        assert!(card_number("6222021234567890128").is_ok());
        assert!(card_number("6222 0212 3456 7890 128").is_ok());
        assert!(card_number("6217000000000000004").is_ok());
        assert_eq!(
            card_number("6222021234567890127").err(),
            Some(InputError::BadCardCheck)
        );
        assert_eq!(
            card_number("622202123456789").err(),
            Some(InputError::WrongLength {
                expected: "16–19",
                got: 15
            })
        );
        assert_eq!(card_number("6222x").err(), Some(InputError::NotDigits));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(holder_name("  张伟 ").unwrap(), "张伟");
        assert_eq!(holder_name(" ").err(), Some(InputError::Empty));
        assert!(holder_name(&"长".repeat(31)).is_err());
    }

    proptest! {
        #[test]
        fn validators_never_panic(text in "\\PC{0,40}") {
            let _ = phone(&text);
            let _ = contact_phone(&text);
            let _ = id_number(&text);
            let _ = sms_code(&text);
            let _ = service_password(&text);
            let _ = card_number(&text);
            let _ = holder_name(&text);
        }

        #[test]
        fn any_id_with_its_check_char_passes(region in prop::sample::select(vec!["110101", "310104", "440305"]),
                                              days in 0i64..40000, seq in 0u32..1000) {
            let birth = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Duration::days(days);
            let first17 = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
            let id = format!("{first17}{}", id_check_char(first17.as_bytes()));
            prop_assert!(id_number(&id).is_ok());
        }

        #[test]
        fn one_changed_digit_breaks_luhn(pos in 0usize..19, delta in 1u8..10) {
            let good = "6222021234567890128";
            let mut bytes = good.as_bytes().to_vec();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let bad = String::from_utf8(bytes).unwrap();
            prop_assert!(!luhn_ok(&bad));
        }
    }
}
