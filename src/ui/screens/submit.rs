//! Step 3, Submit: the carrier's quote line by line (penalty, equipment,
//! arrears, refund), the total, the effective date and how long the quote
//! holds; a retention offer, if any, shown plainly with "keep cancelling" as
//! the default; the form (name, ID, contact, reason) checked as typed; then a
//! summary that nothing is sent before the person confirms.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use crate::core::fees::Fen;
use crate::core::flow::{Event, Step, SubmitPhase};
use crate::core::model::{Application, FeeKind, Quote, ReasonCode};
use crate::core::validate::{self, InputError};
use crate::ui::format::{clock, date, fit, pad, pad_left, width};
use crate::ui::screens::{cycle, input_message, key, problem_text};
use crate::ui::state::{ApplicationForm, FormFocus};
use crate::ui::widgets::field::{self, Field, Validity};
use crate::ui::widgets::input::Masking;
use crate::ui::widgets::{panel, spinner, text};
use crate::ui::{Action, Model};

const LABEL: u16 = 10;
const BOX: u16 = 20;

fn phase(model: &Model) -> Option<SubmitPhase> {
    match &model.state.step {
        Step::Submit { phase, .. } => Some(*phase),
        _ => None,
    }
}

/// Whether the retention offer still waits for an answer.
pub fn retention_pending(model: &Model) -> bool {
    model
        .state
        .facts
        .choice
        .quote
        .as_ref()
        .is_some_and(|q| q.retention.is_some())
        && model.state.facts.choice.retention_accepted.is_none()
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

/// The form's fields checked: the application, or the first field that is
/// wrong with what is wrong.
pub fn application(form: &ApplicationForm) -> Result<Application, (FormFocus, InputError)> {
    let holder_name = validate::holder_name(form.name.value()).map_err(|e| (FormFocus::Name, e))?;
    let id_number = validate::id_number(form.id.value()).map_err(|e| (FormFocus::Id, e))?;
    let contact =
        validate::contact_phone(form.contact.value()).map_err(|e| (FormFocus::Contact, e))?;
    Ok(Application {
        holder_name,
        id_number,
        contact,
        reason: form.reason_code(),
        reason_text: form.reason_text.value().trim().to_owned(),
    })
}

fn field_error(form: &ApplicationForm, which: FormFocus) -> Option<InputError> {
    match which {
        FormFocus::Name => validate::holder_name(form.name.value()).err(),
        FormFocus::Id => validate::id_number(form.id.value()).err(),
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

/// Whether the cursor is in a text field of the form.
pub fn in_text_field(model: &Model) -> bool {
    phase(model) == Some(SubmitPhase::Review)
        && !retention_pending(model)
        && model.state.facts.choice.quote.is_some()
        && model.ui.form.focus != FormFocus::Reason
}

/// Footer keys.
pub fn keys(model: &Model) -> Vec<(String, String)> {
    match phase(model) {
        Some(SubmitPhase::Quoting) => vec![key(model, "Esc", "key.back")],
        Some(SubmitPhase::Review) if retention_pending(model) => vec![
            key(model, "Enter/n", "key.keep_cancelling"),
            key(model, "a", "key.accept_offer"),
            key(model, "Esc", "key.back"),
        ],
        Some(SubmitPhase::Review) => {
            let mut out = vec![
                key(model, "Enter", "key.review"),
                key(model, "Tab", "key.next_field"),
            ];
            if model.ui.form.focus == FormFocus::Reason {
                out.push(key(model, "←→", "key.change_reason"));
            }
            out.push(key(model, "Esc", "key.back"));
            out
        }
        Some(SubmitPhase::Confirming) => vec![
            key(model, "Enter", "key.confirm_submit"),
            key(model, "Esc", "key.edit"),
        ],
        Some(SubmitPhase::Sending) | None => Vec::new(),
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
            if retention_pending(model) {
                render_retention(frame, rest(y), model, quote);
            } else {
                render_form(frame, rest(y), model);
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
    let mut lines: Vec<Line> = Vec::new();
    let cols = usize::from(area.width.saturating_sub(4));
    let amount_w = 12;
    let label_w = cols.saturating_sub(amount_w + 1);
    let row = |label: String, amount: Fen, bold: bool| {
        let style = if bold { theme.figure() } else { theme.text() };
        Line::from(vec![
            Span::styled(pad(&fit(&label, label_w), label_w), style),
            Span::raw(" "),
            Span::styled(pad_left(&amount.to_string(), amount_w), theme.figure()),
        ])
    };
    if let Some(plan) = &model.state.facts.choice.plan {
        lines.push(Line::styled(
            fit(
                &model.tr("submit.plan", &[("name", plan.name.as_str())]),
                cols,
            ),
            theme.title(),
        ));
    }
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
    lines.push(Line::from(vec![
        Span::raw(effective),
        Span::raw(" ".repeat(gap)),
        Span::styled(expiry, if left > 0 { theme.dim() } else { theme.warn() }),
    ]));
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
    let h = (lines.len() as u16 + 2).min(area.height);
    let block = panel(model.t("submit.quote_title"), theme.border());
    let rect = Rect { height: h, ..area };
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    text::draw(frame, inner, lines);
    h
}

fn render_retention(frame: &mut Frame, area: Rect, model: &Model, quote: &Quote) {
    let Some(offer) = &quote.retention else {
        return;
    };
    let theme = model.theme();
    let block = panel(model.t("submit.retention_title"), theme.warn());
    let w = block.inner(area).width;
    let mut lines = text::hanging(
        &model.t("submit.retention_offer"),
        &offer.description,
        w,
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
    lines.extend(text::wrapped(
        &model.t("submit.retention_means"),
        w,
        theme.dim(),
    ));
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
    let area = Rect {
        height: (lines.len() as u16 + 2).min(area.height),
        ..area
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    text::draw(frame, inner, lines);
}

fn render_form(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let form = &model.ui.form;
    let block = panel(model.t("submit.form_title"), theme.border());
    let w = block.inner(area).width;
    let msgs = form_messages(model, w);
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
                format!("‹ {} ›", model.t(form.reason_code().label_key())),
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
        let f = Field {
            label: &model.t(label),
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
        };
        let at = Rect {
            y,
            height: 1,
            ..inner
        };
        if let Some(p) = field::render(frame, at, &f, theme) {
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

/// What is wrong, in words: the focused field's message, or every one's
/// after Enter was pressed with something still wrong.
fn form_messages(model: &Model, width: u16) -> Vec<Line<'static>> {
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

fn render_summary(frame: &mut Frame, area: Rect, model: &Model, quote: &Quote, phase: SubmitPhase) {
    let theme = model.theme();
    let title = if phase == SubmitPhase::Sending {
        model.t("submit.sending_title")
    } else {
        model.t("submit.summary_title")
    };
    let block = panel(title, theme.border());
    let inner = block.inner(area);
    let facts = &model.state.facts;
    let label_w = [
        "summary.plan",
        "summary.total",
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
            Span::raw(fit(
                &value,
                usize::from(inner.width).saturating_sub(label_w),
            )),
        ]));
    };
    if let Some(plan) = &facts.choice.plan {
        row("summary.plan", plan.name.clone());
    }
    row("summary.total", quote.total.to_string());
    row("summary.effective", date(quote.effective_date));
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
    lines.push(Line::raw(""));
    match phase {
        SubmitPhase::Sending => {
            let msg = format!("{} {}", spinner(model.spinner), model.t("submit.sending"));
            lines.extend(text::wrapped(&msg, inner.width, theme.text()));
        }
        _ => {
            lines.extend(text::wrapped(
                &model.t("submit.confirm_note"),
                inner.width,
                theme.warn(),
            ));
        }
    }
    let area = Rect {
        height: (lines.len() as u16 + 2).min(area.height),
        ..area
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    text::draw(frame, inner, lines);
}

/// Keys on the Submit screen.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    match phase(model)? {
        SubmitPhase::Quoting => (key.code == KeyCode::Esc).then_some(Action::Core(Event::Back)),
        SubmitPhase::Sending => None,
        SubmitPhase::Confirming => match key.code {
            KeyCode::Enter => Some(Action::Core(Event::Confirm)),
            KeyCode::Esc => Some(Action::Core(Event::Back)),
            _ => None,
        },
        SubmitPhase::Review if retention_pending(model) => match key.code {
            KeyCode::Enter | KeyCode::Char('n') => {
                Some(Action::Core(Event::AnswerRetention { accept: false }))
            }
            KeyCode::Char('a') => Some(Action::Core(Event::AnswerRetention { accept: true })),
            KeyCode::Esc => Some(Action::Core(Event::Back)),
            _ => None,
        },
        SubmitPhase::Review => form_key(model, key),
    }
}

fn form_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    let form = &mut model.ui.form;
    let all = FormFocus::ALL;
    let at = all.iter().position(|f| *f == form.focus).unwrap_or(0);
    match key.code {
        KeyCode::Tab | KeyCode::Down => form.focus = all[cycle(at, all.len(), true)],
        KeyCode::BackTab | KeyCode::Up => form.focus = all[cycle(at, all.len(), false)],
        KeyCode::Left | KeyCode::Right if form.focus == FormFocus::Reason => {
            form.reason = cycle(
                form.reason,
                ReasonCode::ALL.len(),
                key.code == KeyCode::Right,
            );
        }
        KeyCode::Esc => return Some(Action::Core(Event::Back)),
        KeyCode::Enter => match application(form) {
            Ok(app) => return Some(Action::Core(Event::EnterApplication(app))),
            Err((which, _)) => {
                form.focus = which;
                form.show_all_errors = true;
            }
        },
        _ => {
            let input = match form.focus {
                FormFocus::Name => &mut form.name,
                FormFocus::Id => &mut form.id,
                FormFocus::Contact => &mut form.contact,
                FormFocus::ReasonText => &mut form.reason_text,
                FormFocus::Reason => return None,
            };
            input.handle(&key);
        }
    }
    None
}
