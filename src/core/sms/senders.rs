//! Who may speak for a carrier: the official numbers, and the signatures a
//! carrier puts at the start or end of its messages.
//!
//! Source of the numbers: `shared/CHANNELS.md`, "Official numbers" — the
//! community-curated list of github.com/metowolf/vCards (data/通讯服务,
//! 2026-06/07), cross-checked with carrier texts (10086977 sends the replies
//! to "0000"). Only these are ever offered as a number to reply to.

use crate::core::model::CarrierId;

/// China Mobile: hotline and SMS, the 0000 replies, reminders, and service lines.
const CHINA_MOBILE: &[&str] = &[
    "10086", "10086977", "10086766", "1008611", "10085", "10050", "10088",
];
/// China Unicom: hotline and SMS, group complaints, 沃助理, service lines.
const CHINA_UNICOM: &[&str] = &["10010", "10015", "101906", "10011", "10018"];
/// China Telecom: hotline, SMS self-service, SMS to an agent, service lines.
const CHINA_TELECOM: &[&str] = &["10000", "10001", "10001000", "100003", "1000010"];

/// The official numbers of `carrier`.
pub fn official_numbers(carrier: CarrierId) -> &'static [&'static str] {
    match carrier {
        CarrierId::ChinaMobile => CHINA_MOBILE,
        CarrierId::ChinaUnicom => CHINA_UNICOM,
        CarrierId::ChinaTelecom => CHINA_TELECOM,
    }
}

/// The number to send a reply to when the message names none: each
/// carrier's own SMS service number.
pub fn sms_number(carrier: CarrierId) -> &'static str {
    match carrier {
        CarrierId::ChinaMobile => "10086",
        CarrierId::ChinaUnicom => "10010",
        CarrierId::ChinaTelecom => "10001",
    }
}

/// A sender as typed, reduced to its digits: spaces and dashes dropped, a
/// leading `+86` removed. `None` for anything else (letters, empty, over 20).
pub fn clean_sender(from: &str) -> Option<String> {
    let trimmed = from.trim();
    let rest = trimmed.strip_prefix("+86").unwrap_or(trimmed);
    let digits: String = rest.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let ok = !digits.is_empty() && digits.len() <= 20 && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(digits)
}

/// The carrier whose official list holds `from`.
pub fn carrier_of(from: &str) -> Option<CarrierId> {
    let number = clean_sender(from)?;
    CarrierId::ALL
        .into_iter()
        .find(|c| official_numbers(*c).contains(&number.as_str()))
}

/// Whether `from` is official — for `carrier` when it is known (a Unicom
/// number sending a "China Mobile" text is not), else for any carrier.
pub fn is_official(from: &str, carrier: Option<CarrierId>) -> bool {
    match (carrier_of(from), carrier) {
        (Some(owner), Some(claimed)) => owner == claimed,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The carrier named in a signature: 【中国移动】 or [中国电信] at the start
/// or the end, 【安徽电信】-style provincial brackets, or a closing
/// "——中国电信" / "中国移动海南公司" / "中国移动". A bracket in the middle may
/// be a product name and is not read.
pub fn signature(text: &str) -> Option<CarrierId> {
    let trimmed =
        text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '。' | '.' | '!' | '！'));
    let head = bracket_at_start(trimmed).and_then(carrier_in);
    head.or_else(|| bracket_at_end(trimmed).and_then(carrier_in))
        .or_else(|| closing_name(trimmed))
}

/// The text of a 【…】 or […] that opens `text`.
fn bracket_at_start(text: &str) -> Option<&str> {
    let (open, close) = match text.chars().next()? {
        '【' => ('【', '】'),
        '[' => ('[', ']'),
        _ => return None,
    };
    let rest = text.strip_prefix(open)?;
    let end = rest.find(close)?;
    let inner = &rest[..end];
    (inner.chars().count() <= 16).then_some(inner)
}

/// The text of a 【…】 or […] that closes `text`.
fn bracket_at_end(text: &str) -> Option<&str> {
    let (open, close) = match text.chars().last()? {
        '】' => ('【', '】'),
        ']' => ('[', ']'),
        _ => return None,
    };
    let rest = text.strip_suffix(close)?;
    let start = rest.rfind(open)?;
    let inner = &rest[start + open.len_utf8()..];
    (inner.chars().count() <= 16).then_some(inner)
}

/// The carrier a signature's words name: 移动, 联通 or 电信 (with or
/// without 中国, a province, 提醒服务…).
fn carrier_in(words: &str) -> Option<CarrierId> {
    if words.contains("移动") {
        Some(CarrierId::ChinaMobile)
    } else if words.contains("联通") {
        Some(CarrierId::ChinaUnicom)
    } else if words.contains("电信") {
        Some(CarrierId::ChinaTelecom)
    } else {
        None
    }
}

/// A carrier's name closing the text without brackets: "——中国电信",
/// " 中国移动", "中国移动海南公司".
fn closing_name(text: &str) -> Option<CarrierId> {
    let tail: String = {
        let chars: Vec<char> = text.chars().collect();
        chars[chars.len().saturating_sub(12)..].iter().collect()
    };
    let at = ["中国移动", "中国联通", "中国电信"]
        .iter()
        .filter_map(|name| tail.rfind(name).map(|i| (i, *name)))
        .max_by_key(|(i, _)| *i)?;
    let after = &tail[at.0 + at.1.len()..];
    // Only a province and 公司/分公司 may follow the name.
    let ok = after.is_empty() || (after.ends_with("公司") && after.chars().count() <= 6);
    let before = tail[..at.0].chars().last();
    let signed = ok
        && matches!(
            before,
            None | Some(' ' | '—' | '-' | '。' | '!' | '！' | '\n')
        );
    signed.then(|| carrier_in(at.1)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_signatures_at_either_end_and_provincial() {
        assert_eq!(signature("【中国移动】您好"), Some(CarrierId::ChinaMobile));
        assert_eq!(
            signature("您好。【中国联通】"),
            Some(CarrierId::ChinaUnicom)
        );
        assert_eq!(signature("[中国电信]您好"), Some(CarrierId::ChinaTelecom));
        assert_eq!(signature("【安徽电信】您好"), Some(CarrierId::ChinaTelecom));
        assert_eq!(signature("您好——中国电信"), Some(CarrierId::ChinaTelecom));
        assert_eq!(
            signature("您好。中国移动海南公司"),
            Some(CarrierId::ChinaMobile)
        );
        assert_eq!(
            signature("2小时内回复有效。 中国移动"),
            Some(CarrierId::ChinaMobile)
        );
    }

    #[test]
    fn sms_a_bracket_in_the_middle_is_no_signature() {
        assert_eq!(signature("您已订购【中国移动视频彩铃】业务，谢谢"), None);
        assert_eq!(signature("欢迎使用中国移动的服务"), None);
    }

    #[test]
    fn sms_official_senders_per_carrier() {
        assert!(is_official("10086977", Some(CarrierId::ChinaMobile)));
        assert!(is_official("+86 10086", None));
        assert!(!is_official("10010", Some(CarrierId::ChinaMobile)));
        assert!(!is_official("1069000123", None));
        assert_eq!(carrier_of("10001"), Some(CarrierId::ChinaTelecom));
    }
}
