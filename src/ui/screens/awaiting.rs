//! Step 5, Await confirmation: a spinner, how long the carrier has been at
//! it against the time it stated, and its notices as they arrive. Past that
//! time the screen says plainly that the cancellation is not yet confirmed
//! and offers resubmitting (same request, nothing doubled), the hotline, and
//! stopping with a receipt.

use chrono::Utc;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::flow::{Event, Step};
use crate::ui::format::{duration, time_of_day};
use crate::ui::screens::{key, problem_text};
use crate::ui::widgets::{notices, spinner, text};
use crate::ui::{Action, Model};

fn stalled(model: &Model) -> bool {
    matches!(model.state.step, Step::Await { stalled: true, .. })
}

/// Footer keys.
pub fn keys(model: &Model) -> Vec<(String, String)> {
    if stalled(model) {
        vec![
            key(model, "r", "key.resubmit"),
            key(model, "a", "key.abandon"),
            key(model, "c", "key.complaint"),
        ]
    } else {
        Vec::new()
    }
}

/// Draws the Await screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let w = inner.width;
    let facts = &model.state.facts;
    let order_id = facts.order().map(|o| o.id.as_str()).unwrap_or("");
    let expected = facts.order().and_then(|o| o.expected_by);
    let hotline = model.hotline().unwrap_or("");
    let mut lines: Vec<Line> = Vec::new();
    if stalled(model) {
        lines.extend(text::wrapped(
            &format!("⚠ {}", model.t("await.not_confirmed")),
            w,
            theme.warn(),
        ));
        if let Some(by) = expected {
            lines.extend(text::wrapped(
                &model.tr("await.stalled_since", &[("time", time_of_day(by))]),
                w,
                theme.text(),
            ));
        }
        lines.push(Line::raw(""));
        lines.extend(text::hanging(
            "r  ",
            &model.t("await.resubmit"),
            w,
            theme.text(),
        ));
        lines.extend(text::hanging(
            "☎  ",
            &model.tr("await.call", &[("hotline", hotline), ("order", order_id)]),
            w,
            theme.text(),
        ));
        lines.extend(text::hanging(
            "a  ",
            &model.t("await.abandon"),
            w,
            theme.text(),
        ));
        lines.extend(text::hanging(
            "c  ",
            &model.t("await.complaint"),
            w,
            theme.text(),
        ));
    } else {
        lines.push(Line::styled(
            format!("{} {}", spinner(model.spinner), model.t("await.processing")),
            theme.title(),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(model.tr("await.order", &[("id", order_id)])));
    if let Some(since) = facts.progress.processing_since {
        let waited = duration(model.lang, model.now - since);
        let line = match expected {
            Some(by) => model.tr(
                "await.elapsed_expected",
                &[("elapsed", waited), ("time", time_of_day(by))],
            ),
            None => model.tr("await.elapsed", &[("elapsed", waited)]),
        };
        lines.push(Line::raw(line));
        if let Some(by) = expected {
            let left = by.with_timezone(&Utc) - model.now;
            if left.num_seconds() > 0 && !stalled(model) {
                lines.push(Line::styled(
                    model.tr("await.left", &[("left", duration(model.lang, left))]),
                    theme.dim(),
                ));
            }
        }
    }
    if let Step::Await {
        problem: Some(kind),
        ..
    } = &model.state.step
    {
        let (what, _) = problem_text(model, kind);
        lines.extend(text::wrapped(
            &model.tr("await.retrying", &[("what", what)]),
            w,
            theme.warn(),
        ));
    }
    let used = (lines.len() as u16 + 1).min(inner.height);
    text::draw(
        frame,
        Rect {
            height: used,
            ..inner
        },
        lines,
    );
    if inner.height > used + 3 {
        let rect = Rect {
            y: inner.y + used,
            height: inner.height - used,
            ..inner
        };
        notices::render(frame, rect, model, &facts.progress.notices);
    }
}

/// Keys on the Await screen.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    if !stalled(model) {
        return None;
    }
    match key.code {
        KeyCode::Char('r') => Some(Action::Core(Event::Resubmit)),
        KeyCode::Char('a') => Some(Action::Core(Event::Abandon)),
        KeyCode::Char('c') => Some(Action::Complaint),
        _ => None,
    }
}
