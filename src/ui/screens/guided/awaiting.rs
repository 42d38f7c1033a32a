//! Guided step 5, await confirmation: what the case waits for and since
//! when, the carrier's reference, the paste area for the confirmation text,
//! that the wizard can be closed and resumes here, and what to do once the
//! wait is long (call back with the reference; after 15 days, MIIT's
//! 12300). The person may also say the carrier told them it is cancelled.

use chrono::TimeDelta;
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::flow::State;
use crate::core::time::beijing as china;
use crate::ui::keymap::{Binding, Key};
use crate::ui::state::{Entry, UiState};
use crate::ui::widgets::text;
use crate::ui::{Action, Lang, Model};

use super::{
    Intent, Table, case, draw_with_fields, entry_field, has_other_channel, inner, paste_lines,
    refusal_lines, scrolled, verdict_lines,
};

/// Days after which the carrier owes an answer and MIIT's 12300 takes an
/// appeal (GUIDE-FACTS.md).
const APPEAL_DAYS: i64 = 15;

/// The guided Await screen's keys.
pub const KEYS: Table = &[
    Binding::new(&[Key::Plain('x')], Intent::Cancelled).hint("x", "key.g_told_cancelled"),
    Binding::new(&[Key::Plain('r')], Intent::Reference).hint("r", "key.g_reference"),
    Binding::new(&[Key::Plain('f')], Intent::Sender).hint("f", "key.g_sender"),
    Binding::new(&[Key::Plain('o')], Intent::OtherChannel)
        .when(refused)
        .hint("o", "key.g_other_channel"),
    Binding::new(&[Key::Plain('a')], Intent::Abandon).hint("a", "key.abandon"),
    Binding::new(&[Key::Code(KeyCode::Up)], Intent::Scroll(-1)).hint("↑↓", "key.scroll"),
    Binding::new(&[Key::Code(KeyCode::Down)], Intent::Scroll(1)),
];

fn refused(ui: &UiState, state: &State) -> bool {
    case(state).is_some_and(|c| c.refused()) && has_other_channel(ui, state)
}

/// Keys of the screen (the shared guided keys are handled before).
pub(super) fn on_key(model: &mut Model, intent: Intent) -> Option<Action> {
    let g = &mut model.ui.guided;
    match intent {
        Intent::Cancelled => {
            g.line.clear();
            g.entry = Some(Entry::Cancelled);
        }
        Intent::Reference => g.entry = Some(Entry::Reference),
        _ => {}
    }
    None
}

/// A long wait in words: `3 h 05 min`, `2 d 4 h`.
fn waited(lang: Lang, delta: TimeDelta) -> String {
    let mins = delta.num_minutes().max(0);
    let (d, h, m) = (mins / 1440, mins / 60 % 24, mins % 60);
    let (key, args) = if d > 0 {
        ("guided.await.days_hours", [("a", d), ("b", h)])
    } else {
        ("guided.await.hours_minutes", [("a", h), ("b", m)])
    };
    let args = args.map(|(k, v)| (k, v.to_string()));
    crate::ui::i18n::tr(lang, key, &args)
}

/// Draws the guided Await screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let area = inner(area);
    let w = area.width;
    let mut lines = wait_lines(model, w);
    lines.extend(verdict_lines(model, w));
    lines.extend(paste_lines(model, w, true));
    lines.extend(later_lines(model, w));
    let fields = entry_field(model).into_iter().collect();
    let lines = scrolled(lines, model.ui.guided.scroll);
    draw_with_fields(frame, area, lines, fields, model.theme());
}

/// What it waits for, since when, and the reference.
fn wait_lines(model: &Model, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let Some(case) = case(&model.state) else {
        return Vec::new();
    };
    let package = case.package.as_ref().map_or("", |p| p.name.as_str());
    let mut lines = text::wrapped(
        &model.tr("guided.await.title", &[("package", package)]),
        w,
        theme.title(),
    );
    if let Some(since) = case.waiting_since() {
        let line = model.tr(
            "guided.await.since",
            &[
                ("time", china(since).format("%Y-%m-%d %H:%M").to_string()),
                ("waited", waited(model.lang, model.now - since)),
            ],
        );
        lines.extend(text::wrapped(&line, w, theme.text()));
    }
    let reference = match case.reference() {
        Some(r) => model.tr("guided.await.reference", &[("reference", r)]),
        None => model.t("guided.await.no_reference"),
    };
    lines.extend(text::wrapped(&reference, w, theme.text()));
    lines.extend(refusal_lines(model, w));
    lines
}

/// That the wizard can be closed, and what to do when the wait is long.
fn later_lines(model: &Model, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let mut lines = vec![Line::raw("")];
    lines.extend(text::wrapped(
        &format!("· {}", model.t("guided.await.resume")),
        w,
        theme.dim(),
    ));
    let Some(case) = case(&model.state) else {
        return lines;
    };
    let days = case
        .waiting_since()
        .map_or(0, |since| (model.now - since).num_days());
    let hotline = model.hotline().unwrap_or("");
    let call = match case.reference() {
        Some(reference) => model.tr(
            "guided.await.call_back",
            &[("hotline", hotline), ("reference", reference)],
        ),
        None => model.tr("guided.await.call_back_plain", &[("hotline", hotline)]),
    };
    let style = if days >= 1 { theme.warn() } else { theme.dim() };
    lines.extend(text::hanging("☎ ", &call, w, style));
    let appeal = model.tr("guided.await.appeal", &[("days", APPEAL_DAYS.to_string())]);
    let style = if days >= APPEAL_DAYS {
        theme.warn()
    } else {
        theme.dim()
    };
    lines.extend(text::hanging("» ", &appeal, w, style));
    lines
}
