//! Money in a message, as integer fen through [`Fen::parse_yuan`]: "30元/月",
//! "每月5元", "10.0元", "¥9.90", and "未收取您任何费用" as zero.

use super::kind::Kind;
use super::scan::{self, word_at};
use crate::core::fees::Fen;

/// One amount found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    /// Where it starts, in characters.
    pub at: usize,
    /// The money.
    pub fen: Fen,
    /// Whether it is a monthly fee ("元/月", "每月", "月费", "包月").
    pub monthly: bool,
}

/// The longest yuan string read (digits and point); longer runs are no amount.
const MAX_YUAN_CHARS: usize = 12;

/// Phrases that state that nothing was or will be charged.
const NOTHING_CHARGED: &[&str] = &[
    "未收取您任何费用",
    "未收取任何费用",
    "不收取任何费用",
    "不收取您任何费用",
    "不产生任何费用",
    "无需支付任何费用",
];

/// Every amount in `chars`, in order: a number (up to two decimals) followed
/// by 元, or preceded by ¥/￥. Numbers that are not money (3GB, 2小时) are
/// skipped, and so is one that `Fen::parse_yuan` refuses (three decimals).
pub fn amounts(chars: &[char]) -> Vec<Amount> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_ascii_digit() || chars[i - 1] == '.'));
        if !starts_number {
            i += 1;
            continue;
        }
        let len = chars[i..]
            .iter()
            .take(MAX_YUAN_CHARS + 1)
            .take_while(|c| c.is_ascii_digit() || **c == '.')
            .count();
        let end = i + len;
        let yuan_sign = i > 0 && matches!(chars[i - 1], '¥' | '￥');
        let after_yuan = chars.get(end) == Some(&'元');
        if len <= MAX_YUAN_CHARS && (after_yuan || yuan_sign) {
            let text: String = chars[i..end].iter().collect();
            if let Ok(fen) = Fen::parse_yuan(text.trim_end_matches('.')) {
                found.push(Amount {
                    at: i,
                    fen,
                    monthly: is_monthly(chars, i, end),
                });
            }
        }
        i = end.max(i + 1);
    }
    found
}

/// Whether the amount at `start..end` is per month.
fn is_monthly(chars: &[char], start: usize, end: usize) -> bool {
    let after = end + usize::from(chars.get(end) == Some(&'元'));
    let per_month = word_at(chars, after, &["/月", "每月", "/每月", "/个月"]).is_some();
    let before: String = chars[start.saturating_sub(4)..start].iter().collect();
    per_month || scan::has_any(&before, &["每月", "月费", "月租", "包月", "月功能费"])
}

/// Whether the text says nothing was charged.
pub fn nothing_charged(text: &str) -> bool {
    scan::has_any(text, NOTHING_CHARGED)
}

/// Words after which the money a notice is about follows.
const CHARGE_WORDS: &[&str] = &[
    "费用合计",
    "合计",
    "共计",
    "本期消费",
    "违约金",
    "扣除",
    "扣费",
    "扣取",
    "收取",
    "应缴",
    "欠费",
    "退还",
    "返还",
    "清退",
    "产生了",
    "消费",
];

/// The money charged or quoted, for the kinds that speak of money: a fee
/// notice's total (the amount after 合计/扣除/违约金…, else its first
/// one-off amount, else its first amount); a cancellation's penalty or
/// refund; zero when the text says nothing was charged. `None` for lists,
/// marketing, codes and the rest, whose numbers are prices on offer.
pub fn amount(text: &str, kind: Kind) -> Option<Fen> {
    let money_kind = matches!(
        kind,
        Kind::FeeNotice | Kind::Cancelled | Kind::Accepted | Kind::Failed | Kind::ConfirmPrompt
    );
    if !money_kind {
        return None;
    }
    if nothing_charged(text) {
        return Some(Fen::ZERO);
    }
    let chars: Vec<char> = text.chars().collect();
    let found = amounts(&chars);
    let after_charge_word = found.iter().find(|a| {
        let before: String = chars[a.at.saturating_sub(10)..a.at].iter().collect();
        scan::has_any(&before, CHARGE_WORDS)
    });
    if let Some(a) = after_charge_word {
        return Some(a.fen);
    }
    if kind != Kind::FeeNotice {
        return None;
    }
    found
        .iter()
        .find(|a| !a.monthly)
        .or_else(|| found.first())
        .map(|a| a.fen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fens(text: &str) -> Vec<(i64, bool)> {
        let chars: Vec<char> = text.chars().collect();
        amounts(&chars)
            .iter()
            .map(|a| (a.fen.0, a.monthly))
            .collect()
    }

    #[test]
    fn sms_amounts_are_exact_fen_and_know_monthly() {
        assert_eq!(fens("30元/月"), vec![(3000, true)]);
        assert_eq!(fens("每月5元"), vec![(500, true)]);
        assert_eq!(fens("标准资费10.0元/月"), vec![(1000, true)]);
        assert_eq!(fens("已充值0.01元"), vec![(1, false)]);
        assert_eq!(fens("¥207.90"), vec![(20790, false)]);
        assert_eq!(fens("30GB，2小时，1.234元"), vec![]);
        assert_eq!(fens("99999999999999999999元"), vec![]);
    }

    #[test]
    fn sms_nothing_charged_is_zero() {
        assert_eq!(
            amount("已为您取消，未收取您任何费用", Kind::Cancelled),
            Some(Fen::ZERO)
        );
        assert_eq!(amount("流量包30元/月，回复是办理", Kind::Marketing), None);
        assert_eq!(
            amount("本期消费：79.20元", Kind::FeeNotice),
            Some(Fen(7920))
        );
    }
}
