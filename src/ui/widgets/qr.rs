//! A QR code drawn with half blocks: two modules per character cell
//! vertically, one horizontally, so a version-4 code with a one-module quiet
//! zone takes 35 columns and 18 lines — it fits an 80×24 terminal.
//!
//! Light modules are drawn as filled glyphs (white on black when colour is
//! allowed), so the code reads as dark-on-light whatever the terminal's own
//! colours; without colour it relies on the usual light-on-dark terminal.

use qrcode::{EcLevel, QrCode};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::ui::theme::Theme;

/// Modules of quiet zone around the code (scanners cope with one in a terminal).
const QUIET: usize = 1;

thread_local! {
    /// The last link encoded: the pay screen asks for the same one twice per
    /// frame (size, then draw) and again on every spinner tick, and encoding
    /// (mask selection) is most of a frame's cost.
    static LAST: std::cell::RefCell<Option<(String, Option<Vec<String>>)>> =
        const { std::cell::RefCell::new(None) };
}

/// The code's rows of half-block glyphs, smallest version at the lowest error
/// correction that holds `data`; `None` if it cannot be encoded.
pub fn lines(data: &str) -> Option<Vec<String>> {
    LAST.with_borrow_mut(|last| {
        if let Some((seen, rows)) = last.as_ref()
            && seen == data
        {
            return rows.clone();
        }
        let rows = encode(data);
        *last = Some((data.to_owned(), rows.clone()));
        rows
    })
}

fn encode(data: &str) -> Option<Vec<String>> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::L).ok()?;
    let n = code.width();
    let colors = code.to_colors();
    let size = n + 2 * QUIET;
    // Light (true) outside the code: the quiet zone.
    let light = |x: usize, y: usize| -> bool {
        if x < QUIET || y < QUIET || x >= n + QUIET || y >= n + QUIET {
            return true;
        }
        colors[(y - QUIET) * n + (x - QUIET)] == qrcode::Color::Light
    };
    let mut rows = Vec::with_capacity(size.div_ceil(2));
    for y in (0..size).step_by(2) {
        let mut row = String::with_capacity(size * 3);
        for x in 0..size {
            let top = light(x, y);
            let bottom = if y + 1 < size { light(x, y + 1) } else { false };
            row.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        rows.push(row);
    }
    Some(rows)
}

/// The columns and lines the code for `data` takes.
pub fn size(data: &str) -> Option<(u16, u16)> {
    let rows = lines(data)?;
    let w = rows.first().map(|r| r.chars().count()).unwrap_or(0);
    Some((u16::try_from(w).ok()?, u16::try_from(rows.len()).ok()?))
}

/// Draws the code at the top left of `area`; false (and nothing drawn) when
/// it does not fit or cannot be encoded.
pub fn render(frame: &mut Frame, area: Rect, data: &str, theme: Theme, no_color: bool) -> bool {
    let Some(rows) = lines(data) else {
        return false;
    };
    let w = rows.first().map(|r| r.chars().count()).unwrap_or(0);
    if w > usize::from(area.width) || rows.len() > usize::from(area.height) {
        return false;
    }
    let style = if no_color {
        theme.text()
    } else {
        Style::new().fg(Color::White).bg(Color::Black)
    };
    let text: Vec<Line> = rows
        .into_iter()
        .map(|r| Line::from(Span::styled(r, style)))
        .collect();
    super::text::draw(frame, area, text);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_link_fits_an_80_by_24_body() {
        let url = "https://pay.sandbox.local/alipay/qr?pay=PAY-20261125-000001&amt=15970";
        let (w, h) = size(url).unwrap();
        assert!(w <= 40 && h <= 19, "{w}×{h}");
    }

    #[test]
    fn the_quiet_zone_is_light() {
        let rows = lines("hello").unwrap();
        assert!(rows[0].chars().all(|c| c == '█' || c == '▀'));
        assert!(rows.iter().all(|r| r.starts_with(['█', '▀', '▄'])));
    }
}
