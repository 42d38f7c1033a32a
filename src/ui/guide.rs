//! Guidance for each step — precautions (注意事项), common problems (常见问题)
//! and misconceptions (常见误区) — written for this wizard in
//! `assets/guide/{zh,en}/`, compiled in.
//!
//! Each text is Markdown-like: `## ` starts a section heading, `- ` a
//! bullet; everything else is a paragraph.

use crate::core::flow::StepName;

use super::i18n::Lang;

/// The guidance text for a step, or for the Blocked screen (`None`).
pub fn text(lang: Lang, step: Option<StepName>) -> &'static str {
    match (lang, step) {
        (Lang::Zh, Some(StepName::Login)) => include_str!("../../assets/guide/zh/login.md"),
        (Lang::Zh, Some(StepName::SelectPlan)) => {
            include_str!("../../assets/guide/zh/select_plan.md")
        }
        (Lang::Zh, Some(StepName::Submit)) => include_str!("../../assets/guide/zh/submit.md"),
        (Lang::Zh, Some(StepName::Pay)) => include_str!("../../assets/guide/zh/pay.md"),
        (Lang::Zh, Some(StepName::Await)) => include_str!("../../assets/guide/zh/await.md"),
        (Lang::Zh, Some(StepName::Terminated)) => {
            include_str!("../../assets/guide/zh/terminated.md")
        }
        (Lang::Zh, None) => include_str!("../../assets/guide/zh/blocked.md"),
        (Lang::En, Some(StepName::Login)) => include_str!("../../assets/guide/en/login.md"),
        (Lang::En, Some(StepName::SelectPlan)) => {
            include_str!("../../assets/guide/en/select_plan.md")
        }
        (Lang::En, Some(StepName::Submit)) => include_str!("../../assets/guide/en/submit.md"),
        (Lang::En, Some(StepName::Pay)) => include_str!("../../assets/guide/en/pay.md"),
        (Lang::En, Some(StepName::Await)) => include_str!("../../assets/guide/en/await.md"),
        (Lang::En, Some(StepName::Terminated)) => {
            include_str!("../../assets/guide/en/terminated.md")
        }
        (Lang::En, None) => include_str!("../../assets/guide/en/blocked.md"),
    }
}

/// The guidance of guided mode, one text for its steps: acting through an
/// official channel, what to ask and keep, what is and is not a
/// cancellation.
pub fn guided(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => include_str!("../../assets/guide/zh/guided.md"),
        Lang::En => include_str!("../../assets/guide/en/guided.md"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: [Option<StepName>; 7] = [
        Some(StepName::Login),
        Some(StepName::SelectPlan),
        Some(StepName::Submit),
        Some(StepName::Pay),
        Some(StepName::Await),
        Some(StepName::Terminated),
        None,
    ];

    /// Every text of a language: each step's, and guided mode's.
    fn all(lang: Lang) -> Vec<&'static str> {
        let mut texts: Vec<&str> = STEPS.iter().map(|s| text(lang, *s)).collect();
        texts.push(guided(lang));
        texts
    }

    #[test]
    fn guided_mode_has_the_three_sections_in_both_languages() {
        for heading in ["## 注意事项", "## 常见问题", "## 常见误区"] {
            assert!(
                guided(Lang::Zh).contains(heading),
                "guided zh lacks {heading}"
            );
        }
        for heading in ["## Precautions", "## Common problems", "## Misconceptions"] {
            assert!(
                guided(Lang::En).contains(heading),
                "guided en lacks {heading}"
            );
        }
    }

    #[test]
    fn every_step_has_the_three_sections_in_both_languages() {
        for step in STEPS {
            let zh = text(Lang::Zh, step);
            for heading in ["## 注意事项", "## 常见问题", "## 常见误区"] {
                assert!(zh.contains(heading), "{step:?} zh lacks {heading}");
            }
            let en = text(Lang::En, step);
            for heading in ["## Precautions", "## Common problems", "## Misconceptions"] {
                assert!(en.contains(heading), "{step:?} en lacks {heading}");
            }
        }
    }

    #[test]
    fn only_official_hotlines_appear() {
        for lang in [Lang::Zh, Lang::En] {
            for t in all(lang) {
                // Any 5+ digit number in a guide must be an official one.
                let mut digits = String::new();
                for c in t.chars().chain(std::iter::once(' ')) {
                    if c.is_ascii_digit() {
                        digits.push(c);
                    } else {
                        if digits.len() >= 5 {
                            assert!(
                                ["10086", "10010", "10000", "12300"].contains(&digits.as_str()),
                                "{lang:?} guide mentions {digits}"
                            );
                        }
                        digits.clear();
                    }
                }
            }
        }
    }
}
