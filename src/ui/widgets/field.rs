//! One form field on one line: a focus marker, the label, the value in a box,
//! and a mark saying whether what is typed is acceptable. The message saying
//! what is wrong is drawn by the screen below its fields.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::format::{fit, pad, width};
use crate::ui::theme::Theme;

/// Whether a field's value is acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// Nothing typed yet (and nothing needed yet).
    Blank,
    /// Acceptable.
    Valid,
    /// Not acceptable; the screen shows why.
    Invalid,
    /// Not checked (choices, optional text).
    Unchecked,
}

/// A field to draw.
#[derive(Debug, Clone)]
pub struct Field {
    /// The label, e.g. `手机号码`.
    pub label: String,
    /// The value as it is to be shown (already masked where needed).
    pub shown: String,
    /// Shown dimmed when `shown` is empty.
    pub placeholder: String,
    /// Whether the field has the cursor.
    pub focused: bool,
    /// Whether the field takes text (then the cursor is placed after it).
    pub editable: bool,
    /// The ✓/✗ mark.
    pub validity: Validity,
    /// Columns for the label.
    pub label_width: u16,
    /// Columns for the value box.
    pub box_width: u16,
}

/// Draws `field` on the first line of `area`; returns where the cursor goes
/// when the field is focused and takes text.
pub fn render(frame: &mut Frame, area: Rect, field: &Field, theme: Theme) -> Option<Position> {
    if area.height == 0 {
        return None;
    }
    let marker = if field.focused { "› " } else { "  " };
    let label = pad(
        &fit(&field.label, usize::from(field.label_width)),
        usize::from(field.label_width),
    );
    let inner = usize::from(field.box_width);
    let (text, text_style) = if field.shown.is_empty() {
        (field.placeholder.clone(), theme.dim())
    } else {
        (field.shown.clone(), theme.text())
    };
    // Keep the end of long values visible: that is where typing happens.
    let typing = field.editable && !field.shown.is_empty();
    let visible = if typing && width(&text) > inner.saturating_sub(1) {
        tail(&text, inner.saturating_sub(1))
    } else {
        fit(&text, inner)
    };
    let boxed = pad(&visible, inner);
    let box_style = if field.focused {
        theme.focus()
    } else {
        text_style.add_modifier(ratatui::style::Modifier::UNDERLINED)
    };
    let mark = match field.validity {
        Validity::Valid => Span::styled(" ✓", theme.ok()),
        Validity::Invalid => Span::styled(" ✗", theme.error()),
        Validity::Blank | Validity::Unchecked => Span::raw("  "),
    };
    let line = Line::from(vec![
        Span::styled(marker, theme.key()),
        Span::styled(
            label,
            if field.focused {
                theme.title()
            } else {
                theme.text()
            },
        ),
        Span::raw(" "),
        Span::styled(boxed, box_style),
        mark,
    ]);
    frame.render_widget(Paragraph::new(line), Rect { height: 1, ..area });
    if field.focused && field.editable {
        let used = if field.shown.is_empty() {
            0
        } else {
            width(&visible)
        };
        let x = area.x + 2 + field.label_width + 1 + used as u16;
        Some(Position::new(x.min(area.right().saturating_sub(1)), area.y))
    } else {
        None
    }
}

/// The last `cols` columns of `text`, never splitting a wide character.
fn tail(text: &str, cols: usize) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > cols {
            break;
        }
        out.push(c);
        used += w;
    }
    out.into_iter().rev().collect()
}
