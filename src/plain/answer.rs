//! A typed line becomes an event for the core, a step of the dialogue's own
//! form, or the words of what is expected. Pure: no IO, nothing printed.

use super::form::{Form, Question};
use super::words;
use crate::core::flow::{Event, Mode, State, Step};
use crate::core::model::{Application, CarrierId, PayMethod, ReasonCode};
use crate::core::validate::{self, InputError};
use crate::ui::Lang;

/// What a line meant.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// Step the core with this event.
    Apply(Event),
    /// The form took the line; ask the next question.
    Noted,
    /// Log in with the code the sandbox phone received (the driver reads it).
    CodeFromPhone,
    /// Guided: read a pasted text (lines up to an empty line) and paste it,
    /// with the sender the person named, if any.
    Paste {
        /// The sender (`t 10086`).
        from: Option<String>,
    },
    /// Stop here: the journal keeps the case for a later resume.
    Quit,
    /// The line was not understood: these words say what is expected.
    Expected(String),
}

/// Reads `line` as the answer to `question`. A line it does not understand
/// is answered with what is expected, never refused otherwise.
pub fn answer(
    state: &State,
    form: &mut Form,
    question: Question,
    line: &str,
    lang: Lang,
) -> Answer {
    let line = line.trim();
    if matches!(line, "q" | "quit" | "退出") && !question.is_secret() {
        return Answer::Quit;
    }
    if state.mode == Mode::Guided && question == Question::Number {
        return super::guided::answer(state, &mut form.guided, (question, line), lang);
    }
    let got = match question {
        Question::Mode => mode(form, line),
        Question::Number => number(state, line),
        Question::Password => validate::service_password(line).map(|p| {
            form.password = Some(p);
            Answer::Noted
        }),
        Question::Code => code(state, form, line),
        Question::Plan => return plan(state, line, lang),
        Question::Retention => Ok(match line {
            "" | "n" => Answer::Apply(Event::AnswerRetention { accept: false }),
            "a" => Answer::Apply(Event::AnswerRetention { accept: true }),
            _ => return expected(question, state, lang),
        }),
        Question::Name => validate::holder_name(line).map(|n| {
            form.name = Some(n);
            Answer::Noted
        }),
        Question::IdNumber => validate::id_number(line).map(|id| {
            form.id_number = Some(id);
            Answer::Noted
        }),
        Question::Contact => contact(state, form, line),
        Question::Reason => return reason(form, line, lang),
        Question::Confirm => Ok(match line {
            "y" | "yes" | "是" => Answer::Apply(Event::Confirm),
            "b" | "back" => {
                form.clear_application();
                Answer::Apply(Event::Back)
            }
            _ => return expected(question, state, lang),
        }),
        Question::Method => return method(form, line, lang, state),
        Question::Card => validate::card_number(line).map(|card| {
            form.card = false;
            Answer::Apply(Event::ChoosePayment {
                method: PayMethod::Card,
                card: Some(card),
            })
        }),
        Question::Await => Ok(match line {
            "a" => Answer::Apply(Event::Abandon),
            "r" if stalled(state) => Answer::Apply(Event::Resubmit),
            _ => return expected(question, state, lang),
        }),
        Question::Blocked => Ok(match line {
            "r" => Answer::Apply(Event::Retry),
            _ => return expected(question, state, lang),
        }),
        Question::Guided(_) => {
            return super::guided::answer(state, &mut form.guided, (question, line), lang);
        }
        Question::Wait | Question::Done => return expected(question, state, lang),
    };
    match got {
        Ok(answer) => answer,
        Err(error) => Answer::Expected(input_error(lang, &error, question, state)),
    }
}

/// What is expected for `question`, as an answer.
pub fn expected(question: Question, state: &State, lang: Lang) -> Answer {
    Answer::Expected(words::tr(
        lang,
        "plain.expected",
        &[("what", words::prompt(question, state, lang))],
    ))
}

fn input_error(lang: Lang, error: &InputError, question: Question, state: &State) -> String {
    let said = words::tr(lang, error.key(), &error.args());
    let Answer::Expected(what) = expected(question, state, lang) else {
        return said;
    };
    format!("{said} {what}")
}

fn mode(form: &mut Form, line: &str) -> Result<Answer, InputError> {
    let mode = match line {
        "1" | "g" | "guided" => Mode::Guided,
        "2" | "s" | "sandbox" => Mode::Api,
        "" => return Err(InputError::Empty),
        _ => return Err(InputError::NotDigits),
    };
    form.mode_chosen = true;
    Ok(Answer::Apply(Event::ChooseMode(mode)))
}

/// `13800138000`, or `13800138000 unicom` for a number that moved carrier;
/// an empty line keeps the journalled number when logging in again.
pub(super) fn line_of(
    state: &State,
    line: &str,
) -> Result<(crate::core::model::Msisdn, CarrierId), InputError> {
    let mut words = line.split_whitespace();
    let (number, carrier) = (words.next(), words.next());
    let Some(number) = number else {
        return match &state.facts.line {
            Some(known) => Ok((known.msisdn.clone(), known.carrier)),
            None => Err(InputError::Empty),
        };
    };
    match carrier.map(carrier_word) {
        None => validate::phone(number),
        Some(Some(carrier)) => validate::contact_phone(number).map(|m| (m, carrier)),
        Some(None) => Err(InputError::NotDigits),
    }
}

pub(super) fn carrier_word(word: &str) -> Option<CarrierId> {
    match word.to_ascii_lowercase().as_str() {
        "mobile" | "cmcc" | "china_mobile" | "移动" => Some(CarrierId::ChinaMobile),
        "unicom" | "cucc" | "china_unicom" | "联通" => Some(CarrierId::ChinaUnicom),
        "telecom" | "ctcc" | "china_telecom" | "电信" => Some(CarrierId::ChinaTelecom),
        _ => None,
    }
}

fn number(state: &State, line: &str) -> Result<Answer, InputError> {
    let (msisdn, carrier) = line_of(state, line)?;
    Ok(Answer::Apply(Event::RequestCode { msisdn, carrier }))
}

fn code(state: &State, form: &mut Form, line: &str) -> Result<Answer, InputError> {
    match line {
        "p" => return Ok(Answer::CodeFromPhone),
        "r" => return number(state, ""),
        _ => {}
    }
    let code = validate::sms_code(line)?;
    Ok(Answer::Apply(Event::Login {
        code,
        password: form.password.take(),
    }))
}

fn plan(state: &State, line: &str, lang: Lang) -> Answer {
    let plans = state
        .facts
        .choice
        .account
        .as_ref()
        .map(|a| a.plans.as_slice())
        .unwrap_or_default();
    let chosen = line
        .parse::<usize>()
        .ok()
        .and_then(|n| plans.get(n.checked_sub(1)?))
        .filter(|p| p.is_cancellable());
    match chosen {
        Some(plan) => Answer::Apply(Event::ChoosePlan {
            plan_id: plan.id.clone(),
        }),
        None => expected(Question::Plan, state, lang),
    }
}

fn contact(state: &State, form: &mut Form, line: &str) -> Result<Answer, InputError> {
    let contact = match (line, state.facts.msisdn()) {
        ("", Some(own)) => own.clone(),
        _ => validate::contact_phone(line)?,
    };
    form.contact = Some(contact);
    Ok(Answer::Noted)
}

fn reason(form: &mut Form, line: &str, lang: Lang) -> Answer {
    let index = if line.is_empty() {
        Some(1)
    } else {
        line.parse::<usize>().ok()
    };
    let reason = index.and_then(|n| ReasonCode::ALL.get(n.checked_sub(1)?).copied());
    let (Some(reason), Some(holder_name), Some(id_number), Some(contact)) = (
        reason,
        form.name.clone(),
        form.id_number.clone(),
        form.contact.clone(),
    ) else {
        return Answer::Expected(words::tr(
            lang,
            "plain.expected",
            &[("what", words::reasons(lang))],
        ));
    };
    form.clear_application();
    Answer::Apply(Event::EnterApplication(Application {
        holder_name,
        id_number,
        contact,
        reason,
        reason_text: String::new(),
    }))
}

fn method(form: &mut Form, line: &str, lang: Lang, state: &State) -> Answer {
    let chosen = line
        .parse::<usize>()
        .ok()
        .and_then(|n| PayMethod::ALL.get(n.checked_sub(1)?).copied());
    match chosen {
        Some(PayMethod::Card) => {
            form.card = true;
            Answer::Noted
        }
        Some(method) => Answer::Apply(Event::ChoosePayment { method, card: None }),
        None if line == "a" => Answer::Apply(Event::Abandon),
        None => expected(Question::Method, state, lang),
    }
}

fn stalled(state: &State) -> bool {
    matches!(state.step, Step::Await { stalled: true, .. })
}
