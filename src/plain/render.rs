//! The lines of the current step, as short sentences: the heading with its
//! number, what matters on it, fees one per line with the total last. Pure:
//! a function of the state and the language. Every carrier or person text
//! goes through `crate::text`, so no escape byte can reach the output.

use chrono::NaiveDate;

use super::form::Form;
use super::words::{self, t, tr};
use crate::core::error::CarrierError;
use crate::core::flow::{Mode, State, Step, SubmitPhase};
use crate::core::model::{FeeKind, Outcome, PaymentState, PlanKind};
use crate::text::sanitize;
use crate::ui::Lang;

/// The step's lines: its heading first. `form` is what the dialogue has
/// collected within the step; `today` (China time) dates the fee estimate.
pub fn lines(state: &State, form: &Form, lang: Lang, today: NaiveDate) -> Vec<String> {
    let step = state.step.name().unwrap_or(state.last_step);
    let mut out = vec![words::heading(lang, state.mode, step)];
    if state.mode == Mode::Guided && !matches!(state.step, Step::Blocked { .. }) {
        out.extend(super::guided::lines(state, form, lang, today));
        return out;
    }
    match &state.step {
        Step::Login { problem, .. } => {
            if let Some(msisdn) = state.facts.msisdn().filter(|_| has_code(state)) {
                out.push(tr(lang, "plain.code_sent", &[("number", msisdn.as_str())]));
            }
            out.extend(problem.as_ref().map(|p| problem_words(state, lang, p)));
        }
        Step::SelectPlan { problem } => {
            plans(state, lang, &mut out);
            out.extend(problem.as_ref().map(|p| problem_words(state, lang, p)));
        }
        Step::Submit { phase, problem } => {
            submit(state, *phase, lang, &mut out);
            out.extend(problem.as_ref().map(|p| problem_words(state, lang, p)));
        }
        Step::Pay { problem } => {
            pay(state, lang, &mut out);
            out.extend(problem.as_ref().map(|p| problem_words(state, lang, p)));
        }
        Step::Await { stalled, problem } => {
            awaiting(state, *stalled, lang, &mut out);
            out.extend(problem.as_ref().map(|p| problem_words(state, lang, p)));
        }
        Step::Terminated { outcome } => done(state, *outcome, lang, &mut out),
        Step::Blocked { error, remedy, .. } => blocked(error, remedy, lang, &mut out),
    }
    out
}

fn has_code(state: &State) -> bool {
    matches!(
        state.step,
        Step::Login {
            code_sent_at: Some(_),
            ..
        }
    )
}

/// The words of a refusal shown inline on a step.
fn problem_words(state: &State, lang: Lang, kind: &crate::core::error::ErrorKind) -> String {
    let hotline = state.carrier().map(|c| c.hotline()).unwrap_or("");
    tr(lang, kind.message_key(), &[("hotline", hotline)])
}

fn plans(state: &State, lang: Lang, out: &mut Vec<String>) {
    let Some(account) = &state.facts.choice.account else {
        return;
    };
    out.push(tr(
        lang,
        "plans.balance",
        &[("amount", account.balance.to_string())],
    ));
    for (i, plan) in account.plans.iter().enumerate() {
        let end = match plan.contract_end {
            Some(day) => tr(lang, "plans.contract_until", &[("date", day.to_string())]),
            None => t(lang, "plans.no_contract_note"),
        };
        let status = if plan.is_cancellable() {
            t(lang, "plans.can_cancel")
        } else {
            t(lang, "plans.cannot_cancel")
        };
        out.push(format!(
            "{}. {} · {} · {} · {} · {}",
            i + 1,
            sanitize(&plan.name),
            t(lang, kind_key(plan.kind)),
            tr(
                lang,
                "submit.per_month",
                &[("fee", plan.monthly_fee.to_string())]
            ),
            end,
            status
        ));
    }
    if crate::commands::status::nothing_cancellable(&state.facts).is_some() {
        let hotline = state.carrier().map(|c| c.hotline()).unwrap_or("");
        out.push(t(lang, "plans.nothing_cancellable"));
        out.push(tr(
            lang,
            "plans.nothing_cancellable_todo",
            &[("hotline", hotline)],
        ));
    }
}

fn kind_key(kind: PlanKind) -> &'static str {
    match kind {
        PlanKind::Broadband => "plan.kind.broadband",
        PlanKind::DataPack => "plan.kind.data_pack",
        PlanKind::Bundle => "plan.kind.bundle",
    }
}

fn fee_key(kind: FeeKind) -> &'static str {
    match kind {
        FeeKind::Penalty => "fee.penalty",
        FeeKind::Equipment => "fee.equipment",
        FeeKind::Arrears => "fee.arrears",
        FeeKind::Refund => "fee.refund",
    }
}

/// The quote: plan, each fee on its own line, the total last, the date.
fn quote(state: &State, lang: Lang, out: &mut Vec<String>) {
    let choice = &state.facts.choice;
    if let Some(plan) = &choice.plan {
        out.push(tr(lang, "submit.plan", &[("name", sanitize(&plan.name))]));
    }
    let Some(quote) = &choice.quote else {
        return;
    };
    out.push(t(lang, "submit.quote_title"));
    if quote.items.is_empty() {
        out.push(t(lang, "submit.no_fees"));
    }
    for item in &quote.items {
        out.push(format!(
            "{}: {} {}",
            t(lang, fee_key(item.kind)),
            sanitize(&item.label),
            item.amount
        ));
    }
    out.push(format!("{}: {}", t(lang, "submit.total"), quote.total));
    let day = quote.effective_date.to_string();
    out.push(tr(lang, "submit.effective_on", &[("date", day)]));
    if let Some(offer) = &quote.retention {
        out.push(t(lang, "submit.retention_title"));
        out.push(format!(
            "{}{}",
            t(lang, "submit.retention_offer"),
            sanitize(&offer.description)
        ));
        let fee = tr(
            lang,
            "submit.per_month",
            &[("fee", offer.monthly_fee.to_string())],
        );
        out.push(format!("{}{}", t(lang, "submit.retention_fee"), fee));
    }
}

fn submit(state: &State, phase: SubmitPhase, lang: Lang, out: &mut Vec<String>) {
    match phase {
        SubmitPhase::Quoting => out.push(t(lang, "submit.quoting")),
        SubmitPhase::Review => quote(state, lang, out),
        SubmitPhase::Confirming => {
            quote(state, lang, out);
            out.push(t(lang, "submit.summary_title"));
            if let Some(form) = &state.facts.application {
                let reason = t(lang, form.reason.label_key());
                for (key, value) in [
                    ("summary.name", sanitize(&form.holder_name).into_owned()),
                    ("summary.id", form.id_masked.clone()),
                    ("summary.contact", form.contact_masked.clone()),
                    ("summary.reason", reason),
                ] {
                    out.push(format!("{}: {}", t(lang, key), value));
                }
            }
        }
        SubmitPhase::Sending => out.push(t(lang, "submit.sending")),
    }
}

fn pay(state: &State, lang: Lang, out: &mut Vec<String>) {
    let progress = &state.facts.progress;
    let due = progress.order.as_ref().and_then(|o| o.amount_due);
    if let Some(due) = due.or(state.facts.choice.confirmed_total) {
        out.push(format!("{}{}", t(lang, "pay.due"), due));
    }
    if let Some(account) = &state.facts.choice.account {
        out.push(tr(
            lang,
            "plans.balance",
            &[("amount", account.balance.to_string())],
        ));
    }
    if let Some(payment) = &progress.payment
        && payment.state == PaymentState::Pending
    {
        if let Some(url) = &payment.pay_url {
            let app = t(lang, crate::ui::screens::pay::method_key(payment.method));
            out.push(tr(lang, "plain.qr_note", &[("app", app)]));
            out.push(sanitize(url).into_owned());
        }
        out.push(t(lang, "pay.waiting"));
    }
}

fn awaiting(state: &State, stalled: bool, lang: Lang, out: &mut Vec<String>) {
    out.push(t(lang, "await.processing"));
    if let Some(order) = state.facts.order() {
        out.push(tr(lang, "await.order", &[("id", sanitize(&order.id))]));
    }
    for notice in &state.facts.progress.notices {
        out.push(tr(
            lang,
            "plain.notice",
            &[("text", sanitize(&notice.text))],
        ));
    }
    if stalled {
        out.push(t(lang, "await.not_confirmed"));
        let hotline = state.carrier().map(|c| c.hotline()).unwrap_or("");
        let order = state
            .facts
            .order()
            .map(|o| sanitize(&o.id).into_owned())
            .unwrap_or_default();
        out.push(tr(
            lang,
            "await.call",
            &[("hotline", hotline.to_owned()), ("order", order)],
        ));
    }
}

fn done(state: &State, outcome: Outcome, lang: Lang, out: &mut Vec<String>) {
    let name = state
        .facts
        .plan()
        .map(|p| sanitize(&p.name).into_owned())
        .unwrap_or_default();
    let key = match outcome {
        Outcome::Cancelled => "done.cancelled",
        Outcome::RetentionAccepted => "done.retention",
    };
    out.push(tr(lang, key, &[("name", name)]));
    if let Some(id) = state.facts.case_id() {
        out.push(format!("{}: {}", t(lang, "done.order"), sanitize(id)));
    }
    if let Some(paid) = state.facts.progress.paid {
        out.push(format!("{}: {}", t(lang, "done.paid"), paid));
    }
    for notice in &state.facts.progress.notices {
        out.push(tr(
            lang,
            "plain.notice",
            &[("text", sanitize(&notice.text))],
        ));
    }
}

fn blocked(error: &CarrierError, remedy: &str, lang: Lang, out: &mut Vec<String>) {
    let hotline = error.hotline();
    let carrier = match lang {
        Lang::Zh => error.carrier.name_zh(),
        Lang::En => error.carrier.name_en(),
    };
    let args = [("hotline", hotline), ("carrier", carrier)];
    out.push(tr(lang, error.kind.message_key(), &args));
    let cause = crate::ui::screens::blocked::cause_key(&error.kind);
    out.push(format!(
        "{}{}",
        t(lang, "blocked.why"),
        tr(lang, &cause, &args)
    ));
    out.push(format!(
        "{}{}",
        t(lang, "blocked.todo"),
        tr(lang, remedy, &args)
    ));
    out.push(format!(
        "{}{}",
        t(lang, "blocked.hotline"),
        tr(lang, "blocked.hotline_text", &args)
    ));
}
