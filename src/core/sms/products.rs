//! The products a message names: the numbered items of a list ("1、流量加油包
//! 30GB，30元/月；2、…"), or, in any other message, the thing a verb acts on
//! ("您已成功退订XX业务") and names in quotes or brackets.

use super::fees::{self, amounts};
use super::kind::Kind;
use super::scan::{bounded, word_at};
use super::{MAX_NAME_CHARS, MAX_PRODUCTS, Product};
use crate::core::fees::Fen;

/// Characters that may come right before an item number.
const ITEM_BEFORE: &[char] = &['\n', '；', ';', '。', '，', ',', ':', '：', ' ', '、'];
/// Characters that end an item's text.
const ITEM_END: &[char] = &['\n', '；', ';', '。'];

/// The products of `text` for a message of `kind`: a list's items, or the
/// named products of any other message (none for codes and marketing,
/// whose names are offers, not the person's products).
pub fn extract(text: &str, kind: Kind) -> Vec<Product> {
    match kind {
        Kind::ServiceList => list_items(text),
        Kind::LoginCode | Kind::Marketing | Kind::OptOutNotice | Kind::Other => Vec::new(),
        _ => named(text),
    }
}

/// Where a numbered item starts at `i`: its key and where its text starts.
fn item_marker(chars: &[char], i: usize) -> Option<(Option<u32>, usize)> {
    if i > 0 && !ITEM_BEFORE.contains(&chars[i - 1]) {
        return None;
    }
    // A "-" bullet at the start of a line (Unicom's "-主套餐：…"): no key.
    if chars[i] == '-' && (i == 0 || chars[i - 1] == '\n') {
        return chars
            .get(i + 1)
            .is_some_and(|c| !c.is_ascii_digit() && *c != '-')
            .then_some((None, i + 1));
    }
    let (key, len) = super::scan::digits_at(chars, i, 2);
    if len == 0 {
        return None;
    }
    let mark = *chars.get(i + len)?;
    let next = chars.get(i + len + 1).copied();
    let ok = match mark {
        '、' | ')' | '）' | ':' | '：' => true,
        '.' | '．' => next.is_some_and(|c| !c.is_ascii_digit()),
        _ => false,
    };
    ok.then_some((Some(key), i + len + 1))
}

/// The numbered items of a list, in order, at most [`MAX_PRODUCTS`].
pub fn list_items(text: &str) -> Vec<Product> {
    let chars: Vec<char> = text.chars().collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < chars.len() && items.len() < MAX_PRODUCTS {
        let Some((key, start)) = item_marker(&chars, i) else {
            i += 1;
            continue;
        };
        let mut end = start;
        while end < chars.len()
            && !ITEM_END.contains(&chars[end])
            && item_marker(&chars, end).is_none()
        {
            end += 1;
        }
        if let Some(item) = item(&chars[start..end], key) {
            items.push(item);
        }
        i = end.max(i + 1);
    }
    items
}

/// One item's name and fee: the name runs to the first comma, bracket or
/// amount; the fee is the item's first amount (monthly or not: a list
/// states what each item costs a month), or zero for 免费.
fn item(body: &[char], key: Option<u32>) -> Option<Product> {
    // "主套餐：X" — a short label before a colon is not the name.
    let label = body
        .iter()
        .take(6)
        .position(|c| matches!(c, '：' | ':'))
        .map_or(0, |p| p + 1);
    let body = &body[label..];
    let found = amounts(body);
    let name_end = body
        .iter()
        .position(|c| matches!(c, '，' | ',' | '(' | '（' | '：' | ':'))
        .unwrap_or(body.len());
    let name_end = found
        .first()
        .map_or(name_end, |a| name_end.min(number_start(body, a.at)));
    let name = bounded(&body[..name_end].iter().collect::<String>(), MAX_NAME_CHARS);
    if name.is_empty() {
        return None;
    }
    let text: String = body.iter().collect();
    let fee = found
        .first()
        .map(|a| a.fen)
        .or_else(|| text.contains("免费").then_some(Fen::ZERO));
    Some(Product {
        key: key.map(|k| k.to_string()),
        name,
        monthly_fee_fen: fee,
    })
}

/// Where the words of an amount begin ("资费10元", "每月5元" start at the word).
fn number_start(body: &[char], at: usize) -> usize {
    let words = ["标准资费", "资费", "每月", "月费", "费用"];
    (at.saturating_sub(4)..at)
        .find(|&j| word_at(body, j, &words).is_some_and(|n| j + n == at))
        .unwrap_or(at)
}

/// Verbs whose object is a product.
const VERBS: &[&str] = &[
    "成功退订",
    "退订了",
    "退订",
    "成功取消",
    "取消了",
    "取消",
    "成功订购",
    "订购了",
    "订购",
    "开通了",
    "开通",
    "注销",
    "关闭了",
    "关闭",
    "办理了",
];
/// What may sit between the verb and the name.
const FILLERS: &[&str] = &[
    "您的",
    "您",
    "的",
    "本机",
    "中国移动的",
    "中国联通的",
    "中国电信的",
];
/// Characters that end a name after a verb.
const NAME_END: &[char] = &[
    '，', ',', '。', '；', ';', '！', '!', '(', '（', '\n', '"', '“', '”',
];

/// Products named in a message that is not a list: the object of a verb,
/// then anything in 《》 or 【】 in the middle; the text's first monthly fee
/// (or zero when nothing was charged) goes with the first product.
fn named(text: &str) -> Vec<Product> {
    let chars: Vec<char> = text.chars().collect();
    let mut names: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() && names.len() < MAX_PRODUCTS {
        if let Some(n) = word_at(&chars, i, VERBS) {
            if let Some(name) = object(&chars, i + n) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            i += n;
            continue;
        }
        if let Some(name) = bracketed(&chars, i) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        i += 1;
    }
    let monthly = amounts(&chars)
        .into_iter()
        .find(|a| a.monthly)
        .map(|a| a.fen);
    let fee = monthly.or_else(|| fees::nothing_charged(text).then_some(Fen::ZERO));
    names
        .into_iter()
        .enumerate()
        .map(|(n, name)| Product {
            key: None,
            name,
            monthly_fee_fen: if n == 0 { fee } else { None },
        })
        .collect()
}

/// The name a verb acts on, from `start`: fillers and "由…提供的" skipped,
/// up to a name end or past 业务/套餐/包 ("…流量包"), at most
/// [`MAX_NAME_CHARS`]. Words about messages (短信提醒) are no product.
fn object(chars: &[char], start: usize) -> Option<String> {
    let mut i = start;
    while let Some(n) = word_at(chars, i, FILLERS) {
        i += n;
    }
    if chars.get(i) == Some(&'由') {
        let provided =
            (i..(i + 24).min(chars.len())).find(|&j| word_at(chars, j, &["提供的"]).is_some());
        if let Some(j) = provided {
            i = j + 3;
        }
    }
    let mut end = i;
    while end < chars.len() && end - i < MAX_NAME_CHARS && !NAME_END.contains(&chars[end]) {
        if let Some(n) = word_at(chars, end, &["业务", "套餐", "功能"]) {
            end += n;
            break;
        }
        end += 1;
    }
    let name: String = chars[i..end].iter().collect();
    let name = name.trim().to_owned();
    let useless = name.chars().count() < 2
        || super::scan::has_any(
            &name,
            &["短信提醒", "此类", "本短信", "申请", "成功", "请", "回复"],
        )
        || name.chars().all(|c| c.is_ascii_digit());
    (!useless).then_some(name)
}

/// A 《name》 or a 【name】 not at the start or end, of 2 to
/// [`MAX_NAME_CHARS`] characters.
fn bracketed(chars: &[char], i: usize) -> Option<String> {
    let close = match chars[i] {
        '《' => '》',
        '【' if i > 0 => '】',
        _ => return None,
    };
    let end = (i + 1..(i + 2 + MAX_NAME_CHARS).min(chars.len())).find(|&j| chars[j] == close)?;
    if close == '】' && chars[end + 1..].iter().all(|c| c.is_whitespace()) {
        return None;
    }
    let name: String = chars[i + 1..end].iter().collect();
    (name.chars().count() >= 2).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_list_items_with_keys_and_fees() {
        let items = list_items(
            "您已订购：1、流量加油包30GB，30元/月；2、彩铃功能，5元/月；3、来电提醒，免费。",
        );
        let got: Vec<_> = items
            .iter()
            .map(|p| {
                (
                    p.key.clone().unwrap(),
                    p.name.clone(),
                    p.monthly_fee_fen.map(|f| f.0),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("1".into(), "流量加油包30GB".into(), Some(3000)),
                ("2".into(), "彩铃功能".into(), Some(500)),
                ("3".into(), "来电提醒".into(), Some(0)),
            ]
        );
    }

    #[test]
    fn sms_the_object_of_a_cancel_verb_is_the_product() {
        let p = named("您已成功取消由中国移动提供的飞信业务，谢谢");
        assert_eq!(p[0].name, "飞信业务");
        let p = named("您已成功订购中国移动的芒果TV手机视频包月业务，标准资费10.0元/月");
        assert_eq!(p[0].name, "芒果TV手机视频包月业务");
        assert_eq!(p[0].monthly_fee_fen, Some(Fen(1000)));
    }
}
