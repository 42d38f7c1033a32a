//! Guided step 4, fees: what the carrier quoted — penalty (违约金),
//! equipment, refund, and the effective date — typed as the carrier said
//! it, or prefilled from a fee text just pasted; beside it the wizard's own
//! estimate by the fee rule, labelled as such, and a gap flagged with what
//! to ask. The wizard takes no payment here: the carrier collects through
//! its own channel. Enter records the quote; Enter again goes on.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::fees::Fen;
use crate::core::flow::guided::{Quoted, Source, china_date};
use crate::core::flow::{Event, State, Step};
use crate::ui::format::date;
use crate::ui::keymap::{self, Binding, Key};
use crate::ui::screens::next_in;
use crate::ui::state::{GuidedForms, QuoteField, UiState};
use crate::ui::widgets::text;
use crate::ui::{Action, Model};

use super::{
    Intent, Table, case, draw_form, inner, input_field, optional_date, paste_lines, verdict_lines,
};

/// The guided Fees screen's keys.
pub const KEYS: Table = &[
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Go)
        .when(to_record)
        .hint("Enter", "key.g_record"),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Go)
        .when(recorded)
        .hint("Enter", "key.g_continue"),
    Binding::new(&[Key::Ctrl('d')], Intent::Dates)
        .when(has_dates)
        .hint("Ctrl-D", "date_cost.key_open"),
    Binding::new(keymap::NEXT_FIELD, Intent::Field(true)).hint("Tab", "key.next_field"),
    Binding::new(keymap::PREV_FIELD, Intent::Field(false)),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::Back)
        .when(can_go_back)
        .hint("Esc", "key.back"),
    Binding::new(&[Key::Any], Intent::Type),
];

/// The quote as typed (an empty amount is 0), when every field reads.
pub fn typed(g: &GuidedForms, state: &State) -> Option<Quoted> {
    let [penalty, equipment, refund, effective] = &g.quote;
    let yuan = |input: &crate::ui::widgets::input::TextInput| match input.value().trim() {
        "" => Some(Fen(0)),
        typed => Fen::parse_yuan(typed).ok().filter(|f| f.0 >= 0),
    };
    let mut quoted = Quoted {
        penalty: yuan(penalty)?,
        equipment: yuan(equipment)?,
        refund: yuan(refund)?,
        effective_date: optional_date(effective.value()).ok()?,
        source: Source::Statement,
    };
    // Unchanged from the carrier's text it was read from: its word, not ours.
    if let Some(read) = case(state).and_then(|c| c.quote_from_last_text())
        && same(&read, &quoted)
    {
        quoted.source = Source::CarrierText;
    }
    Some(quoted)
}

fn same(a: &Quoted, b: &Quoted) -> bool {
    (a.penalty, a.equipment, a.refund, a.effective_date)
        == (b.penalty, b.equipment, b.refund, b.effective_date)
}

/// What the case recorded equals what is typed.
fn recorded(ui: &UiState, state: &State) -> bool {
    let kept = case(state).and_then(|c| c.quoted);
    matches!((kept, typed(&ui.guided, state)), (Some(k), Some(t)) if same(&k, &t))
}

/// The cost of each date can be reckoned: the quote is recorded and the
/// package's monthly fee known.
fn has_dates(_: &UiState, state: &State) -> bool {
    let today = china_date(state.updated_at);
    case(state).is_some_and(|c| c.date_cost_input(today).is_some())
}

fn to_record(ui: &UiState, state: &State) -> bool {
    typed(&ui.guided, state).is_some() && !recorded(ui, state)
}

fn can_go_back(_: &UiState, state: &State) -> bool {
    case(state).is_some_and(|c| c.confirmation.is_none())
}

/// Keys of the screen (the shared guided keys are handled before).
pub(super) fn on_key(model: &mut Model, intent: Intent, key: &KeyEvent) -> Option<Action> {
    if intent == Intent::Go {
        if recorded(&model.ui, &model.state) {
            return Some(Action::Core(Event::Confirm));
        }
        return typed(&model.ui.guided, &model.state).map(|q| Action::Core(Event::EnterQuote(q)));
    }
    if intent == Intent::Dates {
        return crate::ui::screens::submit::dates::open(model);
    }
    let g = &mut model.ui.guided;
    match intent {
        Intent::Field(forward) => {
            g.quote_focus = next_in(&QuoteField::ALL, g.quote_focus, forward);
            None
        }
        Intent::Type => {
            g.quote[index(g.quote_focus)].handle(key);
            None
        }
        _ => None,
    }
}

fn index(field: QuoteField) -> usize {
    match field {
        QuoteField::Penalty => 0,
        QuoteField::Equipment => 1,
        QuoteField::Refund => 2,
        QuoteField::Effective => 3,
    }
}

/// Fills the form from what the case knows, on arriving at the fees step
/// or after a paste: the quote recorded, else the amount a fee text just
/// pasted states (the person confirms it with Enter).
pub fn sync(g: &mut GuidedForms, state: &State, fresh: bool) {
    if !fresh || !matches!(state.step, Step::Pay { .. }) {
        return;
    }
    let Some(case) = case(state) else { return };
    let Some(q) = case.quote_from_last_text().or(case.quoted) else {
        // Nothing quoted yet: a confirmation's date is still worth offering.
        if let Some(day) = case.confirmation.as_ref().and_then(|c| c.effective_date) {
            g.quote[3].set(&date(day));
        }
        return;
    };
    let yuan = |f: Fen| format!("{}.{:02}", f.0 / 100, f.0 % 100);
    g.quote[0].set(&yuan(q.penalty));
    g.quote[1].set(&yuan(q.equipment));
    g.quote[2].set(&yuan(q.refund));
    g.quote[3].set(&q.effective_date.map(date).unwrap_or_default());
}

/// Draws the guided Fees screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let area = inner(area);
    let w = area.width;
    let g = &model.ui.guided;
    let top = text::wrapped(&model.t("guided.quote.intro"), w, theme.text());
    let row = |field, label: &str, hint: &str| {
        input_field(
            model,
            label,
            &g.quote[index(field)],
            hint,
            g.quote_focus == field,
        )
    };
    let fields = [
        row(
            QuoteField::Penalty,
            "guided.quote.penalty",
            "guided.quote.yuan",
        ),
        row(
            QuoteField::Equipment,
            "guided.quote.equipment",
            "guided.quote.yuan",
        ),
        row(
            QuoteField::Refund,
            "guided.quote.refund",
            "guided.quote.yuan",
        ),
        row(
            QuoteField::Effective,
            "guided.quote.effective",
            "guided.entry.date_hint",
        ),
    ];
    draw_form(frame, area, top, &fields, below(model, w), theme);
}

/// The estimate and the gap, the quote recorded, that no payment is taken
/// here, and what the last paste meant.
fn below(model: &Model, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let mut lines = vec![Line::raw("")];
    let Some(case) = case(&model.state) else {
        return lines;
    };
    let today = china_date(model.now);
    let estimate = match case.estimate(today) {
        Some(fen) => model.tr("guided.quote.estimate", &[("amount", fen.to_string())]),
        None => model.t("guided.quote.no_estimate"),
    };
    lines.extend(text::wrapped(&estimate, w, theme.dim()));
    if let Some(gap) = case.gap(today) {
        let key = if gap.0 > 0 {
            "guided.quote.gap_above"
        } else {
            "guided.quote.gap_below"
        };
        let amount = Fen(gap.0.abs()).to_string();
        lines.extend(text::wrapped(
            &format!("⚠ {}", model.tr(key, &[("amount", amount)])),
            w,
            theme.warn(),
        ));
    }
    if let Some(q) = case.quoted.filter(|_| recorded(&model.ui, &model.state)) {
        let total = q.total().unwrap_or_default().to_string();
        lines.extend(text::wrapped(
            &format!(
                "✓ {}",
                model.tr("guided.quote.recorded", &[("total", total)])
            ),
            w,
            theme.ok(),
        ));
    }
    if recorded(&model.ui, &model.state) {
        lines.extend(crate::ui::screens::submit::dates::summary_lines(
            model,
            usize::from(w),
        ));
    }
    lines.extend(text::wrapped(
        &model.t("guided.quote.no_payment"),
        w,
        theme.text(),
    ));
    lines.extend(verdict_lines(model, w));
    lines.extend(paste_lines(model, w, false));
    lines
}
