//! Step 3, Submit: the carrier's quote line by line (penalty, equipment,
//! arrears, refund), the total, the effective date and how long the quote
//! holds; a retention offer, if any, shown plainly with "keep cancelling" as
//! the default; the form (name, ID, contact, reason) checked as typed; then a
//! summary that nothing is sent before the person confirms.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::core::fees::Fen;
use crate::core::flow::{Event, State, Step, SubmitPhase};
use crate::core::model::{FeeKind, Quote, RetentionOffer};
use crate::ui::format::{clock, date, fit, pad, pad_left, width};
use crate::ui::keymap::{self, Binding, Key};
use crate::ui::screens::{plan_change, problem_text};
use crate::ui::state::{ApplicationForm, FormFocus};
use crate::ui::widgets::{fitted_panel, panel, spinner, text};
use crate::ui::{Action, Model};

pub mod dates;
mod form;

pub use form::{application, refill};

/// What a key asks of the Submit screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Answer the retention offer: take it (`true`) or keep cancelling.
    Retention(bool),
    /// Check the form and, when it is right, show the summary.
    Review,
    /// Move the cursor to the next field (`true`) or the previous one.
    Field(bool),
    /// Pick the next reason (`true`) or the previous one.
    Reason(bool),
    /// Send the application.
    Confirm,
    /// Back: to the plans, or from the summary to the form.
    Back,
    /// Open the cost of each date.
    Dates,
    /// Type into the focused field.
    Type,
}

/// The Submit screen's keys, for each phase.
pub const KEYS: &[Binding<ApplicationForm, Intent>] = &[
    Binding::new(
        &[Key::Code(KeyCode::Enter), Key::Code(KeyCode::Char('n'))],
        Intent::Retention(false),
    )
    .when(offering)
    .hint("Enter/n", "key.keep_cancelling"),
    Binding::new(&[Key::Code(KeyCode::Char('a'))], Intent::Retention(true))
        .when(offering)
        .hint("a", "key.accept_offer"),
    Binding::new(&[Key::Plain('d')], Intent::Dates)
        .when(dates_outside_fields)
        .hint("d", "date_cost.key_open"),
    Binding::new(&[Key::Ctrl('d')], Intent::Dates)
        .when(dates_in_field)
        .hint("Ctrl-D", "date_cost.key_open"),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Review)
        .when(editing)
        .hint("Enter", "key.review"),
    Binding::new(
        &[Key::Code(KeyCode::Tab), Key::Code(KeyCode::Down)],
        Intent::Field(true),
    )
    .when(editing)
    .hint("Tab", "key.next_field"),
    Binding::new(
        &[Key::Code(KeyCode::BackTab), Key::Code(KeyCode::Up)],
        Intent::Field(false),
    )
    .when(editing),
    Binding::new(&[Key::Code(KeyCode::Left)], Intent::Reason(false))
        .when(on_reason)
        .hint("←→", "key.change_reason"),
    Binding::new(&[Key::Code(KeyCode::Right)], Intent::Reason(true)).when(on_reason),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Confirm)
        .when(confirming)
        .hint("Enter", "key.confirm_submit"),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::Back)
        .when(before_summary)
        .hint("Esc", "key.back"),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::Back)
        .when(confirming)
        .hint("Esc", "key.edit"),
    Binding::new(&[Key::Any], Intent::Type).when(editing),
];

fn phase(state: &State) -> Option<SubmitPhase> {
    match &state.step {
        Step::Submit { phase, .. } => Some(*phase),
        _ => None,
    }
}

/// The retention offer waits for an answer.
fn offering(_: &ApplicationForm, state: &State) -> bool {
    phase(state) == Some(SubmitPhase::Review) && retention_pending(state)
}

/// The form is open (the quote is in, any offer answered, the
/// cancellation not put off to a later date).
fn editing(_: &ApplicationForm, state: &State) -> bool {
    phase(state) == Some(SubmitPhase::Review)
        && !retention_pending(state)
        && dates::put_off(state).is_none()
}

/// The cost of each date can be looked at: the quote is in and is for a
/// cancellation (not the retention offer taken), until it is sent.
fn dates_shown(state: &State) -> bool {
    matches!(
        phase(state),
        Some(SubmitPhase::Review | SubmitPhase::Confirming)
    ) && state.facts.choice.quote.is_some()
        && plan_change(state).is_none()
}

fn dates_outside_fields(form: &ApplicationForm, state: &State) -> bool {
    dates_shown(state) && !in_text_field(form, state)
}

fn dates_in_field(form: &ApplicationForm, state: &State) -> bool {
    dates_shown(state) && in_text_field(form, state)
}

/// Whether `key` opens the cost of each date (the screen's `on_key` has
/// only its form; the caller opens the panel, see [`dates::open`]).
pub fn opens_dates(form: &ApplicationForm, state: &State, key: &KeyEvent) -> bool {
    keymap::resolve(KEYS, form, state, key) == Some(Intent::Dates)
}

fn on_reason(form: &ApplicationForm, state: &State) -> bool {
    editing(form, state) && form.focus == FormFocus::Reason
}

fn confirming(_: &ApplicationForm, state: &State) -> bool {
    phase(state) == Some(SubmitPhase::Confirming)
}

/// Waiting for the quote, or reviewing it: Esc goes back to the plans —
/// unless an order may exist (a submit whose answer was lost), when there is
/// no going back.
fn before_summary(_: &ApplicationForm, state: &State) -> bool {
    matches!(
        phase(state),
        Some(SubmitPhase::Quoting | SubmitPhase::Review)
    ) && !state.order_in_flight()
}

/// Whether the retention offer still waits for an answer.
pub fn retention_pending(state: &State) -> bool {
    state
        .facts
        .choice
        .quote
        .as_ref()
        .is_some_and(|q| q.retention.is_some())
        && state.facts.choice.retention_accepted.is_none()
}

/// The i18n key of a fee line's kind.
pub fn fee_key(kind: FeeKind) -> &'static str {
    match kind {
        FeeKind::Penalty => "fee.penalty",
        FeeKind::Equipment => "fee.equipment",
        FeeKind::Arrears => "fee.arrears",
        FeeKind::Refund => "fee.refund",
    }
}

/// Whether the cursor is in a text field of the form.
pub fn in_text_field(form: &ApplicationForm, state: &State) -> bool {
    editing(form, state) && state.facts.choice.quote.is_some() && form.focus != FormFocus::Reason
}

/// Keys on the Submit screen.
pub fn on_key(form: &mut ApplicationForm, state: &State, key: KeyEvent) -> Option<Action> {
    match keymap::resolve(KEYS, form, state, &key)? {
        Intent::Retention(accept) => Some(Action::Core(Event::AnswerRetention { accept })),
        Intent::Review => form::review(form),
        Intent::Field(forward) => {
            form::move_focus(form, forward);
            None
        }
        Intent::Reason(forward) => {
            form::change_reason(form, forward);
            None
        }
        Intent::Confirm => Some(Action::Core(Event::Confirm)),
        // Opened by the caller (`opens_dates`), which holds the model.
        Intent::Dates => None,
        Intent::Back => Some(Action::Core(Event::Back)),
        Intent::Type => {
            form::type_key(form, &key);
            None
        }
    }
}

/// Draws the Submit screen for its phase.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let Step::Submit { phase, problem } = &model.state.step else {
        return;
    };
    let spin = spinner(model.spinner);
    let mut y = inner.y;
    if let Some(kind) = problem {
        let (what, todo) = problem_text(model, kind);
        let mut lines = text::wrapped(&format!("✗ {what}"), inner.width, theme.error());
        lines.extend(text::wrapped(&todo, inner.width, theme.text()));
        let h = lines.len() as u16;
        text::draw(
            frame,
            Rect {
                y,
                height: h.min(inner.height),
                ..inner
            },
            lines,
        );
        y += h;
    }
    let rest = |y: u16| Rect {
        y,
        height: inner.bottom().saturating_sub(y),
        ..inner
    };
    match phase {
        SubmitPhase::Quoting => {
            let msg = format!("{spin} {}", model.t("submit.quoting"));
            text::draw(
                frame,
                rest(y),
                text::wrapped(&msg, inner.width, theme.text()),
            );
        }
        SubmitPhase::Review | SubmitPhase::Confirming | SubmitPhase::Sending => {
            let Some(quote) = &model.state.facts.choice.quote else {
                return;
            };
            if *phase != SubmitPhase::Review {
                render_summary(frame, rest(y), model, quote, *phase);
                return;
            }
            let used = render_quote(frame, rest(y), model, quote);
            y += used;
            if let Some(chosen) = dates::put_off(&model.state) {
                dates::render_put_off(frame, rest(y), model, chosen);
            } else if retention_pending(&model.state) {
                render_retention(frame, rest(y), model, quote);
            } else {
                form::render(frame, rest(y), model);
            }
        }
    }
}

fn today(now: DateTime<Utc>, quote: &Quote) -> chrono::NaiveDate {
    now.with_timezone(quote.expires_at.offset()).date_naive()
}

/// The quote panel; returns the lines it took.
fn render_quote(frame: &mut Frame, area: Rect, model: &Model, quote: &Quote) -> u16 {
    let theme = model.theme();
    let cols = usize::from(area.width.saturating_sub(4));
    if let Some(offer) = plan_change(&model.state) {
        let block = panel(model.t("submit.change_title"), theme.border());
        return fitted_panel(frame, area, block, change_lines(model, offer, cols));
    }
    let mut lines = fee_lines(model, quote, cols);
    lines.push(dates_line(model, quote, cols));
    lines.extend(dates::summary_lines(model, cols));
    if let (Some(offer), Some(accepted)) = (
        &quote.retention,
        model.state.facts.choice.retention_accepted,
    ) {
        let key = if accepted {
            "submit.retention_accepted"
        } else {
            "submit.retention_declined"
        };
        lines.push(Line::styled(
            fit(
                &model.tr(key, &[("fee", offer.monthly_fee.to_string())]),
                cols,
            ),
            if accepted { theme.warn() } else { theme.dim() },
        ));
    }
    let block = panel(model.t("submit.quote_title"), theme.border());
    fitted_panel(frame, area, block, lines)
}

/// The plan's line at the top of the quote panel, in words of `key`
/// (`{name}`), cut to `cols` with "…".
fn plan_line(model: &Model, key: &str, cols: usize) -> Option<Line<'static>> {
    let plan = model.state.facts.choice.plan.as_ref()?;
    Some(Line::styled(
        fit(&model.tr(key, &[("name", plan.name.as_str())]), cols),
        model.theme().title(),
    ))
}

/// The offer taken: the plan kept at the new fee, nothing due (the
/// cancellation's fees do not apply).
fn change_lines(model: &Model, offer: &RetentionOffer, cols: usize) -> Vec<Line<'static>> {
    let theme = model.theme();
    let mut lines: Vec<Line> = Vec::new();
    lines.extend(plan_line(model, "submit.plan_kept", cols));
    let fee = offer.monthly_fee.to_string();
    lines.extend(text::wrapped(
        &model.tr("submit.retention_accepted", &[("fee", fee.as_str())]),
        cols as u16,
        theme.warn(),
    ));
    lines.extend(text::wrapped(
        &model.t("submit.nothing_due_change"),
        cols as u16,
        theme.text(),
    ));
    lines
}

/// The plan, the fee lines, the total, and a warning when the lines do not
/// add up to it.
fn fee_lines(model: &Model, quote: &Quote, cols: usize) -> Vec<Line<'static>> {
    let theme = model.theme();
    let mut lines: Vec<Line> = Vec::new();
    // Amounts are never cut: the column is as wide as the widest of them,
    // and the labels give way (cut with "…").
    let amount_w = quote
        .items
        .iter()
        .map(|i| i.amount)
        .chain([quote.total])
        .map(|a| width(&a.to_string()))
        .max()
        .unwrap_or(0)
        .max(12);
    let label_w = cols.saturating_sub(amount_w + 1);
    let row = |label: String, amount: Fen, bold: bool| {
        let style = if bold { theme.figure() } else { theme.text() };
        Line::from(vec![
            Span::styled(pad(&fit(&label, label_w), label_w), style),
            Span::raw(" "),
            Span::styled(pad_left(&amount.to_string(), amount_w), theme.figure()),
        ])
    };
    lines.extend(plan_line(model, "submit.plan", cols));
    if quote.items.is_empty() {
        lines.push(Line::styled(model.t("submit.no_fees"), theme.dim()));
    }
    for item in &quote.items {
        let kind = model.t(fee_key(item.kind));
        // The carrier's own label, after ours when it says more.
        let label = if item.label.trim().is_empty() || item.label == kind {
            kind
        } else {
            model.tr(
                "submit.fee_line",
                &[("kind", kind.as_str()), ("label", item.label.as_str())],
            )
        };
        lines.push(row(label, item.amount, false));
    }
    lines.push(Line::styled("─".repeat(cols), theme.border()));
    lines.push(row(model.t("submit.total"), quote.total, true));
    if !quote.lines_add_up() {
        let sum = Fen::checked_sum(quote.items.iter().map(|i| i.amount))
            .map(|f| f.to_string())
            .unwrap_or_else(|| "?".into());
        let hotline = model.hotline().unwrap_or("");
        let msg = model.tr(
            "submit.mismatch",
            &[
                ("sum", sum.as_str()),
                ("total", &quote.total.to_string()),
                ("hotline", hotline),
            ],
        );
        lines.extend(text::wrapped(
            &format!("⚠ {msg}"),
            cols as u16,
            theme.warn(),
        ));
    }
    lines
}

/// When the cancellation takes effect, and how long the quote holds.
fn dates_line(model: &Model, quote: &Quote, cols: usize) -> Line<'static> {
    let theme = model.theme();
    let effective = if quote.effective_date == today(model.now, quote) {
        model.tr(
            "submit.effective_today",
            &[("date", date(quote.effective_date))],
        )
    } else {
        model.tr(
            "submit.effective_on",
            &[("date", date(quote.effective_date))],
        )
    };
    let left = (quote.expires_at.with_timezone(&Utc) - model.now).num_seconds();
    let expiry = if left > 0 {
        model.tr("submit.expires_in", &[("left", clock(left))])
    } else {
        model.t("submit.expired")
    };
    let gap = cols
        .saturating_sub(width(&effective) + width(&expiry))
        .max(2);
    Line::from(vec![
        Span::raw(effective),
        Span::raw(" ".repeat(gap)),
        Span::styled(expiry, if left > 0 { theme.dim() } else { theme.warn() }),
    ])
}

fn render_retention(frame: &mut Frame, area: Rect, model: &Model, quote: &Quote) {
    let Some(offer) = &quote.retention else {
        return;
    };
    let theme = model.theme();
    let block = panel(model.t("submit.retention_title"), theme.warn());
    let inner = block.inner(area);
    let w = inner.width;
    let means = text::wrapped(&model.t("submit.retention_means"), w, theme.dim());
    // The fee, what answering means and the buttons always show: the
    // carrier's description gets the rows left, its cut marked.
    let fixed = 1 + means.len() + 2;
    let room = usize::from(inner.height).saturating_sub(fixed).max(1);
    let mut lines = text::hanging_at_most(
        &model.t("submit.retention_offer"),
        &offer.description,
        w,
        room,
        theme.text(),
    );
    lines.push(Line::from(vec![
        Span::raw(model.t("submit.retention_fee")),
        Span::styled(
            model.tr(
                "submit.per_month",
                &[("fee", offer.monthly_fee.to_string())],
            ),
            theme.figure(),
        ),
    ]));
    lines.extend(means);
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(
            format!(" {} ", model.t("submit.keep_cancelling")),
            theme.focus(),
        ),
        Span::raw("    "),
        Span::styled(
            format!(" {} ", model.t("submit.accept_offer")),
            theme.text(),
        ),
    ]));
    fitted_panel(frame, area, block, lines);
}

fn render_summary(frame: &mut Frame, area: Rect, model: &Model, quote: &Quote, phase: SubmitPhase) {
    let theme = model.theme();
    let title = if phase == SubmitPhase::Sending {
        model.t("submit.sending_title")
    } else {
        model.t("submit.summary_title")
    };
    let block = panel(title, theme.border());
    let inner = block.inner(area);
    let mut lines = summary_rows(model, quote, inner.width);
    lines.push(Line::raw(""));
    let change = plan_change(&model.state).map(|o| o.monthly_fee.to_string());
    match phase {
        SubmitPhase::Sending => {
            let key = match change {
                Some(_) => "submit.sending_change",
                None => "submit.sending",
            };
            let msg = format!("{} {}", spinner(model.spinner), model.t(key));
            lines.extend(text::wrapped(&msg, inner.width, theme.text()));
        }
        _ => {
            let note = match change {
                Some(fee) => model.tr("submit.confirm_note_change", &[("fee", fee)]),
                None => model.t("submit.confirm_note"),
            };
            lines.extend(text::wrapped(&note, inner.width, theme.warn()));
        }
    }
    fitted_panel(frame, area, block, lines);
}

/// The summary's rows: plan, total, effective date, the answer to any
/// retention offer, and the application as the carrier will get it.
fn summary_rows(model: &Model, quote: &Quote, cols: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let facts = &model.state.facts;
    let label_w = [
        "summary.plan",
        "summary.total",
        "summary.new_fee",
        "summary.due_now",
        "summary.effective",
        "summary.retention",
        "summary.name",
        "summary.id",
        "summary.contact",
        "summary.reason",
    ]
    .iter()
    .map(|k| width(&model.t(k)))
    .max()
    .unwrap_or(0)
        + 2;
    let mut lines: Vec<Line> = Vec::new();
    let mut row = |label: &str, value: String| {
        lines.push(Line::from(vec![
            Span::styled(pad(&model.t(label), label_w), theme.dim()),
            Span::raw(fit(&value, usize::from(cols).saturating_sub(label_w))),
        ]));
    };
    if let Some(plan) = &facts.choice.plan {
        row("summary.plan", plan.name.clone());
    }
    match plan_change(&model.state) {
        // The offer taken: the new fee and nothing due; the cancellation's
        // total and effective date do not apply.
        Some(offer) => {
            row(
                "summary.new_fee",
                model.tr(
                    "submit.per_month",
                    &[("fee", offer.monthly_fee.to_string())],
                ),
            );
            row("summary.due_now", model.t("summary.nothing_due"));
        }
        None => {
            row("summary.total", quote.total.to_string());
            row("summary.effective", date(quote.effective_date));
        }
    }
    if let (Some(offer), Some(accepted)) = (&quote.retention, facts.choice.retention_accepted) {
        let key = if accepted {
            "summary.retention_accepted"
        } else {
            "summary.retention_declined"
        };
        row(
            "summary.retention",
            model.tr(key, &[("fee", offer.monthly_fee.to_string())]),
        );
    }
    if let Some(app) = &facts.application {
        row("summary.name", app.holder_name.clone());
        row("summary.id", app.id_masked.clone());
        row("summary.contact", app.contact_masked.clone());
        let mut reason = model.t(app.reason.label_key());
        if !app.reason_text.is_empty() {
            reason = format!("{reason} — {}", app.reason_text);
        }
        row("summary.reason", reason);
    }
    lines
}
