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

use crate::core::flow::{Event, State, Step};
use crate::ui::format::{duration, time_of_day};
use crate::ui::keymap::{self, Binding, Key};
use crate::ui::screens::{plan_change, problem_text};
use crate::ui::widgets::{notices, spinner, text};
use crate::ui::{Action, Model};

/// What a key asks of the Await screen once the carrier is late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Send the same request again (nothing is doubled).
    Resubmit,
    /// Stop following the order, with a receipt of where it stands.
    Abandon,
    /// Write a complaint draft from the receipts.
    Complaint,
}

/// The Await screen's keys: none until the carrier is past its stated time.
pub const KEYS: &[Binding<(), Intent>] = &[
    Binding::new(&[Key::Code(KeyCode::Char('r'))], Intent::Resubmit)
        .when(stalled)
        .hint("r", "key.resubmit"),
    Binding::new(&[Key::Code(KeyCode::Char('a'))], Intent::Abandon)
        .when(stalled)
        .hint("a", "key.abandon"),
    Binding::new(&[Key::Code(KeyCode::Char('c'))], Intent::Complaint)
        .when(stalled)
        .hint("c", "key.complaint"),
];

fn stalled(_: &(), state: &State) -> bool {
    matches!(state.step, Step::Await { stalled: true, .. })
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
    let mut lines: Vec<Line> = Vec::new();
    if stalled(&(), &model.state) {
        lines.extend(late_lines(model, w));
    } else {
        let doing = match plan_change(&model.state) {
            Some(offer) => model.tr(
                "await.processing_change",
                &[("fee", offer.monthly_fee.to_string())],
            ),
            None => model.t("await.processing"),
        };
        lines.extend(text::wrapped(
            &format!("{} {doing}", spinner(model.spinner)),
            w,
            theme.title(),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(model.tr("await.order", &[("id", order_id)])));
    lines.extend(waited_lines(model));
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

/// How long the order has been processing, against the carrier's own
/// expected time when it gave one.
fn waited_lines(model: &Model) -> Vec<Line<'static>> {
    let theme = model.theme();
    let mut lines = Vec::new();
    let Some(since) = model.state.facts.progress.processing_since else {
        return lines;
    };
    let expected = model.state.facts.order().and_then(|o| o.expected_by);
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
        if left.num_seconds() > 0 && !stalled(&(), &model.state) {
            lines.push(Line::styled(
                model.tr("await.left", &[("left", duration(model.lang, left))]),
                theme.dim(),
            ));
        }
    }
    lines
}

/// Past the carrier's stated time: that it is not confirmed, since when,
/// and the ways on.
fn late_lines(model: &Model, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let facts = &model.state.facts;
    let order_id = facts.order().map(|o| o.id.as_str()).unwrap_or("");
    let expected = facts.order().and_then(|o| o.expected_by);
    let hotline = model.hotline().unwrap_or("");
    let mut lines: Vec<Line> = Vec::new();
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
    let ways = [
        ("r  ", model.t("await.resubmit")),
        (
            "☎  ",
            model.tr("await.call", &[("hotline", hotline), ("order", order_id)]),
        ),
        ("a  ", model.t("await.abandon")),
        ("c  ", model.t("await.complaint")),
    ];
    for (prefix, what) in ways {
        lines.extend(text::hanging(prefix, &what, w, theme.text()));
    }
    lines
}

/// Keys on the Await screen.
pub fn on_key(state: &State, key: KeyEvent) -> Option<Action> {
    Some(match keymap::resolve(KEYS, &(), state, &key)? {
        Intent::Resubmit => Action::Core(Event::Resubmit),
        Intent::Abandon => Action::Core(Event::Abandon),
        Intent::Complaint => Action::Complaint,
    })
}
