//! What each guided step shows, as short lines: pure, a function of the
//! state, the dialogue's draft, the language and today's date (for the
//! fee estimate). Carrier and person text goes through `crate::text`.

use chrono::NaiveDate;

use super::{Ask, Draft, act, carrier_name, channel_key};
use crate::core::channels::{self, Channel, Kind};
use crate::core::fees::Fen;
use crate::core::flow::guided::{GuidedCase, Source, Verdict};
use crate::core::flow::{State, Step};
use crate::core::model::CarrierId;
use crate::core::sms::Missing;
use crate::plain::form::Form;
use crate::plain::words::{t, tr};
use crate::text::sanitize;
use crate::ui::Lang;

/// The lines of the current guided step (after its heading).
pub fn lines(state: &State, form: &Form, lang: Lang, today: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let draft = &form.guided;
    let (Some(line), Some(case)) = (&state.facts.line, &state.facts.guided) else {
        identify(draft, lang, &mut out);
        return out;
    };
    let carrier = line.carrier;
    if !matches!(state.step, Step::Login { .. }) {
        out.push(tr(lang, "plain.case", &[("id", sanitize(&case.case_id))]));
    }
    match &state.step {
        Step::Login { .. } => identify(draft, lang, &mut out),
        Step::SelectPlan { .. } => package(case, lang, &mut out),
        Step::Submit { .. } => {
            chosen(case, lang, &mut out);
            act::lines(carrier, case, lang, &mut out);
            refusal(case, lang, &mut out);
        }
        Step::Pay { .. } => {
            chosen(case, lang, &mut out);
            fees(case, lang, today, &mut out);
        }
        Step::Await { .. } => {
            chosen(case, lang, &mut out);
            awaiting(case, lang, &mut out);
            refusal(case, lang, &mut out);
        }
        // A guided case blocks only when abandoned: `render` shows that.
        Step::Terminated { .. } | Step::Blocked { .. } => done(carrier, case, lang, &mut out),
    }
    if draft.entry == Some(Ask::OtherChannel) {
        channel_list(carrier, case.kind, lang, &mut out);
    }
    out
}

/// Step 1: no secret is asked for; the carrier the prefix suggests; the
/// channels for the kind, the recommended one first said with why.
fn identify(draft: &Draft, lang: Lang, out: &mut Vec<String>) {
    out.push(t(lang, "plain.no_secrets"));
    let Some((_, carrier)) = draft.line else {
        return;
    };
    if !draft.carrier_confirmed {
        let name = carrier_name(carrier, lang);
        out.push(tr(lang, "plain.carrier_guess", &[("carrier", name)]));
    }
    if let (true, Some(kind)) = (draft.carrier_confirmed, draft.kind) {
        let guide = channels::guide(carrier, kind);
        let channel = t(lang, channel_key(guide.recommended()));
        out.push(tr(
            lang,
            "plain.recommended",
            &[
                ("channel", channel.as_str()),
                ("reason", guide.reason(lang)),
            ],
        ));
        channel_list(carrier, kind, lang, out);
    }
}

/// Every channel with its number; one that cannot do it says why.
fn channel_list(carrier: CarrierId, kind: Kind, lang: Lang, out: &mut Vec<String>) {
    let guide = channels::guide(carrier, kind);
    for (i, channel) in Channel::ALL.into_iter().enumerate() {
        let n = (i + 1).to_string();
        let name = t(lang, channel_key(channel));
        if guide.steps(channel).is_empty() {
            let why: Vec<&str> = guide.cannot(channel).iter().map(|l| l.text(lang)).collect();
            let args = [("n", n), ("channel", name), ("why", why.join(" "))];
            out.push(tr(lang, "plain.channel_cannot", &args));
        } else {
            let key = if channel == guide.recommended() {
                "plain.channel_recommended"
            } else {
                "plain.channel_choice"
            };
            out.push(tr(lang, key, &[("n", n), ("channel", name)]));
        }
    }
}

/// Step 2: the packages of the pasted lists, or how to get one.
fn package(case: &GuidedCase, lang: Lang, out: &mut Vec<String>) {
    if case.listed.is_empty() {
        out.push(t(lang, "plain.how_list"));
        return;
    }
    for (i, product) in case.listed.iter().enumerate() {
        let fee = product
            .monthly_fee_fen
            .map(|f| tr(lang, "sms.per_month", &[("fee", f.to_string())]))
            .unwrap_or_default();
        out.push(format!("{}. {} {}", i + 1, sanitize(&product.name), fee));
    }
    out.push(t(lang, "sms.advice.service_list"));
}

/// The package being cancelled.
fn chosen(case: &GuidedCase, lang: Lang, out: &mut Vec<String>) {
    if let Some(package) = &case.package {
        out.push(tr(
            lang,
            "submit.plan",
            &[("name", sanitize(&package.name))],
        ));
    }
    if let Some(reference) = case.reference() {
        let reference = sanitize(reference);
        out.push(tr(lang, "plain.reference", &[("reference", reference)]));
    }
}

/// A refusal in the carrier's words, and the way on: another channel.
fn refusal(case: &GuidedCase, lang: Lang, out: &mut Vec<String>) {
    if let (true, Some(failure)) = (case.refused(), &case.failure) {
        out.push(tr(lang, "plain.refused", &[("text", sanitize(failure))]));
    }
}

/// Step 4: the wizard's estimate (labelled so), what the carrier quoted
/// (each amount on its line, the total last), and a gap flagged.
fn fees(case: &GuidedCase, lang: Lang, today: NaiveDate, out: &mut Vec<String>) {
    if case.confirmation.is_some() {
        out.push(t(lang, "plain.verdict.confirmed"));
    }
    match case.estimate(today) {
        Some(estimate) => out.push(tr(
            lang,
            "plain.estimate",
            &[("amount", estimate.to_string())],
        )),
        None => out.push(t(lang, "plain.no_estimate")),
    }
    if let Some(offer) = case.quote_from_last_text() {
        let amount = offer.penalty.to_string();
        out.push(tr(lang, "plain.fee_in_text", &[("amount", amount)]));
    }
    let Some(quoted) = &case.quoted else {
        return;
    };
    out.push(t(lang, "plain.quoted"));
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
    if let Some(day) = quoted.effective_date {
        out.push(tr(
            lang,
            "submit.effective_on",
            &[("date", day.to_string())],
        ));
    }
    if let Some(gap) = case.gap(today) {
        out.push(tr(lang, "plain.gap", &[("amount", gap.to_string())]));
    }
}

/// Step 5: since when it waits, and what to do while it does.
fn awaiting(case: &GuidedCase, lang: Lang, out: &mut Vec<String>) {
    let name = t(lang, channel_key(case.channel));
    out.push(tr(lang, "plain.through_now", &[("channel", name)]));
    if let Some(since) = case.waiting_since() {
        let day = crate::core::flow::guided::china_date(since).to_string();
        out.push(tr(lang, "plain.waiting", &[("date", day)]));
    }
}

/// Step 6: the end, whose word it rests on, what it lacks, and after-care.
fn done(carrier: CarrierId, case: &GuidedCase, lang: Lang, out: &mut Vec<String>) {
    let Some(confirmation) = &case.confirmation else {
        return;
    };
    let name = case
        .package
        .as_ref()
        .map(|p| sanitize(&p.name).into_owned())
        .unwrap_or_default();
    out.push(tr(lang, "plain.done_cancelled", &[("name", name)]));
    let id = sanitize(&case.case_id);
    match confirmation.source {
        Source::CarrierText => out.push(t(lang, "plain.by_text")),
        Source::Statement => out.push(tr(lang, "plain.by_word", &[("id", id.as_ref())])),
    }
    if let Some(reference) = case.reference() {
        let reference = sanitize(reference);
        out.push(tr(lang, "plain.reference", &[("reference", reference)]));
    }
    if let Some(day) = confirmation.effective_date {
        out.push(tr(
            lang,
            "submit.effective_on",
            &[("date", day.to_string())],
        ));
    }
    for missing in &confirmation.missing {
        out.push(t(lang, missing_key(*missing)));
    }
    out.push(t(lang, "done.next"));
    out.push(t(lang, "done.remind_stop"));
    out.push(t(lang, "done.remind_bill"));
    if case.kind == Kind::Broadband {
        let hotline = [("hotline", carrier.hotline())];
        out.push(tr(lang, "done.remind_equipment", &hotline));
    }
    out.push(t(lang, "done.remind_keep"));
    out.push(tr(lang, "plain.receipts", &[("id", id.as_ref())]));
}

fn missing_key(missing: Missing) -> &'static str {
    match missing {
        Missing::Price => "sms.missing.price",
        Missing::EffectiveDate => "sms.missing.effective_date",
    }
}

/// What the text just pasted meant, to say once after it.
pub fn verdict(state: &State, lang: Lang) -> Option<String> {
    let verdict = state.facts.guided.as_ref()?.verdict?;
    let key = match verdict {
        Verdict::Listed => "plain.verdict.listed",
        Verdict::ReplyAsked => "plain.verdict.reply_asked",
        Verdict::Accepted => "plain.verdict.accepted",
        Verdict::Confirmed => "plain.verdict.confirmed",
        Verdict::OtherPackage => "guided.verdict.other_package",
        Verdict::Failed => "plain.verdict.failed",
        Verdict::FeeRead => "plain.verdict.fee_read",
        Verdict::OptOutOnly => "plain.verdict.opt_out_only",
        Verdict::Marketing => "plain.verdict.marketing",
        Verdict::LoginCode => "plain.verdict.login_code",
        Verdict::Unread => "plain.verdict.unread",
    };
    Some(t(lang, key))
}
