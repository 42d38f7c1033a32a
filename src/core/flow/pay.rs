//! Step 4, 缴费 (screen `ui/screens/pay.rs`): pay what the quote says — from
//! the balance, by card, or by QR code, which is then watched until paid.

use std::time::Duration;

use super::messages::{CarrierRequest, Event, Reply, StepError};
use super::shared::{Applied, DEFAULT_POLL, Handled, Rules, Turn, block, settle};
use super::state::{Choice, Line, SentRequest, State, Step};
use super::{order, recovery};
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::fees::Fen;
use crate::core::model::{IdempotencyKey, PayMethod, Payment, PaymentState, Quote};
use crate::core::receipt::ReceiptEvent;
use crate::core::secret::CardNumber;

/// The Pay step's rules.
pub(super) struct Pay;

impl Rules for Pay {
    fn on_intent(s: &mut State, line: &Line, event: Event, t: &mut Turn) -> Applied {
        let changed = amount_changed(s);
        match (event, changed) {
            (Event::ChoosePayment { .. }, Some(_)) => return Ok(Handled::NotHere),
            (Event::ChoosePayment { method, card }, None) => {
                return choose(s, line, method, card, t);
            }
            (Event::Retry, Some(_)) => requote(s, line, t),
            (Event::Confirm, Some(kind)) => return Ok(accept_new_amount(s, kind)),
            (Event::Abandon, changed) => {
                // Stopping over a changed amount keeps both amounts on record.
                let kind = changed.unwrap_or(ErrorKind::Abandoned);
                recovery::abandon(s, line, kind, t);
            }
            _ => return Ok(Handled::NotHere),
        }
        Ok(Handled::Done)
    }

    fn on_reply(s: &mut State, line: &Line, reply: Reply, t: &mut Turn) -> Handled {
        match reply {
            Reply::Paid(payment) => paid(s, line, payment, t),
            Reply::OrderStatus(status) => order::status(s, line, status, t),
            Reply::Quoted(quote) => requoted(s, line, quote, t),
            _ => return Handled::NotHere,
        }
        Handled::Done
    }

    fn on_failure(s: &mut State, line: &Line, error: CarrierError, t: &mut Turn) -> Handled {
        let unknown = error.kind.outcome_unknown();
        match error.kind {
            ErrorKind::BalanceInsufficient | ErrorKind::PaymentDeclined => {
                refused(s, line, t);
                s.step = Step::Pay {
                    problem: Some(error.kind),
                };
            }
            // The shell withheld the payment (the journal or the receipts
            // cannot be written): nothing was paid; pay again once they can.
            ErrorKind::StorageUnavailable { .. } => {
                settle(&mut s.facts.progress.pay);
                block(s, error, Some(Step::Pay { problem: None }));
            }
            // A fresh quote did not come: the changed amount still stands, and
            // `r` may ask again.
            _ if amount_changed(s).is_some() => {}
            // Perhaps paid, perhaps not: re-check the order before anything else.
            _ if unknown => block(s, error, Some(Step::Pay { problem: None })),
            _ => t.finish_blocked(s, line, error, None),
        }
        Handled::Done
    }
}

/// The carrier refused the payment (declined, balance too low): nothing was
/// taken, and the attempt is recorded as the carrier records it — the card
/// by its last four digits only.
fn refused(s: &mut State, line: &Line, t: &mut Turn) {
    let progress = &s.facts.progress;
    if let (Some(sent), Some(method)) = (&progress.pay, progress.pay_method) {
        let attempt = Payment {
            id: format!("declined-{}", sent.key.as_hex()),
            method,
            state: PaymentState::Declined,
            pay_url: None,
            card_last4: s.facts.secrets.card.as_ref().map(CardNumber::last4),
        };
        let amount = amount_asked(s);
        t.receipt(
            s,
            line,
            ReceiptEvent::Payment {
                payment: attempt,
                amount,
            },
        );
    }
    settle(&mut s.facts.progress.pay);
    s.facts.secrets.card = None;
}

/// What the order asks: the carrier's amount due, else the quote's total.
fn amount_asked(s: &State) -> Fen {
    s.facts
        .progress
        .order
        .as_ref()
        .and_then(|o| o.amount_due)
        .or_else(|| s.facts.choice.quote.as_ref().map(|q| q.total))
        .unwrap_or_default()
}

/// The total the person confirmed (kept when they confirmed the summary,
/// or a new amount), else what the quote they saw makes due.
fn confirmed_total(s: &State) -> Option<Fen> {
    let choice = &s.facts.choice;
    choice.confirmed_total.or_else(|| due_by_quote(choice))
}

/// What the quote makes due: nothing for a plan change, never less than
/// nothing (a refund is not collected by paying).
pub(super) fn due_by_quote(choice: &Choice) -> Option<Fen> {
    if choice.retention_accepted == Some(true) {
        return Some(Fen::ZERO);
    }
    choice.quote.as_ref().map(|q| q.total.max(Fen::ZERO))
}

/// The order asks another amount than the one confirmed: no payment may be
/// chosen until the person has seen and confirmed the new one.
pub(super) fn amount_changed(s: &State) -> Option<ErrorKind> {
    let asked = s.facts.progress.order.as_ref()?.amount_due?;
    let confirmed = confirmed_total(s)?;
    (asked != confirmed).then_some(ErrorKind::AmountChanged { asked, confirmed })
}

/// `r` on a changed amount: a fresh quote for the plan, shown beside what
/// the order asks.
fn requote(s: &mut State, line: &Line, t: &mut Turn) {
    if let Some(plan_id) = s.facts.choice.plan.as_ref().map(|p| p.id.clone()) {
        t.call(s, line, CarrierRequest::FetchQuote { plan_id });
    }
}

/// The fresh quote came: kept apart from the one the order was made under,
/// with a receipt of it as shown.
fn requoted(s: &mut State, line: &Line, quote: Quote, t: &mut Turn) {
    if let Some(plan) = s.facts.choice.plan.clone() {
        let shown = ReceiptEvent::QuoteShown {
            plan,
            quote: quote.clone(),
        };
        t.receipt(s, line, shown);
    }
    s.facts.choice.requote = Some(quote);
}

/// The person confirms the amount the order asks, which a fresh quote
/// must show first: from then on it is the confirmed total.
fn accept_new_amount(s: &mut State, kind: ErrorKind) -> Handled {
    let ErrorKind::AmountChanged { asked, .. } = kind else {
        return Handled::NotHere;
    };
    let shown = s
        .facts
        .choice
        .requote
        .as_ref()
        .map(|q| q.total.max(Fen::ZERO));
    if shown != Some(asked) {
        return Handled::NotHere;
    }
    s.facts.choice.confirmed_total = Some(asked);
    s.step = Step::Pay { problem: None };
    Handled::Done
}

/// Sends the payment under the key derived from the order and the method.
fn choose(
    s: &mut State,
    line: &Line,
    method: PayMethod,
    card: Option<CardNumber>,
    t: &mut Turn,
) -> Applied {
    let Some(order_id) = s.facts.progress.order.as_ref().map(|o| o.id.clone()) else {
        return Ok(Handled::NotHere);
    };
    if method == PayMethod::Card && card.is_none() {
        return Err(StepError::NeedsCard);
    }
    let card = if method == PayMethod::Card {
        card
    } else {
        None
    };
    let fingerprint = fingerprint(method, card.as_ref());
    if let Some(sent) = &s.facts.progress.pay
        && sent.outcome_unknown
        && sent.fingerprint != fingerprint
    {
        return Err(StepError::OutcomeUnknown);
    }
    let key = IdempotencyKey::derive(&s.facts.key_seed, "pay", &order_id, &fingerprint);
    s.facts.progress.pay = Some(SentRequest {
        key,
        fingerprint,
        outcome_unknown: true,
    });
    s.facts.secrets.card = card.clone();
    s.facts.progress.pay_method = Some(method);
    s.step = Step::Pay { problem: None };
    let request = CarrierRequest::Pay {
        idempotency_key: key,
        order_id,
        method,
        card,
    };
    t.call(s, line, request);
    Ok(Handled::Done)
}

/// What identifies a pay request (the card by its last four digits only).
fn fingerprint(method: PayMethod, card: Option<&CardNumber>) -> String {
    format!(
        "{method:?}|{}",
        card.map(CardNumber::last4).unwrap_or_default()
    )
}

/// A payment answer: paid moves on to Await; a pending QR payment is watched.
fn paid(s: &mut State, line: &Line, payment: Payment, t: &mut Turn) {
    settle(&mut s.facts.progress.pay);
    s.facts.secrets.card = None;
    let amount = amount_asked(s);
    let answer = ReceiptEvent::Payment {
        payment: payment.clone(),
        amount,
    };
    t.receipt(s, line, answer);
    let done = payment.state == PaymentState::Paid;
    s.facts.progress.payment = Some(payment);
    if done {
        s.facts.progress.paid = Some(amount);
        s.step = Step::Await {
            stalled: false,
            problem: None,
        };
        s.facts.progress.processing_since.get_or_insert(t.now);
        t.poll(s, line, Duration::ZERO);
    } else {
        // A QR code is showing: watch the order until it is paid.
        t.poll(s, line, DEFAULT_POLL);
    }
}

/// The carrier says the order awaits payment: show (or stay on) Pay.
pub(super) fn awaiting_payment(s: &mut State, line: &Line, t: &mut Turn) {
    if let Some(changed) = amount_changed(s) {
        // Stop before any payment: the person sees both amounts first.
        settle(&mut s.facts.progress.pay);
        s.step = Step::Pay {
            problem: Some(changed),
        };
        return;
    }
    if !matches!(s.step, Step::Pay { .. }) {
        s.step = Step::Pay { problem: None };
    }
    // The carrier says the order is unpaid: an earlier payment whose answer
    // was lost did not go through, so another method may be chosen (a second
    // payment of a paid order returns the first).
    let qr_pending = s
        .facts
        .progress
        .payment
        .as_ref()
        .is_some_and(|p| p.state == PaymentState::Pending);
    if qr_pending {
        t.poll(s, line, DEFAULT_POLL);
    } else {
        settle(&mut s.facts.progress.pay);
    }
}

/// Records what was paid once the carrier has moved the order past payment,
/// unless known already: the amount asked if a payment was made or attempted
/// (its answer may have been lost, or the order completed before the wizard
/// saw it processing), and nothing when the order never asked for payment.
/// A payment last seen pending (a QR code) is now known paid: a receipt says
/// so, under the same payment id, so that it counts once.
pub(super) fn note_paid(s: &mut State, line: &Line, t: &mut Turn) {
    let progress = &s.facts.progress;
    if progress.paid.is_some() {
        return;
    }
    let attempted = progress.payment.is_some() || progress.pay.is_some();
    let paid = if attempted {
        amount_asked(s)
    } else {
        Fen::ZERO
    };
    let pending = s
        .facts
        .progress
        .payment
        .clone()
        .filter(|p| p.state == PaymentState::Pending);
    if let Some(mut payment) = pending {
        payment.state = PaymentState::Paid;
        let confirmed = ReceiptEvent::Payment {
            payment: payment.clone(),
            amount: paid,
        };
        t.receipt(s, line, confirmed);
        s.facts.progress.payment = Some(payment);
    }
    s.facts.progress.paid = Some(paid);
}

/// Arrives at the step again (after a retry or a new login). A payment known
/// paid goes straight to Await, and so does a QR code shown before (it may
/// have been paid meanwhile): the order is re-checked there, with no way to
/// pay, so a paid order never shows a live Pay screen or QR code again.
pub(super) fn enter(s: &mut State, line: &Line, t: &mut Turn) {
    let progress = &s.facts.progress;
    let known_paid = progress.paid.is_some()
        || progress
            .payment
            .as_ref()
            .is_some_and(|p| p.state == PaymentState::Paid);
    let qr_shown = progress
        .payment
        .as_ref()
        .is_some_and(|p| p.state == PaymentState::Pending);
    if known_paid || qr_shown {
        order::enter(s, line, t);
        return;
    }
    s.step = Step::Pay { problem: None };
    t.poll(s, line, Duration::ZERO);
}
