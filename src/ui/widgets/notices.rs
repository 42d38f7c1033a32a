//! The carrier's notices (SMS / app messages) as they arrive, newest last;
//! when they do not all fit, the newest are shown.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::model::Notice;
use crate::ui::Model;
use crate::ui::format::time_of_day;
use crate::ui::widgets::text::hanging;

/// Draws the notices panel into `area`.
pub fn render(frame: &mut Frame, area: Rect, model: &Model, notices: &[Notice]) {
    let theme = model.theme();
    let block = super::panel(model.t("notices.title"), theme.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    if notices.is_empty() {
        lines.push(Line::styled(model.t("notices.none_yet"), theme.dim()));
    }
    for notice in notices {
        let prefix = format!("{}  ", time_of_day(notice.sent_at));
        lines.extend(hanging(&prefix, &notice.text, inner.width, theme.text()));
    }
    let skip = lines.len().saturating_sub(usize::from(inner.height));
    let shown: Vec<Line> = lines.into_iter().skip(skip).collect();
    super::text::draw(frame, inner, shown);
}
