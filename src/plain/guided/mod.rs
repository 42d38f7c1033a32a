//! Guided mode in lines: the person acts through the carrier's official
//! channel and pastes what the carrier texts back (read as lines up to an
//! empty line, or the end of input). No code or password is ever asked for
//! here: they belong to the carrier alone, and the identify step says so.
//!
//! The questions of each step ([`Ask`]) fill a small [`Draft`] until it makes
//! one core event (`Identify`, `EnterPackage`, `EnterQuote`, `Say`…).

mod act;
mod show;

use chrono::NaiveDate;

use super::answer::{Answer, expected, line_of};
use super::form::Question;
use super::words::{numbered, t, tr};
use crate::core::channels::{self, Channel, Kind};
use crate::core::fees::Fen;
use crate::core::flow::guided::{Package, Quoted, Source, Statement};
use crate::core::flow::{Event, State, Step};
use crate::core::model::{CarrierId, Msisdn};
use crate::ui::Lang;

pub use show::{lines, verdict};

/// A question of guided mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Step 1: the carrier the prefix suggests, or the one the number moved to.
    Carrier,
    /// Step 1: the kind of package.
    Kind,
    /// Step 1: the channel (the recommended one by default).
    Channel,
    /// The current step's choices (paste, pick, "I did it"…).
    Step,
    /// Step 2, by hand: the package's name.
    PackageName,
    /// Step 2, by hand: its monthly fee.
    PackageFee,
    /// Step 2, by hand: its contract end.
    PackageEnd,
    /// Step 4: the penalty quoted.
    Penalty,
    /// Step 4: the equipment charge.
    Equipment,
    /// Step 4: the refund.
    Refund,
    /// The effective date the carrier gave (step 4's quote, step 5's word).
    Date,
    /// Steps 3 and 5: another channel for the same case.
    OtherChannel,
}

/// What guided mode's questions collected so far.
#[derive(Debug, Default)]
pub struct Draft {
    /// The number and the carrier (guessed from the prefix, or named).
    pub line: Option<(Msisdn, CarrierId)>,
    /// The person confirmed the carrier (or named it with the number).
    pub carrier_confirmed: bool,
    /// The package kind.
    pub kind: Option<Kind>,
    /// A question within a step, while one is under way.
    pub entry: Option<Ask>,
    /// A package typed by hand: its name.
    pub name: Option<String>,
    /// A package typed by hand: its monthly fee.
    pub monthly_fee: Option<Fen>,
    /// The quote as typed so far.
    pub quoted: [Fen; 3],
}

const KIND_KEYS: [&str; 4] = [
    "plain.kind.data_pack",
    "plain.kind.value_added",
    "plain.kind.broadband",
    "plain.kind.main_plan",
];

/// The i18n key of a channel's name.
pub fn channel_key(channel: Channel) -> &'static str {
    match channel {
        Channel::Sms => "plain.channel.sms",
        Channel::App => "plain.channel.app",
        Channel::Hotline => "plain.channel.hotline",
        Channel::Hall => "plain.channel.hall",
    }
}

/// A carrier's name in `lang`.
pub fn carrier_name(carrier: CarrierId, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => carrier.name_zh(),
        Lang::En => carrier.name_en(),
    }
}

/// The prompt of a guided question.
pub fn prompt(ask: Ask, state: &State, lang: Lang) -> String {
    let key = match (ask, &state.step) {
        (Ask::Carrier, _) => "plain.ask_carrier",
        (Ask::Kind, _) => {
            let choices = numbered(lang, KIND_KEYS.into_iter());
            return tr(lang, "plain.ask_kind", &[("choices", choices)]);
        }
        (Ask::Channel, _) => "plain.ask_channel",
        (Ask::OtherChannel, _) => "plain.ask_other_channel",
        (Ask::PackageName, _) => "plain.ask_package_name",
        (Ask::PackageFee, _) => "plain.ask_package_fee",
        (Ask::PackageEnd, _) => "plain.ask_package_end",
        (Ask::Penalty, _) => "plain.ask_penalty",
        (Ask::Equipment, _) => "plain.ask_equipment",
        (Ask::Refund, _) => "plain.ask_refund",
        (Ask::Date, _) => "plain.ask_date",
        (Ask::Step, Step::SelectPlan { .. }) => "plain.ask_package",
        (Ask::Step, Step::Submit { .. }) => "plain.ask_act",
        (Ask::Step, Step::Pay { .. }) => "plain.ask_quote",
        (Ask::Step, _) if refused(state) => "plain.ask_confirmation_refused",
        (Ask::Step, _) => "plain.ask_confirmation",
    };
    t(lang, key)
}

fn refused(state: &State) -> bool {
    state.facts.guided.as_ref().is_some_and(|c| c.refused())
}

/// Reads a guided answer (the line is trimmed) into the draft. An event
/// clears the step's question under way.
pub fn answer(state: &State, draft: &mut Draft, asked: (Question, &str), lang: Lang) -> Answer {
    let (question, line) = asked;
    let got = match question {
        Question::Number => number(state, draft, line),
        Question::Guided(ask) => ask_answer(state, draft, ask, line, lang),
        _ => None,
    };
    match got {
        Some(Answer::Apply(event)) => {
            draft.entry = None;
            Answer::Apply(event)
        }
        Some(answer) => answer,
        None => expected(question, state, lang),
    }
}

fn noted(draft: &mut Draft, next: Option<Ask>) -> Option<Answer> {
    draft.entry = next;
    Some(Answer::Noted)
}

fn number(state: &State, draft: &mut Draft, line: &str) -> Option<Answer> {
    let named = line.split_whitespace().nth(1).is_some();
    let found = line_of(state, line).ok()?;
    draft.line = Some(found);
    draft.carrier_confirmed = named;
    Some(Answer::Noted)
}

fn ask_answer(
    state: &State,
    draft: &mut Draft,
    ask: Ask,
    line: &str,
    lang: Lang,
) -> Option<Answer> {
    match ask {
        Ask::Carrier => carrier(draft, line),
        Ask::Kind => {
            draft.kind = Some(*Kind::ALL.get(pick(line)?)?);
            Some(Answer::Noted)
        }
        Ask::Channel => identify(draft, line, lang),
        Ask::OtherChannel => other_channel(state, line, lang)
            .or_else(|| (line.is_empty()).then(|| noted(draft, None)).flatten()),
        Ask::PackageName => {
            (!line.is_empty()).then_some(())?;
            draft.name = Some(line.to_owned());
            noted(draft, Some(Ask::PackageFee))
        }
        Ask::PackageFee => {
            draft.monthly_fee = optional_yuan(line)?;
            noted(draft, Some(Ask::PackageEnd))
        }
        Ask::PackageEnd => typed_package(draft, line),
        Ask::Penalty => match Fen::parse_yuan(line) {
            Ok(penalty) => {
                draft.quoted = [penalty, Fen(0), Fen(0)];
                noted(draft, Some(Ask::Equipment))
            }
            Err(_) => menu(state, draft, line),
        },
        Ask::Equipment => {
            draft.quoted[1] = optional_yuan(line)?.unwrap_or(Fen(0));
            noted(draft, Some(Ask::Refund))
        }
        Ask::Refund => {
            draft.quoted[2] = optional_yuan(line)?.unwrap_or(Fen(0));
            noted(draft, Some(Ask::Date))
        }
        Ask::Date => dated(state, draft, line),
        Ask::Step => menu(state, draft, line),
    }
}

/// `1` → index 0.
fn pick(line: &str) -> Option<usize> {
    line.parse::<usize>().ok()?.checked_sub(1)
}

/// An amount in yuan; an empty line is `Some(None)`.
fn optional_yuan(line: &str) -> Option<Option<Fen>> {
    if line.is_empty() {
        return Some(None);
    }
    Fen::parse_yuan(line).ok().map(Some)
}

/// A date `YYYY-MM-DD`; an empty line is `Some(None)`.
fn optional_date(line: &str) -> Option<Option<NaiveDate>> {
    if line.is_empty() {
        return Some(None);
    }
    NaiveDate::parse_from_str(line, "%Y-%m-%d").ok().map(Some)
}

fn carrier(draft: &mut Draft, line: &str) -> Option<Answer> {
    let (_, guessed) = draft.line.as_mut()?;
    match line {
        "" | "y" | "yes" | "是" => {}
        word => *guessed = super::answer::carrier_word(word)?,
    }
    draft.carrier_confirmed = true;
    Some(Answer::Noted)
}

/// The channel for step 1: the recommended one on an empty line; one that
/// cannot do it is answered with why.
fn identify(draft: &Draft, line: &str, lang: Lang) -> Option<Answer> {
    let ((msisdn, carrier), kind) = (draft.line.clone()?, draft.kind?);
    let guide = channels::guide(carrier, kind);
    let channel = match line {
        "" => guide.recommended(),
        n => *Channel::ALL.get(pick(n)?)?,
    };
    if let Some(why) = cannot(carrier, kind, channel, lang) {
        return Some(Answer::Expected(why));
    }
    Some(Answer::Apply(Event::Identify {
        msisdn,
        carrier,
        kind,
        channel,
    }))
}

/// Why `channel` cannot cancel `kind` with `carrier`, when it cannot.
fn cannot(carrier: CarrierId, kind: Kind, channel: Channel, lang: Lang) -> Option<String> {
    let guide = channels::guide(carrier, kind);
    if !guide.steps(channel).is_empty() {
        return None;
    }
    let why: Vec<&str> = guide.cannot(channel).iter().map(|l| l.text(lang)).collect();
    Some(tr(
        lang,
        "plain.cannot",
        &[
            ("channel", t(lang, channel_key(channel))),
            ("why", why.join(" ")),
        ],
    ))
}

fn other_channel(state: &State, line: &str, lang: Lang) -> Option<Answer> {
    let (line_, case) = (state.facts.line.as_ref()?, state.facts.guided.as_ref()?);
    let channel = *Channel::ALL.get(pick(line)?)?;
    if let Some(why) = cannot(line_.carrier, case.kind, channel, lang) {
        return Some(Answer::Expected(why));
    }
    Some(Answer::Apply(Event::ChooseChannel(channel)))
}

fn typed_package(draft: &mut Draft, line: &str) -> Option<Answer> {
    let contract_end = optional_date(line)?;
    let name = draft.name.take()?;
    Some(Answer::Apply(Event::EnterPackage(Package {
        name,
        monthly_fee: draft.monthly_fee.take(),
        key: None,
        contract_end,
        source: Source::Statement,
    })))
}

fn dated(state: &State, draft: &Draft, line: &str) -> Option<Answer> {
    let effective_date = optional_date(line)?;
    let event = match state.step {
        Step::Pay { .. } => {
            let [penalty, equipment, refund] = draft.quoted;
            Event::EnterQuote(Quoted {
                penalty,
                equipment,
                refund,
                effective_date,
                source: Source::Statement,
            })
        }
        _ => Event::Say(Statement::Cancelled { effective_date }),
    };
    Some(Answer::Apply(event))
}

/// The choices of steps 2 to 5: a letter, maybe followed by a word.
fn menu(state: &State, draft: &mut Draft, line: &str) -> Option<Answer> {
    let (word, rest) = line
        .split_once(' ')
        .map_or((line, ""), |(w, r)| (w, r.trim()));
    let with_rest = !rest.is_empty();
    let event = match (&state.step, word, with_rest) {
        (_, "t", _) => {
            let from = with_rest.then(|| rest.to_owned());
            return Some(Answer::Paste { from });
        }
        (Step::SelectPlan { .. }, "m", false) => return noted(draft, Some(Ask::PackageName)),
        (Step::SelectPlan { .. }, "b", false) => {
            *draft = Draft::default();
            Event::Back
        }
        (Step::SelectPlan { .. }, n, false) => Event::PickPackage {
            index: listed(state, n)?,
        },
        (Step::Submit { .. }, "d", false) => Event::Say(Statement::Acted),
        (Step::Submit { .. } | Step::Pay { .. }, "b", false) => Event::Back,
        (Step::Submit { .. } | Step::Pay { .. } | Step::Await { .. }, "r", true) => {
            Event::Say(Statement::Reference {
                reference: rest.to_owned(),
            })
        }
        (Step::Submit { .. }, "o", false) => return noted(draft, Some(Ask::OtherChannel)),
        (Step::Await { .. }, "o", false) if refused(state) => {
            return noted(draft, Some(Ask::OtherChannel));
        }
        (Step::Pay { .. }, "y", false) => Event::Confirm,
        (Step::Pay { .. }, "e", false) => return noted(draft, Some(Ask::Penalty)),
        (Step::Pay { .. }, "k", false) => {
            Event::EnterQuote(state.facts.guided.as_ref()?.quote_from_last_text()?)
        }
        (Step::Pay { .. } | Step::Await { .. }, "a", false) => Event::Abandon,
        (Step::Await { .. }, "c", false) => return noted(draft, Some(Ask::Date)),
        _ => return None,
    };
    Some(Answer::Apply(event))
}

/// The index of package `n` of the pasted list, when it is on it.
fn listed(state: &State, n: &str) -> Option<usize> {
    let index = pick(n)?;
    let case = state.facts.guided.as_ref()?;
    (index < case.listed.len()).then_some(index)
}
