//! Step 1, Login: the number (checked as typed), the carrier (suggested by the
//! number's segment, confirmed by the person — numbers move between carriers),
//! "send code" with its 60-second countdown, the code, and China Unicom's
//! service password (masked). With the embedded sandbox, the simulated phone
//! beside the form is where the code arrives.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;

use crate::core::flow::{CODE_COOLDOWN_SECS, CallKind, Event, Step};
use crate::core::model::{CarrierId, Msisdn};
use crate::core::validate::{self, InputError};
use crate::ui::screens::{cycle, input_message, key, problem_text};
use crate::ui::state::LoginFocus;
use crate::ui::widgets::field::{self, Field, Validity};
use crate::ui::widgets::input::Masking;
use crate::ui::widgets::{phone, spinner, text};
use crate::ui::{Action, Lang, Model};

const LABEL: u16 = 12;
const BOX: u16 = 20;

/// The carrier the number's segment suggests, if it names one.
pub fn suggested_carrier(model: &Model) -> Option<CarrierId> {
    validate::phone(model.ui.login.number.value())
        .ok()
        .map(|(_, c)| c)
}

/// The carrier the person has confirmed or is about to: their own pick, else
/// the segment's suggestion.
pub fn chosen_carrier(model: &Model) -> Option<CarrierId> {
    model.ui.login.carrier.or_else(|| suggested_carrier(model))
}

/// The typed number, if it is a usable mobile number (virtual-operator
/// segments included: their carrier is chosen by hand).
fn typed_number(model: &Model) -> Result<Msisdn, InputError> {
    validate::contact_phone(model.ui.login.number.value())
}

fn needs_password(model: &Model) -> bool {
    chosen_carrier(model).is_some_and(CarrierId::needs_service_password)
}

fn fields(model: &Model) -> Vec<LoginFocus> {
    let mut out = vec![LoginFocus::Number, LoginFocus::Carrier, LoginFocus::Code];
    if needs_password(model) {
        out.push(LoginFocus::Password);
    }
    out
}

/// Seconds until a new code may be requested for the number (0 = now).
pub fn cooldown_left(model: &Model) -> i64 {
    let Step::Login {
        code_sent_at: Some(sent),
        ..
    } = &model.state.step
    else {
        return 0;
    };
    (CODE_COOLDOWN_SECS - (model.now - *sent).num_seconds()).max(0)
}

fn code_sent(model: &Model) -> bool {
    matches!(
        model.state.step,
        Step::Login {
            code_sent_at: Some(_),
            ..
        }
    )
}

/// Whether the typed number and carrier are the ones the code was sent for.
fn same_as_requested(model: &Model) -> bool {
    let typed = typed_number(model).ok();
    typed.is_some()
        && typed.as_ref() == model.state.facts.msisdn()
        && chosen_carrier(model) == model.state.facts.carrier()
}

/// Whether the cursor is in a text field.
pub fn in_text_field(model: &Model) -> bool {
    model.ui.login.focus != LoginFocus::Carrier
}

/// Footer keys.
pub fn keys(model: &Model) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let busy = model.state.pending.is_some();
    match model.ui.login.focus {
        _ if busy => out.push(key(model, "Esc", "key.stop_waiting")),
        LoginFocus::Number | LoginFocus::Carrier => {
            out.push(key(model, "Enter", "key.send_code"));
        }
        LoginFocus::Code | LoginFocus::Password => out.push(key(model, "Enter", "key.log_in")),
    }
    if model.ui.login.focus == LoginFocus::Carrier {
        out.push(key(model, "←→", "key.change_carrier"));
    }
    out.push(key(model, "Tab", "key.next_field"));
    out
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
    let resuming = matches!(&model.state.step, Step::Login { then: Some(_), .. });
    let intro = if resuming {
        model.t("login.intro_resume")
    } else {
        model.t("login.intro")
    };
    lines.extend(text::wrapped(&intro, inner.width, theme.text()));
    lines.push(Line::raw(""));
    let top = inner.y + lines.len() as u16;
    text::draw(frame, inner, lines);

    let focus = model.ui.login.focus;
    let login = &model.ui.login;
    let mut cursor: Option<Position> = None;
    let mut row = top;
    let mut place = |frame: &mut Frame, f: Field| {
        if row < inner.bottom() {
            let at = Rect {
                y: row,
                height: 1,
                ..inner
            };
            if let Some(p) = field::render(frame, at, &f, theme) {
                cursor = Some(p);
            }
        }
        row += 1;
    };

    let number_check = validate::phone(login.number.value());
    let number_validity = match &number_check {
        _ if login.number.is_empty() => Validity::Blank,
        Ok(_) => Validity::Valid,
        Err(InputError::VirtualOperator(_) | InputError::Broadnet(_)) => Validity::Valid,
        Err(_) => Validity::Invalid,
    };
    place(
        frame,
        Field {
            label: &model.t("login.number"),
            shown: login.number.shown(Masking::Clear),
            placeholder: model.t("login.number_placeholder"),
            focused: focus == LoginFocus::Number,
            editable: true,
            validity: number_validity,
            label_width: LABEL,
            box_width: BOX,
        },
    );

    let carrier_name = |c: CarrierId| match model.lang {
        Lang::Zh => c.name_zh(),
        Lang::En => c.name_en(),
    };
    let chosen = chosen_carrier(model);
    let carrier_shown = match chosen {
        Some(c) => format!("‹ {} ›", carrier_name(c)),
        None => format!("‹ {} ›", model.t("login.choose_carrier")),
    };
    place(
        frame,
        Field {
            label: &model.t("login.carrier"),
            shown: carrier_shown,
            placeholder: String::new(),
            focused: focus == LoginFocus::Carrier,
            editable: false,
            validity: match chosen {
                Some(_) => Validity::Unchecked,
                None if typed_number(model).is_ok() => Validity::Invalid,
                None => Validity::Blank,
            },
            label_width: LABEL,
            box_width: BOX,
        },
    );
    // Why this carrier: the segment's suggestion, or the person's own pick.
    let carrier_note = match (login.carrier, suggested_carrier(model)) {
        (Some(_), _) => model.t("login.carrier_chosen"),
        (None, Some(_)) => model.t("login.carrier_suggested"),
        (None, None) if typed_number(model).is_ok() => model.t("login.carrier_needed"),
        (None, None) => String::new(),
    };

    let code_validity = match validate::sms_code(login.code.value()) {
        _ if login.code.is_empty() => Validity::Blank,
        Ok(_) => Validity::Valid,
        Err(_) => Validity::Invalid,
    };
    place(
        frame,
        Field {
            label: &model.t("login.code"),
            shown: login.code.shown(Masking::Clear),
            placeholder: model.t("login.code_placeholder"),
            focused: focus == LoginFocus::Code,
            editable: true,
            validity: code_validity,
            label_width: LABEL,
            box_width: BOX,
        },
    );
    if needs_password(model) {
        let validity = match validate::service_password(login.password.value()) {
            _ if login.password.is_empty() => Validity::Blank,
            Ok(_) => Validity::Valid,
            Err(_) => Validity::Invalid,
        };
        place(
            frame,
            Field {
                label: &model.t("login.password"),
                shown: login.password.shown(Masking::Dots),
                placeholder: model.t("login.password_placeholder"),
                focused: focus == LoginFocus::Password,
                editable: true,
                validity,
                label_width: LABEL,
                box_width: BOX,
            },
        );
    }
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }

    // Below the fields: the carrier note, the focused field's message, the
    // code status, the last refusal with its remedy.
    let mut below: Vec<Line> = vec![Line::raw("")];
    if !carrier_note.is_empty() {
        below.extend(text::wrapped(&carrier_note, inner.width, theme.dim()));
    }
    let field_error = match focus {
        LoginFocus::Number if !login.number.is_empty() => number_check.err(),
        LoginFocus::Code if !login.code.is_empty() => validate::sms_code(login.code.value()).err(),
        LoginFocus::Password if !login.password.is_empty() => {
            validate::service_password(login.password.value()).err()
        }
        _ => None,
    };
    if let Some(error) = field_error {
        let style = match error {
            InputError::VirtualOperator(_) | InputError::Broadnet(_) => theme.warn(),
            _ => theme.error(),
        };
        below.extend(text::wrapped(
            &input_message(model, &error),
            inner.width,
            style,
        ));
    }
    below.extend(text::wrapped(&status(model), inner.width, theme.text()));
    if let Step::Login {
        problem: Some(kind),
        ..
    } = &model.state.step
    {
        let (what, todo) = problem_text(model, kind);
        below.extend(text::wrapped(
            &format!("✗ {what}"),
            inner.width,
            theme.error(),
        ));
        below.extend(text::wrapped(&todo, inner.width, theme.text()));
    }
    // What comes after logging in, so nothing later is a surprise (a
    // resumed flow already knows).
    if !resuming {
        below.push(Line::raw(""));
        below.extend(text::wrapped(
            &model.t("login.overview"),
            inner.width,
            theme.dim(),
        ));
    }
    if row < inner.bottom() {
        let rest = Rect {
            y: row,
            height: inner.bottom() - row,
            ..inner
        };
        text::draw(frame, rest, below);
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
    if !code_sent(model) {
        return String::new();
    }
    let number = model
        .state
        .facts
        .msisdn()
        .map(Msisdn::masked)
        .unwrap_or_default();
    let left = cooldown_left(model);
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
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    let order = fields(model);
    let at = order
        .iter()
        .position(|f| *f == model.ui.login.focus)
        .unwrap_or(0);
    match key.code {
        KeyCode::Tab | KeyCode::Down => {
            model.ui.login.focus = order[cycle(at, order.len(), true)];
            None
        }
        KeyCode::BackTab | KeyCode::Up => {
            model.ui.login.focus = order[cycle(at, order.len(), false)];
            None
        }
        KeyCode::Esc if model.state.pending.is_some() => Some(Action::Core(Event::Back)),
        KeyCode::Esc => None,
        KeyCode::Enter => enter(model),
        KeyCode::Left | KeyCode::Right if model.ui.login.focus == LoginFocus::Carrier => {
            let now = chosen_carrier(model);
            let i = now
                .and_then(|c| CarrierId::ALL.iter().position(|x| *x == c))
                .unwrap_or(CarrierId::ALL.len() - 1);
            let next = CarrierId::ALL[cycle(i, CarrierId::ALL.len(), key.code == KeyCode::Right)];
            // Back on the suggestion, the choice follows the segment again.
            model.ui.login.carrier = (Some(next) != suggested_carrier(model)).then_some(next);
            None
        }
        _ => {
            let resuming = matches!(&model.state.step, Step::Login { then: Some(_), .. });
            let login = &mut model.ui.login;
            match login.focus {
                // A resumed flow belongs to the number it started with.
                LoginFocus::Number if resuming => {}
                LoginFocus::Number => {
                    let before = login.number.value().to_owned();
                    login.number.handle(&key);
                    if login.number.value() != before {
                        // A new number: its own segment suggests its carrier.
                        login.carrier = None;
                    }
                }
                LoginFocus::Code => {
                    login.code.handle(&key);
                }
                LoginFocus::Password => {
                    login.password.handle(&key);
                }
                LoginFocus::Carrier => {}
            }
            None
        }
    }
}

fn enter(model: &mut Model) -> Option<Action> {
    if model.state.pending.is_some() {
        return None;
    }
    let focus = model.ui.login.focus;
    let Ok(msisdn) = typed_number(model) else {
        model.ui.login.focus = LoginFocus::Number;
        return None;
    };
    let Some(carrier) = chosen_carrier(model) else {
        model.ui.login.focus = LoginFocus::Carrier;
        return None;
    };
    let wants_code = matches!(focus, LoginFocus::Number | LoginFocus::Carrier);
    if wants_code || !same_as_requested(model) || !code_sent(model) {
        if same_as_requested(model) && cooldown_left(model) > 0 {
            // The code is on its way; the countdown says when another may come.
            model.ui.login.focus = LoginFocus::Code;
            return None;
        }
        model.ui.login.focus = LoginFocus::Code;
        return Some(Action::Core(Event::RequestCode { msisdn, carrier }));
    }
    let Ok(code) = validate::sms_code(model.ui.login.code.value()) else {
        model.ui.login.focus = LoginFocus::Code;
        return None;
    };
    let password = if carrier.needs_service_password() {
        match validate::service_password(model.ui.login.password.value()) {
            Ok(p) => Some(p),
            Err(_) => {
                model.ui.login.focus = LoginFocus::Password;
                return None;
            }
        }
    } else {
        None
    };
    Some(Action::Core(Event::Login { code, password }))
}
