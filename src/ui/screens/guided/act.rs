//! Guided step 3, act through the channel: the channel's steps exactly as
//! the channel data has them (number, command, notes, the alternatives where
//! sources disagree, low-reliability steps marked), what the channel cannot
//! do, the reply for a package picked from a list, a confirmation prompt the
//! carrier sent (what to reply, to whom, before when), a QR code of the text
//! to send or the number to call, and the paste area. A refusal says why
//! and offers the next channel.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::channels::{Channel, Reliability, Step as ChannelStep};
use crate::core::flow::guided::{GuidedCase, Statement};
use crate::core::flow::{Event, State};
use crate::ui::keymap::{Binding, Key};
use crate::ui::state::{Entry, UiState};
use crate::ui::widgets::{qr, text};
use crate::ui::{Action, Model};

use super::{
    Intent, Table, case, channel_name, draw_with_fields, entry_field, guide, has_other_channel,
    inner, kind_name, paste_lines, refusal_lines, scrolled, verdict_lines,
};

/// The guided Act screen's keys.
pub const KEYS: Table = &[
    Binding::new(&[Key::Plain('a')], Intent::Acted).hint("a", "key.g_acted"),
    Binding::new(&[Key::Plain('r')], Intent::Reference).hint("r", "key.g_reference"),
    Binding::new(&[Key::Plain('c')], Intent::Copy)
        .when(can_copy)
        .hint("c", "key.g_copy"),
    Binding::new(&[Key::Plain('o')], Intent::OtherChannel)
        .when(has_other_channel)
        .hint("o", "key.g_other_channel"),
    Binding::new(&[Key::Plain('f')], Intent::Sender).hint("f", "key.g_sender"),
    Binding::new(&[Key::Code(KeyCode::Up)], Intent::Scroll(-1)).hint("↑↓", "key.scroll"),
    Binding::new(&[Key::Code(KeyCode::Down)], Intent::Scroll(1)),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::Back)
        .when(not_acted)
        .hint("Esc", "key.back"),
];

fn can_copy(_: &UiState, state: &State) -> bool {
    to_send(state).is_some()
}

fn not_acted(_: &UiState, state: &State) -> bool {
    case(state).is_some_and(|c| c.acted_at.is_none() && c.acceptance.is_none())
}

/// A text to send and where: the carrier's confirmation prompt's reply,
/// else the list key of the package picked, else the channel's first
/// command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToSend {
    /// The number to send it to, when known.
    pub to: Option<String>,
    /// The exact text.
    pub text: String,
}

/// What `c` copies and the QR code encodes, see [`ToSend`].
pub fn to_send(state: &State) -> Option<ToSend> {
    let case = case(state)?;
    if let Some(reply) = &case.reply
        && let Some(text) = &reply.text
    {
        return Some(ToSend {
            to: Some(reply.to.clone()),
            text: text.clone(),
        });
    }
    if let Some((to, key)) = list_reply(case) {
        return Some(ToSend {
            to: Some(to),
            text: key,
        });
    }
    let step = guide(state)?
        .steps(case.channel)
        .iter()
        .find(|s| s.command().is_some())?;
    Some(ToSend {
        to: step.number().map(str::to_owned),
        text: step.command()?.to_owned(),
    })
}

/// For a package picked from a list by SMS: its key, to the list's sender.
fn list_reply(case: &GuidedCase) -> Option<(String, String)> {
    if case.channel != Channel::Sms {
        return None;
    }
    let key = case.package.as_ref()?.key.clone()?;
    Some((case.reply.as_ref()?.to.clone(), key))
}

/// What the QR code holds: the SMS to send (`SMSTO:`), or for the hotline
/// the number to call (`tel:`).
pub fn qr_data(state: &State) -> Option<String> {
    let case = case(state)?;
    if case.channel == Channel::Hotline {
        let number = guide(state)?
            .steps(Channel::Hotline)
            .iter()
            .find_map(ChannelStep::number)?;
        return Some(format!("tel:{number}"));
    }
    let send = to_send(state)?;
    Some(format!("SMSTO:{}:{}", send.to?, send.text))
}

/// Keys of the screen (the shared guided keys are handled before).
pub(super) fn on_key(model: &mut Model, intent: Intent) -> Option<Action> {
    match intent {
        Intent::Acted => Some(Action::Core(Event::Say(Statement::Acted))),
        Intent::Reference => {
            model.ui.guided.entry = Some(Entry::Reference);
            None
        }
        Intent::Copy => to_send(&model.state).map(|s| Action::Copy(s.text)),
        _ => None,
    }
}

/// Draws the guided Act screen: the instructions, scrollable, with the QR
/// code beside them when there is room.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let area = inner(area);
    let data = qr_data(&model.state);
    let qr_w = data.as_deref().and_then(qr::size).map_or(0, |(w, _)| w);
    // The instructions need the room more than the code does.
    let drawn = qr_w > 0
        && area.width >= qr_w + 2 + 44
        && data
            .as_deref()
            .is_some_and(|d| qr::render(frame, right(area, qr_w), d, theme, model.no_color));
    let text_area = if drawn {
        Rect {
            width: area.width - qr_w - 2,
            ..area
        }
    } else {
        area
    };
    let w = text_area.width;
    let mut lines = top_lines(model, w);
    lines.extend(paste_lines(model, w, true));
    lines.extend(step_lines(model, w));
    let lines = scrolled(lines, model.ui.guided.scroll);
    let fields = entry_field(model).into_iter().collect();
    draw_with_fields(frame, text_area, lines, fields, theme);
}

/// The QR code's place: the right edge of `area`.
fn right(area: Rect, qr_w: u16) -> Rect {
    Rect {
        x: area.right().saturating_sub(qr_w),
        width: qr_w,
        ..area
    }
}

/// The channel, what to reply now, what the last paste meant, a refusal.
fn top_lines(model: &Model, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let Some(case) = case(&model.state) else {
        return Vec::new();
    };
    let mut lines = text::wrapped_at_most(
        &model.tr(
            "guided.act.title",
            &[
                ("channel", channel_name(model.lang, case.channel)),
                ("kind", kind_name(model.lang, case.kind)),
                (
                    "package",
                    case.package
                        .as_ref()
                        .map_or("", |p| p.name.as_str())
                        .to_owned(),
                ),
            ],
        ),
        w,
        2,
        theme.title(),
    );
    if let Some(reply) = &case.reply
        && let Some(reply_text) = &reply.text
    {
        let mut ask = model.tr(
            "sms.reply",
            &[("text", reply_text.as_str()), ("to", reply.to.as_str())],
        );
        if let Some(minutes) = reply.deadline_minutes {
            ask.push_str(&model.tr("sms.reply_deadline", &[("minutes", minutes.to_string())]));
        }
        lines.extend(text::wrapped(&format!("» {ask}"), w, theme.focus()));
    } else if let Some((to, key)) = list_reply(case) {
        let ask = model.tr("guided.act.list_reply", &[("key", key), ("to", to)]);
        lines.extend(text::wrapped(&format!("» {ask}"), w, theme.focus()));
    }
    lines.extend(verdict_lines(model, w));
    lines.extend(refusal_lines(model, w));
    lines
}

/// The channel's steps, each with its number and command, note,
/// alternatives and reliability; then what it cannot do, and for a call or
/// a visit what to ask for.
fn step_lines(model: &Model, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let (Some(case), Some(guide)) = (case(&model.state), guide(&model.state)) else {
        return Vec::new();
    };
    let lang = model.lang;
    let mut lines = vec![Line::styled(model.t("guided.act.steps"), theme.title())];
    for (i, step) in guide.steps(case.channel).iter().enumerate() {
        lines.extend(text::hanging(
            &format!("{} ", i + 1),
            step.text(lang),
            w,
            theme.text(),
        ));
        lines.extend(step_details(model, step, w));
        for alt in step.alternatives() {
            lines.extend(text::hanging(
                &format!("  {} ", model.t("guided.act.or")),
                alt.text(lang),
                w,
                theme.dim(),
            ));
            lines.extend(step_details(model, alt, w));
        }
    }
    let limits = guide.cannot(case.channel);
    if !limits.is_empty() {
        lines.push(Line::styled(model.t("guided.act.cannot"), theme.title()));
        for limit in limits {
            lines.extend(text::hanging("• ", limit.text(lang), w, theme.dim()));
        }
    }
    if matches!(case.channel, Channel::Hotline | Channel::Hall) {
        lines.extend(text::hanging(
            "☎ ",
            &model.t("guided.act.script"),
            w,
            theme.warn(),
        ));
    }
    lines
}

/// Under a step: its number and command, its note, and a mark when the
/// source is weak.
fn step_details(model: &Model, step: &ChannelStep, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let mut lines = Vec::new();
    let send = match (step.number(), step.command()) {
        (Some(n), Some(c)) => Some(model.tr("guided.act.send", &[("to", n), ("text", c)])),
        (Some(n), None) => Some(model.tr("guided.act.number", &[("number", n)])),
        (None, Some(c)) => Some(model.tr("guided.act.command", &[("text", c)])),
        (None, None) => None,
    };
    if let Some(send) = send {
        lines.extend(text::hanging("  → ", &send, w, theme.figure()));
    }
    // The note itself says where sources disagree.
    if let Some(note) = step.note(model.lang) {
        lines.extend(text::hanging("  · ", note, w, theme.dim()));
    }
    if step.origin().reliability() == Reliability::Low {
        lines.extend(text::hanging(
            "  ⚠ ",
            &model.t("guided.act.low"),
            w,
            theme.warn(),
        ));
    }
    lines
}
