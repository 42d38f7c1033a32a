//! Step 4, Pay: what is due, and four ways to pay it — the account balance,
//! a bank card (checked with Luhn, shown masked), Alipay, WeChat Pay. A QR
//! payment waiting to be scanned is drawn as a QR code with its link beside
//! it. A balance that is too low leads straight to the other methods.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::error::ErrorKind;
use crate::core::fees::Fen;
use crate::core::flow::{CallKind, Event, Step};
use crate::core::model::{PayMethod, Payment, PaymentState};
use crate::core::validate;
use crate::ui::screens::{cycle, input_message, key, problem_text};
use crate::ui::state::PayFocus;
use crate::ui::widgets::field::{self, Field, Validity};
use crate::ui::widgets::input::Masking;
use crate::ui::widgets::{panel, qr, spinner, text};
use crate::ui::{Action, Model};

/// Columns the text beside a QR code needs at least.
const SIDE_MIN: u16 = 30;

/// The i18n key of a payment method.
pub fn method_key(method: PayMethod) -> &'static str {
    match method {
        PayMethod::Balance => "pay.method.balance",
        PayMethod::Card => "pay.method.card",
        PayMethod::Alipay => "pay.method.alipay",
        PayMethod::WeChat => "pay.method.wechat",
    }
}

fn problem(model: &Model) -> Option<&ErrorKind> {
    match &model.state.step {
        Step::Pay { problem } => problem.as_ref(),
        _ => None,
    }
}

fn due(model: &Model) -> Fen {
    let facts = &model.state.facts;
    facts
        .progress
        .order
        .as_ref()
        .and_then(|o| o.amount_due)
        .or_else(|| facts.choice.quote.as_ref().map(|q| q.total))
        .unwrap_or_default()
}

/// Whether the balance is known not to cover what is due (from the account,
/// or because the carrier just said so).
pub fn balance_short(model: &Model) -> bool {
    problem(model) == Some(&ErrorKind::BalanceInsufficient)
        || model
            .state
            .facts
            .choice
            .account
            .as_ref()
            .is_some_and(|a| a.balance < due(model))
}

/// A QR payment waiting to be scanned.
pub fn pending_qr(model: &Model) -> Option<&Payment> {
    model
        .state
        .facts
        .progress
        .payment
        .as_ref()
        .filter(|p| p.state == PaymentState::Pending && p.pay_url.is_some())
        .filter(|p| model.ui.pay.dismissed_qr.as_deref() != Some(p.id.as_str()))
}

/// Keeps the highlighted method sensible: off the balance when the screen
/// opens with too little of it, and when the carrier has just said so.
pub fn sync(model: &mut Model, entered: bool) {
    let refused = problem(model) == Some(&ErrorKind::BalanceInsufficient);
    if matches!(model.state.step, Step::Pay { .. })
        && model.ui.pay.method() == PayMethod::Balance
        && ((entered && balance_short(model)) || refused)
    {
        model.ui.pay.method = 1;
        model.ui.pay.focus = PayFocus::Methods;
    }
}

/// Whether the cursor is in the card field.
pub fn in_text_field(model: &Model) -> bool {
    model.ui.pay.focus == PayFocus::Card
        && model.ui.pay.method() == PayMethod::Card
        && pending_qr(model).is_none()
}

/// Footer keys.
pub fn keys(model: &Model) -> Vec<(String, String)> {
    if pending_qr(model).is_some() {
        return vec![
            key(model, "m", "key.other_method"),
            key(model, "a", "key.abandon"),
        ];
    }
    if model
        .state
        .pending
        .is_some_and(|p| p.kind != CallKind::PollOrder)
    {
        return Vec::new();
    }
    let mut out = vec![
        key(model, "↑↓", "key.choose"),
        key(model, "Enter", "key.pay"),
    ];
    if model.ui.pay.method() == PayMethod::Card {
        out.push(key(model, "Tab", "key.card_field"));
    }
    out
}

/// Draws the Pay screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let mut head = vec![
        Span::raw(model.t("pay.due")),
        Span::styled(due(model).to_string(), theme.figure()),
    ];
    if let Some(order) = &model.state.facts.progress.order {
        head.push(Span::styled(
            format!("   {}", model.tr("pay.order", &[("id", order.id.as_str())])),
            theme.dim(),
        ));
    }
    frame.render_widget(
        Paragraph::new(Line::from(head)),
        Rect { height: 1, ..inner },
    );
    let body = Rect {
        y: inner.y + 2,
        height: inner.height.saturating_sub(2),
        ..inner
    };
    if let Some(payment) = pending_qr(model) {
        render_qr(frame, body, model, payment);
        return;
    }
    render_methods(frame, body, model);
}

fn render_methods(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let pay = &model.ui.pay;
    let mut lines: Vec<Line> = Vec::new();
    let balance = model.state.facts.choice.account.as_ref().map(|a| a.balance);
    for (i, method) in PayMethod::ALL.into_iter().enumerate() {
        let chosen = i == pay.method;
        let radio = if chosen { "(•)" } else { "( )" };
        let marker = if chosen && pay.focus == PayFocus::Methods {
            "› "
        } else {
            "  "
        };
        let mut spans = vec![
            Span::styled(marker, theme.key()),
            Span::styled(
                format!("{radio} {}", model.t(method_key(method))),
                if chosen && pay.focus == PayFocus::Methods {
                    theme.focus()
                } else {
                    theme.text()
                },
            ),
        ];
        if method == PayMethod::Balance {
            if let Some(b) = balance {
                spans.push(Span::styled(
                    format!(
                        "  {}",
                        model.tr("pay.balance_is", &[("amount", b.to_string())])
                    ),
                    theme.dim(),
                ));
            }
            if balance_short(model) {
                spans.push(Span::styled(
                    format!("  {}", model.t("pay.balance_short")),
                    theme.warn(),
                ));
            }
        }
        if method.is_qr() {
            spans.push(Span::styled(
                format!("  {}", model.t("pay.qr_hint")),
                theme.dim(),
            ));
        }
        lines.push(Line::from(spans));
    }
    let h = lines.len() as u16;
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            height: h.min(area.height),
            ..area
        },
    );
    let mut y = area.y + h + 1;
    let mut cursor: Option<Position> = None;
    if pay.method() == PayMethod::Card && y < area.bottom() {
        let check = validate::card_number(pay.card.value());
        let validity = match &check {
            _ if pay.card.is_empty() => Validity::Blank,
            Ok(_) => Validity::Valid,
            Err(_) => Validity::Invalid,
        };
        let f = Field {
            label: &model.t("pay.card_number"),
            shown: pay.card.shown(Masking::LastFour),
            placeholder: model.t("pay.card_placeholder"),
            focused: pay.focus == PayFocus::Card,
            editable: true,
            validity,
            label_width: 10,
            box_width: 22,
        };
        cursor = field::render(
            frame,
            Rect {
                y,
                height: 1,
                ..area
            },
            &f,
            theme,
        );
        y += 1;
        if let (Err(e), false) = (check, pay.card.is_empty()) {
            if y < area.bottom() {
                let msg = text::wrapped(
                    &format!("✗ {}", input_message(model, &e)),
                    area.width,
                    theme.error(),
                );
                let hgt = (msg.len() as u16).min(area.bottom() - y);
                text::draw(
                    frame,
                    Rect {
                        y,
                        height: hgt,
                        ..area
                    },
                    msg,
                );
                y += hgt;
            }
        }
    }
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
    y += 1;
    if y >= area.bottom() {
        return;
    }
    let mut below: Vec<Line> = Vec::new();
    if let Some(kind) = problem(model) {
        let (what, todo) = problem_text(model, kind);
        below.extend(text::wrapped(
            &format!("✗ {what}"),
            area.width,
            theme.error(),
        ));
        below.extend(text::wrapped(&todo, area.width, theme.text()));
    }
    match model.state.pending.map(|p| p.kind) {
        Some(CallKind::Pay) => below.push(Line::raw(format!(
            "{} {}",
            spinner(model.spinner),
            model.t("pay.paying")
        ))),
        Some(CallKind::PollOrder) => below.push(Line::raw(format!(
            "{} {}",
            spinner(model.spinner),
            model.t("pay.checking")
        ))),
        _ => {}
    }
    text::draw(
        frame,
        Rect {
            y,
            height: area.bottom() - y,
            ..area
        },
        below,
    );
}

fn render_qr(frame: &mut Frame, area: Rect, model: &Model, payment: &Payment) {
    let theme = model.theme();
    let url = payment.pay_url.as_deref().unwrap_or_default();
    let qr_w = qr::size(url).map(|(w, _)| w).unwrap_or(0);
    // The link beside the code needs room too; without it, the link alone.
    let drawn =
        qr_w + 2 + SIDE_MIN <= area.width && qr::render(frame, area, url, theme, model.no_color);
    let side = if drawn {
        Rect {
            x: area.x + qr_w + 2,
            width: area.width.saturating_sub(qr_w + 2),
            ..area
        }
    } else {
        area
    };
    let block = panel(model.t(method_key(payment.method)), theme.border());
    let inner = block.inner(side);
    frame.render_widget(block, side);
    let w = inner.width;
    let mut lines: Vec<Line> = Vec::new();
    let app = model.t(method_key(payment.method));
    lines.extend(text::wrapped(
        &model.tr(
            "pay.scan",
            &[("app", app.as_str()), ("amount", &due(model).to_string())],
        ),
        w,
        theme.text(),
    ));
    lines.push(Line::raw(""));
    lines.extend(text::wrapped(&model.t("pay.link"), w, theme.dim()));
    lines.extend(text::wrapped(url, w, theme.text()));
    lines.push(Line::raw(""));
    if !drawn {
        lines.extend(text::wrapped(&model.t("pay.qr_too_small"), w, theme.warn()));
    }
    lines.push(Line::raw(format!(
        "{} {}",
        spinner(model.spinner),
        model.t("pay.waiting")
    )));
    lines.extend(text::wrapped(&model.t("pay.waiting_note"), w, theme.dim()));
    text::draw(frame, inner, lines);
}

/// Keys on the Pay screen.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    if let Some(payment) = pending_qr(model) {
        return match key.code {
            KeyCode::Char('a') => Some(Action::Core(Event::Abandon)),
            KeyCode::Char('m') => {
                // Back to the methods; the carrier closes the unused QR
                // payment when another one is made.
                model.ui.pay.dismissed_qr = Some(payment.id.clone());
                None
            }
            _ => None,
        };
    }
    let pay = &mut model.ui.pay;
    let n = PayMethod::ALL.len();
    match (pay.focus, key.code) {
        (PayFocus::Methods, KeyCode::Down) => pay.method = cycle(pay.method, n, true),
        (PayFocus::Methods, KeyCode::Up) => pay.method = cycle(pay.method, n, false),
        (_, KeyCode::Tab | KeyCode::BackTab) if pay.method() == PayMethod::Card => {
            pay.focus = match pay.focus {
                PayFocus::Methods => PayFocus::Card,
                PayFocus::Card => PayFocus::Methods,
            };
        }
        (PayFocus::Card, KeyCode::Up | KeyCode::Esc) => pay.focus = PayFocus::Methods,
        (_, KeyCode::Enter) => return choose(model),
        (PayFocus::Card, _) => {
            pay.card.handle(&key);
        }
        _ => {}
    }
    None
}

fn choose(model: &mut Model) -> Option<Action> {
    // Only the wait for a QR payment may be left behind by a new choice.
    if model
        .state
        .pending
        .is_some_and(|p| p.kind != CallKind::PollOrder)
    {
        return None;
    }
    let method = model.ui.pay.method();
    let card = if method == PayMethod::Card {
        match validate::card_number(model.ui.pay.card.value()) {
            Ok(card) => Some(card),
            Err(_) => {
                model.ui.pay.focus = PayFocus::Card;
                return None;
            }
        }
    } else {
        None
    };
    Some(Action::Core(Event::ChoosePayment { method, card }))
}
