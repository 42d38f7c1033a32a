//! Guided mode in lines: the person acts through the carrier's official
//! channel and pastes what the carrier texts back (read as lines up to an
//! empty line, or the end of input). No secret is ever asked for here.

use super::answer::{Answer, expected, line_of};
use super::form::{Form, Question};
use super::words::{numbered, t, tr};
use crate::core::channels::{self, Channel, Kind};
use crate::core::fees::Fen;
use crate::core::flow::guided::{Quoted, Source, Statement};
use crate::core::flow::{Event, State, Step};
use crate::text::sanitize;
use crate::ui::Lang;

const KIND_KEYS: [&str; 4] = [
    "plain.kind.data_pack",
    "plain.kind.value_added",
    "plain.kind.broadband",
    "plain.kind.main_plan",
];
const CHANNEL_KEYS: [&str; 4] = [
    "plain.channel.sms",
    "plain.channel.app",
    "plain.channel.hotline",
    "plain.channel.hall",
];

/// What the guided step shows.
pub fn lines(state: &State, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let (Some(line), Some(case)) = (&state.facts.line, &state.facts.guided) else {
        return out;
    };
    out.push(tr(lang, "plain.case", &[("id", sanitize(&case.case_id))]));
    for (i, product) in case.listed.iter().enumerate() {
        let fee = product
            .monthly_fee_fen
            .map(|f| f.to_string())
            .unwrap_or_default();
        out.push(format!("{}. {} {}", i + 1, sanitize(&product.name), fee));
    }
    if let Some(package) = &case.package {
        out.push(tr(
            lang,
            "submit.plan",
            &[("name", sanitize(&package.name))],
        ));
    }
    if matches!(state.step, Step::Submit { .. }) {
        let guide = channels::guide(line.carrier, case.kind);
        for step in guide.steps(case.channel) {
            out.push(format!("- {}", step.text(lang)));
            if let (Some(number), Some(command)) = (step.number(), step.command())
                && case.channel == Channel::Sms
            {
                out.push(tr(
                    lang,
                    "plain.qr_text",
                    &[("text", format!("SMSTO:{number}:{command}"))],
                ));
            }
        }
    }
    if let Some(reply) = &case.reply {
        // A list's reply is the key of the package picked.
        let key = case.package.as_ref().and_then(|p| p.key.clone());
        let text = reply.text.clone().or(key).unwrap_or_default();
        let sms = format!("SMSTO:{}:{}", sanitize(&reply.to), sanitize(&text));
        out.push(tr(lang, "plain.qr_text", &[("text", sms)]));
    }
    if let Some(quoted) = &case.quoted {
        out.push(format!("{}: {}", t(lang, "fee.penalty"), quoted.penalty));
        out.push(format!(
            "{}: {}",
            t(lang, "fee.equipment"),
            quoted.equipment
        ));
        out.push(format!(
            "{}: {}",
            t(lang, "fee.refund"),
            Fen(-quoted.refund.0)
        ));
        let total = quoted.total().map(|f| f.to_string()).unwrap_or_default();
        out.push(format!("{}: {}", t(lang, "submit.total"), total));
    }
    if let Some(verdict) = case.verdict {
        let key = format!("plain.verdict.{}", verdict_key(verdict));
        out.push(t(lang, &key));
    }
    out
}

fn verdict_key(verdict: crate::core::flow::guided::Verdict) -> &'static str {
    use crate::core::flow::guided::Verdict::*;
    match verdict {
        Listed => "listed",
        ReplyAsked => "reply_asked",
        Accepted => "accepted",
        Confirmed => "confirmed",
        Failed => "failed",
        FeeRead => "fee_read",
        OptOutOnly => "opt_out_only",
        Marketing => "marketing",
        LoginCode => "login_code",
        Unread => "unread",
    }
}

/// The prompt of a guided question.
pub fn prompt(question: Question, state: &State, lang: Lang) -> String {
    match (question, &state.step) {
        (Question::Number, _) => t(lang, "plain.ask_number"),
        (Question::Kind, _) => tr(
            lang,
            "plain.ask_kind",
            &[("choices", numbered(lang, KIND_KEYS.into_iter()))],
        ),
        (Question::Channel, _) => tr(
            lang,
            "plain.ask_channel",
            &[("choices", numbered(lang, CHANNEL_KEYS.into_iter()))],
        ),
        (_, Step::SelectPlan { .. }) => t(lang, "plain.ask_package"),
        (_, Step::Submit { .. }) => t(lang, "plain.ask_act"),
        (_, Step::Pay { .. }) => t(lang, "plain.ask_quote"),
        _ => t(lang, "plain.ask_confirmation"),
    }
}

/// Reads a guided answer.
pub fn answer(
    state: &State,
    form: &mut Form,
    question: Question,
    line: &str,
    lang: Lang,
) -> Answer {
    let pick = |n: &str, len: usize| n.parse::<usize>().ok().filter(|n| (1..=len).contains(n));
    match question {
        Question::Number => match line_of(state, line) {
            Ok(found) => {
                form.line = Some(found);
                Answer::Noted
            }
            Err(_) => expected(question, state, lang),
        },
        Question::Kind => match pick(line, Kind::ALL.len()) {
            Some(n) => {
                form.kind = Some(Kind::ALL[n - 1]);
                Answer::Noted
            }
            None => expected(question, state, lang),
        },
        Question::Channel => match (pick(line, Channel::ALL.len()), form.line.clone(), form.kind) {
            (Some(n), Some((msisdn, carrier)), Some(kind)) => Answer::Apply(Event::Identify {
                msisdn,
                carrier,
                kind,
                channel: Channel::ALL[n - 1],
            }),
            _ => expected(question, state, lang),
        },
        _ => step_answer(state, line).unwrap_or_else(|| expected(question, state, lang)),
    }
}

/// The answers of steps 2 to 6.
fn step_answer(state: &State, line: &str) -> Option<Answer> {
    if line == "t" {
        return Some(Answer::Paste);
    }
    let event = match (&state.step, line.split_once(' ').unwrap_or((line, ""))) {
        (Step::SelectPlan { .. }, (n, "")) => Event::PickPackage {
            index: n.parse::<usize>().ok()?.checked_sub(1)?,
        },
        (Step::Submit { .. }, ("d", "")) => Event::Say(Statement::Acted),
        (Step::Submit { .. } | Step::Await { .. }, ("r", reference)) if !reference.is_empty() => {
            Event::Say(Statement::Reference {
                reference: reference.to_owned(),
            })
        }
        (Step::Pay { .. }, ("y", "")) => Event::Confirm,
        (Step::Pay { .. } | Step::Await { .. }, ("a", "")) => Event::Abandon,
        (Step::Pay { .. }, (amount, "")) => Event::EnterQuote(Quoted {
            penalty: Fen::parse_yuan(amount).ok()?,
            equipment: Fen(0),
            refund: Fen(0),
            effective_date: None,
            source: Source::Statement,
        }),
        (Step::Await { .. }, ("c", "")) => Event::Say(Statement::Cancelled {
            effective_date: None,
        }),
        _ => return None,
    };
    Some(Answer::Apply(event))
}
