//! Wrapped text blocks: lines measured by display width, so Chinese and
//! English wrap alike and nothing is cut mid-character.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::format::{elide, wrap};

/// Lines of `text` wrapped to `cols`, each in `style`.
pub fn wrapped(text: &str, cols: u16, style: Style) -> Vec<Line<'static>> {
    wrap(text, usize::from(cols))
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

/// As [`wrapped`], but at most `max_lines` lines, the last one ending in
/// `…` when the text was cut: for carrier text of any length above lines
/// that must stay on screen.
pub fn wrapped_at_most(
    text: &str,
    cols: u16,
    max_lines: usize,
    style: Style,
) -> Vec<Line<'static>> {
    let cols = usize::from(cols);
    elide(wrap(text, cols), max_lines, cols.max(2))
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

/// Lines of `text` wrapped to `cols` after a first-line `prefix` (a label or
/// bullet); following lines are indented by the prefix's width.
pub fn hanging(prefix: &str, text: &str, cols: u16, style: Style) -> Vec<Line<'static>> {
    hanging_at_most(prefix, text, cols, usize::MAX, style)
}

/// As [`hanging`], but at most `max_lines` lines, the cut marked with `…`.
pub fn hanging_at_most(
    prefix: &str,
    text: &str,
    cols: u16,
    max_lines: usize,
    style: Style,
) -> Vec<Line<'static>> {
    let indent = crate::ui::format::width(prefix);
    let body = usize::from(cols).saturating_sub(indent).max(4);
    elide(wrap(text, body), max_lines, body)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let lead = if i == 0 {
                prefix.to_owned()
            } else {
                " ".repeat(indent)
            };
            Line::from(vec![Span::styled(lead, style), Span::styled(l, style)])
        })
        .collect()
}

/// Draws lines into `area`, clipped at its bottom. The paragraph gets only
/// the rows its lines take: ratatui styles every cell of a paragraph's area
/// (twice) before writing text, so a short text in a tall area would cost as
/// much as a full one (docs/BENCHMARKS.md).
pub fn draw(frame: &mut Frame, area: Rect, lines: Vec<Line<'_>>) {
    let rows = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let area = Rect {
        height: area.height.min(rows),
        ..area
    };
    frame.render_widget(Paragraph::new(lines), area);
}
