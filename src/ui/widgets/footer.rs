//! The footer: the keys that work right now, and the shell's transient notice
//! above them when there is one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::ui::format::{fit, width};
use crate::ui::{self, GLOBAL_KEYS, Model, keymap, overlay, screens};

/// Lines the footer takes for this model.
pub fn height(model: &Model) -> u16 {
    if model.notice.is_some() { 2 } else { 1 }
}

/// The keys that work now, as (key, what it does): the open overlay's, or
/// the screen's and then the shared ones — each from the key table that
/// also handles them ([`crate::ui::keymap`]).
pub fn keys(model: &Model) -> Vec<(String, String)> {
    let hints = match model.ui.overlay {
        Some(which) => overlay::hints(model, which),
        None if model.ask_mode => {
            let mut out = keymap::hints(ui::mode_question::KEYS, &model.ui, &model.state);
            out.extend(keymap::hints(GLOBAL_KEYS, &ui::focus(model), &model.state));
            out
        }
        None => {
            let mut out = screens::hints(model);
            out.extend(keymap::hints(GLOBAL_KEYS, &ui::focus(model), &model.state));
            out
        }
    };
    hints
        .into_iter()
        .map(|h| (h.keys.to_owned(), model.t(h.does)))
        .collect()
}

/// Draws the footer into `area`.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let mut lines = Vec::new();
    if let Some(notice) = &model.notice {
        lines.push(Line::from(Span::styled(
            fit(&format!(" ! {notice}"), usize::from(area.width)),
            theme.warn(),
        )));
    }
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, label) in keys(model) {
        let w = width(&key) + 1 + width(&label) + 2;
        if used + w > usize::from(area.width) {
            break;
        }
        used += w;
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    lines.push(Line::from(spans));
    super::text::draw(frame, area, lines);
}
