//! The "please enlarge the window" screen, shown instead of the step's
//! screen on a terminal below 80×24, and its keys.
//!
//! While it shows, the step behind it is hidden, so no key may act on it:
//! an Enter typed at a screen nobody can see must not submit or pay. Only
//! quitting and help work (and resizing, which the shell reports through
//! [`Model::set_viewport`](super::Model::set_viewport)). `q` quits here even
//! when the hidden step has the cursor in a text field, as the screen says.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;

use super::keymap::{self, Binding, Key};
use super::widgets::text;
use super::{Action, MIN_HEIGHT, MIN_WIDTH, Model, Overlay};

/// What a key asks while the size screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Quit (asking first when an order is with the carrier).
    Quit,
    /// Ctrl-C: as [`Intent::Quit`]; a second one forces the quit.
    Interrupt,
    /// Say why nothing else works.
    Help,
    /// Answer "quit now?" with yes.
    QuitAnyway,
    /// Close the question or the help.
    Close,
}

/// The only keys that act while the size screen shows.
pub const KEYS: &[Binding<Option<Overlay>, Intent>] = &[
    Binding::new(
        &[Key::Code(KeyCode::Char('y')), Key::Code(KeyCode::Enter)],
        Intent::QuitAnyway,
    )
    .when(asking_to_quit)
    .hint("y/Enter", "key.quit_anyway"),
    Binding::new(
        &[Key::Code(KeyCode::Char('n')), Key::Code(KeyCode::Esc)],
        Intent::Close,
    )
    .when(asking_to_quit)
    .hint("n/Esc", "key.stay"),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::Close)
        .when(reading)
        .hint("Esc", "key.close"),
    Binding::new(&[Key::Plain('q')], Intent::Quit)
        .when(not_asking)
        .hint("q", "key.quit"),
    Binding::new(&[Key::Plain('q')], Intent::QuitAnyway).when(asking_to_quit),
    Binding::new(&[Key::Ctrl('c')], Intent::Interrupt),
    Binding::new(&[Key::Plain('?'), Key::Code(KeyCode::F(1))], Intent::Help)
        .when(nothing_open)
        .hint("?", "key.help"),
];

fn asking_to_quit(open: &Option<Overlay>, _: &crate::core::flow::State) -> bool {
    *open == Some(Overlay::QuitConfirm)
}

fn not_asking(open: &Option<Overlay>, state: &crate::core::flow::State) -> bool {
    !asking_to_quit(open, state)
}

fn reading(open: &Option<Overlay>, _: &crate::core::flow::State) -> bool {
    matches!(open, Some(Overlay::Help | Overlay::Guidance))
}

fn nothing_open(open: &Option<Overlay>, _: &crate::core::flow::State) -> bool {
    open.is_none()
}

/// Keys while the size screen shows: everything but [`KEYS`] is refused.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    let intent = keymap::resolve(KEYS, &model.ui.overlay, &model.state, &key);
    if intent != Some(Intent::Interrupt) {
        model.ui.ctrl_c_armed = false;
    }
    match intent? {
        Intent::Interrupt => super::interrupt(model),
        Intent::Quit => super::request_quit(model),
        Intent::QuitAnyway => Some(Action::Quit),
        Intent::Help => {
            model.ui.overlay = Some(Overlay::Help);
            model.ui.scroll = 0;
            None
        }
        Intent::Close => {
            model.ui.overlay = None;
            None
        }
    }
}

/// Draws the size screen: what size is needed, the quit question or the
/// help when open, and the keys that work (from [`KEYS`]).
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let size = [
        ("w", area.width.to_string()),
        ("h", area.height.to_string()),
        ("min_w", MIN_WIDTH.to_string()),
        ("min_h", MIN_HEIGHT.to_string()),
    ];
    let mut lines = text::wrapped(&model.t("small.title"), area.width, theme.title());
    lines.extend(text::wrapped(
        &model.tr("small.size", &size),
        area.width,
        theme.text(),
    ));
    match model.ui.overlay {
        Some(Overlay::QuitConfirm) => {
            lines.push(Line::raw(""));
            lines.extend(text::wrapped(
                &model.t("quit.title"),
                area.width,
                theme.warn(),
            ));
            lines.extend(text::wrapped(
                &model.t("quit.order_kept"),
                area.width,
                theme.text(),
            ));
        }
        Some(Overlay::Help | Overlay::Guidance) => {
            lines.push(Line::raw(""));
            lines.extend(text::wrapped(
                &model.t("small.help"),
                area.width,
                theme.text(),
            ));
        }
        Some(Overlay::ResumeOffer | Overlay::DateCost | Overlay::FollowUpDue) | None => {}
    }
    let keys: Vec<String> = keymap::hints(KEYS, &model.ui.overlay, &model.state)
        .into_iter()
        .map(|h| format!("{} {}", h.keys, model.t(h.does)))
        .collect();
    lines.extend(text::wrapped(&keys.join("   "), area.width, theme.dim()));
    let h = (lines.len() as u16).min(area.height);
    let [rect] = Layout::vertical([Constraint::Length(h)])
        .flex(Flex::Center)
        .areas(area);
    let centred: Vec<Line> = lines.into_iter().map(|l| l.centered()).collect();
    text::draw(frame, rect, centred);
}
