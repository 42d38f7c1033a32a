//! Masking personal data for screens, receipts and logs: keep a few
//! characters at each end, star the rest.

/// Keeps `head` leading and `tail` trailing characters and stars the rest.
pub fn mask_middle(text: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let stars = chars.len() - head - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(stars));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_head_and_tail() {
        assert_eq!(mask_middle("13800138000", 3, 4), "138****8000");
        assert_eq!(
            mask_middle("11010119900307123X", 3, 4),
            "110***********123X"
        );
        assert_eq!(mask_middle("123", 3, 4), "***");
    }
}
