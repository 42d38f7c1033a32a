//! Small text helpers: widths measured with `unicode-width`, durations,
//! dates. Nothing here reads the clock.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::i18n::{Lang, tr};

/// Display width of `text` in terminal columns (CJK characters count two).
pub fn width(text: &str) -> usize {
    text.width()
}

/// Whether `c` may reach the terminal. Not: control characters (C0, DEL,
/// C1 — ESC starts every escape sequence: clearing the screen, setting the
/// title, writing the clipboard), nor the invisible format characters that
/// reorder or hide text (bidi embeddings, overrides and isolates, the
/// Arabic letter mark, line and paragraph separators, the BOM). Zero-width
/// joiners stay: emoji need them.
pub fn is_displayable(c: char) -> bool {
    // The same definition as every other output (`crate::text`), except
    // the joiners, which a cell cannot show as an escape anyway.
    !crate::text::is_unsafe(c) || matches!(c, '\u{200c}' | '\u{200d}')
}

/// `text` without the characters that may not reach the terminal
/// ([`is_displayable`]); borrowed when there were none. The TUI's one
/// sanitiser: [`crate::ui::render`] passes every cell of every frame
/// through it, so no carrier text reaches the terminal raw, whatever path
/// it took to the screen.
pub fn display_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(is_displayable) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().filter(|c| is_displayable(*c)).collect())
    }
}

/// `text` padded with spaces to `cols` columns (never cut).
pub fn pad(text: &str, cols: usize) -> String {
    let w = text.width();
    if w >= cols {
        return text.to_owned();
    }
    format!("{text}{}", " ".repeat(cols - w))
}

/// `text` right-aligned in `cols` columns (never cut).
pub fn pad_left(text: &str, cols: usize) -> String {
    let w = text.width();
    if w >= cols {
        return text.to_owned();
    }
    format!("{}{text}", " ".repeat(cols - w))
}

/// `text` cut to at most `cols` columns, ending in `…` when cut; a wide
/// character that would straddle the edge is dropped whole.
pub fn fit(text: &str, cols: usize) -> String {
    if text.width() <= cols {
        return text.to_owned();
    }
    if cols == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > cols - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// At most `max` of `lines` (each at most `cols` wide): when there are
/// more, the last one kept ends in `…`, so a cut is always marked.
pub fn elide(mut lines: Vec<String>, max: usize, cols: usize) -> Vec<String> {
    if lines.len() <= max {
        return lines;
    }
    lines.truncate(max);
    if let Some(last) = lines.last_mut() {
        *last = if last.width() < cols {
            format!("{last}…")
        } else {
            // `fit` drops what does not fit and ends in `…` itself.
            fit(&format!("{last}…"), cols)
        };
    }
    lines
}

/// `m:ss` of a number of seconds (negative counts as zero).
pub fn clock(secs: i64) -> String {
    let secs = secs.max(0);
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// A duration in words: `2 分 05 秒` / `2 min 05 s`.
pub fn duration(lang: Lang, delta: TimeDelta) -> String {
    let secs = delta.num_seconds().max(0);
    let (m, s) = (secs / 60, secs % 60);
    if m == 0 {
        tr(lang, "time.seconds", &[("s", s.to_string())])
    } else {
        tr(
            lang,
            "time.minutes_seconds",
            &[("m", m.to_string()), ("s", format!("{s:02}"))],
        )
    }
}

/// A calendar date as `2026-12-01`.
pub fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// An instant in the carrier's own offset, as `2026-11-25 10:02`.
pub fn instant(at: DateTime<FixedOffset>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// A time of day in the carrier's own offset, as `10:02:05`.
pub fn time_of_day(at: DateTime<FixedOffset>) -> String {
    at.format("%H:%M:%S").to_string()
}

/// Splits `text` into lines of at most `cols` columns: English breaks at
/// spaces, Chinese between any two characters, a word longer than a line by
/// character. Explicit newlines are kept.
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(2);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        // Where the last token on the line starts, to carry it down with a
        // punctuation mark that may not start a line (。，、…).
        let mut last_start = 0;
        for token in tokens(paragraph) {
            let w = token.width();
            if token == " " {
                if used > 0 && used < cols {
                    line.push(' ');
                    used += 1;
                }
                continue;
            }
            if used + w > cols && used > 0 {
                let carry = if NO_LINE_START.contains(token) && last_start > 0 {
                    line.split_off(last_start)
                } else {
                    String::new()
                };
                lines.push(line.trim_end().to_owned());
                used = carry.width();
                line = carry;
            }
            last_start = line.len();
            if w > cols {
                // A word longer than the line: break it by character.
                for c in token.chars() {
                    let cw = c.width().unwrap_or(0);
                    if used + cw > cols {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push(c);
                    used += cw;
                }
            } else {
                line.push_str(token);
                used += w;
            }
        }
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// Punctuation that must not begin a line in Chinese typesetting.
const NO_LINE_START: &str = "，。、；：！？）》」』】”’…";

/// Words (runs of narrow non-space characters), single wide characters and
/// single spaces.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let wide = c.width().unwrap_or(0) > 1;
        if c == ' ' || wide {
            if let Some(s) = start.take() {
                out.push(&text[s..i]);
            }
            out.push(&text[i..i + c.len_utf8()]);
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_english_at_spaces_and_chinese_anywhere() {
        assert_eq!(
            wrap("keep the receipts safe", 10),
            ["keep the", "receipts", "safe"]
        );
        assert_eq!(
            wrap("请保留好凭证以备查询", 8),
            ["请保留好", "凭证以备", "查询"]
        );
        assert_eq!(wrap("拨打10086咨询", 8), ["拨打", "10086咨", "询"]);
        assert_eq!(wrap("a\nb", 10), ["a", "b"]);
        // A full stop never starts a line: the character before it comes along.
        assert_eq!(wrap("一二三四。", 8), ["一二三", "四。"]);
        for line in wrap("一二三四五六七八九十 abc defghijklmnop", 7) {
            assert!(width(&line) <= 7, "{line:?}");
        }
    }

    #[test]
    fn widths_count_cjk_as_two() {
        assert_eq!(width("宽带"), 4);
        assert_eq!(pad("宽带", 6), "宽带  ");
        assert_eq!(pad_left("¥9", 4), "  ¥9");
        assert_eq!(pad("toolong", 3), "toolong");
    }

    #[test]
    fn fit_never_cuts_a_wide_character() {
        assert_eq!(fit("5G智享宽带 300M", 8), "5G智享…");
        assert_eq!(width(&fit("5G智享宽带 300M", 8)), 7);
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abcd", 3), "ab…");
    }

    #[test]
    fn display_safe_drops_controls_and_bidi_overrides() {
        assert_eq!(display_safe("宽带 300M"), "宽带 300M");
        assert!(matches!(display_safe("ok"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(
            display_safe("a\u{1b}[2J\u{9b}b\u{202e}c\u{2066}d\u{feff}\u{7}"),
            "a[2Jbcd"
        );
        // Emoji sequences keep their joiner.
        assert_eq!(display_safe("👩\u{200d}💻"), "👩\u{200d}💻");
    }

    #[test]
    fn elide_marks_the_cut() {
        let lines = wrap("一二三四五六七八九十", 4);
        assert_eq!(elide(lines.clone(), 9, 4), lines);
        assert_eq!(elide(lines.clone(), 2, 4), ["一二", "三…"]);
        assert_eq!(elide(vec!["ab".into(), "cd".into()], 1, 3), ["ab…"]);
        assert!(elide(lines, 0, 4).is_empty());
    }

    #[test]
    fn clock_shows_minutes_and_seconds() {
        assert_eq!(clock(65), "1:05");
        assert_eq!(clock(-3), "0:00");
        assert_eq!(clock(900), "15:00");
    }
}
