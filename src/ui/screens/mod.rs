//! One module per step. Each exports `render(frame, area, &Model)`, its key
//! table `KEYS` (see [`keymap`]), `on_key` over its own form, the core state
//! and the key, and — when it has text fields — `in_text_field` (whether
//! typed characters go to a field).

pub mod awaiting;
pub mod blocked;
pub mod guided;
pub mod login;
pub mod pay;
pub mod select_plan;
pub mod submit;
pub mod terminated;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::core::flow::{Mode, Step};
use crate::core::model::RetentionOffer;
use crate::ui::keymap::{self, Hint};
use crate::ui::{Action, Model};

/// Draws the current step's screen into `area`.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    if model.state.mode == Mode::Guided {
        return guided::render(frame, area, model);
    }
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

/// The current step's key handling: the step's screen gets its own form,
/// the core state (read-only) and the key, and answers with an [`Action`].
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    if model.state.mode == Mode::Guided {
        return guided::on_key(model, key);
    }
    let (ui, state) = (&mut model.ui, &model.state);
    match &state.step {
        Step::Login { .. } => login::on_key(&mut ui.login, state, model.now, key),
        Step::SelectPlan { .. } => select_plan::on_key(&mut ui.plans, state, key),
        Step::Submit { .. } => submit::on_key(&mut ui.form, state, key),
        Step::Pay { .. } => pay::on_key(&mut ui.pay, state, key),
        Step::Await { .. } => awaiting::on_key(state, key),
        Step::Terminated { .. } => terminated::on_key(state, key),
        Step::Blocked { .. } => blocked::on_key(state, key),
    }
}

/// The current step's footer hints, from the same key table as
/// [`on_key`].
pub fn hints(model: &Model) -> Vec<Hint> {
    if model.state.mode == Mode::Guided {
        return guided::hints(model);
    }
    let (ui, state) = (&model.ui, &model.state);
    match &state.step {
        Step::Login { .. } => keymap::hints(login::KEYS, &ui.login, state),
        Step::SelectPlan { .. } => keymap::hints(select_plan::KEYS, &ui.plans, state),
        Step::Submit { .. } => keymap::hints(submit::KEYS, &ui.form, state),
        Step::Pay { .. } => keymap::hints(pay::KEYS, &ui.pay, state),
        Step::Await { .. } => keymap::hints(awaiting::KEYS, &(), state),
        Step::Terminated { .. } => keymap::hints(terminated::KEYS, &(), state),
        Step::Blocked { .. } => keymap::hints(blocked::KEYS, &(), state),
    }
}

/// Whether the cursor is in a text field (then `q`, `g`, `?` are characters).
pub fn in_text_field(model: &Model) -> bool {
    if model.state.mode == Mode::Guided {
        return guided::in_text_field(model);
    }
    let (ui, state) = (&model.ui, &model.state);
    match &state.step {
        Step::Login { .. } => login::in_text_field(&ui.login, state),
        Step::Submit { .. } => submit::in_text_field(&ui.form, state),
        Step::Pay { .. } => pay::in_text_field(&ui.pay, state),
        _ => false,
    }
}

/// The retention offer the person took, if they did: from then on the flow
/// is a plan change at the offer's monthly fee with nothing due, and every
/// screen says so instead of speaking of a cancellation and its fees.
pub(crate) fn plan_change(state: &crate::core::flow::State) -> Option<&RetentionOffer> {
    if state.facts.choice.retention_accepted != Some(true) {
        return None;
    }
    state.facts.choice.quote.as_ref()?.retention.as_ref()
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

/// The value after `now` in `all`, or before it when not `forward`,
/// wrapping around at either end (a value not in `all` counts as the first).
pub(crate) fn next_in<T: Copy + PartialEq>(all: &[T], now: T, forward: bool) -> T {
    let Some(last) = all.len().checked_sub(1) else {
        return now;
    };
    let at = all.iter().position(|x| *x == now).unwrap_or(0);
    let to = match (forward, at) {
        (true, at) if at == last => 0,
        (true, at) => at + 1,
        (false, 0) => last,
        (false, at) => at - 1,
    };
    all.get(to).copied().unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_in_wraps_both_ways() {
        let all = [1, 2, 3];
        assert_eq!(next_in(&all, 3, true), 1);
        assert_eq!(next_in(&all, 1, false), 3);
        assert_eq!(next_in(&all, 2, true), 3);
        assert_eq!(next_in(&[] as &[u8], 7, true), 7);
    }

    #[test]
    fn every_hint_names_its_keys() {
        let checks = [
            keymap::hints_name_their_keys(login::KEYS),
            keymap::hints_name_their_keys(select_plan::KEYS),
            keymap::hints_name_their_keys(submit::KEYS),
            keymap::hints_name_their_keys(pay::KEYS),
            keymap::hints_name_their_keys(awaiting::KEYS),
            keymap::hints_name_their_keys(terminated::KEYS),
            keymap::hints_name_their_keys(blocked::KEYS),
            keymap::hints_name_their_keys(crate::ui::GLOBAL_KEYS),
            keymap::hints_name_their_keys(crate::ui::overlay::QUIT_KEYS),
            keymap::hints_name_their_keys(crate::ui::overlay::RESUME_KEYS),
            keymap::hints_name_their_keys(crate::ui::overlay::READING_KEYS),
            keymap::hints_name_their_keys(crate::ui::size_screen::KEYS),
            keymap::hints_name_their_keys(guided::ENTRY_KEYS),
            keymap::hints_name_their_keys(guided::identify::KEYS),
            keymap::hints_name_their_keys(guided::package::KEYS),
            keymap::hints_name_their_keys(guided::act::KEYS),
            keymap::hints_name_their_keys(guided::quote::KEYS),
            keymap::hints_name_their_keys(guided::awaiting::KEYS),
            keymap::hints_name_their_keys(guided::done::KEYS),
            keymap::hints_name_their_keys(crate::ui::mode_question::KEYS),
        ];
        for check in checks {
            assert_eq!(check, Ok(()));
        }
    }
}
