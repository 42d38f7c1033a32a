//! `sms parse`: one carrier message from standard input, read by the pure
//! parser ([`crate::core::sms`]), printed as the JSON of
//! `docs/GUIDED-MODE.md` or as a short summary in the wizard's language.
//! Exit 0 whenever a message was read, whatever it says; 2 when the input
//! cannot be read.

use std::io::Read;

use chrono::{NaiveDate, Utc};

use super::output::{emit, warn};
use crate::cli::{CarrierArg, SmsAction};
use crate::core::model::CarrierId;
use crate::core::sms::{self, Context, Kind, Missing, Parsed};
use crate::text;
use crate::ui::Lang;
use crate::ui::i18n::{t, tr};

/// The largest message read from standard input (a real SMS, even many
/// joined, is a few KiB).
pub const MAX_INPUT_BYTES: usize = 64 * 1024;
/// Exit code for input that cannot be used (too large, not UTF-8, unreadable).
pub const EXIT_USAGE: u8 = 2;

impl From<CarrierArg> for CarrierId {
    fn from(arg: CarrierArg) -> Self {
        match arg {
            CarrierArg::ChinaMobile => CarrierId::ChinaMobile,
            CarrierArg::ChinaUnicom => CarrierId::ChinaUnicom,
            CarrierArg::ChinaTelecom => CarrierId::ChinaTelecom,
        }
    }
}

/// `sms …`.
pub fn run(action: SmsAction, lang: Lang) -> u8 {
    match action {
        SmsAction::Parse {
            carrier,
            from,
            received,
            json,
        } => {
            let message = match read_message(std::io::stdin().lock()) {
                Ok(m) => m,
                Err(why) => {
                    warn(why);
                    return EXIT_USAGE;
                }
            };
            let ctx = Context {
                carrier: carrier.map(CarrierId::from),
                from,
                received: received.unwrap_or_else(today_in_china),
            };
            let parsed = sms::parse(&message, &ctx);
            let out = if json {
                to_json(&parsed)
            } else {
                summary(&parsed, ctx.from.as_deref(), lang)
            };
            emit(&out, None)
        }
    }
}

/// Today in China (+08:00), the default received day.
fn today_in_china() -> NaiveDate {
    crate::core::time::china_date(Utc::now())
}

/// One message from `input`: at most [`MAX_INPUT_BYTES`], UTF-8.
pub fn read_message(input: impl Read) -> Result<String, String> {
    let mut bytes = Vec::new();
    input
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the message from standard input: {e}"))?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "the message is larger than {} KiB; paste one SMS (or the parts of one) at a time",
            MAX_INPUT_BYTES / 1024
        ));
    }
    String::from_utf8(bytes).map_err(|_| {
        "the message is not UTF-8 text; copy it from the phone as text, or convert the file to UTF-8".to_owned()
    })
}

/// The JSON object of `docs/GUIDED-MODE.md`, every unsafe character escaped.
pub fn to_json(parsed: &Parsed) -> String {
    text::json(&serde_json::to_string_pretty(parsed).unwrap_or_default()) + "\n"
}

/// The longest carrier text shown in a summary line.
const SHOWN_CHARS: usize = 40;

/// A few lines: what the message is, what it names, and what to do or not do.
pub fn summary(parsed: &Parsed, from: Option<&str>, lang: Lang) -> String {
    let mut lines = vec![tr(
        lang,
        "sms.kind_line",
        &[(
            "kind",
            t(lang, &format!("sms.kind.{}", parsed.kind.as_str())),
        )],
    )];
    let carrier = parsed.carrier.map_or_else(
        || t(lang, "sms.unknown"),
        |c| match lang {
            Lang::Zh => c.name_zh().to_owned(),
            Lang::En => c.name_en().to_owned(),
        },
    );
    lines.push(tr(lang, "sms.carrier_line", &[("carrier", carrier)]));
    if let (Some(official), Some(from)) = (parsed.official_sender, from) {
        let key = if official {
            "sms.sender_official"
        } else {
            "sms.sender_unofficial"
        };
        lines.push(tr(lang, key, &[("from", text::field(from, 24))]));
    }
    for p in &parsed.products {
        let key = p
            .key
            .as_ref()
            .map_or_else(String::new, |k| format!("{}. ", text::field(k, 4)));
        let fee = p.monthly_fee_fen.map_or_else(String::new, |f| {
            format!(
                " — {}",
                tr(lang, "sms.per_month", &[("fee", f.to_string())])
            )
        });
        lines.push(format!("  {key}{}{fee}", text::field(&p.name, SHOWN_CHARS)));
    }
    lines.extend(dated(parsed, lang));
    if let Some(amount) = parsed.amount_fen {
        lines.push(tr(lang, "sms.amount", &[("amount", amount.to_string())]));
    }
    if let Some(order) = &parsed.order_no {
        lines.push(tr(
            lang,
            "sms.order_no",
            &[("order", text::field(order, 64))],
        ));
    }
    lines.extend(reply_line(parsed, lang));
    for m in &parsed.missing {
        lines.push(t(
            lang,
            match m {
                Missing::Price => "sms.missing.price",
                Missing::EffectiveDate => "sms.missing.effective_date",
            },
        ));
    }
    lines.push(t(lang, &format!("sms.advice.{}", parsed.kind.as_str())));
    lines.join("\n") + "\n"
}

/// The effective-date lines.
fn dated(parsed: &Parsed, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(date) = parsed.effective_date {
        lines.push(tr(
            lang,
            "sms.effective",
            &[("date", date.format("%Y-%m-%d").to_string())],
        ));
    }
    if let Some(note) = &parsed.effective_note {
        lines.push(tr(
            lang,
            "sms.effective_note",
            &[("note", text::field(note, SHOWN_CHARS))],
        ));
    }
    lines
}

/// What to reply, to whom, before when — only ever for a cancellation.
fn reply_line(parsed: &Parsed, lang: Lang) -> Option<String> {
    let reply = parsed.reply.as_ref()?;
    let mut line = match (&reply.text, parsed.kind) {
        (Some(text_to_send), _) => tr(
            lang,
            "sms.reply",
            &[
                ("text", text::field(text_to_send, 16)),
                ("to", text::field(&reply.to, 20)),
            ],
        ),
        (None, Kind::ServiceList) => {
            tr(lang, "sms.reply_key", &[("to", text::field(&reply.to, 20))])
        }
        (None, _) => return None,
    };
    if let Some(minutes) = reply.deadline_minutes {
        line.push_str(&tr(
            lang,
            "sms.reply_deadline",
            &[("minutes", minutes.to_string())],
        ));
    }
    Some(line)
}
