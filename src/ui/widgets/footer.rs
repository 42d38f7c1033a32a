//! The footer: the keys that work right now, and the shell's transient notice
//! above them when there is one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::ui::format::{fit, width};
use crate::ui::{self, GLOBAL_KEYS, Model, keymap, overlay, screens};

/// Lines the footer takes for this model at `cols` columns: the notice,
/// and the keys on one line — or two when they do not fit on one (the
/// guided screens have more keys than 80 columns hold, and help and quit
/// must stay in sight).
pub fn height(model: &Model, cols: u16) -> u16 {
    let notice = u16::from(model.notice.is_some());
    notice + key_lines(&keys(model), cols).len().clamp(1, 2) as u16
}

/// The keys laid out in lines of at most `cols` columns, each entry
/// `key label` with two spaces after it.
fn key_lines(keys: &[(String, String)], cols: u16) -> Vec<Vec<(String, String)>> {
    let mut lines: Vec<Vec<(String, String)>> = vec![Vec::new()];
    let mut used = 1;
    for (key, label) in keys {
        let w = width(key) + 1 + width(label) + 2;
        if used + w > usize::from(cols) && lines.last().is_some_and(|l| !l.is_empty()) {
            lines.push(Vec::new());
            used = 1;
        }
        used += w;
        if let Some(line) = lines.last_mut() {
            line.push((key.clone(), label.clone()));
        }
    }
    lines
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
    // Keys past the second line are dropped, as past the first used to be.
    for keys in key_lines(&keys(model), area.width).into_iter().take(2) {
        let mut spans = vec![Span::raw(" ")];
        for (key, label) in keys {
            spans.push(Span::styled(key, theme.key()));
            spans.push(Span::raw(format!(" {label}  ")));
        }
        lines.push(Line::from(spans));
    }
    super::text::draw(frame, area, lines);
}
