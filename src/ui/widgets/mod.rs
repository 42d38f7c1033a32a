//! Pieces the screens are built from: the step header and footer, form
//! fields, the masked input, the QR code, the notices panel and the sandbox
//! phone, and the spinner.

pub mod field;
pub mod footer;
pub mod header;
pub mod input;
pub mod notices;
pub mod phone;
pub mod qr;
pub mod text;

/// A bordered panel with a title and one column of padding on each side.
pub fn panel(title: String, border: ratatui::style::Style) -> ratatui::widgets::Block<'static> {
    ratatui::widgets::Block::bordered()
        .border_style(border)
        .title(format!(" {title} "))
        .padding(ratatui::widgets::Padding::horizontal(1))
}

/// Draws `lines` in `block` at the top of `area`, the panel only as tall as
/// they are (plus its borders); returns the rows it took.
pub fn fitted_panel(
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    block: ratatui::widgets::Block<'_>,
    lines: Vec<ratatui::text::Line<'_>>,
) -> u16 {
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = ratatui::layout::Rect { height, ..area };
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    text::draw(frame, inner, lines);
    height
}

/// Braille spinner frames (one column each).
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// The spinner glyph for a frame counter.
pub fn spinner(frame: usize) -> char {
    SPINNER[frame % SPINNER.len()]
}
