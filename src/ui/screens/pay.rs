//! Step 4, Pay: what is due, and four ways to pay it — the account balance,
//! a bank card (checked with Luhn, shown masked), Alipay, WeChat Pay. A QR
//! payment waiting to be scanned is drawn as a QR code with its link beside
//! it. A balance that is too low leads straight to the other methods.
//!
//! Nothing pays on a single key: the balance asks "pay this from the
//! balance?" once, a card needs its number (digits typed on the card method
//! go straight into its field), a QR code needs a scan.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::error::ErrorKind;
use crate::core::fees::Fen;
use crate::core::flow::{CallKind, Event, State, Step};
use crate::core::model::{PayMethod, Payment, PaymentState};
use crate::core::validate;
use crate::ui::format::{fit, pad, width};
use crate::ui::keymap::{self, Binding, Key};
use crate::ui::screens::{input_message, next_in, problem_text};
use crate::ui::state::{PayFocus, PayForm};
use crate::ui::widgets::field::{self, Field, Validity};
use crate::ui::widgets::input::Masking;
use crate::ui::widgets::{fitted_panel, panel, spinner, text};
use crate::ui::{Action, Model};

mod amount;
mod qr_code;

/// Columns the text beside a QR code needs at least.
const SIDE_MIN: u16 = 30;

/// What a key asks of the Pay screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Answer "pay this from the balance?": yes (`true`) or back.
    ConfirmBalance(bool),
    /// Set the waiting QR payment aside to pay another way.
    OtherMethod,
    /// Stop following the order, with a receipt of where it stands.
    Abandon,
    /// Highlight the next method (`true`) or the previous one.
    Method(bool),
    /// Leave the card field for the list of methods.
    LeaveCard,
    /// Pay with the highlighted method.
    Pay,
    /// Between the list and the card field.
    SwitchField,
    /// Type into the card field.
    Type,
    /// A digit on the card method: into the card field, cursor and all.
    StartCard,
    /// Empty the card field (Ctrl-U).
    ClearCard,
    /// The order asks another amount: get a fresh quote.
    Requote,
    /// The fresh quote shows the amount asked: confirm it and go on.
    AcceptAmount,
}

/// The Pay screen's keys.
pub const KEYS: &[Binding<PayForm, Intent>] = &[
    // A changed amount first: until it is confirmed, nothing can pay.
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::AcceptAmount)
        .when(amount::confirmable)
        .hint("Enter", "key.accept_amount"),
    Binding::new(&[Key::Code(KeyCode::Char('r'))], Intent::Requote)
        .when(amount::deciding)
        .hint("r", "key.requote"),
    Binding::new(
        &[Key::Code(KeyCode::Char('a')), Key::Code(KeyCode::Esc)],
        Intent::Abandon,
    )
    .when(amount::deciding)
    .hint("a/Esc", "key.abandon"),
    // The balance question first: while it is asked, nothing else acts.
    Binding::new(
        &[Key::Code(KeyCode::Char('y')), Key::Code(KeyCode::Enter)],
        Intent::ConfirmBalance(true),
    )
    .when(asking)
    .hint("y/Enter", "key.pay"),
    Binding::new(
        &[Key::Code(KeyCode::Char('n')), Key::Code(KeyCode::Esc)],
        Intent::ConfirmBalance(false),
    )
    .when(asking)
    .hint("n/Esc", "key.back"),
    Binding::new(&[Key::Code(KeyCode::Char('m'))], Intent::OtherMethod)
        .when(qr_waiting)
        .hint("m", "key.other_method"),
    Binding::new(&[Key::Code(KeyCode::Char('a'))], Intent::Abandon)
        .when(qr_waiting)
        .hint("a", "key.abandon"),
    // ↑↓ in the card field go back to the list, where they choose.
    Binding::new(
        &[Key::Code(KeyCode::Up), Key::Code(KeyCode::Down)],
        Intent::LeaveCard,
    )
    .when(choosing_in_card),
    Binding::new(&[Key::Code(KeyCode::Up)], Intent::Method(false))
        .when(choosing)
        .hint("↑↓", "key.choose"),
    Binding::new(&[Key::Code(KeyCode::Down)], Intent::Method(true)).when(choosing),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Pay)
        .when(choosing)
        .hint("Enter", "key.pay"),
    Binding::new(
        &[Key::Code(KeyCode::Tab), Key::Code(KeyCode::BackTab)],
        Intent::SwitchField,
    )
    .when(card_on_list)
    .hint("Tab", "key.card_field"),
    // In the field, Tab goes back to the list like ↑↓ (whose hint shows).
    Binding::new(
        &[Key::Code(KeyCode::Tab), Key::Code(KeyCode::BackTab)],
        Intent::SwitchField,
    )
    .when(card_chosen),
    Binding::new(&[Key::Ctrl('u')], Intent::ClearCard)
        .when(card_has_text)
        .hint("Ctrl-U", "key.clear_card"),
    Binding::new(&[Key::Digit], Intent::StartCard).when(card_on_list),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::LeaveCard).when(in_text_field),
    Binding::new(&[Key::Any], Intent::Type).when(in_text_field),
];

/// A QR payment waits to be scanned.
fn qr_waiting(form: &PayForm, state: &State) -> bool {
    pending_qr(form, state).is_some()
}

/// A method may be chosen: no QR code waits, no question is asked, and no
/// call is in flight but the wait for a QR payment (which a new choice
/// leaves behind).
fn choosing(form: &PayForm, state: &State) -> bool {
    amount::changed(state).is_none()
        && !form.confirm_balance
        && !qr_waiting(form, state)
        && state.pending.is_none_or(|p| p.kind == CallKind::PollOrder)
}

/// "Pay this from the balance?" waits for an answer.
fn asking(form: &PayForm, state: &State) -> bool {
    form.confirm_balance
        && amount::changed(state).is_none()
        && !qr_waiting(form, state)
        && state.pending.is_none()
}

/// The card method is highlighted, the cursor on the list.
fn card_on_list(form: &PayForm, state: &State) -> bool {
    card_chosen(form, state) && form.focus == PayFocus::Methods
}

fn card_has_text(form: &PayForm, state: &State) -> bool {
    card_chosen(form, state) && !form.card.is_empty()
}

fn choosing_in_card(form: &PayForm, state: &State) -> bool {
    choosing(form, state) && form.focus == PayFocus::Card
}

fn card_chosen(form: &PayForm, state: &State) -> bool {
    choosing(form, state) && form.method == PayMethod::Card
}

/// The i18n key of a payment method.
pub fn method_key(method: PayMethod) -> &'static str {
    match method {
        PayMethod::Balance => "pay.method.balance",
        PayMethod::Card => "pay.method.card",
        PayMethod::Alipay => "pay.method.alipay",
        PayMethod::WeChat => "pay.method.wechat",
    }
}

fn problem(state: &State) -> Option<&ErrorKind> {
    match &state.step {
        Step::Pay { problem } => problem.as_ref(),
        _ => None,
    }
}

fn due(state: &State) -> Fen {
    let facts = &state.facts;
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
pub fn balance_short(state: &State) -> bool {
    problem(state) == Some(&ErrorKind::BalanceInsufficient)
        || state
            .facts
            .choice
            .account
            .as_ref()
            .is_some_and(|a| a.balance < due(state))
}

/// A QR payment waiting to be scanned.
pub fn pending_qr<'s>(form: &PayForm, state: &'s State) -> Option<&'s Payment> {
    state
        .facts
        .progress
        .payment
        .as_ref()
        .filter(|p| p.state == PaymentState::Pending && p.pay_url.is_some())
        .filter(|p| form.dismissed_qr.as_deref() != Some(p.id.as_str()))
}

/// Keeps the highlighted method sensible: off the balance when the screen
/// opens with too little of it, and when the carrier has just said so.
pub fn sync(form: &mut PayForm, state: &State, entered: bool) {
    // A question is only ever answered on the screen it was asked on.
    if entered || state.pending.is_some() {
        form.confirm_balance = false;
    }
    let refused = problem(state) == Some(&ErrorKind::BalanceInsufficient);
    if matches!(state.step, Step::Pay { .. })
        && form.method == PayMethod::Balance
        && ((entered && balance_short(state)) || refused)
    {
        form.method = PayMethod::Card;
        form.focus = PayFocus::Methods;
        form.confirm_balance = false;
    }
}

/// Whether the cursor is in the card field.
pub fn in_text_field(form: &PayForm, state: &State) -> bool {
    form.focus == PayFocus::Card && form.method == PayMethod::Card && !qr_waiting(form, state)
}

/// Draws the Pay screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    // The amount whole first; the order number gets what is left.
    let due_text = format!("{}{}", model.t("pay.due"), due(&model.state));
    let mut head = vec![
        Span::raw(model.t("pay.due")),
        Span::styled(due(&model.state).to_string(), theme.figure()),
    ];
    if let Some(order) = &model.state.facts.progress.order {
        let room = usize::from(inner.width).saturating_sub(width(&due_text));
        head.push(Span::styled(
            fit(
                &format!("   {}", model.tr("pay.order", &[("id", order.id.as_str())])),
                room,
            ),
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
    if let Some(amounts) = amount::changed(&model.state) {
        amount::render(frame, body, model, amounts);
        return;
    }
    if let Some(payment) = pending_qr(&model.ui.pay, &model.state) {
        qr_code::render(frame, body, model, payment);
        return;
    }
    render_methods(frame, body, model);
}

fn render_methods(frame: &mut Frame, area: Rect, model: &Model) {
    let lines = method_lines(model);
    let h = lines.len() as u16;
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            height: h.min(area.height),
            ..area
        },
    );
    let mut y = area.y + h + 1;
    if model.ui.pay.method == PayMethod::Card && y < area.bottom() {
        y = render_card(frame, area, y, model);
    }
    if asking(&model.ui.pay, &model.state) && y < area.bottom() {
        let rect = Rect {
            y,
            height: area.bottom() - y,
            ..area
        };
        y += render_balance_question(frame, rect, model);
    }
    y += 1;
    if y >= area.bottom() {
        return;
    }
    text::draw(
        frame,
        Rect {
            y,
            height: area.bottom() - y,
            ..area
        },
        status_lines(model, area.width),
    );
}

/// One line per method, the highlighted one marked; the balance says what
/// it holds and whether that is enough.
fn method_lines(model: &Model) -> Vec<Line<'static>> {
    let theme = model.theme();
    let pay = &model.ui.pay;
    let balance = model.state.facts.choice.account.as_ref().map(|a| a.balance);
    let mut lines: Vec<Line> = Vec::new();
    for method in PayMethod::ALL {
        let chosen = method == pay.method;
        let radio = if chosen { "(•)" } else { "( )" };
        let focused = chosen && pay.focus == PayFocus::Methods;
        let marker = if focused { "› " } else { "  " };
        let mut spans = vec![
            Span::styled(marker, theme.key()),
            Span::styled(
                format!("{radio} {}", model.t(method_key(method))),
                if focused { theme.focus() } else { theme.text() },
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
            if balance_short(&model.state) {
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
    lines
}

/// The card field at row `y`, and what is wrong with the number below it;
/// returns the row after them.
fn render_card(frame: &mut Frame, area: Rect, mut y: u16, model: &Model) -> u16 {
    let theme = model.theme();
    let pay = &model.ui.pay;
    let check = validate::card_number(pay.card.value());
    let validity = match &check {
        _ if pay.card.is_empty() => Validity::Blank,
        Ok(_) => Validity::Valid,
        Err(_) => Validity::Invalid,
    };
    let f = Field {
        label: model.t("pay.card_number"),
        shown: pay.card.shown(Masking::LastFour),
        placeholder: model.t("pay.card_placeholder"),
        focused: pay.focus == PayFocus::Card,
        editable: true,
        validity,
        label_width: 10,
        box_width: 22,
    };
    let row = Rect {
        y,
        height: 1,
        ..area
    };
    let cursor: Option<Position> = field::render(frame, row, &f, theme);
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
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
    y
}

/// "Pay this from the balance?" with its answers, from the key table;
/// returns the rows it took.
fn render_balance_question(frame: &mut Frame, area: Rect, model: &Model) -> u16 {
    let theme = model.theme();
    let block = panel(model.t("pay.confirm_title"), theme.warn());
    let w = block.inner(area).width;
    let balance = model
        .state
        .facts
        .choice
        .account
        .as_ref()
        .map(|a| a.balance.to_string())
        .unwrap_or_else(|| "?".into());
    let mut lines = text::wrapped(
        &model.tr(
            "pay.confirm_balance",
            &[
                ("amount", due(&model.state).to_string()),
                ("balance", balance),
            ],
        ),
        w,
        theme.text(),
    );
    lines.push(Line::raw(""));
    for hint in keymap::hints(KEYS, &model.ui.pay, &model.state) {
        lines.push(Line::from(vec![
            Span::styled(pad(hint.keys, 8), theme.key()),
            Span::raw(model.t(hint.does)),
        ]));
    }
    fitted_panel(frame, area, block, lines)
}

/// The last refusal with its remedy, and the call in flight.
fn status_lines(model: &Model, width: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let mut below: Vec<Line> = Vec::new();
    if let Some(kind) = problem(&model.state) {
        let (what, todo) = problem_text(model, kind);
        below.extend(text::wrapped(&format!("✗ {what}"), width, theme.error()));
        below.extend(text::wrapped(&todo, width, theme.text()));
    }
    let doing = match model.state.pending.map(|p| p.kind) {
        Some(CallKind::Pay) => Some("pay.paying"),
        Some(CallKind::PollOrder) => Some("pay.checking"),
        _ => None,
    };
    if let Some(doing) = doing {
        below.push(Line::raw(format!(
            "{} {}",
            spinner(model.spinner),
            model.t(doing)
        )));
    }
    below
}

/// Keys on the Pay screen.
pub fn on_key(form: &mut PayForm, state: &State, key: KeyEvent) -> Option<Action> {
    match keymap::resolve(KEYS, form, state, &key)? {
        Intent::ConfirmBalance(yes) => {
            form.confirm_balance = false;
            if yes {
                return Some(Action::Core(Event::ChoosePayment {
                    method: PayMethod::Balance,
                    card: None,
                }));
            }
        }
        Intent::StartCard => {
            form.focus = PayFocus::Card;
            form.card.handle(&key);
        }
        Intent::ClearCard => form.card.clear(),
        Intent::OtherMethod => {
            // Back to the methods; the carrier closes the unused QR payment
            // when another one is made.
            form.dismissed_qr = pending_qr(form, state).map(|p| p.id.clone());
        }
        Intent::Abandon => return Some(Action::Core(Event::Abandon)),
        Intent::Requote => return Some(Action::Core(Event::Retry)),
        Intent::AcceptAmount => return Some(Action::Core(Event::Confirm)),
        Intent::Method(forward) => form.method = next_in(&PayMethod::ALL, form.method, forward),
        Intent::LeaveCard => form.focus = PayFocus::Methods,
        Intent::Pay => return choose(form),
        Intent::SwitchField => {
            form.focus = match form.focus {
                PayFocus::Methods => PayFocus::Card,
                PayFocus::Card => PayFocus::Methods,
            };
        }
        Intent::Type => {
            form.card.handle(&key);
        }
    }
    None
}

/// Enter: pay with the highlighted method; the balance asks first, and a
/// card number still wrong gets the cursor instead.
fn choose(form: &mut PayForm) -> Option<Action> {
    let method = form.method;
    if method == PayMethod::Balance {
        form.confirm_balance = true;
        return None;
    }
    let card = if method == PayMethod::Card {
        match validate::card_number(form.card.value()) {
            Ok(card) => Some(card),
            Err(_) => {
                form.focus = PayFocus::Card;
                return None;
            }
        }
    } else {
        None
    };
    Some(Action::Core(Event::ChoosePayment { method, card }))
}
