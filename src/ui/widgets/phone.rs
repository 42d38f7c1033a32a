//! The embedded sandbox's simulated phone: every SMS "sent" to the number —
//! codes and notices — the only place to read the login code, as on a real
//! phone. Clearly labelled so it is never mistaken for the carrier's screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::ui::format::time_of_day;
use crate::ui::widgets::text::hanging;
use crate::ui::{Model, PhoneMessage};

/// Columns the phone panel takes beside a screen.
pub const WIDTH: u16 = 30;

/// Draws the phone panel into `area`.
pub fn render(frame: &mut Frame, area: Rect, model: &Model, messages: &[PhoneMessage]) {
    let theme = model.theme();
    let block = super::panel(model.t("phone.title"), theme.warn());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    if messages.is_empty() {
        lines.push(Line::styled(model.t("phone.empty"), theme.dim()));
    }
    for message in messages {
        let style = if message.is_code {
            theme.figure()
        } else {
            theme.text()
        };
        lines.push(Line::styled(time_of_day(message.sent_at), theme.dim()));
        lines.extend(hanging("", &message.text, inner.width, style));
    }
    // Newest last, as on a phone; when they do not fit, the newest win.
    let skip = lines.len().saturating_sub(usize::from(inner.height));
    let shown: Vec<Line> = lines.into_iter().skip(skip).collect();
    super::text::draw(frame, inner, shown);
}
