//! The first question when no mode was configured: cancel a real package
//! through the carrier's official channels (guided), or practise on the
//! sandbox carrier. Asked once (`Model::ask_mode`); the header then shows
//! the mode on every screen.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

use crate::core::flow::{Event, Mode};

use super::keymap::{self, Binding, Key};
use super::state::UiState;
use super::widgets::{panel, text};
use super::{Action, Model};

/// What a key asks of the mode question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Highlight the other answer.
    Toggle,
    /// Take the highlighted answer.
    Choose,
}

/// The mode question's keys.
pub const KEYS: &[Binding<UiState, Intent>] = &[
    Binding::new(
        &[
            Key::Code(KeyCode::Up),
            Key::Code(KeyCode::Down),
            Key::Code(KeyCode::Tab),
            Key::Code(KeyCode::BackTab),
        ],
        Intent::Toggle,
    )
    .hint("↑↓", "key.choose"),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Choose).hint("Enter", "key.g_start"),
];

/// Keys while the question shows: the answer is the core's `ChooseMode`.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    match keymap::resolve(KEYS, &model.ui, &model.state, &key)? {
        Intent::Toggle => {
            model.ui.guided.choose_guided = !model.ui.guided.choose_guided;
            None
        }
        Intent::Choose => {
            model.ask_mode = false;
            let mode = if model.ui.guided.choose_guided {
                Mode::Guided
            } else {
                Mode::Api
            };
            Some(Action::Core(Event::ChooseMode(mode)))
        }
    }
}

/// Draws the question as a panel over `area`.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let width = area.width.saturating_sub(4).min(72);
    let [rect] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let block = panel(model.t("mode.title"), theme.border());
    let w = width.saturating_sub(4);
    let mut lines: Vec<Line> = text::wrapped(&model.t("mode.intro"), w, theme.text());
    let answers = [
        (true, "mode.guided", "mode.guided_note"),
        (false, "mode.sandbox", "mode.sandbox_note"),
    ];
    for (guided, title, note) in answers {
        lines.push(Line::raw(""));
        let chosen = model.ui.guided.choose_guided == guided;
        let (mark, style) = if chosen {
            ("› ", theme.focus())
        } else {
            ("  ", theme.text())
        };
        for (i, line) in text::hanging(mark, &model.t(title), w, style)
            .into_iter()
            .enumerate()
        {
            // The mark in the key colour, the answer in its own.
            let mut spans = line.spans;
            if i == 0 && !spans.is_empty() {
                spans[0] = Span::styled(mark, theme.key());
            }
            lines.push(Line::from(spans));
        }
        lines.extend(text::hanging("  ", &model.t(note), w, theme.dim()));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let [rect] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(rect);
    frame.render_widget(Clear, rect);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    text::draw(frame, inner, lines);
}
