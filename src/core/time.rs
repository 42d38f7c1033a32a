//! China's time: carriers date their texts, bills and quotes in Beijing time
//! (UTC+8, no daylight saving), and "today" or "下月1日" mean a day there.
//! Pure: the instant is always a parameter.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// UTC+8. Checked when the crate is compiled (a constant), never at run time.
pub const BEIJING: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// `at` as Beijing time, the way receipts and screens show it.
pub fn beijing(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&BEIJING)
}

/// The day `at` falls on in China: what carriers' texts mean by "today" and
/// "下月1日".
pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    beijing(at).date_naive()
}
