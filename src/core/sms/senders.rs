//! Who may speak for a carrier: the official numbers, and the signatures a
//! carrier puts at the start or end of its messages.
//!
//! The numbers are the channel data's official list
//! (`assets/channels/official-numbers.toml`, checked at build time against
//! every number the guidance names, each with its source): one list, so a
//! number the wizard tells a person to text is exactly one it trusts as a
//! sender. Only these are ever offered as a number to reply to.

use crate::core::channels::{self, Owner};
use crate::core::model::CarrierId;

/// The number to send a reply to when the message names none: each
/// carrier's own SMS service number.
pub fn sms_number(carrier: CarrierId) -> &'static str {
    match carrier {
        CarrierId::ChinaMobile => "10086",
        CarrierId::ChinaUnicom => "10010",
        CarrierId::ChinaTelecom => "10001",
    }
}

/// The carrier whose official list holds `from` (spaces, dashes and a
/// leading `+86` ignored); `None` for any other sender and for MIIT's.
pub fn carrier_of(from: &str) -> Option<CarrierId> {
    match channels::is_official(from)?.owner() {
        Owner::Carrier(carrier) => Some(carrier),
        Owner::Miit => None,
    }
}

/// `from` as the official number it is, if it is one: the digits alone.
pub fn official_number(from: &str) -> Option<&'static str> {
    channels::is_official(from).map(channels::Official::number)
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
