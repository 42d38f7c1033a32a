//! The dialogue's words: the step heading and each question's prompt, from
//! `assets/i18n` (`[plain]`, and the TUI's own keys where it has the words).

use super::form::Question;
use crate::core::flow::{State, StepName};
use crate::core::model::{PayMethod, ReasonCode};
use crate::ui::Lang;
use crate::ui::i18n;

/// The text of `key`.
pub fn t(lang: Lang, key: &str) -> String {
    i18n::t(lang, key)
}

/// The text of `key` with its placeholders filled in.
pub fn tr<S: AsRef<str>>(lang: Lang, key: &str, args: &[(&str, S)]) -> String {
    i18n::tr(lang, key, args)
}

/// "Step 3 of 6: Submit" / "步骤 3/6 提交".
pub fn heading(lang: Lang, mode: crate::core::flow::Mode, step: StepName) -> String {
    let n = StepName::ALL.iter().position(|s| *s == step).unwrap_or(0) + 1;
    // Named as the TUI's header names it: guided steps for what the person does.
    let title = t(lang, crate::ui::widgets::header::mode_step_key(mode, step));
    tr(
        lang,
        "plain.step",
        &[("n", n.to_string()), ("title", title)],
    )
}

/// The prompt of `question`: what it asks and every answer it takes.
pub fn prompt(question: Question, state: &State, lang: Lang) -> String {
    let number = || {
        state
            .facts
            .msisdn()
            .map(|m| m.as_str().to_owned())
            .unwrap_or_default()
    };
    match question {
        Question::Mode => t(lang, "plain.ask_mode"),
        Question::Number if state.facts.line.is_some() => {
            tr(lang, "plain.ask_number_again", &[("number", number())])
        }
        Question::Number => t(lang, "plain.ask_number"),
        Question::Password => t(lang, "plain.ask_password"),
        Question::Code => t(lang, "plain.ask_code"),
        Question::Plan => t(lang, "plain.ask_plan"),
        Question::Retention => t(lang, "plain.ask_retention"),
        Question::Name => t(lang, "plain.ask_name"),
        Question::IdNumber => t(lang, "plain.ask_id"),
        Question::Contact => tr(lang, "plain.ask_contact", &[("number", number())]),
        Question::Reason => tr(lang, "plain.ask_reason", &[("choices", reasons(lang))]),
        Question::Confirm => t(lang, "plain.ask_confirm"),
        Question::Method => tr(lang, "plain.ask_method", &[("choices", methods(lang))]),
        Question::Card => t(lang, "plain.ask_card"),
        Question::Await
            if matches!(
                state.step,
                crate::core::flow::Step::Await { stalled: true, .. }
            ) =>
        {
            t(lang, "plain.ask_await_stalled")
        }
        Question::Await => t(lang, "plain.ask_await"),
        Question::Blocked => t(lang, "plain.ask_blocked"),
        Question::Guided(ask) => super::guided::prompt(ask, state, lang),
        Question::Wait | Question::Done => t(lang, "plain.ask_nothing"),
    }
}

/// "1 = No longer needed, 2 = …".
pub fn reasons(lang: Lang) -> String {
    numbered(lang, ReasonCode::ALL.iter().map(|r| r.label_key()))
}

fn methods(lang: Lang) -> String {
    let key = crate::ui::screens::pay::method_key;
    numbered(lang, PayMethod::ALL.iter().map(|m| key(*m)))
}

/// "1 = first, 2 = second" from i18n keys.
pub fn numbered<'a>(lang: Lang, keys: impl Iterator<Item = &'a str>) -> String {
    keys.enumerate()
        .map(|(i, key)| format!("{} = {}", i + 1, t(lang, key)))
        .collect::<Vec<_>>()
        .join(", ")
}
