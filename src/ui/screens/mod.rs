//! One module per step. Each exports `render(frame, area, &Model)` and
//! `on_key(&mut Model, key) -> Option<Action>`, plus `keys` (what the footer
//! lists) and `in_text_field` (whether typed characters go to a field).

pub mod awaiting;
pub mod blocked;
pub mod login;
pub mod pay;
pub mod select_plan;
pub mod submit;
pub mod terminated;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::core::flow::Step;
use crate::ui::{Action, Model};

/// Draws the current step's screen into `area`.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    match &model.state.step {
        Step::Login { .. } => login::render(frame, area, model),
        Step::SelectPlan { .. } => select_plan::render(frame, area, model),
        Step::Submit { .. } => submit::render(frame, area, model),
        Step::Pay { .. } => pay::render(frame, area, model),
        Step::Await { .. } => awaiting::render(frame, area, model),
        Step::Terminated { .. } => terminated::render(frame, area, model),
        Step::Blocked { .. } => blocked::render(frame, area, model),
    }
}

/// The current step's key handling.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    match &model.state.step {
        Step::Login { .. } => login::on_key(model, key),
        Step::SelectPlan { .. } => select_plan::on_key(model, key),
        Step::Submit { .. } => submit::on_key(model, key),
        Step::Pay { .. } => pay::on_key(model, key),
        Step::Await { .. } => awaiting::on_key(model, key),
        Step::Terminated { .. } => terminated::on_key(model, key),
        Step::Blocked { .. } => blocked::on_key(model, key),
    }
}

/// The current step's keys for the footer, as (key, what it does).
pub fn keys(model: &Model) -> Vec<(String, String)> {
    match &model.state.step {
        Step::Login { .. } => login::keys(model),
        Step::SelectPlan { .. } => select_plan::keys(model),
        Step::Submit { .. } => submit::keys(model),
        Step::Pay { .. } => pay::keys(model),
        Step::Await { .. } => awaiting::keys(model),
        Step::Terminated { .. } => terminated::keys(model),
        Step::Blocked { .. } => blocked::keys(model),
    }
}

/// Whether the cursor is in a text field (then `q`, `g`, `?` are characters).
pub fn in_text_field(model: &Model) -> bool {
    match &model.state.step {
        Step::Login { .. } => login::in_text_field(model),
        Step::Submit { .. } => submit::in_text_field(model),
        Step::Pay { .. } => pay::in_text_field(model),
        _ => false,
    }
}

/// A (key, label) pair for the footer.
pub(crate) fn key(model: &Model, key: &str, label: &str) -> (String, String) {
    (key.to_owned(), model.t(label))
}

/// The message of an input error, in words.
pub(crate) fn input_message(model: &Model, error: &crate::core::validate::InputError) -> String {
    model.tr(error.key(), &error.args())
}

/// The "what happened — what to do" text of an error kind, with the hotline.
pub(crate) fn problem_text(
    model: &Model,
    kind: &crate::core::error::ErrorKind,
) -> (String, String) {
    let hotline = model.hotline().unwrap_or("");
    let args = [("hotline", hotline)];
    (
        model.tr(kind.message_key(), &args),
        model.tr(kind.remedy_key(), &args),
    )
}

/// The next index in a cycle of `len` after `i`, forward or backward.
pub(crate) fn cycle(i: usize, len: usize, forward: bool) -> usize {
    if len == 0 {
        return 0;
    }
    if forward {
        (i + 1) % len
    } else {
        (i + len - 1) % len
    }
}
