//! Panels over the screen: help and guidance for the current step, the quit
//! confirmation and the resume offer.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::core::flow::StepName;

use super::format::pad;
use super::keymap::{self, Binding, Hint, Key};
use super::screens::submit::dates;
use super::widgets::header::mode_step_key;
use super::widgets::{panel, text};
use super::{Action, MIN_HEIGHT, MIN_WIDTH, Model, Overlay, followup, guide};

/// What a key asks of an overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Yes: quit anyway, or resume the journalled cancellation.
    Yes,
    /// No: stay, or start a new cancellation.
    No,
    /// Scroll the help or guidance by this many lines.
    Scroll(i16),
    /// Close the help or guidance.
    Close,
}

const YES: &[Key] = &[Key::Code(KeyCode::Char('y')), Key::Code(KeyCode::Enter)];
const NO: &[Key] = &[Key::Code(KeyCode::Char('n')), Key::Code(KeyCode::Esc)];

/// "Quit while an order is with the carrier?"
pub const QUIT_KEYS: &[Binding<(), Intent>] = &[
    Binding::new(YES, Intent::Yes).hint("y/Enter", "key.quit_anyway"),
    Binding::new(NO, Intent::No).hint("n/Esc", "key.stay"),
];

/// "Resume the unfinished cancellation?"
pub const RESUME_KEYS: &[Binding<(), Intent>] = &[
    Binding::new(YES, Intent::Yes).hint("y/Enter", "resume.resume"),
    Binding::new(NO, Intent::No).hint("n/Esc", "resume.new"),
];

/// Help and guidance: scrolling, and every key that opened them closes them.
pub const READING_KEYS: &[Binding<(), Intent>] = &[
    Binding::new(
        &[Key::Code(KeyCode::Up), Key::Code(KeyCode::Char('k'))],
        Intent::Scroll(-1),
    )
    .hint("↑↓", "key.scroll"),
    Binding::new(
        &[Key::Code(KeyCode::Down), Key::Code(KeyCode::Char('j'))],
        Intent::Scroll(1),
    ),
    Binding::new(
        &[Key::Code(KeyCode::PageDown), Key::Code(KeyCode::Char(' '))],
        Intent::Scroll(10),
    ),
    Binding::new(&[Key::Code(KeyCode::PageUp)], Intent::Scroll(-10)),
    Binding::new(
        &[
            Key::Code(KeyCode::Esc),
            Key::Code(KeyCode::Enter),
            Key::Code(KeyCode::Char('q')),
            Key::Code(KeyCode::Char('?')),
            Key::Code(KeyCode::Char('g')),
            Key::Code(KeyCode::F(1)),
            Key::Code(KeyCode::F(2)),
        ],
        Intent::Close,
    )
    .hint("Esc", "key.close"),
];

/// The key table of an overlay.
pub fn keys(which: Overlay) -> &'static [Binding<(), Intent>] {
    match which {
        Overlay::QuitConfirm => QUIT_KEYS,
        Overlay::ResumeOffer => RESUME_KEYS,
        Overlay::Help | Overlay::Guidance => READING_KEYS,
        // Its own table, of its own intents (`dates::KEYS`).
        Overlay::DateCost | Overlay::FollowUpDue => &[],
    }
}

/// The footer hints of an open overlay.
pub fn hints(model: &Model, which: Overlay) -> Vec<Hint> {
    match which {
        Overlay::DateCost => return keymap::hints(dates::KEYS, &(), &model.state),
        Overlay::FollowUpDue => return followup::hints(model),
        _ => {}
    }
    keymap::hints(keys(which), &(), &model.state)
}

/// The i18n key of a step's help.
fn help_key(step: Option<StepName>) -> &'static str {
    match step {
        Some(StepName::Login) => "help.login",
        Some(StepName::SelectPlan) => "help.select_plan",
        Some(StepName::Submit) => "help.submit",
        Some(StepName::Pay) => "help.pay",
        Some(StepName::Await) => "help.await",
        Some(StepName::Terminated) => "help.terminated",
        None => "help.blocked",
    }
}

/// The i18n key of a guided step's help.
fn guided_help_key(step: Option<StepName>) -> &'static str {
    match step {
        Some(StepName::Login) => "help.guided_login",
        Some(StepName::SelectPlan) => "help.guided_select_plan",
        Some(StepName::Submit) => "help.guided_submit",
        Some(StepName::Pay) => "help.guided_pay",
        Some(StepName::Await) => "help.guided_await",
        Some(StepName::Terminated) => "help.guided_terminated",
        None => "help.blocked",
    }
}

/// The step the help and guidance are about (`None` when blocked).
fn topic(model: &Model) -> Option<StepName> {
    model.state.step.name()
}

/// Lines of the help or guidance text, wrapped to `cols`.
fn body_lines(model: &Model, which: Overlay, cols: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let source = match which {
        Overlay::Help if model.state.mode == crate::core::flow::Mode::Guided => {
            model.t(guided_help_key(topic(model))) + "\n\n" + &model.t("help.guided_keys")
        }
        Overlay::Help => model.t(help_key(topic(model))) + "\n\n" + &model.t("help.keys"),
        Overlay::Guidance if model.state.mode == crate::core::flow::Mode::Guided => {
            guide::guided(model.lang).to_owned()
        }
        Overlay::Guidance => guide::text(model.lang, topic(model)).to_owned(),
        Overlay::QuitConfirm | Overlay::ResumeOffer | Overlay::DateCost | Overlay::FollowUpDue => {
            String::new()
        }
    };
    let mut out = Vec::new();
    for raw in source.lines() {
        if let Some(heading) = raw.strip_prefix("## ") {
            out.extend(text::wrapped(heading, cols, theme.title()));
        } else if let Some(item) = raw.strip_prefix("- ") {
            out.extend(text::hanging("• ", item, cols, theme.text()));
        } else {
            out.extend(text::wrapped(raw, cols, theme.text()));
        }
    }
    out
}

/// Draws an overlay over `area`.
pub fn render(frame: &mut Frame, area: Rect, model: &Model, which: Overlay) {
    let theme = model.theme();
    // The whole body is cleared first: a panel over part of a line of
    // Chinese text would leave half a wide character at its edge.
    frame.render_widget(Clear, area);
    match which {
        Overlay::DateCost => return dates::render_overlay(frame, area, model),
        Overlay::FollowUpDue => return followup::render(frame, area, model),
        _ => {}
    }
    if matches!(which, Overlay::QuitConfirm | Overlay::ResumeOffer) {
        const WIDTH: u16 = 64;
        let (title, body) = match which {
            Overlay::ResumeOffer => (model.t("resume.title"), resume_text(model)),
            _ => (model.t("quit.title"), model.t("quit.order_kept")),
        };
        let block = panel(title, theme.warn());
        // Inner width: the box less its borders and padding.
        let cols = WIDTH.min(area.width).saturating_sub(4);
        let mut lines = text::wrapped(&body, cols, theme.text());
        lines.push(Line::raw(""));
        // The answers, from the same table as the keys and the footer.
        for hint in hints(model, which) {
            lines.push(Line::from(vec![
                Span::styled(pad(hint.keys, 8), theme.key()),
                Span::raw(model.t(hint.does)),
            ]));
        }
        centred_panel(frame, area, WIDTH, block, lines);
        return;
    }
    let rect = area;
    let step_name = match topic(model) {
        Some(step) => model.t(mode_step_key(model.state.mode, step)),
        None => model.t("help.blocked_title"),
    };
    let title_key = match which {
        Overlay::Help => "help.title",
        _ => "guide.title",
    };
    let block = panel(model.tr(title_key, &[("step", step_name)]), theme.key());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines = body_lines(model, which, inner.width);
    let max = max_scroll(lines.len(), inner.height);
    let scroll = usize::from(model.ui.scroll).min(max);
    let more_below = scroll < max;
    let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
    text::draw(frame, inner, shown);
    if more_below && rect.height > 0 {
        let hint = format!(" {} ", model.t("overlay.more"));
        let w = crate::ui::format::width(&hint) as u16;
        let at = Rect {
            x: rect.right().saturating_sub(w + 2),
            y: rect.bottom() - 1,
            width: w,
            height: 1,
        };
        frame.render_widget(Paragraph::new(Span::styled(hint, theme.dim())), at);
    }
}

/// Draws `block` holding `lines`, `width` columns wide and as tall as its
/// lines, in the middle of `area`.
pub(crate) fn centred_panel(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    block: ratatui::widgets::Block<'static>,
    lines: Vec<Line<'static>>,
) {
    let height = (lines.len() as u16 + 2).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    text::draw(frame, inner, lines);
}

fn max_scroll(lines: usize, height: u16) -> usize {
    lines.saturating_sub(usize::from(height))
}

/// The resume question, from the journalled state.
fn resume_text(model: &Model) -> String {
    let Some(state) = &model.resume else {
        return String::new();
    };
    let facts = &state.facts;
    let guided = facts.guided.as_ref();
    let name = match guided {
        Some(case) => case.package.as_ref().map(|p| p.name.as_str()),
        None => facts.choice.plan.as_ref().map(|p| p.name.as_str()),
    };
    let plan = match name {
        Some(name) => format!("“{name}”"),
        None => model.t("resume.no_plan"),
    };
    let carrier = facts
        .carrier()
        .map(|c| match model.lang {
            crate::ui::Lang::Zh => c.name_zh(),
            crate::ui::Lang::En => c.name_en(),
        })
        .unwrap_or_default();
    let number = facts.msisdn().map(|m| m.masked()).unwrap_or_default();
    let stage = model.t(mode_step_key(state.mode, state.last_step));
    let order = facts
        .progress
        .order
        .as_ref()
        .map(|o| model.tr("resume.order", &[("order", o.id.clone())]))
        .or_else(|| guided.map(|c| model.tr("resume.case", &[("case", c.case_id.clone())])))
        .unwrap_or_default();
    // A guided case has no login to redo and no carrier call to repeat.
    let body = if guided.is_some() {
        "resume.body_guided"
    } else {
        "resume.body"
    };
    model.tr(
        body,
        &[
            ("plan", plan),
            ("carrier", carrier.to_owned()),
            ("number", number),
            ("stage", stage),
            ("order", order),
        ],
    )
}

/// Keys while an overlay is open.
pub fn on_key(model: &mut Model, which: Overlay, key: KeyEvent) -> Option<Action> {
    match which {
        Overlay::DateCost => return dates::on_key(model, key),
        Overlay::FollowUpDue => return followup::on_key(model, key),
        _ => {}
    }
    let intent = keymap::resolve(keys(which), &(), &model.state, &key)?;
    match (which, intent) {
        // Continuing a case comes first: follow-ups due show next start.
        (Overlay::ResumeOffer, Intent::Yes) => {
            model.ui.overlay = None;
            Some(Action::Resume)
        }
        (Overlay::ResumeOffer, Intent::No) => {
            model.ui.overlay = None;
            model.resume = None;
            followup::after_resume_offer(model);
            None
        }
        (_, Intent::Yes) => Some(Action::Quit),
        (_, Intent::No) => {
            model.ui.overlay = None;
            None
        }
        (_, Intent::Scroll(by)) => {
            scroll(model, which, by);
            None
        }
        (_, Intent::Close) => {
            model.ui.overlay = None;
            model.ui.scroll = 0;
            None
        }
    }
}

/// Scrolls the help or guidance by `by` lines, within its text.
fn scroll(model: &mut Model, which: Overlay, by: i16) {
    // The text's length at the smallest layout bounds the scroll, so Up
    // answers at once after scrolling past the end.
    let lines = body_lines(model, which, MIN_WIDTH - 4).len();
    let visible = usize::from(MIN_HEIGHT).saturating_sub(6);
    let most = u16::try_from(max_scroll(lines, visible as u16)).unwrap_or(u16::MAX);
    model.ui.scroll = model.ui.scroll.saturating_add_signed(by).min(most);
}
