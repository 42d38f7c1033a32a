//! Step 6, Terminated: the result, the order number, the effective date, what
//! was paid, where the receipts are, and what to do next — stop using the
//! service, keep the receipts, check the next bill, return broadband
//! equipment. Taking the retention offer shows the plan continuing at its
//! new fee instead.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::core::error::ErrorKind;
use crate::core::fees::Fen;
use crate::core::flow::{CallKind, State, Step};
use crate::core::model::{FeeKind, Outcome, PlanKind};
use crate::ui::format::{date, pad};
use crate::ui::keymap::{self, Binding, Key};
use crate::ui::screens::problem_text;
use crate::ui::widgets::{fitted_panel, panel, text};
use crate::ui::{Action, Model};

/// What a key asks of the Terminated screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Done: quit.
    Finish,
    /// Write the follow-ups as a calendar file beside the receipts.
    Calendar,
}

/// The Terminated screen's keys.
pub const KEYS: &[Binding<(), Intent>] = &[
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Finish).hint("Enter", "key.finish"),
    Binding::new(&[Key::Code(KeyCode::Char('k'))], Intent::Calendar)
        .when(has_followups)
        .hint("k", "calendar_key.key"),
];

/// A cancellation with an order has follow-ups to put in a calendar (a plan
/// change has none).
fn has_followups(_: &(), state: &State) -> bool {
    matches!(
        state.step,
        Step::Terminated {
            outcome: Outcome::Cancelled
        }
    ) && state.facts.case_id().is_some()
}

/// Draws the Terminated screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let Step::Terminated { outcome } = model.state.step else {
        return;
    };
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let lines = result_lines(model, outcome, inner.width);
    draw_with_reminders(frame, inner, model, lines, reminders(model, outcome));
}

/// Draws the result `lines`, then the "what next" panel of `reminders`
/// below them, as tall as they are (the guided end screen too).
pub(crate) fn draw_with_reminders(
    frame: &mut Frame,
    inner: Rect,
    model: &Model,
    lines: Vec<Line<'static>>,
    reminders: Vec<String>,
) {
    let theme = model.theme();
    let top = (lines.len() as u16 + 1).min(inner.height);
    text::draw(
        frame,
        Rect {
            height: top,
            ..inner
        },
        lines,
    );
    if inner.height <= top + 2 {
        return;
    }
    let rect = Rect {
        y: inner.y + top,
        height: inner.height - top,
        ..inner
    };
    let block = panel(model.t("done.next"), theme.border());
    let list_w = block.inner(rect).width;
    let mut out: Vec<Line> = Vec::new();
    for r in reminders {
        out.extend(text::hanging("• ", &r, list_w, theme.text()));
    }
    // The panel is as tall as its reminders.
    fitted_panel(frame, rect, block, out);
}

/// Lines the outcome sentence (with the plan's name) may take.
const TITLE_LINES: usize = 2;

/// The result: the outcome, the order, the date or new fee, what was paid,
/// where the receipts are, and whether the carrier's SMS came.
fn result_lines(model: &Model, outcome: Outcome, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let facts = &model.state.facts;
    let plan_name = facts
        .choice
        .plan
        .as_ref()
        .map(|p| p.name.as_str())
        .unwrap_or("");
    let mut lines: Vec<Line> = Vec::new();
    let title = match outcome {
        Outcome::Cancelled => model.tr("done.cancelled", &[("name", plan_name)]),
        Outcome::RetentionAccepted => model.tr("done.retention", &[("name", plan_name)]),
    };
    // At most two lines, however long the carrier's plan name: the order,
    // the date and what was paid below must stay on screen.
    lines.extend(text::wrapped_at_most(
        &format!("✓ {title}"),
        w,
        TITLE_LINES,
        theme.ok().add_modifier(ratatui::style::Modifier::BOLD),
    ));
    lines.push(Line::raw(""));
    let label_w = [
        "done.order",
        "done.effective",
        "done.new_fee",
        "done.paid",
        "done.receipts",
    ]
    .iter()
    .map(|k| crate::ui::format::width(&model.t(k)))
    .max()
    .unwrap_or(0)
        + 2;
    let mut row = |label: &str, value: String| {
        lines.push(Line::from(vec![
            Span::styled(pad(&model.t(label), label_w), theme.dim()),
            Span::styled(value, theme.figure()),
        ]));
    };
    if let Some(order) = &facts.progress.order {
        row("done.order", order.id.clone());
    }
    if let Some(quote) = &facts.choice.quote {
        match (outcome, &quote.retention) {
            (Outcome::RetentionAccepted, Some(offer)) => row(
                "done.new_fee",
                model.tr(
                    "submit.per_month",
                    &[("fee", offer.monthly_fee.to_string())],
                ),
            ),
            _ => row("done.effective", date(quote.effective_date)),
        }
    }
    row(
        "done.paid",
        facts.progress.paid.unwrap_or_default().to_string(),
    );
    lines.extend(text::hanging(
        &pad(&model.t("done.receipts"), label_w),
        &model.receipts_dir,
        w,
        theme.text(),
    ));
    // A missing confirmation SMS is worth knowing about, with what to do.
    let fetching = model.state.pending.map(|p| p.kind) == Some(CallKind::FetchNotices);
    if facts.progress.notices.is_empty() {
        lines.push(Line::raw(""));
        if fetching {
            lines.push(Line::styled(model.t("done.checking_notice"), theme.dim()));
        } else {
            let (what, todo) = problem_text(model, &ErrorKind::NoticeNotReceived);
            lines.extend(text::wrapped(&format!("⚠ {what}"), w, theme.warn()));
            lines.extend(text::wrapped(&todo, w, theme.text()));
        }
    }
    lines
}

/// What to do next, for the outcome.
fn reminders(model: &Model, outcome: Outcome) -> Vec<String> {
    let facts = &model.state.facts;
    let mut reminders: Vec<String> = Vec::new();
    match outcome {
        Outcome::Cancelled => {
            reminders.push(model.t("done.remind_stop"));
            reminders.push(model.t("done.remind_keep"));
            reminders.push(model.t("done.remind_bill"));
            if let Some(fee) = equipment_fee_paid(model) {
                // Charged and paid: warning "or be charged" would be false.
                reminders.push(model.tr("done.equipment_paid", &[("amount", fee.to_string())]));
            } else if facts
                .choice
                .plan
                .as_ref()
                .is_some_and(|p| p.kind == PlanKind::Broadband)
            {
                reminders.push(model.tr(
                    "done.remind_equipment",
                    &[("hotline", model.hotline().unwrap_or(""))],
                ));
            }
        }
        Outcome::RetentionAccepted => {
            reminders.push(model.t("done.remind_retention_bill"));
            reminders.push(model.t("done.remind_keep"));
        }
    }
    reminders
}

/// The equipment fee the quote charged (unreturned equipment), when what
/// was paid covers the quote's total.
fn equipment_fee_paid(model: &Model) -> Option<Fen> {
    let facts = &model.state.facts;
    let quote = facts.choice.quote.as_ref()?;
    let fee = Fen::checked_sum(
        quote
            .items
            .iter()
            .filter(|i| i.kind == FeeKind::Equipment)
            .map(|i| i.amount),
    )?;
    let paid = facts.progress.paid?;
    (fee.is_positive() && paid.is_positive() && paid >= quote.total).then_some(fee)
}

/// Keys on the Terminated screen: Enter finishes.
pub fn on_key(state: &State, key: KeyEvent) -> Option<Action> {
    match keymap::resolve(KEYS, &(), state, &key)? {
        Intent::Finish => Some(Action::Quit),
        Intent::Calendar => Some(Action::Calendar),
    }
}
