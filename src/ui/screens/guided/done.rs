//! Guided step 6, terminated: the case, the package, the effective date,
//! whether the confirmation is the carrier's text or the person's own
//! statement, what a carrier confirmation failed to state (price, effective
//! date: required since 2012), and what to do next — stop using it after
//! the effective date, check the next bill, return broadband equipment —
//! with where the receipts are.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::core::channels::Kind as PackageKind;
use crate::core::flow::guided::{GuidedCase, Source};
use crate::core::sms::Missing;
use crate::ui::Model;
use crate::ui::format::{pad, width};
use crate::ui::keymap::{Binding, Key};
use crate::ui::screens::terminated::draw_with_reminders;
use crate::ui::widgets::text;

use super::{Intent, Table, case, date_or, inner, verdict_lines};

/// The guided Terminated screen's keys (Blocked too: the case stopped).
pub const KEYS: Table = &[
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Finish).hint("Enter", "key.finish"),
    Binding::new(&[Key::Code(KeyCode::Char('k'))], Intent::Calendar)
        .when(dated)
        .hint("k", "calendar_key.key"),
];

/// A cancelled case with an effective date has follow-ups to put in a
/// calendar (the bill to check, the equipment, the carrier's answer).
fn dated(_: &crate::ui::UiState, state: &crate::core::flow::State) -> bool {
    matches!(state.step, crate::core::flow::Step::Terminated { .. })
        && case(state).is_some_and(|c| {
            c.confirmation
                .as_ref()
                .and_then(|conf| conf.effective_date)
                .or(c.quoted.and_then(|q| q.effective_date))
                .is_some()
        })
}

/// Draws the guided Terminated screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let area = inner(area);
    let Some(case) = case(&model.state) else {
        return;
    };
    let lines = result_lines(model, case, area.width);
    draw_with_reminders(frame, area, model, lines, aftercare(model, case));
}

/// The outcome and the case's facts, each marked with where it came from.
fn result_lines(model: &Model, case: &GuidedCase, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let package = case.package.as_ref().map_or("", |p| p.name.as_str());
    let title = match case.confirmation.as_ref().map(|c| c.source) {
        Some(Source::CarrierText) => "done.cancelled",
        _ => "guided.done.title_statement",
    };
    let mut lines = text::wrapped_at_most(
        &format!("✓ {}", model.tr(title, &[("name", package)])),
        w,
        2,
        theme.ok().add_modifier(ratatui::style::Modifier::BOLD),
    );
    let confirmation = case.confirmation.as_ref();
    let labels = [
        "guided.done.case",
        "guided.done.reference",
        "guided.done.effective",
        "guided.done.by",
        "guided.done.quoted",
        "done.receipts",
    ];
    let label_w = labels.iter().map(|k| width(&model.t(k))).max().unwrap_or(0) + 2;
    let by = match confirmation.map(|c| c.source) {
        Some(Source::CarrierText) => model.t("guided.done.by_text"),
        _ => model.t("guided.done.by_statement"),
    };
    let effective = date_or(
        model,
        confirmation.and_then(|c| c.effective_date),
        "guided.done.not_said",
    );
    let rows = [
        ("guided.done.case", case.case_id.clone()),
        (
            "guided.done.reference",
            case.reference()
                .map_or_else(|| model.t("guided.done.not_said"), str::to_owned),
        ),
        ("guided.done.effective", effective),
        ("guided.done.by", by),
        ("guided.done.quoted", quoted(model, case)),
    ];
    for (label, value) in rows {
        lines.push(Line::from(vec![
            Span::styled(pad(&model.t(label), label_w), theme.dim()),
            Span::styled(value, theme.figure()),
        ]));
    }
    lines.extend(text::hanging(
        &pad(&model.t("done.receipts"), label_w),
        &model.receipts_dir,
        w,
        theme.text(),
    ));
    for missing in confirmation.map_or(&[][..], |c| c.missing.as_slice()) {
        let key = match missing {
            Missing::Price => "sms.missing.price",
            Missing::EffectiveDate => "sms.missing.effective_date",
        };
        lines.extend(text::wrapped(
            &format!("⚠ {}", model.t(key)),
            w,
            theme.warn(),
        ));
    }
    lines.extend(verdict_lines(model, w));
    lines
}

/// What the carrier quoted, in all, and whose word it is.
fn quoted(model: &Model, case: &GuidedCase) -> String {
    let Some(q) = case.quoted else {
        return model.t("guided.done.not_said");
    };
    let source = match q.source {
        Source::CarrierText => model.t("guided.done.by_text"),
        Source::Statement => model.t("guided.done.as_told"),
    };
    format!("{} ({source})", q.total().unwrap_or_default())
}

/// What to do next.
fn aftercare(model: &Model, case: &GuidedCase) -> Vec<String> {
    let mut out = vec![
        model.t("guided.done.stop_using"),
        model.t("done.remind_bill"),
        model.t("guided.done.keep"),
    ];
    if case.kind == PackageKind::Broadband {
        out.push(model.t("guided.done.equipment"));
    }
    out
}
