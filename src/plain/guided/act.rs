//! Step 3 in lines: every step of the channel with its number or command,
//! its note and alternatives, a mark on what only a low-reliability source
//! reports, and each `SMSTO:` / `tel:` as text where the full screen shows a
//! QR code. The channel's data is the build-checked `core::channels`.

use super::channel_key;
use crate::core::channels::{self, Channel, Reliability, Step};
use crate::core::flow::guided::GuidedCase;
use crate::core::model::CarrierId;
use crate::plain::words::{t, tr};
use crate::text::sanitize;
use crate::ui::Lang;

/// The instruction for the case's channel, then the reply the carrier asks
/// for (a list's key, or a confirmation prompt's text).
pub fn lines(carrier: CarrierId, case: &GuidedCase, lang: Lang, out: &mut Vec<String>) {
    let guide = channels::guide(carrier, case.kind);
    let name = t(lang, channel_key(case.channel));
    out.push(tr(lang, "plain.through", &[("channel", name)]));
    for (i, step) in guide.steps(case.channel).iter().enumerate() {
        out.push(format!("{}. {}", i + 1, step.text(lang)));
        details(step, case.channel, lang, out);
        if let Some(note) = step.note(lang) {
            out.push(tr(lang, "plain.step_note", &[("text", note)]));
        }
        for other in step.alternatives() {
            out.push(tr(lang, "plain.step_or", &[("text", other.text(lang))]));
            details(other, case.channel, lang, out);
        }
    }
    for limit in guide.cannot(case.channel) {
        out.push(tr(lang, "plain.step_limit", &[("text", limit.text(lang))]));
    }
    reply(case, lang, out);
}

/// A step's number and command, as the channel uses them.
fn details(step: &Step, channel: Channel, lang: Lang, out: &mut Vec<String>) {
    match (step.number(), step.command(), channel) {
        (Some(number), Some(command), Channel::Sms) => {
            let args = [("command", command), ("number", number)];
            out.push(tr(lang, "plain.step_send", &args));
            qr(&format!("SMSTO:{number}:{command}"), lang, out);
        }
        (number, command, _) => {
            if let Some(number) = number {
                if channel == Channel::Sms {
                    out.push(tr(lang, "plain.step_number", &[("number", number)]));
                } else {
                    out.push(tr(lang, "plain.step_call", &[("number", number)]));
                    qr(&format!("tel:{number}"), lang, out);
                }
            }
            if let Some(command) = command {
                let key = match channel {
                    Channel::App => "plain.step_path",
                    Channel::Hotline => "plain.step_say",
                    Channel::Sms | Channel::Hall => "plain.step_exact",
                };
                out.push(tr(lang, key, &[("command", command)]));
            }
        }
    }
    if step.origin().reliability() == Reliability::Low {
        out.push(t(lang, "plain.step_low"));
    }
}

/// A QR code's text, with the note that the full screen shows it as a code.
pub fn qr(text: &str, lang: Lang, out: &mut Vec<String>) {
    out.push(tr(lang, "plain.qr_text", &[("text", sanitize(text))]));
}

/// The reply the carrier asked for, to whom, before when.
fn reply(case: &GuidedCase, lang: Lang, out: &mut Vec<String>) {
    let Some(reply) = &case.reply else {
        return;
    };
    // A list's reply is the key of the package picked.
    let key = case.package.as_ref().and_then(|p| p.key.clone());
    let Some(text) = reply.text.clone().or(key) else {
        return;
    };
    let (to, text) = (sanitize(&reply.to), sanitize(&text));
    let mut said = tr(
        lang,
        "sms.reply",
        &[("text", text.as_ref()), ("to", to.as_ref())],
    );
    if let Some(minutes) = reply.deadline_minutes {
        said.push_str(&tr(
            lang,
            "sms.reply_deadline",
            &[("minutes", minutes.to_string())],
        ));
    }
    out.push(said);
    qr(&format!("SMSTO:{to}:{text}"), lang, out);
}
