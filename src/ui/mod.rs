//! The terminal screens: everything a person sees, as pure rendering plus key
//! handling.
//!
//! [`Model`] is an owned snapshot of all a frame needs — the core's
//! [`State`], the language, the time, the sandbox phone's inbox, and
//! [`UiState`] (what is typed and focused). [`render`] is a pure function of
//! it; [`on_key`] updates the `UiState` and may yield an [`Action`] for the
//! shell (`app.rs`) to carry out: a core [`Event`] to step with, or quitting.
//! No screen calls the network or reads the clock.
//!
//! How the shell drives it: build a [`Model`] once; after every accepted
//! transition hand the new state to [`Model::set_state`] (it keeps the forms
//! in step and wipes secrets no longer needed); set `now` and advance
//! `spinner` on each tick while a call is in flight; when the core refuses an
//! event, put [`refusal`]'s words in `notice`.

pub mod app;
pub mod format;
pub mod guide;
pub mod i18n;
pub mod link;
pub mod overlay;
pub mod screens;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod widgets;

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;

use crate::core::flow::{Event, State, Step, StepError, StepName};
use crate::core::model::CarrierId;

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
        };
        model.set_state(state);
        model.entered_step();
        screens::pay::sync(&mut model, true);
        model
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
        self.state = state;
        if let Some(name) = self.state.step.name() {
            self.ui.forget_secrets_after(name);
        }
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
        screens::pay::sync(self, step_changed);
    }

    /// Resets what a newly shown screen starts with.
    fn entered_step(&mut self) {
        self.ui.scroll = 0;
        if matches!(self.state.step, Step::SelectPlan { .. }) {
            self.ui.plans.selected = screens::select_plan::first_cancellable(self);
        }
    }

    /// The carrier shown in the header: the one confirmed, else the one being
    /// chosen on the Login screen.
    pub fn carrier(&self) -> Option<CarrierId> {
        self.state
            .facts
            .carrier()
            .or_else(|| screens::login::chosen_carrier(self))
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
    };
    Some(i18n::t(lang, key))
}

/// Draws one frame: header, the current step's screen, footer, and any
/// overlay. A terminal below 80×24 gets a "please enlarge" screen instead.
pub fn render(frame: &mut Frame, model: &Model) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        overlay::render_too_small(frame, area, model);
        return;
    }
    // Fixed heights, so plain arithmetic: the layout solver's first solve is
    // a measurable part of the way to the first frame (docs/BENCHMARKS.md).
    // The area is at least MIN_HEIGHT rows here, more than header and footer
    // take, so nothing below can underflow.
    let footer_height = widgets::footer::height(model);
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
    screens::render(frame, body, model);
    widgets::footer::render(frame, footer, model);
    if let Some(which) = model.ui.overlay {
        overlay::render(frame, body, model, which);
    }
}

/// Handles one key: updates the `UiState` and maybe yields an [`Action`].
///
/// Global keys first (Ctrl-C, overlays, F1/F2), then `?`, `g` and `q` when the
/// cursor is not in a text field (there they are characters), then the
/// current screen's keys. Only key presses count (some terminals also report
/// releases).
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    model.notice = None;
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl_c {
        if model.ui.ctrl_c_armed || model.ui.overlay == Some(Overlay::QuitConfirm) {
            return Some(Action::ForceQuit);
        }
        model.ui.ctrl_c_armed = true;
        return request_quit(model);
    }
    model.ui.ctrl_c_armed = false;
    if let Some(which) = model.ui.overlay {
        return overlay::on_key(model, which, key);
    }
    match key.code {
        KeyCode::F(1) => return open(model, Overlay::Help),
        KeyCode::F(2) => return open(model, Overlay::Guidance),
        _ => {}
    }
    if !screens::in_text_field(model) && key.modifiers.difference(KeyModifiers::SHIFT).is_empty() {
        match key.code {
            KeyCode::Char('?') => return open(model, Overlay::Help),
            KeyCode::Char('g') => return open(model, Overlay::Guidance),
            KeyCode::Char('q') => return request_quit(model),
            _ => {}
        }
    }
    screens::on_key(model, key)
}

fn open(model: &mut Model, which: Overlay) -> Option<Action> {
    model.ui.overlay = Some(which);
    model.ui.scroll = 0;
    None
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
