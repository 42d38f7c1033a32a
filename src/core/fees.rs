//! Money as integer fen, and the fee rule the carriers quote by.
//!
//! Money never passes through a float: amounts are `i64` fen, yuan strings are
//! parsed digit by digit, and the one percentage in the fee rule is applied in
//! integer arithmetic with explicit half-up rounding.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// An amount of money in fen (1 yuan = 100 fen). Negative amounts are refunds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// Why a yuan string was not accepted as money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    /// Nothing to parse.
    #[error("the amount is empty")]
    Empty,
    /// A character that has no place in a yuan amount (letters, spaces, `,`, `+`…).
    #[error("the amount {0:?} has a character that is not a digit, '-' or '.'")]
    BadCharacter(String),
    /// Structure is wrong: no digits before the point, two points, a dangling point.
    #[error("the amount {0:?} is not written as yuan with up to two decimals, e.g. \"129.00\"")]
    Malformed(String),
    /// More than two decimals would be a fraction of a fen.
    #[error("the amount {0:?} has more than two decimals (a fraction of a fen)")]
    TooPrecise(String),
    /// Larger than any bill could be (and than `i64` fen can hold).
    #[error("the amount {0:?} is too large")]
    TooLarge(String),
}

impl Fen {
    /// Zero fen.
    pub const ZERO: Fen = Fen(0);

    /// Whole yuan and fen, e.g. `Fen::yuan(207, 90)` is ¥207.90. The fen part
    /// takes the sign of the yuan part.
    pub const fn yuan(yuan: i64, fen: i64) -> Fen {
        if yuan < 0 {
            Fen(yuan * 100 - fen)
        } else {
            Fen(yuan * 100 + fen)
        }
    }

    /// Whether this amount is owed (positive) rather than nothing or a refund.
    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Parses a yuan string exactly, without floats.
    ///
    /// Accepted: an optional leading `-`, one or more digits, and optionally a
    /// point followed by one or two digits (`"12.5"` is normalised to ¥12.50;
    /// `"-0.00"` is zero). Rejected with a reason: empty strings, thousands
    /// separators (`"1,000.00"` — ambiguous across locales, and no carrier in
    /// the spec sends them), a leading `+`, `".5"`, `"5."`, three or more
    /// decimals, and anything beyond what `i64` fen can hold.
    pub fn parse_yuan(text: &str) -> Result<Fen, MoneyParseError> {
        if text.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        if !text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
        {
            return Err(MoneyParseError::BadCharacter(text.to_owned()));
        }
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (body, None),
        };
        let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !is_digits(whole) {
            return Err(MoneyParseError::Malformed(text.to_owned()));
        }
        let frac_fen = match frac {
            None => 0,
            Some(f) if !is_digits(f) => return Err(MoneyParseError::Malformed(text.to_owned())),
            Some(f) if f.len() > 2 => return Err(MoneyParseError::TooPrecise(text.to_owned())),
            Some(f) => {
                let digits: i64 = f.bytes().fold(0, |acc, b| acc * 10 + i64::from(b - b'0'));
                if f.len() == 1 { digits * 10 } else { digits }
            }
        };
        let too_large = || MoneyParseError::TooLarge(text.to_owned());
        // i128 so that the most negative amount, one fen past i64::MAX in
        // magnitude, still parses.
        let whole_yuan: i128 = whole.parse().map_err(|_| too_large())?;
        let magnitude = whole_yuan
            .checked_mul(100)
            .and_then(|f| f.checked_add(i128::from(frac_fen)))
            .ok_or_else(too_large)?;
        let signed = if negative { -magnitude } else { magnitude };
        i64::try_from(signed).map(Fen).map_err(|_| too_large())
    }

    /// The amount as a plain yuan string with two decimals, as Unicom sends it
    /// (`"-21.50"`), without the currency sign.
    pub fn to_yuan_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// Sums amounts, or `None` if the sum would overflow.
    pub fn checked_sum<I: IntoIterator<Item = Fen>>(amounts: I) -> Option<Fen> {
        amounts
            .into_iter()
            .try_fold(Fen::ZERO, |acc, f| acc.0.checked_add(f.0).map(Fen))
    }
}

impl fmt::Display for Fen {
    /// `¥207.90`; refunds as `-¥21.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}¥{}.{:02}", abs / 100, abs % 100)
    }
}

impl FromStr for Fen {
    type Err = MoneyParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fen::parse_yuan(s)
    }
}

/// Whole calendar months of the contract left after the current month.
///
/// A month counts only when the contract runs to its last day: a contract
/// ending 2027-06-30 seen on 2026-11-25 has 7 (December to June); one ending
/// 2027-06-15 has 6, because June is not a whole month. A contract ending this
/// month or earlier has none.
pub fn whole_months_left(today: NaiveDate, contract_end: NaiveDate) -> u32 {
    let month_index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let last_full_month = if is_last_day_of_month(contract_end) {
        month_index(contract_end)
    } else {
        month_index(contract_end) - 1
    };
    u32::try_from(last_full_month - month_index(today)).unwrap_or(0)
}

fn is_last_day_of_month(date: NaiveDate) -> bool {
    date.succ_opt()
        .is_none_or(|next| next.month() != date.month())
}

/// The penalty (违约金) of the spec's fee rule: 30 % × monthly fee × whole months
/// left after the current month, rounded half-up to the fen.
pub fn penalty(monthly_fee: Fen, today: NaiveDate, contract_end: Option<NaiveDate>) -> Fen {
    let Some(end) = contract_end else {
        return Fen::ZERO;
    };
    let months = i128::from(whole_months_left(today, end));
    let tenths = i128::from(monthly_fee.0) * months * 3;
    // Half-up on the magnitude; a negative monthly fee would be a data error,
    // but it still rounds symmetrically instead of panicking.
    let rounded = if tenths >= 0 {
        (tenths + 5) / 10
    } else {
        (tenths - 5) / 10
    };
    Fen(i64::try_from(rounded).unwrap_or(if rounded > 0 { i64::MAX } else { i64::MIN }))
}

/// When a cancellation takes effect when the carrier does not say otherwise:
/// fixed-line services (broadband, bundles) stop today; monthly packs run to
/// the end of the month they were paid for and stop on the 1st of the next
/// month (次月生效).
pub fn default_effective_date(today: NaiveDate, stops_next_month: bool) -> NaiveDate {
    if !stops_next_month {
        return today;
    }
    let first = today.with_day(1).unwrap_or(today);
    first.checked_add_months(Months::new(1)).unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_yuan_strings_exactly() {
        assert_eq!(Fen::parse_yuan("129.00"), Ok(Fen(12900)));
        assert_eq!(Fen::parse_yuan("-21.50"), Ok(Fen(-2150)));
        assert_eq!(Fen::parse_yuan("0.00"), Ok(Fen(0)));
        assert_eq!(Fen::parse_yuan("-0.00"), Ok(Fen(0)));
        assert_eq!(Fen::parse_yuan("12.5"), Ok(Fen(1250)));
        assert_eq!(Fen::parse_yuan("0.5"), Ok(Fen(50)));
        assert_eq!(Fen::parse_yuan("7"), Ok(Fen(700)));
        assert_eq!(Fen::parse_yuan("0.07"), Ok(Fen(7)));
        assert_eq!(Fen::parse_yuan("92233720368547758.07"), Ok(Fen(i64::MAX)));
    }

    #[test]
    fn rejects_what_is_not_a_yuan_amount() {
        use MoneyParseError::*;
        assert_eq!(Fen::parse_yuan(""), Err(Empty));
        assert!(matches!(Fen::parse_yuan("1,000.00"), Err(BadCharacter(_))));
        assert!(matches!(Fen::parse_yuan("abc"), Err(BadCharacter(_))));
        assert!(matches!(Fen::parse_yuan("+1.00"), Err(BadCharacter(_))));
        assert!(matches!(Fen::parse_yuan(" 1.00"), Err(BadCharacter(_))));
        assert!(matches!(Fen::parse_yuan("1e3"), Err(BadCharacter(_))));
        assert!(matches!(Fen::parse_yuan("１２"), Err(BadCharacter(_))));
        assert!(matches!(Fen::parse_yuan(".5"), Err(Malformed(_))));
        assert!(matches!(Fen::parse_yuan("5."), Err(Malformed(_))));
        assert!(matches!(Fen::parse_yuan("-"), Err(Malformed(_))));
        assert!(matches!(Fen::parse_yuan("--1"), Err(Malformed(_))));
        assert!(matches!(Fen::parse_yuan("1.2.3"), Err(Malformed(_))));
        assert!(matches!(Fen::parse_yuan("1.-2"), Err(Malformed(_))));
        assert!(matches!(Fen::parse_yuan("1.005"), Err(TooPrecise(_))));
        assert!(matches!(
            Fen::parse_yuan("92233720368547758.08"),
            Err(TooLarge(_))
        ));
        assert!(matches!(
            Fen::parse_yuan("99999999999999999999999999.00"),
            Err(TooLarge(_))
        ));
    }

    #[test]
    fn displays_with_sign_and_two_decimals() {
        assert_eq!(Fen(20790).to_string(), "¥207.90");
        assert_eq!(Fen(-2150).to_string(), "-¥21.50");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(-2150).to_yuan_string(), "-21.50");
        assert_eq!(Fen(i64::MIN).to_yuan_string(), "-92233720368547758.08");
    }

    #[test]
    fn scenario_penalties_match_the_spec() {
        let today = d(2026, 11, 25);
        // 13800138000: 99.00/month to 2027-06-30 → 207.90
        assert_eq!(penalty(Fen(9900), today, Some(d(2027, 6, 30))), Fen(20790));
        // 13800138001: no contract → 0
        assert_eq!(penalty(Fen(3000), today, None), Fen(0));
        // 18600186000: 129.00/month to 2027-02-28 → 116.10; minus refund 21.50 → 94.60
        let unicom = penalty(Fen(12900), today, Some(d(2027, 2, 28)));
        assert_eq!(unicom, Fen(11610));
        assert_eq!(Fen::checked_sum([unicom, Fen(-2150)]), Some(Fen(9460)));
        // 13300133000: 199.00/month to 2026-12-31 → 59.70, plus modem 100.00 → 159.70
        let telecom = penalty(Fen(19900), today, Some(d(2026, 12, 31)));
        assert_eq!(telecom, Fen(5970));
        assert_eq!(Fen::checked_sum([telecom, Fen(10000)]), Some(Fen(15970)));
    }

    #[test]
    fn contract_ending_this_month_or_earlier_costs_nothing() {
        let today = d(2026, 11, 25);
        assert_eq!(penalty(Fen(9900), today, Some(d(2026, 11, 30))), Fen(0));
        assert_eq!(penalty(Fen(9900), today, Some(d(2026, 11, 1))), Fen(0));
        assert_eq!(penalty(Fen(9900), today, Some(d(2025, 1, 31))), Fen(0));
    }

    #[test]
    fn a_partial_last_month_does_not_count() {
        let today = d(2026, 11, 25);
        assert_eq!(whole_months_left(today, d(2027, 6, 15)), 6);
        assert_eq!(whole_months_left(today, d(2027, 6, 30)), 7);
        assert_eq!(whole_months_left(today, d(2026, 12, 30)), 0);
    }

    #[test]
    fn leap_day_is_a_month_end() {
        // 2028-02-29 is the last day of February in a leap year.
        assert_eq!(whole_months_left(d(2027, 11, 25), d(2028, 2, 29)), 3);
        // 2027-02-28 is the last day of February in a common year.
        assert_eq!(whole_months_left(d(2026, 11, 25), d(2027, 2, 28)), 3);
        // 2028-02-28 is not the end of February 2028.
        assert_eq!(whole_months_left(d(2027, 11, 25), d(2028, 2, 28)), 2);
        // Today being a leap day changes nothing: March onwards counts.
        assert_eq!(whole_months_left(d(2028, 2, 29), d(2028, 5, 31)), 3);
    }

    #[test]
    fn month_end_today_counts_from_next_month() {
        assert_eq!(whole_months_left(d(2026, 1, 31), d(2026, 3, 31)), 2);
        assert_eq!(whole_months_left(d(2026, 12, 31), d(2027, 1, 31)), 1);
    }

    #[test]
    fn penalty_rounds_half_up() {
        let today = d(2026, 11, 25);
        let end = Some(d(2026, 12, 31)); // one month left
        // 0.15 × 0.3 = 0.045 → 0.05 (half-up); 0.01 × 0.3 = 0.003 → 0.00
        assert_eq!(penalty(Fen(15), today, end), Fen(5));
        assert_eq!(penalty(Fen(1), today, end), Fen(0));
        assert_eq!(penalty(Fen(5), today, end), Fen(2)); // 1.5 → 2
    }

    #[test]
    fn data_packs_stop_on_the_first_of_next_month() {
        assert_eq!(
            default_effective_date(d(2026, 11, 25), true),
            d(2026, 12, 1)
        );
        assert_eq!(default_effective_date(d(2026, 12, 31), true), d(2027, 1, 1));
        assert_eq!(
            default_effective_date(d(2026, 11, 25), false),
            d(2026, 11, 25)
        );
    }

    proptest::proptest! {
        #[test]
        fn yuan_strings_round_trip(fen in proptest::num::i64::ANY) {
            let text = Fen(fen).to_yuan_string();
            proptest::prop_assert_eq!(Fen::parse_yuan(&text), Ok(Fen(fen)));
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,40}") {
            let _ = Fen::parse_yuan(&text);
        }
    }
}
