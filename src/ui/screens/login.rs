//! Step 1, Login: the number (checked as typed), the carrier (suggested by the
//! number's segment, confirmed by the person — numbers move between carriers),
//! "send code" with its 60-second countdown, the code, and China Unicom's
//! service password (masked). With the embedded sandbox, the simulated phone
//! beside the form is where the code arrives.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;

use crate::core::error::ErrorKind;
use crate::core::flow::{CODE_COOLDOWN_SECS, CallKind, Event, State, Step};
use crate::core::model::{CarrierId, Msisdn};
use crate::core::validate::{self, InputError};
use crate::ui::keymap::{self, Binding, Key};
use crate::ui::screens::{input_message, next_in, problem_text};
use crate::ui::state::{LoginFocus, LoginForm};
use crate::ui::widgets::field::{self, Field, Validity};
use crate::ui::widgets::input::Masking;
use crate::ui::widgets::{phone, spinner, text};
use crate::ui::{Action, Lang, Model};

const LABEL: u16 = 12;
const BOX: u16 = 20;

/// What a key asks of the Login screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Stop waiting for the call in flight.
    StopWaiting,
    /// Request a code for the typed number and carrier.
    SendCode,
    /// Log in with the code (requesting one first if the number changed).
    LogIn,
    /// Pick the next carrier (`true`) or the previous one.
    Carrier(bool),
    /// Move the cursor to the next field (`true`) or the previous one.
    Field(bool),
    /// Type into the focused field.
    Type,
}

/// The Login screen's keys.
pub const KEYS: &[Binding<LoginForm, Intent>] = &[
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::StopWaiting)
        .when(busy)
        .hint("Esc", "key.stop_waiting"),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::SendCode)
        .when(on_number)
        .hint("Enter", "key.send_code"),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::LogIn)
        .when(on_code)
        .hint("Enter", "key.log_in"),
    Binding::new(&[Key::Code(KeyCode::Left)], Intent::Carrier(false))
        .when(on_carrier)
        .hint("←→", "key.change_carrier"),
    Binding::new(&[Key::Code(KeyCode::Right)], Intent::Carrier(true)).when(on_carrier),
    Binding::new(keymap::NEXT_FIELD, Intent::Field(true)).hint("Tab", "key.next_field"),
    Binding::new(keymap::PREV_FIELD, Intent::Field(false)),
    Binding::new(&[Key::Any], Intent::Type),
];

fn busy(_: &LoginForm, state: &State) -> bool {
    state.pending.is_some()
}

/// Enter asks for a code from the number and carrier rows.
fn on_number(form: &LoginForm, state: &State) -> bool {
    !busy(form, state) && matches!(form.focus, LoginFocus::Number | LoginFocus::Carrier)
}

/// Enter logs in from the code and password rows.
fn on_code(form: &LoginForm, state: &State) -> bool {
    !busy(form, state) && matches!(form.focus, LoginFocus::Code | LoginFocus::Password)
}

fn on_carrier(form: &LoginForm, _: &State) -> bool {
    form.focus == LoginFocus::Carrier
}

/// The carrier the number's segment suggests, if it names one.
pub fn suggested_carrier(form: &LoginForm) -> Option<CarrierId> {
    validate::phone(form.number.value()).ok().map(|(_, c)| c)
}

/// The carrier the person has confirmed or is about to: their own pick, else
/// the segment's suggestion.
pub fn chosen_carrier(form: &LoginForm) -> Option<CarrierId> {
    form.carrier.or_else(|| suggested_carrier(form))
}

/// The typed number, if it is a usable mobile number (virtual-operator
/// segments included: their carrier is chosen by hand).
fn typed_number(form: &LoginForm) -> Result<Msisdn, InputError> {
    validate::contact_phone(form.number.value())
}

fn needs_password(form: &LoginForm) -> bool {
    chosen_carrier(form).is_some_and(CarrierId::needs_service_password)
}

fn fields(form: &LoginForm) -> Vec<LoginFocus> {
    let mut out = vec![LoginFocus::Number, LoginFocus::Carrier, LoginFocus::Code];
    if needs_password(form) {
        out.push(LoginFocus::Password);
    }
    out
}

/// Seconds until a new code may be requested for the number (0 = now).
/// The minute runs from the line's last code, even one sent (and used)
/// before a resume.
pub fn cooldown_left(state: &State, now: DateTime<Utc>) -> i64 {
    let Step::Login { code_sent_at, .. } = &state.step else {
        return 0;
    };
    let Some(sent) = (*code_sent_at).max(state.facts.code_sent_at) else {
        return 0;
    };
    // A time after now is another clock's (see the core's cooldown).
    let elapsed = (now - sent).num_seconds();
    if elapsed < 0 {
        return 0;
    }
    (CODE_COOLDOWN_SECS - elapsed).max(0)
}

fn code_sent(state: &State) -> bool {
    matches!(
        state.step,
        Step::Login {
            code_sent_at: Some(_),
            ..
        }
    )
}

fn resuming(state: &State) -> bool {
    matches!(&state.step, Step::Login { then: Some(_), .. })
}

/// Whether the typed number and carrier are the ones the code was sent for.
fn same_as_requested(form: &LoginForm, state: &State) -> bool {
    let typed = typed_number(form).ok();
    typed.is_some()
        && typed.as_ref() == state.facts.msisdn()
        && chosen_carrier(form) == state.facts.carrier()
}

/// Whether the cursor is in a text field.
pub fn in_text_field(form: &LoginForm, _: &State) -> bool {
    form.focus != LoginFocus::Carrier
}

/// Draws the Login screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let (form_area, phone_area) = match &model.phone {
        Some(_) => {
            let [l, r] =
                Layout::horizontal([Constraint::Min(40), Constraint::Length(phone::WIDTH)])
                    .areas(area);
            (l, Some(r))
        }
        None => (area, None),
    };
    if let (Some(messages), Some(rect)) = (&model.phone, phone_area) {
        phone::render(frame, rect, model, messages);
    }
    let inner = Rect {
        x: form_area.x + 1,
        width: form_area.width.saturating_sub(2),
        ..form_area
    };
    let mut lines: Vec<Line> = Vec::new();
    let intro = if resuming(&model.state) {
        model.t("login.intro_resume")
    } else {
        model.t("login.intro")
    };
    lines.extend(text::wrapped(&intro, inner.width, theme.text()));
    lines.push(Line::raw(""));
    let top = inner.y + lines.len() as u16;
    text::draw(frame, inner, lines);

    let mut rows = Rows {
        frame,
        area: inner,
        row: top,
        cursor: None,
    };
    for field in field_rows(model) {
        rows.place(field, model);
    }
    let Rows { row, cursor, .. } = rows;
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
    if row < inner.bottom() {
        let rest = Rect {
            y: row,
            height: inner.bottom() - row,
            ..inner
        };
        text::draw(frame, rest, below_fields(model, inner.width));
    }
}

/// Places the form's fields one row at a time, remembering the cursor.
struct Rows<'f, 'a> {
    frame: &'f mut Frame<'a>,
    area: Rect,
    row: u16,
    cursor: Option<Position>,
}

impl Rows<'_, '_> {
    fn place(&mut self, f: Field, model: &Model) {
        if self.row < self.area.bottom() {
            let at = Rect {
                y: self.row,
                height: 1,
                ..self.area
            };
            if let Some(p) = field::render(self.frame, at, &f, model.theme()) {
                self.cursor = Some(p);
            }
        }
        self.row += 1;
    }
}

/// Blank, valid or invalid, from a field's check.
fn validity<T, E>(blank: bool, check: &Result<T, E>) -> Validity {
    match check {
        _ if blank => Validity::Blank,
        Ok(_) => Validity::Valid,
        Err(_) => Validity::Invalid,
    }
}

/// The form's rows: number, carrier, code, and the password when the
/// carrier needs one.
fn field_rows(model: &Model) -> Vec<Field> {
    let login = &model.ui.login;
    let row = |which: LoginFocus, label: &str, placeholder: &str, shown, validity| Field {
        label: model.t(label),
        shown,
        placeholder: model.t(placeholder),
        focused: login.focus == which,
        editable: true,
        validity,
        label_width: LABEL,
        box_width: BOX,
    };
    let number_validity = match validate::phone(login.number.value()) {
        _ if login.number.is_empty() => Validity::Blank,
        Ok(_) => Validity::Valid,
        Err(InputError::VirtualOperator(_) | InputError::Broadnet(_)) => Validity::Valid,
        Err(_) => Validity::Invalid,
    };
    let code = validate::sms_code(login.code.value());
    let mut out = vec![
        row(
            LoginFocus::Number,
            "login.number",
            "login.number_placeholder",
            login.number.shown(Masking::Clear),
            number_validity,
        ),
        carrier_row(model),
        row(
            LoginFocus::Code,
            "login.code",
            "login.code_placeholder",
            login.code.shown(Masking::Clear),
            validity(login.code.is_empty(), &code),
        ),
    ];
    if needs_password(login) {
        let password = validate::service_password(login.password.value());
        out.push(row(
            LoginFocus::Password,
            "login.password",
            "login.password_placeholder",
            login.password.shown(Masking::Dots),
            validity(login.password.is_empty(), &password),
        ));
    }
    out
}

/// The carrier choice, `‹ name ›`, changed with ←→.
fn carrier_row(model: &Model) -> Field {
    let login = &model.ui.login;
    let chosen = chosen_carrier(login);
    let shown = match chosen {
        Some(c) => format!("‹ {} ›", carrier_name(model.lang, c)),
        None => format!("‹ {} ›", model.t("login.choose_carrier")),
    };
    Field {
        label: model.t("login.carrier"),
        shown,
        placeholder: String::new(),
        focused: login.focus == LoginFocus::Carrier,
        editable: false,
        validity: match chosen {
            Some(_) => Validity::Unchecked,
            None if typed_number(login).is_ok() => Validity::Invalid,
            None => Validity::Blank,
        },
        label_width: LABEL,
        box_width: BOX,
    }
}

fn carrier_name(lang: Lang, c: CarrierId) -> &'static str {
    match lang {
        Lang::Zh => c.name_zh(),
        Lang::En => c.name_en(),
    }
}

/// Below the fields: the carrier note, the focused field's message, the
/// code status, the last refusal with its remedy, and what comes next.
fn below_fields(model: &Model, width: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let login = &model.ui.login;
    let mut below: Vec<Line> = vec![Line::raw("")];
    // Why this carrier: the segment's suggestion, or the person's own pick.
    let carrier_note = match (login.carrier, suggested_carrier(login)) {
        (Some(_), _) => model.t("login.carrier_chosen"),
        (None, Some(_)) => model.t("login.carrier_suggested"),
        (None, None) if typed_number(login).is_ok() => model.t("login.carrier_needed"),
        (None, None) => String::new(),
    };
    if !carrier_note.is_empty() {
        below.extend(text::wrapped(&carrier_note, width, theme.dim()));
    }
    if let Some(error) = focused_error(login) {
        let style = match error {
            InputError::VirtualOperator(_) | InputError::Broadnet(_) => theme.warn(),
            _ => theme.error(),
        };
        below.extend(text::wrapped(&input_message(model, &error), width, style));
    }
    below.extend(text::wrapped(&status(model), width, theme.text()));
    if let Step::Login {
        problem: Some(kind),
        ..
    } = &model.state.step
        && (*kind != ErrorKind::CodeTooOften || code_sent(&model.state))
    {
        // "Too often" with no code of this session: the countdown above says
        // it all; the remedy's "a code already sent stays valid" would not hold.
        let (what, todo) = problem_text(model, kind);
        below.extend(text::wrapped(&format!("✗ {what}"), width, theme.error()));
        below.extend(text::wrapped(&todo, width, theme.text()));
    }
    // What comes after logging in, so nothing later is a surprise (a
    // resumed flow already knows).
    if !resuming(&model.state) {
        below.push(Line::raw(""));
        below.extend(text::wrapped(
            &model.t("login.overview"),
            width,
            theme.dim(),
        ));
    }
    below
}

/// What is wrong with the focused field, once something is typed in it.
fn focused_error(login: &LoginForm) -> Option<InputError> {
    match login.focus {
        LoginFocus::Number if !login.number.is_empty() => {
            validate::phone(login.number.value()).err()
        }
        LoginFocus::Code if !login.code.is_empty() => validate::sms_code(login.code.value()).err(),
        LoginFocus::Password if !login.password.is_empty() => {
            validate::service_password(login.password.value()).err()
        }
        _ => None,
    }
}

/// One line on where the code stands.
fn status(model: &Model) -> String {
    let spin = spinner(model.spinner);
    match model.state.pending.map(|p| p.kind) {
        Some(CallKind::RequestCode) => return format!("{spin} {}", model.t("login.sending_code")),
        Some(CallKind::Login) => return format!("{spin} {}", model.t("login.logging_in")),
        _ => {}
    }
    if !code_sent(&model.state) {
        // No code of this session: one sent before a resume was used to log
        // in and is spent; say when a new one may come.
        let left = cooldown_left(&model.state, model.now);
        if left > 0 {
            return model.tr("login.code_spent_wait", &[("secs", left.to_string())]);
        }
        return String::new();
    }
    let number = model
        .state
        .facts
        .msisdn()
        .map(Msisdn::masked)
        .unwrap_or_default();
    let left = cooldown_left(&model.state, model.now);
    let mut out = if left > 0 {
        model.tr(
            "login.code_sent_wait",
            &[("number", number), ("secs", left.to_string())],
        )
    } else {
        model.tr("login.code_sent_resend", &[("number", number)])
    };
    if model.phone.is_some() {
        out.push(' ');
        out.push_str(&model.t("login.see_phone"));
    }
    out
}

/// Keys on the Login screen.
pub fn on_key(
    form: &mut LoginForm,
    state: &State,
    now: DateTime<Utc>,
    key: KeyEvent,
) -> Option<Action> {
    match crate::ui::keymap::resolve(KEYS, form, state, &key)? {
        Intent::StopWaiting => Some(Action::Core(Event::Back)),
        Intent::SendCode => enter(form, state, now, true),
        Intent::LogIn => enter(form, state, now, false),
        Intent::Carrier(forward) => {
            // No carrier yet counts as the last, so → starts at the first.
            let from = chosen_carrier(form).unwrap_or(LAST_CARRIER);
            let next = next_in(&CarrierId::ALL, from, forward);
            // Back on the suggestion, the choice follows the segment again.
            form.carrier = (Some(next) != suggested_carrier(form)).then_some(next);
            None
        }
        Intent::Field(forward) => {
            form.focus = next_in(&fields(form), form.focus, forward);
            None
        }
        Intent::Type => {
            type_key(form, state, &key);
            None
        }
    }
}

const LAST_CARRIER: CarrierId = CarrierId::ALL[CarrierId::ALL.len() - 1];

fn type_key(form: &mut LoginForm, state: &State, key: &KeyEvent) {
    match form.focus {
        // A resumed flow belongs to the number it started with.
        LoginFocus::Number if resuming(state) => {}
        LoginFocus::Number => {
            let before = form.number.value().to_owned();
            form.number.handle(key);
            if form.number.value() != before {
                // A new number: its own segment suggests its carrier.
                form.carrier = None;
            }
        }
        LoginFocus::Code => {
            form.code.handle(key);
        }
        LoginFocus::Password => {
            form.password.handle(key);
        }
        LoginFocus::Carrier => {}
    }
}

/// Enter: a code when one is wanted (`wants_code`: the cursor is on the
/// number or carrier) or the number changed since, else logging in; a
/// field still wrong gets the cursor instead.
fn enter(
    form: &mut LoginForm,
    state: &State,
    now: DateTime<Utc>,
    wants_code: bool,
) -> Option<Action> {
    let Ok(msisdn) = typed_number(form) else {
        form.focus = LoginFocus::Number;
        return None;
    };
    let Some(carrier) = chosen_carrier(form) else {
        form.focus = LoginFocus::Carrier;
        return None;
    };
    if wants_code || !same_as_requested(form, state) || !code_sent(state) {
        form.focus = LoginFocus::Code;
        if same_as_requested(form, state) && cooldown_left(state, now) > 0 {
            // The code is on its way; the countdown says when another may come.
            return None;
        }
        return Some(Action::Core(Event::RequestCode { msisdn, carrier }));
    }
    let Ok(code) = validate::sms_code(form.code.value()) else {
        form.focus = LoginFocus::Code;
        return None;
    };
    let password = if carrier.needs_service_password() {
        match validate::service_password(form.password.value()) {
            Ok(p) => Some(p),
            Err(_) => {
                form.focus = LoginFocus::Password;
                return None;
            }
        }
    } else {
        None
    };
    Some(Action::Core(Event::Login { code, password }))
}
