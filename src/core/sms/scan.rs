//! The small, bounded scanning steps every rule shares: normalising the
//! text, finding words at a position, numbers, quoted tokens, the opt-out
//! footers that must never count as a cancellation, and order numbers.

use super::{MAX_CHARS, MAX_ORDER_NO};

/// Characters that end a clause.
pub const CLAUSE_END: &[char] = &['，', ',', '。', '；', ';', '！', '!', '？', '?', '\n'];
/// Characters that end a sentence (a clause may go on after a comma).
pub const SENTENCE_END: &[char] = &['。', '；', ';', '！', '!', '？', '?', '\n'];

/// The text as the rules read it: at most [`MAX_CHARS`] characters, line
/// endings as `\n`, full-width ASCII (`１２３`, `：`, `（`) as ASCII, the
/// ideographic space as a space, and control and format characters (bidi
/// overrides, zero-width joiners) dropped, so none can split a keyword.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len().min(MAX_CHARS * 3));
    let mut chars = raw.chars().take(MAX_CHARS).peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                '\n'
            }
            '\u{3000}' | '\t' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            c if c != '\n' && crate::text::is_unsafe(c) => continue,
            c => c,
        };
        out.push(c);
    }
    out
}

/// Whether `text` holds any of `words`.
pub fn has_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// The clauses of `text` (split at commas, full stops, semicolons, line ends).
pub fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split(CLAUSE_END).filter(|c| !c.trim().is_empty())
}

/// The sentences of `text` (split at full stops, semicolons, line ends).
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(SENTENCE_END).filter(|c| !c.trim().is_empty())
}

/// Whether `chars[at..]` starts with `word`.
pub fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    let mut i = at;
    for w in word.chars() {
        match chars.get(i) {
            Some(&c) if c == w => i += 1,
            _ => return false,
        }
    }
    true
}

/// The first of `words` that `chars[at..]` starts with, and its length in chars.
pub fn word_at(chars: &[char], at: usize, words: &[&str]) -> Option<usize> {
    words
        .iter()
        .find(|w| starts_with_at(chars, at, w))
        .map(|w| w.chars().count())
}

/// The ASCII digits at `chars[at..]`, at most `max` of them: their value
/// (saturating) and count.
pub fn digits_at(chars: &[char], at: usize, max: usize) -> (u32, usize) {
    let mut value: u32 = 0;
    let mut n = 0;
    while n < max {
        match chars.get(at + n).and_then(|c| c.to_digit(10)) {
            Some(d) => {
                value = value.saturating_mul(10).saturating_add(d);
                n += 1;
            }
            None => break,
        }
    }
    (value, n)
}

/// Opening quote marks the carriers put around a reply text.
const OPEN_QUOTES: &[char] = &['“', '"', '「', '‘', '\'', '『'];
/// Closing quote marks.
const CLOSE_QUOTES: &[char] = &['”', '"', '」', '’', '\'', '』'];

/// A reply token at `chars[at..]` after optional spaces: a quoted text of up
/// to 12 characters, or a run of up to 16 ASCII letters, digits and `#`, or
/// one of 是/否. Returns the token and the index after it.
pub fn token_at(chars: &[char], at: usize) -> Option<(String, usize)> {
    let mut i = at;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    let first = *chars.get(i)?;
    if OPEN_QUOTES.contains(&first) {
        let start = i + 1;
        let end = (start..start + 13)
            .take_while(|&j| j < chars.len())
            .find(|&j| CLOSE_QUOTES.contains(&chars[j]))?;
        let token: String = chars[start..end].iter().collect();
        let token = token.trim().to_owned();
        return (!token.is_empty()).then_some((token, end + 1));
    }
    if first == '是' || first == '否' {
        return Some((first.to_string(), i + 1));
    }
    let len = chars[i..]
        .iter()
        .take(16)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    (len > 0).then(|| (chars[i..i + len].iter().collect(), i + len))
}

/// Verbs that introduce the text to send.
const SEND_VERBS: &[&str] = &["回复", "发送", "编辑", "回"];
/// What an opt-out footer does after its code.
const OPT_OUT_WORDS: &[&str] = &[
    "退订",
    "拒收",
    "将不再",
    "不再接收",
    "不再收到",
    "即可退订",
    "可退订",
    "取消订阅",
];
/// A mention of opting out of the messages themselves.
const MESSAGE_OPT_OUTS: &[&str] = &[
    "退订此类信息",
    "退订此类短信",
    "退订本短信",
    "退订本类短信",
    "退订本类信息",
    "退订该类信息",
];

/// The text with every marketing or reminder opt-out footer ("回T退订",
/// "拒收请回复R", "回复TDZD退订本短信", "如需退订此类信息") replaced by a line
/// break: those words speak of the messages, never of a product, so no
/// rule may read them as a cancellation. A reply code that starts with a
/// digit ("回复1退订…") is kept: it can be a list's cancel key.
pub fn mask_opt_out_footers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        match footer_at(&chars, i) {
            Some(end) => {
                out.push('\n');
                i = end;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// The end of an opt-out footer starting at `at`, if one does.
fn footer_at(chars: &[char], at: usize) -> Option<usize> {
    if let Some(n) = word_at(chars, at, MESSAGE_OPT_OUTS) {
        return Some(at + n);
    }
    // "拒收请回复R", "退订回T", "退订请回复TD".
    if let Some(n) = word_at(chars, at, &["拒收", "退订"]) {
        let mut j = at + n;
        j += word_at(chars, j, &["请"]).unwrap_or(0);
        if let Some(v) = word_at(chars, j, &["回复", "回"]) {
            if let Some((token, end)) = token_at(chars, j + v) {
                if token.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    return Some(end);
                }
            }
        }
    }
    // "回复TDZD退订本短信", "回T退订", "回复TD将不再接收此类信息".
    let v = word_at(chars, at, SEND_VERBS)?;
    let (token, mut j) = token_at(chars, at + v)?;
    if !token.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    if let Some(n) = word_at(chars, j, &["至", "到"]) {
        let (_, digits) = digits_at(chars, j + n, 12);
        j += n + digits;
    }
    let n = word_at(chars, j, OPT_OUT_WORDS)?;
    let mut end = j + n;
    // The object, when it is the messages: "本短信", "此类信息".
    let object = ["本短信", "此类信息", "此类短信", "本类短信", "短信", "信息"];
    end += word_at(chars, end, &object).unwrap_or(0);
    Some(end)
}

/// Words after which an order, acceptance or work-order number follows.
const ORDER_WORDS: &[&str] = &[
    "受理单号",
    "受理编号",
    "受理号",
    "订单编号",
    "订单号",
    "工单编号",
    "工单号",
    "业务流水号",
    "流水号",
];

/// The first order, acceptance or work-order number: one of
/// [`ORDER_WORDS`], then optionally `:`/`为`/`是` and spaces, then an opaque
/// `[A-Za-z0-9-]{6,}` (at most [`MAX_ORDER_NO`] characters).
pub fn order_no(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).find_map(|i| {
        let n = word_at(&chars, i, ORDER_WORDS)?;
        let mut j = i + n;
        while chars
            .get(j)
            .is_some_and(|c| matches!(c, ':' | '：' | ' ' | '为' | '是' | '【' | '[' | '"' | '“'))
        {
            j += 1;
        }
        let len = chars[j.min(chars.len())..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
            .count();
        (6..=MAX_ORDER_NO)
            .contains(&len)
            .then(|| chars[j..j + len].iter().collect())
    })
}

/// `text` cut to `max` characters, trimmed.
pub fn bounded(text: &str, max: usize) -> String {
    text.trim()
        .chars()
        .take(max)
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_normalize_maps_full_width_and_drops_controls() {
        assert_eq!(normalize("１２３：\u{202e}退订\r\n次月"), "123:退订\n次月");
    }

    #[test]
    fn sms_footers_are_masked_but_cancel_replies_are_not() {
        let masked = mask_opt_out_footers("账单已出。回复TDZD退订本短信。【中国联通】");
        assert!(!masked.contains("退订"), "{masked}");
        let masked = mask_opt_out_footers("好礼相送 拒收请回复R");
        assert!(!masked.contains("拒收"), "{masked}");
        let kept = mask_opt_out_footers("回复“Y”确认退订，回复“N”不退订");
        assert!(kept.contains("确认退订"), "{kept}");
        let kept = mask_opt_out_footers("回复1退订流量包");
        assert!(kept.contains("退订流量包"), "{kept}");
    }

    #[test]
    fn sms_order_numbers_need_six_opaque_characters() {
        assert_eq!(
            order_no("受理编号：GD-2026112500").as_deref(),
            Some("GD-2026112500")
        );
        assert_eq!(
            order_no("订单号为 OD20261125000002，").as_deref(),
            Some("OD20261125000002")
        );
        assert_eq!(order_no("工单号12345"), None);
        assert_eq!(order_no(&format!("流水号{}", "9".repeat(65))), None);
    }
}
