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
use crate::core::flow::{CallKind, Step};
use crate::core::model::{Outcome, PlanKind};
use crate::ui::format::{date, pad};
use crate::ui::screens::{key, problem_text};
use crate::ui::widgets::{panel, text};
use crate::ui::{Action, Model};

/// Footer keys.
pub fn keys(model: &Model) -> Vec<(String, String)> {
    vec![key(model, "Enter", "key.finish")]
}

/// Draws the Terminated screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let Step::Terminated { outcome } = model.state.step else {
        return;
    };
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let w = inner.width;
    let facts = &model.state.facts;
    let plan_name = facts.plan().map(|p| p.name.as_str()).unwrap_or("");
    let mut lines: Vec<Line> = Vec::new();
    let title = match outcome {
        Outcome::Cancelled => model.tr("done.cancelled", &[("name", plan_name)]),
        Outcome::RetentionAccepted => model.tr("done.retention", &[("name", plan_name)]),
    };
    lines.extend(text::wrapped(
        &format!("✓ {title}"),
        w,
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
    let top = (lines.len() as u16 + 1).min(inner.height);
    text::draw(
        frame,
        Rect {
            height: top,
            ..inner
        },
        lines,
    );

    let mut reminders: Vec<String> = Vec::new();
    match outcome {
        Outcome::Cancelled => {
            reminders.push(model.t("done.remind_stop"));
            reminders.push(model.t("done.remind_keep"));
            reminders.push(model.t("done.remind_bill"));
            if facts
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
    let rect = Rect {
        height: (out.len() as u16 + 2).min(rect.height),
        ..rect
    };
    let list = block.inner(rect);
    frame.render_widget(block, rect);
    text::draw(frame, list, out);
}

/// Keys on the Terminated screen: Enter finishes.
pub fn on_key(_model: &mut Model, key: KeyEvent) -> Option<Action> {
    (key.code == KeyCode::Enter).then_some(Action::Quit)
}
