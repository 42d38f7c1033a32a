//! The cost of each date, beside the quote (issue 15): one line in the
//! quote panel naming the cheapest date, and a panel opened with one key
//! holding the whole comparison — today as the carrier quoted it against
//! each later date that changes the sum, estimated from the fee rule and
//! labelled so — where the person chooses when to cancel. A later date
//! keeps the case at review: the form gives way to when to come back.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::date_cost::{Basis, Comparison, DateOption, Verdict, When};
use crate::core::fees::Fen;
use crate::core::flow::{Event, State, date_verdict, quote_today};
use crate::ui::format::{date, fit, pad, pad_left, width};
use crate::ui::keymap::{self, Binding, Key};
use crate::ui::widgets::{fitted_panel, panel, text};
use crate::ui::{Action, Model, Overlay};

/// What a key asks of the comparison panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Move the highlight by this many rows.
    Move(i16),
    /// Choose the highlighted date.
    Choose,
    /// Close without choosing.
    Close,
}

/// The comparison panel's keys.
pub const KEYS: &[Binding<(), Intent>] = &[
    Binding::new(
        &[Key::Code(KeyCode::Up), Key::Code(KeyCode::Char('k'))],
        Intent::Move(-1),
    )
    .hint("↑↓", "date_cost.key_move"),
    Binding::new(
        &[Key::Code(KeyCode::Down), Key::Code(KeyCode::Char('j'))],
        Intent::Move(1),
    ),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Choose)
        .when(choosable)
        .hint("Enter", "date_cost.key_choose"),
    Binding::new(
        &[Key::Code(KeyCode::Esc), Key::Code(KeyCode::Char('d'))],
        Intent::Close,
    )
    .hint("Esc", "key.close"),
];

/// A date can be chosen before anything is sent (API mode); in guided mode
/// the person already acted, and the panel only shows the figures.
fn choosable(_: &(), state: &State) -> bool {
    state.mode != crate::core::flow::Mode::Guided
}

/// The comparison for the quote on screen, when there is one to compare.
fn comparison(model: &Model) -> Option<Comparison> {
    match date_verdict(&model.state, model.now)? {
        Verdict::Compare(c) => Some(c),
        _ => None,
    }
}

/// Opens the panel with the chosen date (else the cheapest) highlighted.
pub fn open(model: &mut Model) -> Option<Action> {
    let verdict = date_verdict(&model.state, model.now)?;
    model.ui.date_row = match &verdict {
        Verdict::Compare(c) => chosen_index(&model.state, c)
            .or_else(|| c.options.iter().position(|o| o.cheapest))
            .unwrap_or(0),
        _ => 0,
    };
    model.ui.overlay = Some(Overlay::DateCost);
    None
}

fn chosen_index(state: &State, c: &Comparison) -> Option<usize> {
    let chosen = state.facts.choice.date_chosen.as_ref()?;
    c.options.iter().position(|o| o.from == chosen.from)
}

/// Keys while the panel is open.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    let intent = keymap::resolve(KEYS, &(), &model.state, &key)?;
    let rows = comparison(model).map(|c| c.options).unwrap_or_default();
    match intent {
        Intent::Move(by) => {
            let last = rows.len().saturating_sub(1);
            let at = model.ui.date_row.saturating_add_signed(isize::from(by));
            model.ui.date_row = at.min(last);
            None
        }
        Intent::Choose => {
            model.ui.overlay = None;
            let option = rows.get(model.ui.date_row)?;
            Some(Action::Core(Event::ChooseDate { from: option.from }))
        }
        Intent::Close => {
            model.ui.overlay = None;
            None
        }
    }
}

/// The later date the person put the cancellation off to, while it has not
/// come (as of the state's last step: the core checks it again on the form).
pub fn put_off(state: &State) -> Option<&DateOption> {
    let choice = &state.facts.choice;
    let chosen = choice.date_chosen.as_ref()?;
    let today = quote_today(choice.quote.as_ref()?, state.updated_at);
    (chosen.when != When::Today && chosen.from > today).then_some(chosen)
}

/// The quote panel's line about the dates: the cheapest, or the plain
/// verdict of a pack that needs no cancellation.
pub fn summary_lines(model: &Model, cols: usize) -> Vec<Line<'static>> {
    let theme = model.theme();
    let Some(verdict) = date_verdict(&model.state, model.now) else {
        return Vec::new();
    };
    let said = match verdict {
        Verdict::Compare(c) => {
            let Some(best) = c.cheapest() else {
                return Vec::new();
            };
            let key = if best.when == When::Today {
                "date_cost.cheapest_today"
            } else {
                "date_cost.cheapest_later"
            };
            let today = c.today().map(|o| o.net).unwrap_or_default();
            model.tr(
                key,
                &[
                    ("when", when_label(model, best)),
                    ("net", best.net.to_string()),
                    ("today", today.to_string()),
                ],
            )
        }
        other => verdict_sentence(model, &other),
    };
    let mut lines = text::wrapped(&format!("◆ {said}"), cols as u16, theme.ok());
    if let Some(chosen) = &model.state.facts.choice.date_chosen {
        let chosen = model.tr(
            "date_cost.chosen",
            &[
                ("when", when_label(model, chosen)),
                ("net", chosen.net.to_string()),
            ],
        );
        lines.push(Line::styled(fit(&chosen, cols), theme.dim()));
    }
    lines
}

/// A pack that ends by itself, or has expired, said plainly.
fn verdict_sentence(model: &Model, verdict: &Verdict) -> String {
    match verdict {
        Verdict::EndsByItself { on: Some(on) } => {
            model.tr("date_cost.ends_by_itself_on", &[("date", date(*on))])
        }
        Verdict::EndsByItself { on: None } => model.t("date_cost.ends_by_itself"),
        Verdict::Expired => model.t("date_cost.expired"),
        Verdict::Compare(_) => String::new(),
    }
}

/// "today" for today's option, else the month it stands for (each later
/// option is one calendar month), with the contract's end named.
fn when_label(model: &Model, option: &DateOption) -> String {
    let span = option.from.format("%Y-%m").to_string();
    match option.when {
        When::Today => model.tr("date_cost.today", &[("date", date(option.from))]),
        When::ContractEnd => model.tr("date_cost.contract_end", &[("span", span)]),
        When::AfterContractEnd => model.tr("date_cost.after_end", &[("span", span)]),
        When::NextCycle | When::MonthStart => span,
    }
}

/// In place of the form while the cancellation is put off to a later date:
/// when to come back, and that the case is kept.
pub fn render_put_off(frame: &mut Frame, area: Rect, model: &Model, chosen: &DateOption) {
    let theme = model.theme();
    let block = panel(model.t("date_cost.put_off_title"), theme.warn());
    let cols = block.inner(area).width;
    let body = model.tr(
        "date_cost.put_off",
        &[
            ("from", date(chosen.from)),
            ("until", date(chosen.until)),
            ("net", chosen.net.to_string()),
        ],
    );
    let lines = text::wrapped(&body, cols, theme.text());
    fitted_panel(frame, area, block, lines);
}

/// Column widths of the table: when, basis, then five amounts.
struct Columns {
    when: usize,
    basis: usize,
    amount: usize,
}

/// The figures of one row, in the table's order.
fn figures(o: &DateOption) -> [Fen; 5] {
    let equipment = Fen(o.equipment.0.saturating_add(o.arrears.0));
    [o.penalty, o.monthly_fees, equipment, o.refund, o.net]
}

fn basis_label(model: &Model, basis: Basis) -> String {
    model.t(match basis {
        Basis::Quote => "date_cost.basis_quote",
        Basis::Estimate => "date_cost.basis_estimate",
    })
}

fn table_row(cells: (&str, &str, &str), amounts: &[String], c: &Columns) -> String {
    let (mark, when, basis) = cells;
    let mut row = format!(
        "{mark}{} {}",
        pad(&fit(when, c.when), c.when),
        pad(basis, c.basis)
    );
    for amount in amounts {
        row.push(' ');
        row.push_str(&pad_left(amount, c.amount));
    }
    row
}

/// The header and one line per option, the highlighted one marked `›`,
/// the cheapest `★`.
fn table(
    model: &Model,
    c: &Comparison,
    selected: usize,
    width_left: usize,
) -> (Line<'static>, Vec<Line<'static>>) {
    let theme = model.theme();
    let heads: Vec<String> = [
        "date_cost.col_penalty",
        "date_cost.col_fees",
        "date_cost.col_equipment",
        "date_cost.col_refund",
        "date_cost.col_net",
    ]
    .iter()
    .map(|k| model.t(k))
    .collect();
    let labels: Vec<String> = c.options.iter().map(|o| when_label(model, o)).collect();
    let cols = Columns {
        when: labels
            .iter()
            .map(|l| width(l))
            .max()
            .unwrap_or(0)
            .max(width(&model.t("date_cost.col_when"))),
        basis: [Basis::Quote, Basis::Estimate]
            .iter()
            .map(|b| width(&basis_label(model, *b)))
            .max()
            .unwrap_or(0),
        amount: c
            .options
            .iter()
            .flat_map(figures)
            .map(|f| width(&f.to_string()))
            .chain(heads.iter().map(|h| width(h)))
            .max()
            .unwrap_or(0),
    };
    let when_head = model.t("date_cost.col_when");
    let header = table_row(
        ("  ", &when_head, &model.t("date_cost.col_basis")),
        &heads,
        &cols,
    );
    let rows = c
        .options
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(i, (o, label))| {
            let mark = match (i == selected, o.cheapest) {
                (true, true) => "›★",
                (true, false) => "› ",
                (false, true) => " ★",
                (false, false) => "  ",
            };
            let amounts: Vec<String> = figures(o).iter().map(Fen::to_string).collect();
            let line = table_row((mark, label, &basis_label(model, o.basis)), &amounts, &cols);
            let style = if i == selected {
                theme.focus()
            } else if o.cheapest {
                theme.ok()
            } else {
                theme.text()
            };
            Line::styled(fit(&line, width_left), style)
        })
        .collect();
    (Line::styled(fit(&header, width_left), theme.dim()), rows)
}

/// The sentences under the table: what is quoted and what estimated, how
/// far the estimates hold, and the last day that stops next month's fee.
fn notes(model: &Model, c: &Comparison, cols: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let mut said = vec![model.t("date_cost.note_basis")];
    if !c.quote_matches_rule {
        said.push(model.t("date_cost.note_rough"));
    }
    if let Some(d) = &c.next_month_deadline {
        said.push(model.tr(
            "date_cost.next_month",
            &[
                ("request_by", date(d.request_by)),
                ("next_cycle", date(d.next_cycle)),
                ("fee", d.fee_avoided.to_string()),
            ],
        ));
    }
    said.iter()
        .flat_map(|s| text::hanging("• ", s, cols, theme.text()))
        .collect()
}

/// Draws the panel over the body.
pub fn render_overlay(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let block = panel(model.t("date_cost.title"), theme.key());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let verdict = date_verdict(&model.state, model.now);
    let Some(Verdict::Compare(c)) = verdict else {
        let said = verdict
            .map(|v| verdict_sentence(model, &v))
            .unwrap_or_default();
        text::draw(
            frame,
            inner,
            text::wrapped(&said, inner.width, theme.text()),
        );
        return;
    };
    let notes = notes(model, &c, inner.width);
    let selected = model.ui.date_row.min(c.options.len().saturating_sub(1));
    let (header, rows) = table(model, &c, selected, usize::from(inner.width));
    // The rows left once the header, a gap and the notes are drawn; the
    // highlighted row always shows.
    let room = usize::from(inner.height)
        .saturating_sub(notes.len() + 2)
        .max(1);
    let first = selected.saturating_sub(room - 1);
    let mut lines = vec![header];
    lines.extend(rows.into_iter().skip(first).take(room));
    lines.push(Line::raw(""));
    lines.extend(notes);
    text::draw(frame, inner, lines);
}
