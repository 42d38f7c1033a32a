//! When a change takes effect, resolved against the day the message came:
//! "下月1日"/"次月生效"/"下一个账期" → the first of the next month (noted:
//! a billing cycle may start on another day); "即时生效"/"立即生效" → that
//! day; "2026年12月1日", "12月1日", "2026-12-01" → that date; "24小时内生效"
//! → no date, with the note.

use chrono::{Datelike, Months, NaiveDate};

use super::scan::{self, bounded, digits_at, word_at};

/// The effective date a message states, and the words it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effective {
    /// The date, when the text gives one.
    pub date: Option<NaiveDate>,
    /// The phrase, when it needs a caveat or gives no date.
    pub note: Option<String>,
}

/// Words that make a date the effective one when they follow it closely.
const EFFECT_AFTER: &[&str] = &[
    "生效", "失效", "起", "开始", "停止", "终止", "拆机", "到期", "0时", "00:00", "零点",
];
/// Words that make a date the effective one when they come just before it.
const EFFECT_BEFORE: &[&str] = &["于", "从", "自", "将在", "定于", "在"];
/// The next billing cycle, or the next month.
const NEXT_MONTH: &[&str] = &[
    "下一个账期",
    "下个账期",
    "下一账期",
    "下月1日",
    "下月1号",
    "次月1日",
    "次月1号",
    "下个月1日",
    "下个月1号",
    "下月",
    "次月",
    "下个月",
];
/// Effect on the day.
const IMMEDIATE: &[&str] = &[
    "即时生效",
    "立即生效",
    "实时生效",
    "当即生效",
    "立即失效",
    "即时失效",
];
/// How close (in characters) the effect word must follow a date or phrase.
const WINDOW: usize = 14;

/// The effective date of `text` received on `received`: the first date or
/// phrase the text ties to taking effect.
pub fn effective(text: &str, received: NaiveDate) -> Effective {
    let chars: Vec<char> = text.chars().collect();
    for i in 0..chars.len() {
        if let Some(found) = at(&chars, i, received) {
            return found;
        }
    }
    Effective::default()
}

/// An effective date or phrase starting at `i`, if any.
fn at(chars: &[char], i: usize, received: NaiveDate) -> Option<Effective> {
    if let Some(n) = word_at(chars, i, IMMEDIATE) {
        return Some(Effective {
            date: Some(received),
            note: Some(phrase(chars, i, n)),
        });
    }
    if let Some(n) = word_at(chars, i, NEXT_MONTH) {
        if followed_by_effect(chars, i + n) || n >= 4 {
            let first_of_this = received.with_day(1)?;
            return Some(Effective {
                date: first_of_this.checked_add_months(Months::new(1)),
                note: Some(phrase(chars, i, n)),
            });
        }
    }
    if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
        let (_, len) = digits_at(chars, i, 3);
        if len > 0 && word_at(chars, i + len, &["小时内生效", "小时内办理生效"]).is_some()
        {
            return Some(Effective {
                date: None,
                note: Some(phrase(chars, i, len + 5)),
            });
        }
        let (date, end) = date_at(chars, i, received)?;
        let anchored_before = EFFECT_BEFORE.iter().any(|w| {
            i >= w.chars().count() && word_at(chars, i - w.chars().count(), &[w]).is_some()
        });
        let continues = matches!(chars.get(end), Some('-' | '~' | '至' | '到'));
        // "您于11月25日成功申请…": the day of an action, not of the effect.
        let action: String = chars[end..(end + WINDOW).min(chars.len())].iter().collect();
        let anchored_before = anchored_before
            && !scan::has_any(&action, &["申请", "成功", "办理", "订购", "提交", "开通"]);
        if !continues && (anchored_before || followed_by_effect(chars, end)) {
            return Some(Effective {
                date: Some(date),
                note: None,
            });
        }
    }
    None
}

/// The phrase at `i` (n characters) and the effect word after it, if close.
fn phrase(chars: &[char], i: usize, n: usize) -> String {
    let end = (i + n).min(chars.len());
    let more = (end..(end + WINDOW).min(chars.len()))
        .find(|&j| word_at(chars, j, &["生效", "失效"]).is_some())
        .map_or(end, |j| j + 2);
    let more = if chars[end..more.min(chars.len())]
        .iter()
        .any(|c| "，。；,;\n".contains(*c))
    {
        end
    } else {
        more.min(chars.len())
    };
    bounded(&chars[i..more].iter().collect::<String>(), 24)
}

/// Whether an effect word follows `end` within the window, in the same clause.
fn followed_by_effect(chars: &[char], end: usize) -> bool {
    (end..(end + WINDOW).min(chars.len()))
        .take_while(|&j| !"，。；,;\n".contains(chars[j]))
        .any(|j| word_at(chars, j, EFFECT_AFTER).is_some())
}

/// A date at `i`: `YYYY年M月D日`, `YYYY-M-D`, `YYYY/M/D`, or `M月D日` (the
/// year that puts it nearest the received date). Returns it and its end.
pub fn date_at(chars: &[char], i: usize, received: NaiveDate) -> Option<(NaiveDate, usize)> {
    let (first, n1) = digits_at(chars, i, 4);
    if n1 == 4 {
        let sep = *chars.get(i + 4)?;
        let (month_sep, day_end): (&[char], &[&str]) = match sep {
            '年' => (&['月'], &["日", "号"]),
            '-' => (&['-'], &[""]),
            '/' => (&['/'], &[""]),
            _ => return None,
        };
        let (month, n2) = digits_at(chars, i + 5, 2);
        let after_month = i + 5 + n2;
        if n2 == 0 || !month_sep.contains(chars.get(after_month)?) {
            return None;
        }
        let (day, n3) = digits_at(chars, after_month + 1, 2);
        if n3 == 0 {
            return None;
        }
        let mut end = after_month + 1 + n3;
        end += word_at(chars, end, day_end).unwrap_or(0);
        let year = i32::try_from(first).ok()?;
        return NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, end));
    }
    if n1 == 0 || n1 > 2 || chars.get(i + n1) != Some(&'月') {
        return None;
    }
    let (day, n2) = digits_at(chars, i + n1 + 1, 2);
    let end = i + n1 + 1 + n2;
    let day_word = word_at(chars, end, &["日", "号"])?;
    Some((nearest_year(first, day, received)?, end + day_word))
}

/// Month and day in the year that puts them nearest `received`: the same
/// year unless the date is more than half a year away (so "1月1日" read on
/// 12-20 is next year's, "12月1日" read on 12-02 this year's).
fn nearest_year(month: u32, day: u32, received: NaiveDate) -> Option<NaiveDate> {
    let year = received.year();
    [year, year + 1, year - 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - received).num_days().abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn sms_next_month_is_the_first_with_a_note() {
        let e = effective("退订成功，次月生效。", day(2026, 11, 25));
        assert_eq!(e.date, Some(day(2026, 12, 1)));
        assert_eq!(e.note.as_deref(), Some("次月生效"));
        let e = effective("退订后下一个账期生效", day(2026, 12, 31));
        assert_eq!(e.date, Some(day(2027, 1, 1)));
    }

    #[test]
    fn sms_immediate_is_the_received_day() {
        let e = effective("已为您退订，即时生效", day(2026, 11, 25));
        assert_eq!(e.date, Some(day(2026, 11, 25)));
    }

    #[test]
    fn sms_explicit_dates_and_the_nearest_year() {
        let r = day(2026, 11, 25);
        assert_eq!(
            effective("于2026年12月1日生效", r).date,
            Some(day(2026, 12, 1))
        );
        assert_eq!(
            effective("将于2026-12-01失效", r).date,
            Some(day(2026, 12, 1))
        );
        assert_eq!(
            effective("12月1日起停止收费", r).date,
            Some(day(2026, 12, 1))
        );
        let december = day(2026, 12, 20);
        assert_eq!(
            effective("1月1日起生效", december).date,
            Some(day(2027, 1, 1))
        );
        assert_eq!(
            effective("12月1日已生效", day(2026, 12, 2)).date,
            Some(day(2026, 12, 1))
        );
    }

    #[test]
    fn sms_within_hours_has_no_date_but_a_note() {
        let e = effective("业务退订24小时内生效", day(2026, 11, 25));
        assert_eq!(e.date, None);
        assert_eq!(e.note.as_deref(), Some("24小时内生效"));
    }

    #[test]
    fn sms_a_billing_period_is_no_effective_date() {
        let e = effective("计费周期：12月1日-12月31日", day(2026, 12, 5));
        assert_eq!(e, Effective::default());
    }
}
