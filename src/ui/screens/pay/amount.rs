//! The order asks another amount than the total the person confirmed: both
//! amounts side by side, a fresh quote on request, and no way to pay until
//! the person has seen and confirmed the new amount — or stopped.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::core::error::ErrorKind;
use crate::core::fees::Fen;
use crate::core::flow::{CallKind, State, Step};
use crate::core::model::Quote;
use crate::ui::Model;
use crate::ui::format::pad;
use crate::ui::keymap;
use crate::ui::screens::submit::fee_key;
use crate::ui::state::PayForm;
use crate::ui::widgets::{fitted_panel, panel, spinner, text};

use super::KEYS;

/// What the order asks and what was confirmed, while they differ.
pub fn changed(state: &State) -> Option<(Fen, Fen)> {
    match &state.step {
        Step::Pay {
            problem: Some(ErrorKind::AmountChanged { asked, confirmed }),
        } => Some((*asked, *confirmed)),
        _ => None,
    }
}

/// The amount differs and no call is in flight: the keys of this state act.
pub fn deciding(_: &PayForm, state: &State) -> bool {
    changed(state).is_some() && state.pending.is_none()
}

/// A fresh quote shows the amount the order asks: it may be confirmed.
pub fn confirmable(form: &PayForm, state: &State) -> bool {
    deciding(form, state)
        && changed(state).is_some_and(|(asked, _)| fresh_total(state) == Some(asked))
}

fn fresh_total(state: &State) -> Option<Fen> {
    let quote = state.facts.choice.requote.as_ref()?;
    Some(quote.total.max(Fen::ZERO))
}

/// Draws both amounts, the fresh quote when there is one, and the keys.
pub fn render(frame: &mut Frame, area: Rect, model: &Model, (asked, confirmed): (Fen, Fen)) {
    let theme = model.theme();
    let block = panel(model.t("pay.changed_title"), theme.warn());
    let w = block.inner(area).width;
    let money = |key: &str, amount: Fen| model.tr(key, &[("amount", amount.to_string())]);
    let mut lines = text::wrapped(&money("pay.changed_asked", asked), w, theme.error());
    lines.extend(text::wrapped(
        &money("pay.changed_confirmed", confirmed),
        w,
        theme.text(),
    ));
    lines.extend(text::wrapped(
        &model.t("pay.changed_nothing_paid"),
        w,
        theme.text(),
    ));
    if let Some(quote) = &model.state.facts.choice.requote {
        lines.push(Line::raw(""));
        lines.extend(fresh_quote(model, quote, asked, w));
    }
    if model.state.pending.map(|p| p.kind) == Some(CallKind::FetchQuote) {
        lines.push(Line::raw(format!(
            "{} {}",
            spinner(model.spinner),
            model.t("pay.changed_fetching")
        )));
    }
    lines.push(Line::raw(""));
    for hint in keymap::hints(KEYS, &model.ui.pay, &model.state) {
        lines.push(Line::from(vec![
            Span::styled(pad(hint.keys, 8), theme.key()),
            Span::raw(model.t(hint.does)),
        ]));
    }
    fitted_panel(frame, area, block, lines);
}

/// The fresh quote's lines and total, and whether it explains the amount.
fn fresh_quote(model: &Model, quote: &Quote, asked: Fen, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let mut lines = text::wrapped(
        &model.tr("pay.changed_fresh", &[("amount", quote.total.to_string())]),
        w,
        theme.text(),
    );
    for item in &quote.items {
        let row = format!(
            "  {} {}  {}",
            model.t(fee_key(item.kind)),
            item.label,
            item.amount
        );
        lines.extend(text::wrapped(&row, w, theme.dim()));
    }
    let (key, style) = if quote.total.max(Fen::ZERO) == asked {
        ("pay.changed_explained", theme.text())
    } else {
        ("pay.changed_unexplained", theme.warn())
    };
    let hotline = model.hotline().unwrap_or_default();
    lines.extend(text::wrapped(
        &model.tr(
            key,
            &[
                ("amount", asked.to_string()),
                ("hotline", hotline.to_owned()),
            ],
        ),
        w,
        style,
    ));
    lines
}
