//! Blocked: what happened, why, what to do, and the carrier's official
//! hotline. `r` tries again when that can help; Esc goes back when no order
//! can be with the carrier yet.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::error::ErrorKind;
use crate::core::flow::{Event, State, Step};
use crate::ui::keymap::{self, Binding, Key};
use crate::ui::widgets::text;
use crate::ui::{Action, Lang, Model};

/// What a key asks of the Blocked screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Try the failed call again.
    Retry,
    /// Back to the start (only before an order can be with the carrier).
    StartOver,
    /// Write a complaint draft from the receipts.
    Complaint,
}

/// The Blocked screen's keys.
pub const KEYS: &[Binding<(), Intent>] = &[
    Binding::new(&[Key::Code(KeyCode::Char('r'))], Intent::Retry)
        .when(can_retry)
        .hint("r", "key.retry"),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::StartOver)
        .when(can_go_back)
        .hint("Esc", "key.start_over"),
    Binding::new(&[Key::Code(KeyCode::Char('c'))], Intent::Complaint)
        .when(can_complain)
        .hint("c", "key.complaint"),
];

fn can_retry(_: &(), state: &State) -> bool {
    matches!(&state.step, Step::Blocked { retry: Some(_), .. })
}

fn can_go_back(_: &(), state: &State) -> bool {
    !state.order_in_flight()
}

/// A complaint needs something to complain about: an order the carrier made.
fn can_complain(_: &(), state: &State) -> bool {
    state.facts.progress.order.is_some()
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

/// Lines the carrier's or the network's own words may take.
const DETAIL_LINES: usize = 3;

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
    // A guided case is stopped by the person, with no carrier order: it is
    // named as a case, with its reference if the carrier gave one.
    let case = model.state.facts.guided.as_ref();
    let (message, cause, remedy) = match (case, &error.kind) {
        (Some(_), ErrorKind::Abandoned) => (
            "guided.abandoned",
            "guided.abandoned_why".to_owned(),
            "guided.abandoned_remedy",
        ),
        _ => (
            error.kind.message_key(),
            cause_key(&error.kind),
            remedy.as_str(),
        ),
    };
    let mut lines: Vec<Line> = Vec::new();
    lines.extend(text::wrapped(
        &format!("✗ {}", model.tr(message, &args)),
        w,
        theme.error(),
    ));
    lines.push(Line::raw(""));
    lines.extend(text::hanging(
        &model.t("blocked.why"),
        &model.tr(&cause, &args),
        w,
        theme.text(),
    ));
    if let Some(d) = detail(model, &error.kind) {
        // The carrier's own words, bounded: what to do and whom to call
        // come after them and must stay on screen.
        lines.extend(text::hanging_at_most(
            &model.t("blocked.detail"),
            &d,
            w,
            DETAIL_LINES,
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
    lines.extend(where_it_stands(model, case, w));
    text::draw(frame, inner, lines);
}

/// The case or order, the complaint key and where the receipts are.
fn where_it_stands(
    model: &Model,
    case: Option<&crate::core::flow::guided::GuidedCase>,
    w: u16,
) -> Vec<Line<'static>> {
    let theme = model.theme();
    let mut out: Vec<Line<'static>> = Vec::new();
    if let Some(case) = case {
        let text = match case.reference() {
            Some(reference) => model.tr(
                "blocked.case_text",
                &[("id", case.case_id.as_str()), ("reference", reference)],
            ),
            None => model.tr(
                "blocked.case_no_reference",
                &[("id", case.case_id.as_str())],
            ),
        };
        out.extend(text::hanging(
            &model.t("blocked.case"),
            &text,
            w,
            theme.text(),
        ));
    }
    if let Some(order) = &model.state.facts.progress.order {
        out.extend(text::hanging(
            &model.t("blocked.order"),
            &model.tr("blocked.order_text", &[("id", order.id.as_str())]),
            w,
            theme.text(),
        ));
    }
    if can_complain(&(), &model.state) {
        out.extend(text::hanging(
            "c  ",
            &model.t("await.complaint"),
            w,
            theme.text(),
        ));
    }
    let kept = model.state.facts.progress.submit.is_some() || case.is_some();
    if !model.receipts_dir.is_empty() && kept {
        out.extend(text::hanging(
            &model.t("blocked.receipts"),
            &model.receipts_dir,
            w,
            theme.dim(),
        ));
    }
    out
}

/// Keys on the Blocked screen.
pub fn on_key(state: &State, key: KeyEvent) -> Option<Action> {
    Some(match keymap::resolve(KEYS, &(), state, &key)? {
        Intent::Retry => Action::Core(Event::Retry),
        Intent::StartOver => Action::Core(Event::Back),
        Intent::Complaint => Action::Complaint,
    })
}
