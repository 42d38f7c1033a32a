//! Guided mode's screens: the same six steps when the person acts through
//! the carrier's official channels and the wizard reads back what the
//! carrier sends (`core::flow::guided`). One module per step; this one
//! dispatches to them and holds what they share — the paste area, the
//! one-line entries (sender, reference, effective date, the hand-typed
//! package), the verdict of the last paste and the channel switch.
//!
//! A paste on these screens is taken whole, newlines and all, as one carrier
//! text ([`paste`]); only an open one-line entry gets it typed instead.

pub mod act;
pub mod awaiting;
pub mod done;
pub mod identify;
pub mod package;
pub mod quote;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::channels::{self, Channel, Guide, Kind as PackageKind};
use crate::core::fees::Fen;
use crate::core::flow::guided::{GuidedCase, Package, Source, Statement, Verdict};
use crate::core::flow::{Event, State, Step};
use crate::ui::format::date;
use crate::ui::keymap::{self, Binding, Hint, Key};
use crate::ui::state::{Entry, HandField, UiState};
use crate::ui::widgets::field::{self, Field, Validity};
use crate::ui::widgets::input::{Masking, TextInput};
use crate::ui::widgets::text;
use crate::ui::{Action, Lang, Model};

/// What a key asks of a guided screen (one vocabulary for all six).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Highlight the next (`true`) or previous row or choice.
    Move(bool),
    /// Change the focused choice to the next (`true`) or previous one.
    Change(bool),
    /// Move to the next (`true`) or previous field.
    Field(bool),
    /// Type into the focused field.
    Type,
    /// Continue: identify, pick, record, confirm — the screen's Enter.
    Go,
    /// Open the hand-typed package form.
    ByHand,
    /// Name the sender of the next paste.
    Sender,
    /// Act through another channel.
    OtherChannel,
    /// "I did it."
    Acted,
    /// Type the reference the carrier gave.
    Reference,
    /// "The carrier told me it is cancelled."
    Cancelled,
    /// Copy the command to send.
    Copy,
    /// Scroll the screen by this many lines.
    Scroll(i16),
    /// Stop following the case, with a receipt.
    Abandon,
    /// Back one step.
    Back,
    /// Close the open entry.
    Close,
    /// Done: quit.
    Finish,
    /// Write the follow-ups as a calendar file (the Done screen).
    Calendar,
    /// The cost of each date (the Fees screen).
    Dates,
}

/// A guided key table: its conditions see all the screens' forms.
pub type Table = &'static [Binding<UiState, Intent>];

/// The keys of an open one-line entry, on every guided screen.
pub const ENTRY_KEYS: Table = &[
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Go).hint("Enter", "key.g_save"),
    Binding::new(keymap::NEXT_FIELD, Intent::Field(true))
        .when(in_hand)
        .hint("Tab", "key.next_field"),
    Binding::new(keymap::PREV_FIELD, Intent::Field(false)).when(in_hand),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::Close).hint("Esc", "key.close"),
    Binding::new(&[Key::Any], Intent::Type),
];

fn in_hand(ui: &UiState, _: &State) -> bool {
    matches!(ui.guided.entry, Some(Entry::Hand(_)))
}

/// The guided case, once the person identified the line.
pub fn case(state: &State) -> Option<&GuidedCase> {
    state.facts.guided.as_ref()
}

/// The channel knowledge for the case's carrier and kind.
pub(crate) fn guide(state: &State) -> Option<&'static Guide> {
    let case = case(state)?;
    Some(channels::guide(state.facts.carrier()?, case.kind))
}

/// The key table in force: an open entry's, else the step's.
fn table(model: &Model) -> Table {
    if model.ui.guided.entry.is_some() {
        return ENTRY_KEYS;
    }
    match model.state.step {
        Step::Login { .. } => identify::KEYS,
        Step::SelectPlan { .. } => package::KEYS,
        Step::Submit { .. } => act::KEYS,
        Step::Pay { .. } => quote::KEYS,
        Step::Await { .. } => awaiting::KEYS,
        Step::Terminated { .. } | Step::Blocked { .. } => done::KEYS,
    }
}

/// Draws the guided screen of the current step (Blocked keeps the shared
/// screen: the case stopped, and it says why).
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    match model.state.step {
        Step::Login { .. } => identify::render(frame, area, model),
        Step::SelectPlan { .. } => package::render(frame, area, model),
        Step::Submit { .. } => act::render(frame, area, model),
        Step::Pay { .. } => quote::render(frame, area, model),
        Step::Await { .. } => awaiting::render(frame, area, model),
        Step::Terminated { .. } => done::render(frame, area, model),
        Step::Blocked { .. } => super::blocked::render(frame, area, model),
    }
}

/// The guided screens' keys.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    let intent = keymap::resolve(table(model), &model.ui, &model.state, &key)?;
    if model.ui.guided.entry.is_some() {
        return on_entry_key(model, intent, &key);
    }
    match intent {
        Intent::Scroll(by) => {
            let g = &mut model.ui.guided;
            g.scroll = g.scroll.saturating_add_signed(by);
            None
        }
        Intent::Sender => open(model, Entry::From),
        Intent::OtherChannel => other_channel(&model.state).map(|c| core(Event::ChooseChannel(c))),
        Intent::Back => Some(core(Event::Back)),
        Intent::Abandon => Some(core(Event::Abandon)),
        Intent::Finish => Some(Action::Quit),
        Intent::Calendar => Some(Action::Calendar),
        _ => match model.state.step {
            Step::Login { .. } => identify::on_key(model, intent, &key),
            Step::SelectPlan { .. } => package::on_key(model, intent),
            Step::Submit { .. } => act::on_key(model, intent),
            Step::Pay { .. } => quote::on_key(model, intent, &key),
            Step::Await { .. } => awaiting::on_key(model, intent),
            Step::Terminated { .. } | Step::Blocked { .. } => None,
        },
    }
}

/// The footer hints, from the same table as [`on_key`].
pub fn hints(model: &Model) -> Vec<Hint> {
    keymap::hints(table(model), &model.ui, &model.state)
}

/// Whether typed characters go to a field.
pub fn in_text_field(model: &Model) -> bool {
    let ui = &model.ui;
    ui.guided.entry.is_some()
        || match model.state.step {
            Step::Login { .. } => identify::in_text_field(ui, &model.state),
            Step::Pay { .. } => true,
            _ => false,
        }
}

/// A paste on a guided screen: whole, as one carrier text with the sender
/// the person named — unless a one-line entry (or the number) is open,
/// which gets it typed. `None` leaves the paste to the shared handling.
pub fn paste(model: &mut Model, text: &str) -> Option<Vec<Action>> {
    if model.ui.guided.entry.is_some() || matches!(model.state.step, Step::Login { .. }) {
        return None;
    }
    let from = Some(model.ui.guided.from.value().trim().to_owned()).filter(|f| !f.is_empty());
    Some(vec![core(Event::PasteSms {
        text: text.to_owned(),
        from,
    })])
}

fn core(event: Event) -> Action {
    Action::Core(event)
}

fn open(model: &mut Model, entry: Entry) -> Option<Action> {
    model.ui.guided.entry = Some(entry);
    None
}

/// Keys while a one-line entry is open: type, move between the hand form's
/// fields, save, close.
fn on_entry_key(model: &mut Model, intent: Intent, key: &KeyEvent) -> Option<Action> {
    let g = &mut model.ui.guided;
    let entry = g.entry?;
    match intent {
        Intent::Close => g.entry = None,
        Intent::Field(forward) => {
            if let Entry::Hand(at) = entry {
                g.entry = Some(Entry::Hand(super::next_in(&HandField::ALL, at, forward)));
            }
        }
        Intent::Type => {
            entry_input(g, entry).handle(key);
        }
        Intent::Go => return save(model, entry),
        _ => {}
    }
    None
}

/// The input an entry types into.
fn entry_input(g: &mut crate::ui::state::GuidedForms, entry: Entry) -> &mut TextInput {
    match entry {
        Entry::From => &mut g.from,
        Entry::Hand(at) => &mut g.hand[hand_index(at)],
        Entry::Reference | Entry::Cancelled => &mut g.line,
    }
}

fn hand_index(at: HandField) -> usize {
    match at {
        HandField::Name => 0,
        HandField::Fee => 1,
        HandField::End => 2,
    }
}

/// Enter in an entry: the sender is kept for the next paste; the others
/// become the core event they stand for (the core checks them; a refusal
/// comes back as the notice, and the text stays to correct).
fn save(model: &mut Model, entry: Entry) -> Option<Action> {
    let g = &mut model.ui.guided;
    let event = match entry {
        Entry::From => None,
        Entry::Hand(_) => match hand_package(g) {
            Ok(package) => Some(Event::EnterPackage(package)),
            Err(key) => {
                model.notice = Some(model.t(key));
                return None;
            }
        },
        Entry::Reference => Some(Event::Say(Statement::Reference {
            reference: g.line.value().trim().to_owned(),
        })),
        Entry::Cancelled => match optional_date(g.line.value()) {
            Ok(effective_date) => Some(Event::Say(Statement::Cancelled { effective_date })),
            Err(()) => {
                model.notice = Some(model.t("guided.bad_date"));
                return None;
            }
        },
    };
    model.ui.guided.entry = None;
    event.map(core)
}

/// The hand-typed package, or the i18n key of what is wrong with it.
fn hand_package(g: &crate::ui::state::GuidedForms) -> Result<Package, &'static str> {
    let [name, fee, end] = &g.hand;
    let monthly_fee = match fee.value().trim() {
        "" => None,
        typed => Some(Fen::parse_yuan(typed).map_err(|_| "guided.bad_fee")?),
    };
    let contract_end = optional_date(end.value()).map_err(|()| "guided.bad_date")?;
    Ok(Package {
        name: name.value().trim().to_owned(),
        monthly_fee,
        key: None,
        contract_end,
        source: Source::Statement,
    })
}

/// A `YYYY-MM-DD` date, or nothing typed.
pub(crate) fn optional_date(typed: &str) -> Result<Option<NaiveDate>, ()> {
    match typed.trim() {
        "" => Ok(None),
        typed => NaiveDate::parse_from_str(typed, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ()),
    }
}

/// The next channel after the case's that can do it, if any.
pub(crate) fn other_channel(state: &State) -> Option<Channel> {
    let (case, guide) = (case(state)?, guide(state)?);
    let at = Channel::ALL.iter().position(|c| *c == case.channel)?;
    (1..Channel::ALL.len())
        .filter_map(|i| Channel::ALL.get((at + i) % Channel::ALL.len()).copied())
        .find(|c| !guide.steps(*c).is_empty())
}

/// Another channel is there to switch to.
pub(crate) fn has_other_channel(_: &UiState, state: &State) -> bool {
    other_channel(state).is_some()
}

/// The name of a channel.
pub(crate) fn channel_name(lang: Lang, channel: Channel) -> String {
    crate::ui::i18n::t(
        lang,
        match channel {
            Channel::Sms => "guided.channel.sms",
            Channel::App => "guided.channel.app",
            Channel::Hotline => "guided.channel.hotline",
            Channel::Hall => "guided.channel.hall",
        },
    )
}

/// The name of a package kind.
pub(crate) fn kind_name(lang: Lang, kind: PackageKind) -> String {
    crate::ui::i18n::t(
        lang,
        match kind {
            PackageKind::DataPack => "guided.kind.data_pack",
            PackageKind::ValueAdded => "guided.kind.value_added",
            PackageKind::Broadband => "guided.kind.broadband",
            PackageKind::MainPlan => "guided.kind.main_plan",
        },
    )
}

/// What the last paste meant, in words, with what to do about it.
pub(crate) fn verdict_lines(model: &Model, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let Some(verdict) = case(&model.state).and_then(|c| c.verdict) else {
        return Vec::new();
    };
    let (key, style) = match verdict {
        Verdict::Listed => ("guided.verdict.listed", theme.ok()),
        Verdict::ReplyAsked => ("guided.verdict.reply_asked", theme.ok()),
        Verdict::Accepted => ("guided.verdict.accepted", theme.ok()),
        Verdict::Confirmed => ("guided.verdict.confirmed", theme.ok()),
        Verdict::OtherPackage => ("guided.verdict.other_package", theme.warn()),
        Verdict::Failed => ("guided.verdict.failed", theme.error()),
        Verdict::FeeRead => ("guided.verdict.fee_read", theme.text()),
        Verdict::OptOutOnly => ("guided.verdict.opt_out", theme.warn()),
        Verdict::Marketing => ("guided.verdict.marketing", theme.warn()),
        Verdict::LoginCode => ("guided.verdict.login_code", theme.warn()),
        Verdict::Unread => ("guided.verdict.unread", theme.dim()),
    };
    text::hanging_at_most(&model.t("guided.last_paste"), &model.t(key), w, 3, style)
}

/// The carrier's refusal in its words (cut at four lines), and the next
/// channel to try, when the case stands refused.
pub(crate) fn refusal_lines(model: &Model, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let Some(failure) = case(&model.state)
        .filter(|c| c.refused())
        .and_then(|c| c.failure.as_deref())
    else {
        return Vec::new();
    };
    let mut lines = text::hanging_at_most(
        "✗ ",
        &model.tr("guided.act.refused", &[("text", failure)]),
        w,
        4,
        theme.error(),
    );
    if let Some(next) = other_channel(&model.state) {
        let try_other = model.tr(
            "guided.act.try_other",
            &[("channel", channel_name(model.lang, next))],
        );
        lines.extend(text::wrapped(&try_other, w, theme.warn()));
    }
    lines
}

/// The paste area: where the carrier's texts go, and (where `f` names it)
/// the sender.
pub(crate) fn paste_lines(model: &Model, w: u16, with_sender: bool) -> Vec<Line<'static>> {
    let theme = model.theme();
    let from = model.ui.guided.from.value();
    let sender = if from.is_empty() {
        model.t("guided.no_sender")
    } else {
        from.to_owned()
    };
    let mut lines = text::wrapped(
        &format!("» {}", model.t("guided.paste_here")),
        w,
        theme.title(),
    );
    if !with_sender {
        return lines;
    }
    lines.extend(text::wrapped(
        &model.tr("guided.sender", &[("from", sender)]),
        w,
        theme.dim(),
    ));
    lines
}

/// The open one-line entry (not the hand form) as a field, with its label.
pub(crate) fn entry_field(model: &Model) -> Option<Field> {
    let g = &model.ui.guided;
    let (label, input, placeholder) = match g.entry? {
        Entry::From => ("guided.entry.from", &g.from, "guided.entry.from_hint"),
        Entry::Reference => (
            "guided.entry.reference",
            &g.line,
            "guided.entry.reference_hint",
        ),
        Entry::Cancelled => ("guided.entry.cancelled", &g.line, "guided.entry.date_hint"),
        Entry::Hand(_) => return None,
    };
    Some(input_field(model, label, input, placeholder, true))
}

/// A one-line field over an input.
pub(crate) fn input_field(
    model: &Model,
    label: &str,
    input: &TextInput,
    placeholder: &str,
    focused: bool,
) -> Field {
    Field {
        label: model.t(label),
        shown: input.shown(Masking::Clear),
        placeholder: model.t(placeholder),
        focused,
        editable: true,
        validity: Validity::Unchecked,
        label_width: LABEL,
        box_width: BOX,
    }
}

/// Columns of a field label on the guided screens.
pub(crate) const LABEL: u16 = 16;
/// Columns of a field box on the guided screens.
pub(crate) const BOX: u16 = 26;

/// Draws `lines` from `scroll` on, with fields placed after them at the
/// bottom-most free rows; returns nothing (the cursor is set when a field
/// is focused).
pub(crate) fn draw_with_fields(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    fields: Vec<Field>,
    theme: crate::ui::theme::Theme,
) {
    let rows = fields.len() as u16;
    let text_h = area.height.saturating_sub(rows + u16::from(rows > 0));
    text::draw(
        frame,
        Rect {
            height: text_h,
            ..area
        },
        lines,
    );
    for (i, f) in fields.iter().enumerate() {
        let y = area.y + text_h + 1 + i as u16;
        if y >= area.bottom() {
            break;
        }
        let at = Rect {
            y,
            height: 1,
            ..area
        };
        if let Some(p) = field::render(frame, at, f, theme) {
            frame.set_cursor_position(p);
        }
    }
}

/// Draws `top` lines, then `fields` one per row, then `below`: a form.
pub(crate) fn draw_form(
    frame: &mut Frame,
    area: Rect,
    top: Vec<Line<'static>>,
    fields: &[Field],
    below: Vec<Line<'static>>,
    theme: crate::ui::theme::Theme,
) {
    let mut row = area.y + (top.len() as u16).min(area.height);
    text::draw(frame, area, top);
    for f in fields {
        if row >= area.bottom() {
            return;
        }
        let at = Rect {
            y: row,
            height: 1,
            ..area
        };
        if let Some(p) = field::render(frame, at, f, theme) {
            frame.set_cursor_position(p);
        }
        row += 1;
    }
    let rest = Rect {
        y: row,
        height: area.bottom() - row,
        ..area
    };
    text::draw(frame, rest, below);
}

/// The rows from `scroll` on (clamped so the last row can still show).
pub(crate) fn scrolled(mut lines: Vec<Line<'static>>, scroll: u16) -> Vec<Line<'static>> {
    let skip = usize::from(scroll).min(lines.len().saturating_sub(1));
    lines.drain(..skip);
    lines
}

/// The area inside one column of margin.
pub(crate) fn inner(area: Rect) -> Rect {
    Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    }
}

/// A date as the screens write it, or the words for "not said".
pub(crate) fn date_or(model: &Model, day: Option<NaiveDate>, none: &str) -> String {
    day.map_or_else(|| model.t(none), date)
}
