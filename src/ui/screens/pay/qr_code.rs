//! A QR payment waiting to be scanned: the code (when the window and the
//! link allow one), what to pay, the carrier's link with the rows left over,
//! and that the wizard goes on by itself once paid.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::model::Payment;
use crate::ui::Model;
use crate::ui::widgets::{panel, qr, spinner, text};

use super::{SIDE_MIN, due, method_key};

/// Draws the waiting QR payment into `area`.
pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model, payment: &Payment) {
    let theme = model.theme();
    let url = payment.pay_url.as_deref().unwrap_or_default();
    let size = qr::size(url);
    let qr_w = size.map(|(w, _)| w).unwrap_or(0);
    // The link beside the code needs room too; without it, the link alone.
    let drawn =
        qr_w + 2 + SIDE_MIN <= area.width && qr::render(frame, area, url, theme, model.no_color);
    let side = if drawn {
        Rect {
            x: area.x + qr_w + 2,
            width: area.width.saturating_sub(qr_w + 2),
            ..area
        }
    } else {
        area
    };
    let block = panel(model.t(method_key(payment.method)), theme.border());
    let inner = block.inner(side);
    frame.render_widget(block, side);
    let w = inner.width;
    let app = model.t(method_key(payment.method));
    // What to pay and that the wizard waits always show; the carrier's link
    // gets the rows left over, its cut marked with "…".
    // "Scan the code on the left" only when there is one.
    let ask = if drawn { "pay.scan" } else { "pay.pay_with" };
    let mut top = text::wrapped(
        &model.tr(
            ask,
            &[
                ("app", app.as_str()),
                ("amount", &due(&model.state).to_string()),
            ],
        ),
        w,
        theme.text(),
    );
    top.push(Line::raw(""));
    top.extend(text::wrapped(&model.t("pay.link"), w, theme.dim()));
    let mut bottom = vec![Line::raw("")];
    if !drawn {
        let why = if size.is_some() {
            "pay.qr_too_small"
        } else {
            "pay.qr_impossible"
        };
        bottom.extend(text::wrapped(&model.t(why), w, theme.warn()));
    }
    bottom.push(Line::raw(format!(
        "{} {}",
        spinner(model.spinner),
        model.t("pay.waiting")
    )));
    bottom.extend(text::wrapped(&model.t("pay.waiting_note"), w, theme.dim()));
    let room = usize::from(inner.height)
        .saturating_sub(top.len() + bottom.len())
        .max(1);
    let mut lines = top;
    lines.extend(text::wrapped_at_most(url, w, room, theme.text()));
    lines.extend(bottom);
    text::draw(frame, inner, lines);
}
