//! `unsubscribe-wizard status [ORDER] [--json]`: where every (or one)
//! cancellation stands, from the journal, without the interactive wizard.
//!
//! Every case also lists its follow-ups still open (check the first bill,
//! return the equipment, the carrier's answer…), overdue first.
//!
//! Exit codes: 0 all done, 3 one in progress or a follow-up due, 4 one
//! blocked, 1 error —
//! including a journal file that cannot be read, which may be an order
//! still awaiting payment.

use serde::Serialize;

use crate::core::flow::guided::GuidedCase;
use crate::core::flow::{Facts, Mode, State, Step};
use crate::core::model::{BlockReason, Fen, Outcome};
use crate::store::journal::SetAside;

/// Exit code: every cancellation shown is finished.
pub const EXIT_DONE: u8 = 0;
/// Exit code: at least one is still in progress.
pub const EXIT_IN_PROGRESS: u8 = 3;
/// Exit code: at least one is blocked (and none in progress).
pub const EXIT_BLOCKED: u8 = 4;

/// One cancellation's state, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The order number, if there is one.
    pub order: Option<String>,
    /// The carrier's name.
    pub carrier: Option<String>,
    /// The number, masked.
    pub number: Option<String>,
    /// The plan.
    pub plan: Option<String>,
    /// `done`, `in_progress` or `blocked`.
    pub state: &'static str,
    /// The step, in words.
    pub step: String,
    /// The quote's total, if known.
    pub total: Option<String>,
    /// When it last changed (RFC 3339, Beijing time).
    pub updated: String,
    /// `guided` or `api`.
    pub mode: &'static str,
    /// What a guided case waits for, when it waits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_for: Option<&'static str>,
    /// Since when it waits (RFC 3339, Beijing time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_since: Option<String>,
    /// The carrier's 受理 reference of a guided case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// What is still to do or check after the cancellation, overdue first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub followups: Vec<super::followups::Reminder>,
}

/// Condenses a journalled state into a line.
pub fn line(state: &State) -> Line {
    if let (Mode::Guided, Some(case)) = (state.mode, &state.facts.guided) {
        return guided_line(state, case);
    }
    let f = &state.facts;
    let (class, step) = match &state.step {
        Step::Terminated {
            outcome: Outcome::Cancelled,
        } => ("done", "cancelled".to_owned()),
        Step::Terminated {
            outcome: Outcome::RetentionAccepted,
        } => ("done", "retention offer accepted".to_owned()),
        Step::Blocked {
            error, retry: None, ..
        } => (
            "blocked",
            format!("blocked: {} (call {})", error.kind, error.hotline()),
        ),
        Step::Blocked { error, .. } => ("in_progress", format!("interrupted: {}", error.kind)),
        Step::Login { .. } => ("in_progress", "logging in".to_owned()),
        Step::SelectPlan { .. } if state.pending.is_none() => match nothing_cancellable(f) {
            Some(why) => ("done", why),
            None => ("in_progress", "choosing a plan".to_owned()),
        },
        Step::SelectPlan { .. } => ("in_progress", "choosing a plan".to_owned()),
        Step::Submit { .. } => ("in_progress", "reviewing the quote".to_owned()),
        Step::Pay { .. } => ("in_progress", "paying the fees".to_owned()),
        Step::Await { stalled: true, .. } => (
            "in_progress",
            "awaiting confirmation (past the carrier's expected time)".to_owned(),
        ),
        Step::Await { .. } => ("in_progress", "awaiting confirmation".to_owned()),
    };
    Line {
        order: f.progress.order.as_ref().map(|o| o.id.clone()),
        carrier: f.carrier().map(|c| c.name_en().to_owned()),
        number: f.msisdn().map(|m| m.masked()),
        plan: f.choice.plan.as_ref().map(|p| p.name.clone()),
        state: class,
        step,
        // A plan change (the retention offer taken) owes nothing.
        total: match f.choice.retention_accepted {
            Some(true) => Some(format!("{} (plan change, not a cancellation)", Fen::ZERO)),
            _ => f.choice.quote.as_ref().map(|q| q.total.to_string()),
        },
        updated: rfc3339(state.updated_at),
        mode: "api",
        waiting_for: None,
        waiting_since: None,
        reference: None,
        followups: Vec::new(),
    }
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    super::summary::beijing(at).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// A guided case: which step, and what it waits for since when — the
/// person, or the carrier.
fn guided_line(state: &State, case: &GuidedCase) -> Line {
    let f = &state.facts;
    let channel = super::guided_export::channel_label(case.channel);
    let (class, step, waiting_for) = match &state.step {
        Step::Terminated { .. } => ("done", "cancelled (confirmed)".to_owned(), None),
        Step::Blocked { error, .. } => (
            "blocked",
            format!("stopped: {} (call {})", error.kind, error.hotline()),
            None,
        ),
        Step::Login { .. } => ("in_progress", "identifying the line".to_owned(), None),
        Step::SelectPlan { .. } => (
            "in_progress",
            "choosing the package: paste the carrier's list or type it".to_owned(),
            None,
        ),
        Step::Submit { .. } if case.refused() => (
            "in_progress",
            format!("refused through {channel}: choose another channel"),
            None,
        ),
        Step::Submit { .. } => (
            "in_progress",
            format!("to do through {channel}, then paste the reply"),
            case.reply
                .as_ref()
                .map(|_| "your reply to the carrier's prompt"),
        ),
        Step::Pay { .. } => (
            "in_progress",
            "recording what the carrier quoted".to_owned(),
            None,
        ),
        Step::Await { .. } => (
            "in_progress",
            "awaiting the carrier's confirmation text".to_owned(),
            Some(if case.acceptance.is_some() {
                "the confirmation SMS (accepted 已受理)"
            } else {
                "the carrier's answer"
            }),
        ),
    };
    let since = waiting_for.and(case.waiting_since().or(Some(state.updated_at)));
    Line {
        order: Some(case.case_id.clone()),
        carrier: f.carrier().map(|c| c.name_en().to_owned()),
        number: f.msisdn().map(|m| m.masked()),
        plan: case.package.as_ref().map(|p| p.name.clone()),
        state: class,
        step,
        total: case
            .quoted
            .and_then(|q| q.total())
            .map(|t| format!("{t} (as the carrier quoted; paid to the carrier directly)")),
        updated: rfc3339(state.updated_at),
        mode: "guided",
        waiting_for,
        waiting_since: since.map(rfc3339),
        reference: case.reference().map(str::to_owned),
        followups: Vec::new(),
    }
}

/// When the account's plans are listed and none can be cancelled now, the
/// flow is over: the wizard showed why and what to do instead, and nothing
/// was asked of the carrier. Says so, with each plan's reason. Public so
/// that the wizard's resume offer can pass over such a flow too.
pub fn nothing_cancellable(facts: &Facts) -> Option<String> {
    let account = facts.choice.account.as_ref()?;
    if account.plans.iter().any(|p| p.is_cancellable()) {
        return None;
    }
    let reasons: Vec<String> = account
        .plans
        .iter()
        .filter_map(|p| {
            let why = match p.blocked? {
                BlockReason::Expired => "expired",
                BlockReason::InBundle => "part of a bundle",
                BlockReason::Arrears => "arrears to settle first",
                BlockReason::AlreadyCancelling => "already being cancelled",
                BlockReason::Unspecified => "refused by the carrier",
            };
            Some(format!("{}: {why}", super::receipts::short(&p.name)))
        })
        .collect();
    Some(if reasons.is_empty() {
        "nothing to cancel: the account has no package".to_owned()
    } else {
        format!(
            "nothing to cancel ({}); finished with the wizard's guidance",
            reasons.join("; ")
        )
    })
}

/// What `status` says about journal files it cannot read: each file, why,
/// and what to do; empty when there are none.
pub fn set_aside_text(files: &[SetAside]) -> String {
    let mut out = String::new();
    for f in files {
        out.push_str(&format!(
            "A journal file cannot be read and is set aside (the wizard will not resume it): {}\n    why: {}{}\n",
            f.path.display(),
            super::receipts::long(&f.why),
            f.order
                .as_deref()
                .map(|o| format!("; it names order {}", super::receipts::short(o)))
                .unwrap_or_default()
        ));
    }
    if !files.is_empty() {
        out.push_str(
            "    What to do: it may be an order still awaiting payment. Keep the file. Check the order with the carrier (its app or hotline) and pay or cancel it there; `unsubscribe-wizard receipts list` shows the receipts kept for it. Then move the file out of the journal folder, and `status` stops reporting it.\n",
        );
    }
    out
}

/// The exit code for what is shown: a follow-up that is due counts as in
/// progress.
pub fn exit_code(lines: &[Line]) -> u8 {
    let due = lines.iter().any(|l| l.followups.iter().any(|f| f.overdue));
    if due || lines.iter().any(|l| l.state == "in_progress") {
        EXIT_IN_PROGRESS
    } else if lines.iter().any(|l| l.state == "blocked") {
        EXIT_BLOCKED
    } else {
        EXIT_DONE
    }
}

/// The human-readable listing.
pub fn text(lines: &[Line]) -> String {
    if lines.is_empty() {
        return "No cancellations in the journal. 日志中没有退订记录。\n".to_owned();
    }
    let mut out = String::new();
    let shown = |value: &Option<String>, none: &str| {
        value
            .as_deref()
            .map_or_else(|| none.to_owned(), super::receipts::short)
    };
    for l in lines {
        out.push_str(&format!(
            "{}  {}  {}  {}\n    {}{}  (updated {})\n",
            shown(&l.order, "(no order yet)"),
            shown(&l.carrier, "-"),
            shown(&l.number, "-"),
            shown(&l.plan, "-"),
            super::receipts::long(&l.step),
            l.total
                .as_ref()
                .map(|t| format!(", total {t}"))
                .unwrap_or_default(),
            l.updated
        ));
        if let (Some(what), Some(since)) = (l.waiting_for, &l.waiting_since) {
            out.push_str(&format!("    waiting for {what} since {since}\n"));
        }
        for f in &l.followups {
            out.push_str(&format!(
                "    {} {}: {}  [{}]\n",
                if f.overdue {
                    "DUE 到期"
                } else {
                    "next 待办"
                },
                f.due,
                super::receipts::long(&f.title),
                f.kind.id()
            ));
        }
        if let Some(reference) = &l.reference {
            out.push_str(&format!(
                "    reference 受理单号 {}\n",
                super::receipts::short(reference)
            ));
        }
    }
    out
}
