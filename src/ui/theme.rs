//! Styles, with and without colour.
//!
//! With `NO_COLOR` set every style falls back to modifiers only (bold,
//! reversed, underlined, dim), so nothing the person needs depends on colour.

use ratatui::style::{Color, Modifier, Style};

/// The styles a frame uses, chosen once from `no_color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    no_color: bool,
}

impl Theme {
    /// The theme for a model's colour setting.
    pub fn new(no_color: bool) -> Self {
        Theme { no_color }
    }

    fn colour(self, colour: Color, fallback: Modifier) -> Style {
        if self.no_color {
            Style::new().add_modifier(fallback)
        } else {
            Style::new().fg(colour)
        }
    }

    /// Plain text.
    pub fn text(self) -> Style {
        Style::new()
    }

    /// Headings and titles.
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Secondary text: hints, labels of done steps.
    pub fn dim(self) -> Style {
        if self.no_color {
            Style::new().add_modifier(Modifier::DIM)
        } else {
            Style::new().fg(Color::DarkGray)
        }
    }

    /// Where the person is: the current step, the focused field, the selected row.
    pub fn focus(self) -> Style {
        if self.no_color {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        }
    }

    /// Something done or valid.
    pub fn ok(self) -> Style {
        self.colour(Color::Green, Modifier::empty())
    }

    /// Something that needs attention (not an error yet): offers, stalls.
    pub fn warn(self) -> Style {
        self.colour(Color::Yellow, Modifier::BOLD)
    }

    /// Something wrong: an invalid field, a refusal.
    pub fn error(self) -> Style {
        self.colour(Color::Red, Modifier::BOLD)
    }

    /// Keys in the footer.
    pub fn key(self) -> Style {
        self.colour(Color::Cyan, Modifier::BOLD)
    }

    /// Money and other figures that matter.
    pub fn figure(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Borders of panels.
    pub fn border(self) -> Style {
        if self.no_color {
            Style::new()
        } else {
            Style::new().fg(Color::Gray)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_uses_no_colours() {
        let theme = Theme::new(true);
        for style in [
            theme.text(),
            theme.title(),
            theme.dim(),
            theme.focus(),
            theme.ok(),
            theme.warn(),
            theme.error(),
            theme.key(),
            theme.figure(),
            theme.border(),
        ] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert!(theme.focus().add_modifier.contains(Modifier::REVERSED));
    }
}
