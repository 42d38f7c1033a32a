//! The terminal screens: everything a person sees, as pure rendering plus key
//! handling.
//!
//! [`Model`] is an owned snapshot of all a frame needs — the core's
//! [`State`], the language, the time, the sandbox phone's inbox, and
//! [`UiState`] (what is typed and focused). [`render`] is a pure function of
//! it; [`on_key`] updates the `UiState` and may yield an [`Action`] for the
//! shell (`shell::event_loop`) to carry out: a core [`Event`] to step with, or quitting.
//! No screen calls the network or reads the clock.
//!
//! Every key goes through a key table ([`keymap`]): the shared keys
//! ([`GLOBAL_KEYS`]), then the open overlay's, else the current screen's.
//! The footer is listed from the same tables, so it names exactly the keys
//! that work.
//!
//! How the shell drives it: build a [`Model`] once; after every accepted
//! transition hand the new state to [`Model::set_state`] (it keeps the forms
//! in step and wipes secrets no longer needed); set `now` and advance
//! `spinner` on each tick while a call is in flight; when the core refuses an
//! event, put [`refusal`]'s words in `notice`.

pub mod followup;
pub mod format;
pub mod guide;
pub mod i18n;
pub mod keymap;
pub mod mode_question;
pub mod overlay;
pub mod screens;
pub mod size_screen;
pub mod state;
pub mod theme;
pub mod widgets;

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;

use crate::core::flow::{Event, State, Step, StepError, StepName};
use crate::core::model::CarrierId;
use keymap::{Binding, Key};

pub use i18n::Lang;
pub use state::{Overlay, UiState};

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 24;
/// The widest the screens' content grows; wider terminals centre it.
pub const MAX_BODY_WIDTH: u16 = 110;

/// One message in the embedded sandbox's simulated phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneMessage {
    /// When the carrier "sent" it.
    pub sent_at: DateTime<FixedOffset>,
    /// An SMS code (as opposed to a notice).
    pub is_code: bool,
    /// The text, verbatim.
    pub text: String,
}

/// Everything a frame needs: an owned snapshot, no IO.
#[derive(Debug, Clone)]
pub struct Model {
    /// The core's state: the truth the screens render.
    pub state: State,
    /// Interface language.
    pub lang: Lang,
    /// The time the frame is drawn for (render never reads the clock).
    pub now: DateTime<Utc>,
    /// `Some` with the embedded sandbox: the simulated phone's SMS inbox.
    pub phone: Option<Vec<PhoneMessage>>,
    /// Where the receipts vault is, shown at the end.
    pub receipts_dir: String,
    /// `NO_COLOR`: modifiers only.
    pub no_color: bool,
    /// Spinner frame, advanced by the shell while a call is in flight.
    pub spinner: usize,
    /// A one-line message from the shell (e.g. why an action was refused).
    pub notice: Option<String>,
    /// What the screens remember between frames.
    pub ui: UiState,
    /// An unfinished cancellation from the journal, offered before anything
    /// else (the `ResumeOffer` overlay).
    pub resume: Option<State>,
    /// The terminal's size (columns, rows) as the shell last saw it, set with
    /// [`Model::set_viewport`]; `None` until the shell says.
    pub viewport: Option<(u16, u16)>,
    /// True until the person chose guided or sandbox mode (no `--mode`, no
    /// config key, no journal to resume): the mode question shows first.
    pub ask_mode: bool,
    /// Follow-ups due, found in the receipts at start (the `FollowUpDue`
    /// overlay), and the bill being pasted for one.
    pub followups: followup::FollowUps,
}

/// What the shell should do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Step the core with this event.
    Core(Event),
    /// Quit (after confirmation when an order is with the carrier).
    Quit,
    /// Quit now (Ctrl-C twice).
    ForceQuit,
    /// Continue the journalled cancellation in `Model::resume`.
    Resume,
    /// Write a complaint draft from this order's receipts.
    Complaint,
    /// Write this order's follow-ups as a calendar (`followups.ics`) beside
    /// its receipts.
    Calendar,
    /// Put this text on the person's clipboard (OSC 52): a command to send
    /// from the phone, a number to call.
    Copy(String),
    /// Act on the follow-up due shown (`Model::followups`).
    FollowUp(followup::FollowUpAction),
}

impl Model {
    /// A model for `state`, with empty forms and no phone, notice or spinner.
    pub fn new(state: State, lang: Lang, now: DateTime<Utc>) -> Model {
        let mut model = Model {
            state: State::clone(&state),
            lang,
            now,
            phone: None,
            receipts_dir: String::new(),
            no_color: false,
            spinner: 0,
            notice: None,
            ui: UiState::default(),
            resume: None,
            viewport: None,
            ask_mode: false,
            followups: followup::FollowUps::default(),
        };
        model.set_state(state);
        model.entered_step();
        screens::pay::sync(&mut model.ui.pay, &model.state, true);
        screens::guided::quote::sync(&mut model.ui.guided, &model.state, true);
        model
    }

    /// Takes the terminal's size: the shell calls it at start and on every
    /// resize, so keys know what the person sees.
    pub fn set_viewport(&mut self, cols: u16, rows: u16) {
        self.viewport = Some((cols, rows));
    }

    /// Whether the "please enlarge the window" screen is what the person
    /// sees: then no step's key may act (see [`too_small`]).
    pub fn size_screen_shows(&self) -> bool {
        self.viewport
            .is_some_and(|(cols, rows)| too_small(cols, rows))
    }

    /// Offers to resume `journalled` before anything else.
    pub fn offer_resume(&mut self, journalled: State) {
        self.resume = Some(journalled);
        self.ui.overlay = Some(Overlay::ResumeOffer);
    }

    /// Takes a new core state: keeps the forms in step with it (the number
    /// logged in with, the contact number, the highlighted plan, the payment
    /// method) and wipes secrets the flow no longer needs.
    pub fn set_state(&mut self, state: State) {
        let step_changed = self.state.step.name() != state.step.name();
        let plans_arrived =
            self.state.facts.choice.account.is_none() && state.facts.choice.account.is_some();
        let previous = std::mem::replace(&mut self.state, state);
        if let Some(name) = self.state.step.name() {
            self.ui.forget_secrets_after(name);
        }
        screens::submit::refill(&mut self.ui.form, &self.state);
        let facts = &self.state.facts;
        if let Some(msisdn) = facts.msisdn() {
            if self.ui.login.number.is_empty() {
                self.ui.login.number.set(msisdn.as_str());
            }
            if self.ui.form.contact.is_empty() {
                self.ui.form.contact.set(msisdn.as_str());
            }
        }
        if let (Some(carrier), Some(msisdn)) = (facts.carrier(), facts.msisdn()) {
            // Keep a chosen carrier only when it differs from what the
            // segment suggests, so the choice row says what was confirmed.
            let suggested = crate::core::validate::phone(msisdn.as_str())
                .ok()
                .map(|(_, c)| c);
            self.ui.login.carrier = (suggested != Some(carrier)).then_some(carrier);
        }
        if step_changed || plans_arrived {
            self.entered_step();
        }
        screens::pay::sync(&mut self.ui.pay, &self.state, step_changed);
        let pasted = |s: &State| s.facts.guided.as_ref().map(|c| c.messages.len());
        let fresh = step_changed || pasted(&previous) != pasted(&self.state);
        screens::guided::quote::sync(&mut self.ui.guided, &self.state, fresh);
    }

    /// Resets what a newly shown screen starts with.
    fn entered_step(&mut self) {
        self.ui.scroll = 0;
        self.ui.guided.scroll = 0;
        self.ui.guided.entry = None;
        if matches!(self.state.step, Step::SelectPlan { .. }) {
            self.ui.plans.selected = screens::select_plan::first_cancellable(&self.state);
        }
    }

    /// The carrier shown in the header: the one confirmed, else the one being
    /// chosen on the Login screen.
    pub fn carrier(&self) -> Option<CarrierId> {
        self.state
            .facts
            .carrier()
            .or_else(|| screens::login::chosen_carrier(&self.ui.login))
    }

    /// The step the header highlights (Blocked shows where it stopped).
    pub fn current_step(&self) -> StepName {
        self.state.step.name().unwrap_or(self.state.last_step)
    }

    /// The theme for this model's colour setting.
    pub fn theme(&self) -> theme::Theme {
        theme::Theme::new(self.no_color)
    }

    /// Text of an i18n key in the model's language.
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// Text of an i18n key with `{name}` arguments.
    pub fn tr<S: AsRef<str>>(&self, key: &str, args: &[(&str, S)]) -> String {
        i18n::tr(self.lang, key, args)
    }

    /// The official hotline of the carrier in play, if one is known.
    pub fn hotline(&self) -> Option<&'static str> {
        self.carrier().map(CarrierId::hotline)
    }
}

/// Text pasted into the terminal (bracketed paste: a carrier's SMS, often
/// several lines). A guided paste area takes it whole; anywhere else it is
/// typed into the focused field character by character (controls dropped,
/// so a pasted newline never presses Enter). Returns what the shell must do.
pub fn on_paste(model: &mut Model, text: &str) -> Vec<Action> {
    if followup::on_paste(model, text) {
        return Vec::new();
    }
    let guided_screen = model.state.mode == crate::core::flow::Mode::Guided
        && model.ui.overlay.is_none()
        && !model.ask_mode
        && !model.size_screen_shows();
    if guided_screen && let Some(actions) = screens::guided::paste(model, text) {
        model.notice = None;
        return actions;
    }
    text.chars()
        .filter(|c| !c.is_control())
        .filter_map(|c| on_key(model, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
        .collect()
}

/// Whether a terminal of `cols`×`rows` gets the "please enlarge the window"
/// screen instead of the step's: the one rule both [`render`] and
/// [`on_key`] follow (through [`Model::size_screen_shows`]).
pub fn too_small(cols: u16, rows: u16) -> bool {
    cols < MIN_WIDTH || rows < MIN_HEIGHT
}

/// The words for an event the core refused, for [`Model::notice`]; `None`
/// for a stale reply, which the person never needs to hear about.
pub fn refusal(lang: Lang, error: &StepError) -> Option<String> {
    let key = match error {
        StepError::Stale(_) => return None,
        StepError::NotNow { .. } => "refused.not_now",
        StepError::Busy => "refused.busy",
        StepError::CodeCooldown(secs) => {
            return Some(i18n::tr(
                lang,
                "refused.code_cooldown",
                &[("secs", secs.to_string())],
            ));
        }
        StepError::PlanNotChoosable => "refused.plan_not_choosable",
        StepError::RetentionUnanswered => "refused.retention_unanswered",
        StepError::OutcomeUnknown => "refused.outcome_unknown",
        StepError::NeedsApplication => "refused.needs_application",
        StepError::NeedsCard => "refused.needs_card",
        StepError::ModeFixed => "refused.mode_fixed",
        StepError::ChannelCannot => "refused.channel_cannot",
        StepError::EmptyText => "refused.empty_text",
        StepError::AmountOutOfRange => "refused.amount_out_of_range",
        StepError::NeedsQuote => "refused.needs_quote",
        StepError::NotYet => "refused.not_yet",
        StepError::NoSuchDate => "date_cost.no_such_date",
        StepError::WaitingForDate(from) => {
            return Some(i18n::tr(
                lang,
                "date_cost.waiting_refused",
                &[("date", format::date(*from))],
            ));
        }
        StepError::TextTooLong(max)
        | StepError::TooManyTexts(max)
        | StepError::BadPackageName(max)
        | StepError::BadReference(max) => {
            let key = match error {
                StepError::TextTooLong(_) => "refused.text_too_long",
                StepError::TooManyTexts(_) => "refused.too_many_texts",
                StepError::BadPackageName(_) => "refused.bad_package_name",
                _ => "refused.bad_reference",
            };
            return Some(i18n::tr(lang, key, &[("max", max.to_string())]));
        }
    };
    Some(i18n::t(lang, key))
}

/// Draws one frame: header, the current step's screen, footer, and any
/// overlay. A terminal below 80×24 gets a "please enlarge" screen instead.
///
/// Every cell then passes through [`format::display_safe`]: carrier text
/// (plan names, fee labels, offers, notices, links, messages) reaches the
/// terminal only through it, whichever widget drew it.
pub fn render(frame: &mut Frame, model: &Model) {
    draw(frame, model);
    for cell in &mut frame.buffer_mut().content {
        if let std::borrow::Cow::Owned(clean) = format::display_safe(cell.symbol()) {
            // A cell that held only a control keeps its place as a space.
            let clean = if clean.is_empty() {
                " ".to_owned()
            } else {
                clean
            };
            cell.set_symbol(&clean);
        }
    }
}

fn draw(frame: &mut Frame, model: &Model) {
    let area = frame.area();
    if too_small(area.width, area.height) || model.size_screen_shows() {
        size_screen::render(frame, area, model);
        return;
    }
    // Fixed heights, so plain arithmetic: the layout solver's first solve is
    // a measurable part of the way to the first frame (docs/BENCHMARKS.md).
    // The area is at least MIN_HEIGHT rows here, more than header and footer
    // take, so nothing below can underflow.
    let footer_height = widgets::footer::height(model, area.width);
    let header = Rect {
        height: widgets::header::HEIGHT,
        ..area
    };
    let footer = Rect {
        y: area.bottom() - footer_height,
        height: footer_height,
        ..area
    };
    let body = Rect {
        y: header.bottom(),
        height: footer.y - header.bottom(),
        ..area
    };
    widgets::header::render(frame, header, model);
    // On a wide terminal the screens keep a readable width, centred.
    let body = if body.width > MAX_BODY_WIDTH {
        Rect {
            x: body.x + (body.width - MAX_BODY_WIDTH) / 2,
            width: MAX_BODY_WIDTH,
            ..body
        }
    } else {
        body
    };
    // The mode question stands alone: no step's screen is in play yet.
    if model.ask_mode && model.ui.overlay.is_none() {
        mode_question::render(frame, body, model);
    } else {
        screens::render(frame, body, model);
    }
    widgets::footer::render(frame, footer, model);
    if let Some(which) = model.ui.overlay {
        overlay::render(frame, body, model, which);
    }
}

/// What a key asks of every screen, whichever step it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalIntent {
    /// Open the help for the step.
    Help,
    /// Open the guidance for the step.
    Guide,
    /// Quit (asking first when an order may be with the carrier).
    Quit,
    /// Ctrl-C: as [`GlobalIntent::Quit`]; a second one forces the quit.
    Interrupt,
}

/// Where the keys every screen shares are: over an overlay or not, in a
/// text field or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Focus {
    /// An overlay is open (it takes every key but Ctrl-C).
    pub overlay: bool,
    /// The cursor is in a text field (`?`, `g`, `q` are characters there).
    pub in_text_field: bool,
}

/// The keys every screen shares, tried before the overlay's and the
/// screen's. In a text field the footer lists F1, F2 and Ctrl-C; elsewhere
/// `?`, `g` and `q`; F1, F2 and Ctrl-C work everywhere.
pub const GLOBAL_KEYS: &[Binding<Focus, GlobalIntent>] = &[
    Binding::new(&[Key::Plain('?')], GlobalIntent::Help)
        .when(outside_fields)
        .hint("?", "key.help"),
    Binding::new(&[Key::Plain('g')], GlobalIntent::Guide)
        .when(outside_fields)
        .hint("g", "key.guide"),
    Binding::new(&[Key::Plain('q')], GlobalIntent::Quit)
        .when(outside_fields)
        .hint("q", "key.quit"),
    Binding::new(&[Key::Code(KeyCode::F(1))], GlobalIntent::Help)
        .when(in_field)
        .hint("F1", "key.help"),
    Binding::new(&[Key::Code(KeyCode::F(2))], GlobalIntent::Guide)
        .when(in_field)
        .hint("F2", "key.guide"),
    Binding::new(&[Key::Ctrl('c')], GlobalIntent::Interrupt)
        .when(in_field)
        .hint("Ctrl-C", "key.quit"),
    Binding::new(&[Key::Code(KeyCode::F(1))], GlobalIntent::Help).when(no_overlay),
    Binding::new(&[Key::Code(KeyCode::F(2))], GlobalIntent::Guide).when(no_overlay),
    Binding::new(&[Key::Ctrl('c')], GlobalIntent::Interrupt),
];

fn no_overlay(focus: &Focus, _: &State) -> bool {
    !focus.overlay
}

fn in_field(focus: &Focus, _: &State) -> bool {
    !focus.overlay && focus.in_text_field
}

fn outside_fields(focus: &Focus, _: &State) -> bool {
    !focus.overlay && !focus.in_text_field
}

/// Where the shared keys are for this model.
pub fn focus(model: &Model) -> Focus {
    let overlay = model.ui.overlay.is_some();
    Focus {
        overlay,
        in_text_field: !overlay && !model.ask_mode && screens::in_text_field(model),
    }
}

/// Handles one key: updates the `UiState` and maybe yields an [`Action`].
///
/// While the size screen shows ([`Model::size_screen_shows`]) only its own
/// keys act ([`size_screen::KEYS`]: quit and help): the step is hidden.
/// Otherwise routes the key through the key tables: the shared keys ([`GLOBAL_KEYS`]:
/// Ctrl-C anywhere; F1/F2, and `?`, `g`, `q` outside text fields, when no
/// overlay is open), then the open overlay's, else the current screen's.
/// Only key presses count (some terminals also report releases).
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    model.notice = None;
    if model.size_screen_shows() {
        return size_screen::on_key(model, key);
    }
    let global = keymap::resolve(GLOBAL_KEYS, &focus(model), &model.state, &key);
    if global != Some(GlobalIntent::Interrupt) {
        model.ui.ctrl_c_armed = false;
    }
    match global {
        Some(GlobalIntent::Interrupt) => interrupt(model),
        Some(GlobalIntent::Help) => open(model, Overlay::Help),
        Some(GlobalIntent::Guide) => open(model, Overlay::Guidance),
        Some(GlobalIntent::Quit) => request_quit(model),
        None => match model.ui.overlay {
            Some(which) => overlay::on_key(model, which, key),
            None if model.ask_mode => mode_question::on_key(model, key),
            None if screens::submit::opens_dates(&model.ui.form, &model.state, &key) => {
                screens::submit::dates::open(model)
            }
            None => screens::on_key(model, key),
        },
    }
}

fn open(model: &mut Model, which: Overlay) -> Option<Action> {
    model.ui.overlay = Some(which);
    model.ui.scroll = 0;
    None
}

/// Ctrl-C: asks as `q` does; a second one (or one while asking) quits now.
fn interrupt(model: &mut Model) -> Option<Action> {
    if model.ui.ctrl_c_armed || model.ui.overlay == Some(Overlay::QuitConfirm) {
        return Some(Action::ForceQuit);
    }
    model.ui.ctrl_c_armed = true;
    request_quit(model)
}

/// Quits at once, unless an order may be with the carrier: then asks first.
fn request_quit(model: &mut Model) -> Option<Action> {
    if model.state.order_in_flight() && !model.state.is_finished() {
        model.ui.overlay = Some(Overlay::QuitConfirm);
        None
    } else {
        Some(Action::Quit)
    }
}
