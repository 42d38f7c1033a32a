//! `unsubscribe-wizard receipts calendar ORDER [--out FILE]`: the order's
//! follow-ups ([`crate::core::followup`]) as an iCalendar file (RFC 5545)
//! any phone or desktop calendar imports — one all-day VEVENT per
//! follow-up, each with a reminder.
//!
//! The writer is small and ours ([`ics`]): CRLF line ends, lines folded at
//! 75 octets without splitting a character, TEXT escaped (`\ ; , newline`),
//! a DTSTAMP given by the caller (the tests pin it), and a UID made of the
//! order and the follow-up's kind, so importing the file again updates the
//! events instead of doubling them. Carrier text goes through
//! [`crate::text`] before it is escaped. The tests read the output back
//! with an independent parser (the `icalendar` crate).

use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::output::{check_target, fail};
use super::summary::Summary;
use crate::core::followup::{
    CaseFacts, Equipment, FollowUp, FollowUpKind, first_fee_free_cycle, followups,
};
use crate::core::model::{CarrierId, FeeKind, Fen, PaymentState, PlanKind, ReceiptEvent};
use crate::store::vault::{Record, Vault, VaultError};
use crate::text;
use crate::ui::Lang;
use crate::ui::i18n::tr;

/// The file the calendar is saved as beside the order's receipts.
pub const FILE_NAME: &str = "followups.ics";
/// The most characters a carrier-given name is shown with.
const NAME_MAX: usize = 120;
/// The longest content line, in octets, without its CRLF (RFC 5545 §3.1).
const LINE_OCTETS: usize = 75;

/// Why no calendar could be made.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// The order's receipts could not be read (the vault's message says
    /// what to do).
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The receipts hold no quote: there is no plan or effective date.
    #[error(
        "order {order} has no quote in its receipts, so there is no effective date to plan from; `unsubscribe-wizard receipts show {order}` shows what there is"
    )]
    NoQuote {
        /// The order asked for.
        order: String,
    },
    /// Nothing was submitted yet: nothing to follow up.
    #[error(
        "order {order} was never submitted to the carrier, so there is nothing to follow up; finish or resume it in the wizard first"
    )]
    NotSubmitted {
        /// The order asked for.
        order: String,
    },
    /// The retention offer was taken: a plan change, not a cancellation.
    #[error(
        "order {order} is a plan change (the retention offer was taken), not a cancellation: it has no cancellation follow-ups; check the next bill for the new monthly fee"
    )]
    PlanChange {
        /// The order asked for.
        order: String,
    },
    /// The file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// Where it was to go.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: io::Error,
    },
}

/// One case as the calendar needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarCase {
    /// The order number (or the chain's name before there was one).
    pub order: String,
    /// The carrier, for its name and hotline.
    pub carrier: CarrierId,
    /// The facts the follow-ups are made from.
    pub facts: CaseFacts,
}

/// The case of one order, from its receipts: the last quote's plan and
/// effective date, the day it was submitted (Beijing time), and the day a
/// fee was first paid (which a fee dispute counts from).
pub fn case_of(name: &str, records: &[Record]) -> Result<CalendarCase, CalendarError> {
    let summary = Summary::of(name, records).ok_or_else(|| CalendarError::NoQuote {
        order: name.to_owned(),
    })?;
    case_of_summary(name, &summary, records)
}

/// [`case_of`] for a chain already summarised (the summary is not made twice).
pub fn case_of_summary(
    name: &str,
    summary: &Summary,
    records: &[Record],
) -> Result<CalendarCase, CalendarError> {
    let order = || name.to_owned();
    if summary.plan_change.is_some() {
        return Err(CalendarError::PlanChange { order: order() });
    }
    if let Some(guided) = &summary.guided {
        return guided_case(summary, guided, order());
    }
    let (plan, quote) = records
        .iter()
        .rev()
        .find_map(|r| match &r.receipt.event {
            ReceiptEvent::QuoteShown { plan, quote } => Some((plan, quote)),
            _ => None,
        })
        .ok_or_else(|| CalendarError::NoQuote { order: order() })?;
    let requested_on = records
        .iter()
        .find(|r| matches!(r.receipt.event, ReceiptEvent::ApplicationSubmitted { .. }))
        .map(|r| r.at_beijing.date_naive())
        .ok_or_else(|| CalendarError::NotSubmitted { order: order() })?;
    let fee_charged_on = records
        .iter()
        .find(|r| match &r.receipt.event {
            ReceiptEvent::Payment { payment, amount } => {
                payment.state == PaymentState::Paid && amount.is_positive()
            }
            _ => false,
        })
        .map(|r| r.at_beijing.date_naive());
    let equipment_lines: Vec<Fen> = quote
        .items
        .iter()
        .filter(|i| i.kind == FeeKind::Equipment)
        .map(|i| i.amount)
        .collect();
    let equipment =
        (plan.kind == PlanKind::Broadband || !equipment_lines.is_empty()).then(|| Equipment {
            unreturned_fee: Fen::checked_sum(equipment_lines).unwrap_or(Fen::ZERO),
        });
    Ok(CalendarCase {
        order: summary.order_id.clone().unwrap_or_else(order),
        carrier: summary.carrier,
        facts: CaseFacts {
            effective_on: quote.effective_date,
            plan_name: plan.name.clone(),
            monthly_fee: plan.monthly_fee,
            equipment,
            requested_on,
            complained_on: None,
            fee_charged_on,
        },
    })
}

/// A guided case: the package and its fee, the day the person acted (or
/// the carrier accepted), the effective date the carrier confirmed or
/// quoted; equipment for broadband. No fee is known to have been charged:
/// the carrier collects through its own channel.
fn guided_case(
    summary: &Summary,
    guided: &super::summary::GuidedFacts,
    order: String,
) -> Result<CalendarCase, CalendarError> {
    let requested = guided
        .acted_at
        .or(guided.accepted.as_ref().map(|a| a.at))
        .ok_or_else(|| CalendarError::NotSubmitted {
            order: order.clone(),
        })?;
    let effective_on = guided
        .effective_date()
        .ok_or_else(|| CalendarError::NoQuote {
            order: order.clone(),
        })?;
    let package = guided.package.as_ref();
    let equipment = (guided.kind == crate::core::channels::Kind::Broadband).then(|| Equipment {
        unreturned_fee: guided.quoted.map_or(Fen::ZERO, |q| q.quoted.equipment),
    });
    Ok(CalendarCase {
        order,
        carrier: summary.carrier,
        facts: CaseFacts {
            effective_on,
            plan_name: package.map(|p| p.name.clone()).unwrap_or_default(),
            monthly_fee: package.and_then(|p| p.monthly_fee).unwrap_or(Fen::ZERO),
            equipment,
            requested_on: super::summary::beijing(requested).date_naive(),
            complained_on: None,
            fee_charged_on: None,
        },
    })
}

/// The iCalendar document of `case`'s follow-ups, worded in `lang`,
/// stamped `stamp`.
pub fn ics(case: &CalendarCase, lang: Lang, stamp: DateTime<Utc>) -> String {
    let words = Words::new(case, lang);
    let mut out = String::new();
    for (name, value) in [
        ("BEGIN", "VCALENDAR"),
        ("VERSION", "2.0"),
        ("PRODID", "-//unsubscribe-wizard//follow-ups//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        line(&mut out, name, value);
    }
    let name = tr(lang, "calendar.name", &[("plan", words.plan.as_str())]);
    line(&mut out, "X-WR-CALNAME", &escape_text(&name));
    for followup in followups(&case.facts) {
        event(&mut out, case, &words, &followup, stamp);
    }
    line(&mut out, "END", "VCALENDAR");
    out
}

/// One follow-up as a VEVENT with its VALARM.
fn event(
    out: &mut String,
    case: &CalendarCase,
    words: &Words,
    followup: &FollowUp,
    stamp: DateTime<Utc>,
) {
    let (title, body) = words.of(followup);
    let description = format!("{body}\n\n{}", words.footer);
    let end = followup
        .last_day
        .checked_add_days(Days::new(1))
        .unwrap_or(followup.last_day);
    line(out, "BEGIN", "VEVENT");
    line(out, "UID", &uid(&case.order, followup.kind));
    line(out, "DTSTAMP", &stamp.format("%Y%m%dT%H%M%SZ").to_string());
    line(out, "DTSTART;VALUE=DATE", &date(followup.due));
    line(out, "DTEND;VALUE=DATE", &date(end));
    line(out, "SUMMARY", &escape_text(&title));
    line(out, "DESCRIPTION", &escape_text(&description));
    line(out, "TRANSP", "TRANSPARENT");
    line(out, "BEGIN", "VALARM");
    line(out, "ACTION", "DISPLAY");
    let reminder = tr(
        words.lang,
        "calendar.reminder",
        &[("title", title.as_str())],
    );
    line(out, "DESCRIPTION", &escape_text(&reminder));
    line(out, "TRIGGER", &trigger(followup.remind_days_before));
    line(out, "END", "VALARM");
    line(out, "END", "VEVENT");
}

/// What the events say, in one language, from the case's (sanitised) facts.
struct Words {
    lang: Lang,
    plan: String,
    carrier: &'static str,
    hotline: &'static str,
    order: String,
    footer: String,
    requested: String,
    charged: String,
    asked: String,
    cycle: String,
}

impl Words {
    fn new(case: &CalendarCase, lang: Lang) -> Words {
        let carrier = match lang {
            Lang::Zh => case.carrier.name_zh(),
            Lang::En => case.carrier.name_en(),
        };
        let hotline = case.carrier.hotline();
        let order = text::field(&case.order, NAME_MAX);
        let footer = tr(
            lang,
            "calendar.footer",
            &[
                ("order", order.as_str()),
                ("carrier", carrier),
                ("hotline", hotline),
            ],
        );
        let facts = &case.facts;
        Words {
            lang,
            plan: text::field(&facts.plan_name, NAME_MAX),
            carrier,
            hotline,
            order,
            footer,
            requested: facts.requested_on.to_string(),
            charged: facts
                .fee_charged_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            asked: facts
                .complained_on
                .unwrap_or(facts.requested_on)
                .to_string(),
            cycle: first_fee_free_cycle(facts.effective_on).to_string(),
        }
    }

    /// The title and body of one follow-up.
    fn of(&self, followup: &FollowUp) -> (String, String) {
        let amount = followup.amount.map(|a| a.to_string()).unwrap_or_default();
        let date = followup.due.to_string();
        let last = followup.last_day.to_string();
        let since = match followup.kind {
            FollowUpKind::CarrierAnswer => &self.asked,
            FollowUpKind::AppealFeeDispute => &self.charged,
            _ => &self.requested,
        };
        let args: [(&str, &str); 10] = [
            ("plan", &self.plan),
            ("carrier", self.carrier),
            ("hotline", self.hotline),
            ("order", &self.order),
            ("amount", &amount),
            ("date", &date),
            ("last", &last),
            ("cycle", &self.cycle),
            ("since", since),
            ("days", "7"),
        ];
        let title = tr(self.lang, followup.kind.title_key(), &args);
        let mut body = tr(self.lang, followup.kind.body_key(), &args);
        if followup.kind == FollowUpKind::ReturnEquipment && followup.amount.is_some() {
            body.push(' ');
            body.push_str(&tr(self.lang, "followup.return_equipment.charge", &args));
        }
        (title, body)
    }
}

/// A UID stable per order and kind: the order's characters other than
/// letters, digits, `-`, `_` and `.` written as `%XX` bytes, so any order
/// number makes a plain, unique token.
fn uid(order: &str, kind: FollowUpKind) -> String {
    let mut out = String::new();
    for byte in order.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    format!("{out}-{}@unsubscribe-wizard", kind.id())
}

fn date(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

/// A reminder at 09:00 (floating, the calendar's own time zone) `days`
/// before an all-day event, or on its day for zero.
fn trigger(days: u32) -> String {
    match days {
        0 => "PT9H".to_owned(),
        1 => "-PT15H".to_owned(),
        n => format!("-P{}DT15H", n - 1),
    }
}

/// TEXT as RFC 5545 §3.3.11 writes it: backslash, semicolon, comma and
/// newline escaped; any other control character (there should be none left
/// after [`crate::text`]) dropped, as TEXT cannot hold one.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded, with its CRLF.
fn line(out: &mut String, name: &str, value: &str) {
    out.push_str(&fold(&format!("{name}:{value}")));
    out.push_str("\r\n");
}

/// Folds a content line (RFC 5545 §3.1): no physical line over 75 octets,
/// each continuation starting with one space, never inside a character.
pub fn fold(content: &str) -> String {
    let mut out = String::with_capacity(content.len() + content.len() / 25);
    let mut used = 0;
    for c in content.chars() {
        if used + c.len_utf8() > LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out
}

/// Writes the calendar of `order` beside its receipts ([`FILE_NAME`]) and
/// returns its path (for the Done screen).
pub fn write_calendar(
    vault: &Vault,
    order: &str,
    lang: Lang,
    stamp: DateTime<Utc>,
) -> Result<PathBuf, CalendarError> {
    let (records, _) = vault.read(order)?;
    let doc = ics(&case_of(order, &records)?, lang, stamp);
    let path = vault.chain_dir(order).join(FILE_NAME);
    crate::store::atomic::write(&path, doc.as_bytes())
        .map(|()| path.clone())
        .map_err(|source| CalendarError::Write { path, source })
}

/// `receipts calendar ORDER [--out FILE]`: the exit code.
pub fn run(vault: &Vault, order: &str, out: Option<&Path>, lang: Lang, stamp: DateTime<Utc>) -> u8 {
    let doc = match vault
        .read(order)
        .map_err(CalendarError::from)
        .and_then(|(records, _)| case_of(order, &records).map(|case| ics(&case, lang, stamp)))
    {
        Ok(doc) => doc,
        Err(e) => return fail(e),
    };
    // Not through `output::emit`: its escaping would show the CRs that
    // RFC 5545 requires; everything from outside was sanitised above.
    let Some(path) = out else {
        let _ = io::stdout().lock().write_all(doc.as_bytes());
        return 0;
    };
    if let Err(why) = check_target(path) {
        return fail(why);
    }
    match crate::store::atomic::write(path, doc.as_bytes()) {
        Ok(()) => {
            let shown = text::sanitize(&path.display().to_string()).into_owned();
            println!("{}", tr(lang, "calendar.written", &[("path", shown)]));
            0
        }
        Err(source) => fail(CalendarError::Write {
            path: path.to_owned(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_as_the_rfc_says() {
        assert_eq!(escape_text("a\\b;c,d\ne\r\u{1b}f"), "a\\\\b\\;c\\,d\\nef");
    }

    #[test]
    fn folding_keeps_lines_short_and_characters_whole() {
        let content = format!("SUMMARY:{}", "宽带".repeat(60));
        let folded = fold(&content);
        assert!(folded.split("\r\n").all(|l| l.len() <= LINE_OCTETS));
        assert!(folded.split("\r\n").skip(1).all(|l| l.starts_with(' ')));
        assert_eq!(folded.replace("\r\n ", ""), content);
        assert_eq!(fold("short"), "short");
    }

    #[test]
    fn uids_are_plain_tokens() {
        assert_eq!(
            uid("CT2026;x,é", FollowUpKind::StopUsing),
            "CT2026%3Bx%2C%C3%A9-stop_using@unsubscribe-wizard"
        );
    }

    /// Every key a follow-up or the calendar names exists in both
    /// languages, and the arguments given fill every placeholder.
    #[test]
    fn every_word_exists_and_is_filled() {
        use crate::core::followup::FollowUp;
        let case = CalendarCase {
            order: "CT1".into(),
            carrier: CarrierId::ChinaTelecom,
            facts: CaseFacts {
                effective_on: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                plan_name: "宽带".into(),
                monthly_fee: Fen(19900),
                equipment: Some(Equipment {
                    unreturned_fee: Fen(10000),
                }),
                requested_on: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                complained_on: None,
                fee_charged_on: NaiveDate::from_ymd_opt(2026, 11, 25),
            },
        };
        for lang in [Lang::Zh, Lang::En] {
            let words = Words::new(&case, lang);
            for kind in FollowUpKind::ALL {
                for key in [kind.title_key(), kind.body_key()] {
                    assert!(crate::ui::i18n::has(lang, key), "{lang:?} lacks {key}");
                }
                let followup = FollowUp {
                    kind,
                    due: case.facts.effective_on,
                    last_day: case.facts.effective_on,
                    remind_days_before: 1,
                    amount: Some(Fen(100)),
                };
                let (title, body) = words.of(&followup);
                assert!(
                    !title.contains('{') && !body.contains('{'),
                    "{title} {body}"
                );
            }
            let doc = ics(&case, lang, Utc::now());
            assert!(!doc.contains('{') && !doc.contains("calendar."), "{doc}");
        }
    }

    proptest::proptest! {
        /// Any text, escaped and folded, stays within 75 octets a line,
        /// unfolds to itself, and holds no raw control character.
        #[test]
        fn any_text_folds_within_the_limit(value in "\\PC{0,300}|[\\x00-\\x7f]{0,300}") {
            let content = format!("DESCRIPTION:{}", escape_text(&value));
            let folded = fold(&content);
            for physical in folded.split("\r\n") {
                proptest::prop_assert!(physical.len() <= LINE_OCTETS);
                proptest::prop_assert!(!physical.chars().any(char::is_control));
            }
            proptest::prop_assert_eq!(folded.replace("\r\n ", ""), content);
        }
    }

    #[test]
    fn reminders_come_the_morning_before() {
        assert_eq!(trigger(0), "PT9H");
        assert_eq!(trigger(1), "-PT15H");
        assert_eq!(trigger(7), "-P6DT15H");
    }
}
