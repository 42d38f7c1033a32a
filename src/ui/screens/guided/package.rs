//! Guided step 2, the package: how to get the carrier's list for this
//! channel (China Mobile by SMS: `0000` to 10086, replies from 10086977,
//! often two messages — paste both), the paste area, the parsed list to
//! pick from, and a form to type the package by hand. Always on screen:
//! never reply 是 (it orders) and never a number not in the list; and what
//! the last paste meant (an opt-out of reminders is not a cancellation).

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::core::channels::Channel;
use crate::core::flow::{Event, State};
use crate::core::sms::Product;
use crate::ui::format::{fit, pad, pad_left, width};
use crate::ui::keymap::{Binding, Key};
use crate::ui::state::{Entry, HandField, UiState};
use crate::ui::widgets::field::Field;
use crate::ui::widgets::{panel, text};
use crate::ui::{Action, Model};

use super::{
    Intent, Table, case, draw_form, draw_with_fields, entry_field, guide, has_other_channel, inner,
    input_field, paste_lines, verdict_lines,
};

/// The guided Package screen's keys.
pub const KEYS: Table = &[
    Binding::new(&[Key::Code(KeyCode::Up)], Intent::Move(false))
        .when(several)
        .hint("↑↓", "key.choose"),
    Binding::new(&[Key::Code(KeyCode::Down)], Intent::Move(true)).when(several),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Go)
        .when(listed)
        .hint("Enter", "key.g_pick"),
    Binding::new(&[Key::Plain('h')], Intent::ByHand).hint("h", "key.g_by_hand"),
    Binding::new(&[Key::Plain('f')], Intent::Sender).hint("f", "key.g_sender"),
    Binding::new(&[Key::Plain('o')], Intent::OtherChannel)
        .when(has_other_channel)
        .hint("o", "key.g_other_channel"),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::Back).hint("Esc", "key.back"),
];

fn products(state: &State) -> &[Product] {
    case(state).map_or(&[], |c| c.listed.as_slice())
}

fn listed(_: &UiState, state: &State) -> bool {
    !products(state).is_empty()
}

fn several(_: &UiState, state: &State) -> bool {
    products(state).len() > 1
}

/// Keys of the screen (the shared guided keys are handled before).
pub(super) fn on_key(model: &mut Model, intent: Intent) -> Option<Action> {
    let count = products(&model.state).len();
    let g = &mut model.ui.guided;
    match intent {
        Intent::Move(forward) if count > 0 => {
            let at = g.listed.min(count - 1);
            g.listed = match forward {
                true => (at + 1) % count,
                false => (at + count - 1) % count,
            };
        }
        Intent::Go if count > 0 => {
            return Some(Action::Core(Event::PickPackage {
                index: g.listed.min(count - 1),
            }));
        }
        Intent::ByHand => g.entry = Some(Entry::Hand(HandField::Name)),
        _ => {}
    }
    None
}

/// Draws the guided Package screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let area = inner(area);
    let w = area.width;
    let mut lines = how_lines(model, w);
    lines.extend(text::wrapped(
        &format!("⚠ {}", model.t("guided.package.never")),
        w,
        theme.warn(),
    ));
    lines.extend(verdict_lines(model, w));
    let fields = hand_fields(model);
    if fields.is_empty() {
        lines.extend(paste_lines(model, w, true));
    }
    let top = lines.len() as u16;
    text::draw(frame, area, lines);
    let rest = Rect {
        y: area.y + top.min(area.height),
        height: area.height.saturating_sub(top),
        ..area
    };
    if !fields.is_empty() {
        let intro = text::wrapped(&model.t("guided.package.hand_intro"), w, theme.title());
        draw_form(frame, rest, intro, &fields, Vec::new(), theme);
        return;
    }
    let entry: Vec<Field> = entry_field(model).into_iter().collect();
    let list_h = rest
        .height
        .saturating_sub(if entry.is_empty() { 0 } else { 2 });
    list(
        frame,
        Rect {
            height: list_h,
            ..rest
        },
        model,
    );
    if !entry.is_empty() {
        draw_with_fields(frame, rest, Vec::new(), entry, theme);
    }
}

/// How to get the list through this channel: for an SMS query, the
/// carrier's own steps (what to send, who answers); else where to read it.
fn how_lines(model: &Model, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let (Some(case), Some(guide)) = (case(&model.state), guide(&model.state)) else {
        return Vec::new();
    };
    let steps = guide.steps(case.channel);
    let query = steps
        .first()
        .filter(|s| case.channel == Channel::Sms && s.command().is_some());
    let mut lines = Vec::new();
    match query {
        Some(first) => {
            lines.extend(text::hanging_at_most(
                "1 ",
                first.text(model.lang),
                w,
                2,
                theme.text(),
            ));
            if let Some(second) = steps
                .get(1)
                .filter(|s| s.number().is_some() && s.command().is_none())
            {
                lines.extend(text::hanging_at_most(
                    "2 ",
                    second.text(model.lang),
                    w,
                    3,
                    theme.text(),
                ));
            }
        }
        None => {
            let key = match case.channel {
                Channel::Sms => "guided.package.how_sms",
                Channel::App => "guided.package.how_app",
                Channel::Hotline | Channel::Hall => "guided.package.how_ask",
            };
            lines.extend(text::wrapped_at_most(&model.t(key), w, 3, theme.text()));
        }
    }
    lines
}

/// The parsed list in a panel: name and monthly fee, the highlighted row
/// marked; or what to do while there is none.
fn list(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    if area.height < 3 {
        return;
    }
    let products = products(&model.state);
    let block = panel(model.t("guided.package.list"), theme.border());
    let w = usize::from(block.inner(area).width);
    let mut out: Vec<Line> = Vec::new();
    if products.is_empty() {
        out.extend(text::wrapped(
            &model.t("guided.package.none_yet"),
            w as u16,
            theme.dim(),
        ));
    }
    let fee_w = 14;
    let selected = model.ui.guided.listed.min(products.len().saturating_sub(1));
    // Keep the highlighted row in view in a short panel.
    let room = usize::from(area.height.saturating_sub(2)).max(1);
    let first = selected.saturating_sub(room - 1);
    for (i, p) in products.iter().enumerate().skip(first) {
        let mark = if i == selected { "› " } else { "  " };
        let key = p.key.as_deref().unwrap_or("");
        let head = format!("{mark}{} ", pad(&fit(key, 3), 3));
        let fee = p.monthly_fee_fen.map_or_else(String::new, |f| {
            model.tr("sms.per_month", &[("fee", f.to_string())])
        });
        let name_w = w.saturating_sub(width(&head) + fee_w + 1);
        let style = if i == selected {
            theme.focus()
        } else {
            theme.text()
        };
        out.push(Line::from(vec![
            Span::styled(head, theme.key()),
            Span::styled(pad(&fit(&p.name, name_w), name_w), style),
            Span::raw(" "),
            Span::styled(pad_left(&fit(&fee, fee_w), fee_w), theme.figure()),
        ]));
    }
    crate::ui::widgets::fitted_panel(frame, area, block, out);
}

/// The hand-typed package's fields, when that form is open.
fn hand_fields(model: &Model) -> Vec<Field> {
    let g = &model.ui.guided;
    let Some(Entry::Hand(at)) = g.entry else {
        return Vec::new();
    };
    let [name, fee, end] = &g.hand;
    vec![
        input_field(
            model,
            "guided.package.name",
            name,
            "guided.package.name_hint",
            at == HandField::Name,
        ),
        input_field(
            model,
            "guided.package.fee",
            fee,
            "guided.package.fee_hint",
            at == HandField::Fee,
        ),
        input_field(
            model,
            "guided.package.end",
            end,
            "guided.entry.date_hint",
            at == HandField::End,
        ),
    ]
}
