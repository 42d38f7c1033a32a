//! The footer: the keys that work right now, and the shell's transient notice
//! above them when there is one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::ui::format::{fit, width};
use crate::ui::{Model, Overlay, screens};

/// Lines the footer takes for this model.
pub fn height(model: &Model) -> u16 {
    if model.notice.is_some() { 2 } else { 1 }
}

/// The keys that work now, as (key, what it does), screen keys first.
pub fn keys(model: &Model) -> Vec<(String, String)> {
    let k = |key: &str, label: &str| (key.to_owned(), model.t(label));
    match model.ui.overlay {
        Some(Overlay::QuitConfirm) => {
            return vec![k("y/Enter", "key.quit_anyway"), k("n/Esc", "key.stay")];
        }
        Some(Overlay::ResumeOffer) => {
            return vec![k("y/Enter", "resume.resume"), k("n/Esc", "resume.new")];
        }
        Some(Overlay::Help | Overlay::Guidance) => {
            return vec![k("↑↓", "key.scroll"), k("Esc", "key.close")];
        }
        None => {}
    }
    let mut out = screens::keys(model);
    if screens::in_text_field(model) {
        out.push(k("F1", "key.help"));
        out.push(k("F2", "key.guide"));
        out.push(k("Ctrl-C", "key.quit"));
    } else {
        out.push(k("?", "key.help"));
        out.push(k("g", "key.guide"));
        out.push(k("q", "key.quit"));
    }
    out
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
