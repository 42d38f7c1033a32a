//! Blocked: what happened, why, what to do, and the carrier's official
//! hotline. `r` tries again when that can help; Esc goes back when no order
//! can be with the carrier yet.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::error::ErrorKind;
use crate::core::flow::{Event, Step};
use crate::ui::screens::key;
use crate::ui::widgets::text;
use crate::ui::{Action, Lang, Model};

fn can_retry(model: &Model) -> bool {
    matches!(&model.state.step, Step::Blocked { retry: Some(_), .. })
}

fn can_go_back(model: &Model) -> bool {
    !model.state.order_in_flight()
}

/// The i18n key of why an error happens (`cause.account_frozen`…).
pub fn cause_key(kind: &ErrorKind) -> String {
    kind.message_key().replacen("error.", "cause.", 1)
}

/// What the carrier or the network said, when the kind carries it.
fn detail(model: &Model, kind: &ErrorKind) -> Option<String> {
    match kind {
        ErrorKind::OrderRejected { reason: Some(r) } => {
            Some(model.tr("blocked.carrier_said", &[("text", r.as_str())]))
        }
        ErrorKind::NetworkUnreachable { detail } => {
            Some(model.tr("blocked.network_said", &[("text", detail.as_str())]))
        }
        ErrorKind::TimedOut { call } | ErrorKind::Protocol { call, .. } => {
            Some(model.tr("blocked.call", &[("text", call.as_str())]))
        }
        _ => None,
    }
}

/// Footer keys.
pub fn keys(model: &Model) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if can_retry(model) {
        out.push(key(model, "r", "key.retry"));
    }
    if can_go_back(model) {
        out.push(key(model, "Esc", "key.start_over"));
    }
    if can_complain(model) {
        out.push(key(model, "c", "key.complaint"));
    }
    out
}

/// A complaint needs something to complain about: an order the carrier made.
fn can_complain(model: &Model) -> bool {
    model.state.facts.progress.order.is_some()
}

/// Draws the Blocked screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let Step::Blocked { error, remedy, .. } = &model.state.step else {
        return;
    };
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let w = inner.width;
    let hotline = error.hotline();
    let carrier = match model.lang {
        Lang::Zh => error.carrier.name_zh(),
        Lang::En => error.carrier.name_en(),
    };
    let args = [("hotline", hotline), ("carrier", carrier)];
    let mut lines: Vec<Line> = Vec::new();
    lines.extend(text::wrapped(
        &format!("✗ {}", model.tr(error.kind.message_key(), &args)),
        w,
        theme.error(),
    ));
    lines.push(Line::raw(""));
    lines.extend(text::hanging(
        &model.t("blocked.why"),
        &model.tr(&cause_key(&error.kind), &args),
        w,
        theme.text(),
    ));
    if let Some(d) = detail(model, &error.kind) {
        lines.extend(text::hanging(
            &model.t("blocked.detail"),
            &d,
            w,
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    lines.extend(text::hanging(
        &model.t("blocked.todo"),
        &model.tr(remedy, &args),
        w,
        theme.title(),
    ));
    lines.push(Line::raw(""));
    lines.extend(text::hanging(
        &model.t("blocked.hotline"),
        &model.tr("blocked.hotline_text", &args),
        w,
        theme.text(),
    ));
    if let Some(order) = &model.state.facts.progress.order {
        lines.extend(text::hanging(
            &model.t("blocked.order"),
            &model.tr("blocked.order_text", &[("id", order.id.as_str())]),
            w,
            theme.text(),
        ));
    }
    if can_complain(model) {
        lines.extend(text::hanging(
            "c  ",
            &model.t("await.complaint"),
            w,
            theme.text(),
        ));
    }
    if !model.receipts_dir.is_empty() && model.state.facts.progress.submit.is_some() {
        lines.extend(text::hanging(
            &model.t("blocked.receipts"),
            &model.receipts_dir,
            w,
            theme.dim(),
        ));
    }
    text::draw(frame, inner, lines);
}

/// Keys on the Blocked screen.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Char('r') if can_retry(model) => Some(Action::Core(Event::Retry)),
        KeyCode::Esc if can_go_back(model) => Some(Action::Core(Event::Back)),
        KeyCode::Char('c') if can_complain(model) => Some(Action::Complaint),
        _ => None,
    }
}
