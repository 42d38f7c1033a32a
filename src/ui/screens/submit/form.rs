//! The Submit step's application form: name, ID, contact number, reason —
//! each checked as it is typed, every message shown once Enter was pressed
//! with something still wrong.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use crate::core::flow::{Event, State, Step};
use crate::core::model::{Application, ReasonCode};
use crate::core::secret::IdNumber;
use crate::core::validate::{self, InputError};
use crate::ui::screens::{input_message, next_in};
use crate::ui::state::{ApplicationForm, FormFocus};
use crate::ui::widgets::field::{self, Field, Validity};
use crate::ui::widgets::input::Masking;
use crate::ui::widgets::{panel, text};
use crate::ui::{Action, Model};

const LABEL: u16 = 10;
const BOX: u16 = 20;

/// The form's fields checked: the application, or the first field that is
/// wrong with what is wrong.
pub fn application(form: &ApplicationForm) -> Result<Application, (FormFocus, InputError)> {
    let holder_name = validate::holder_name(form.name.value()).map_err(|e| (FormFocus::Name, e))?;
    let id_number = id_as_sent(form).map_err(|e| (FormFocus::Id, e))?;
    let contact =
        validate::contact_phone(form.contact.value()).map_err(|e| (FormFocus::Contact, e))?;
    Ok(Application {
        holder_name,
        id_number,
        contact,
        reason: form.reason,
        reason_text: form.reason_text.value().trim().to_owned(),
    })
}

/// The ID number checked, and, for a form that must go again unchanged,
/// the same as the one sent.
fn id_as_sent(form: &ApplicationForm) -> Result<IdNumber, InputError> {
    let id = validate::id_number(form.id.value())?;
    match &form.id_as_sent {
        Some(sent) if id.masked() != *sent => Err(InputError::NotAsSent(sent.clone())),
        _ => Ok(id),
    }
}

/// After a resume, the form sent before (its answer lost) is filled in again
/// from the journal — name, contact, reason — and only the ID, never kept,
/// is asked for; it must be the one sent.
pub fn refill(form: &mut ApplicationForm, state: &State) {
    let facts = &state.facts;
    let resend = matches!(state.step, Step::Submit { .. })
        && facts.secrets.application.is_none()
        && facts
            .progress
            .submit
            .as_ref()
            .is_some_and(|s| s.outcome_unknown);
    let (true, Some(sent)) = (resend, &facts.application) else {
        form.id_as_sent = None;
        return;
    };
    if form.id_as_sent.as_ref() == Some(&sent.id_masked) {
        return;
    }
    form.name.set(&sent.holder_name);
    if let Some(contact) = &facts.contact {
        form.contact.set(contact.as_str());
    }
    form.reason = sent.reason;
    form.reason_text.set(&sent.reason_text);
    form.id_as_sent = Some(sent.id_masked.clone());
    form.focus = FormFocus::Id;
}

fn field_error(form: &ApplicationForm, which: FormFocus) -> Option<InputError> {
    match which {
        FormFocus::Name => validate::holder_name(form.name.value()).err(),
        FormFocus::Id => id_as_sent(form).err(),
        FormFocus::Contact => validate::contact_phone(form.contact.value()).err(),
        FormFocus::Reason | FormFocus::ReasonText => None,
    }
}

fn field_is_empty(form: &ApplicationForm, which: FormFocus) -> bool {
    match which {
        FormFocus::Name => form.name.is_empty(),
        FormFocus::Id => form.id.is_empty(),
        FormFocus::Contact => form.contact.is_empty(),
        FormFocus::Reason => false,
        FormFocus::ReasonText => form.reason_text.is_empty(),
    }
}

/// Moves the cursor to the next field (`true`) or the previous one.
pub(super) fn move_focus(form: &mut ApplicationForm, forward: bool) {
    form.focus = next_in(&FormFocus::ALL, form.focus, forward);
}

/// Picks the next reason (`true`) or the previous one.
pub(super) fn change_reason(form: &mut ApplicationForm, forward: bool) {
    form.reason = next_in(&ReasonCode::ALL, form.reason, forward);
}

/// Enter: the application when every field is right, else the cursor on the
/// first wrong one and every message shown.
pub(super) fn review(form: &mut ApplicationForm) -> Option<Action> {
    match application(form) {
        Ok(app) => Some(Action::Core(Event::EnterApplication(app))),
        Err((which, _)) => {
            form.focus = which;
            form.show_all_errors = true;
            None
        }
    }
}

/// Types `key` into the focused field (the reason is a choice: ←→).
pub(super) fn type_key(form: &mut ApplicationForm, key: &KeyEvent) {
    let input = match form.focus {
        FormFocus::Name => &mut form.name,
        FormFocus::Id => &mut form.id,
        FormFocus::Contact => &mut form.contact,
        FormFocus::ReasonText => &mut form.reason_text,
        FormFocus::Reason => return,
    };
    input.handle(key);
}

/// Draws the form, its messages below its fields.
pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    // After the retention offer is taken the form applies for a plan change.
    let title = if crate::ui::screens::plan_change(&model.state).is_some() {
        "submit.form_title_change"
    } else {
        "submit.form_title"
    };
    let block = panel(model.t(title), theme.border());
    let w = block.inner(area).width;
    let msgs = messages(model, w);
    // As tall as the fields and their messages.
    let area = Rect {
        height: (FormFocus::ALL.len() as u16 + msgs.len() as u16 + 2).min(area.height),
        ..area
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut cursor: Option<Position> = None;
    for (i, which) in FormFocus::ALL.into_iter().enumerate() {
        let y = inner.y + i as u16;
        if y >= inner.bottom() {
            break;
        }
        let at = Rect {
            y,
            height: 1,
            ..inner
        };
        if let Some(p) = field::render(frame, at, &row(model, which), theme) {
            cursor = Some(p);
        }
    }
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
    let y = inner.y + FormFocus::ALL.len() as u16;
    if y < inner.bottom() {
        let rect = Rect {
            y,
            height: inner.bottom() - y,
            ..inner
        };
        text::draw(frame, rect, msgs);
    }
}

/// One field of the form as drawn.
fn row(model: &Model, which: FormFocus) -> Field {
    let form = &model.ui.form;
    let (label, shown, placeholder) = match which {
        FormFocus::Name => (
            "submit.name",
            form.name.shown(Masking::Clear),
            model.t("submit.name_placeholder"),
        ),
        FormFocus::Id => (
            "submit.id",
            form.id.shown(Masking::Clear),
            model.t("submit.id_placeholder"),
        ),
        FormFocus::Contact => (
            "submit.contact",
            form.contact.shown(Masking::Clear),
            String::new(),
        ),
        FormFocus::Reason => (
            "submit.reason",
            format!("‹ {} ›", model.t(form.reason.label_key())),
            String::new(),
        ),
        FormFocus::ReasonText => (
            "submit.reason_text",
            form.reason_text.shown(Masking::Clear),
            model.t("submit.optional"),
        ),
    };
    let validity = match which {
        FormFocus::Reason | FormFocus::ReasonText => Validity::Unchecked,
        _ if field_is_empty(form, which) && !form.show_all_errors => Validity::Blank,
        _ if field_error(form, which).is_some() => Validity::Invalid,
        _ => Validity::Valid,
    };
    Field {
        label: model.t(label),
        shown,
        placeholder,
        focused: form.focus == which,
        editable: which != FormFocus::Reason,
        validity,
        label_width: LABEL,
        box_width: match which {
            FormFocus::ReasonText => 40,
            FormFocus::Reason => 24,
            _ => BOX,
        },
    }
}

/// What is wrong, in words: the focused field's message, or every one's
/// after Enter was pressed with something still wrong.
fn messages(model: &Model, width: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let form = &model.ui.form;
    let mut msgs: Vec<Line> = Vec::new();
    for which in FormFocus::ALL {
        let show = form.show_all_errors || (form.focus == which && !field_is_empty(form, which));
        if let (true, Some(err)) = (show, field_error(form, which)) {
            let label = model.t(match which {
                FormFocus::Name => "submit.name",
                FormFocus::Id => "submit.id",
                _ => "submit.contact",
            });
            msgs.extend(text::hanging(
                &format!("✗ {label}："),
                &input_message(model, &err),
                width,
                theme.error(),
            ));
        }
    }
    if msgs.is_empty() && application(form).is_ok() {
        msgs.push(Line::styled(model.t("submit.form_ready"), theme.ok()));
    }
    msgs
}
