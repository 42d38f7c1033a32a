//! Step 4, 缴费 (screen `ui/screens/pay.rs`): pay what the quote says — from
//! the balance, by card, or by QR code, which is then watched until paid.

use std::time::Duration;

use super::messages::{CarrierRequest, Event, Reply, StepError};
use super::shared::{Applied, DEFAULT_POLL, Handled, Rules, Turn, block, settle};
use super::state::{Line, SentRequest, State, Step};
use super::{order, recovery};
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::fees::Fen;
use crate::core::model::{IdempotencyKey, PayMethod, Payment, PaymentState};
use crate::core::receipt::ReceiptEvent;
use crate::core::secret::CardNumber;

/// The Pay step's rules.
pub(super) struct Pay;

impl Rules for Pay {
    fn on_intent(s: &mut State, line: &Line, event: Event, t: &mut Turn) -> Applied {
        match event {
            Event::ChoosePayment { method, card } => choose(s, line, method, card, t),
            Event::Abandon => {
                recovery::abandon(s, line, ErrorKind::Abandoned, t);
                Ok(Handled::Done)
            }
            _ => Ok(Handled::NotHere),
        }
    }

    fn on_reply(s: &mut State, line: &Line, reply: Reply, t: &mut Turn) -> Handled {
        match reply {
            Reply::Paid(payment) => paid(s, line, payment, t),
            Reply::OrderStatus(status) => order::status(s, line, status, t),
            _ => return Handled::NotHere,
        }
        Handled::Done
    }

    fn on_failure(s: &mut State, line: &Line, error: CarrierError, t: &mut Turn) -> Handled {
        let unknown = error.kind.outcome_unknown();
        match error.kind {
            ErrorKind::BalanceInsufficient | ErrorKind::PaymentDeclined => {
                settle(&mut s.facts.progress.pay);
                s.facts.secrets.card = None;
                s.step = Step::Pay {
                    problem: Some(error.kind),
                };
            }
            // Perhaps paid, perhaps not: re-check the order before anything else.
            _ if unknown => block(s, error, Some(Step::Pay { problem: None })),
            _ => t.finish_blocked(s, line, error, None),
        }
        Handled::Done
    }
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
    let amount = s
        .facts
        .choice
        .quote
        .as_ref()
        .map(|q| q.total)
        .unwrap_or_default();
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
/// unless known already: the quote's total if a payment was made or attempted
/// (its answer may have been lost, or the order completed before the wizard
/// saw it processing), and nothing when the order never asked for payment.
pub(super) fn note_paid(s: &mut State) {
    let progress = &s.facts.progress;
    if progress.paid.is_some() {
        return;
    }
    let attempted = progress.payment.is_some() || progress.pay.is_some();
    let total = s.facts.choice.quote.as_ref().map(|q| q.total);
    let paid = if attempted {
        total.unwrap_or_default()
    } else {
        Fen::ZERO
    };
    s.facts.progress.paid = Some(paid);
}

/// Arrives at the step again (after a retry or a new login).
pub(super) fn enter(s: &mut State, line: &Line, t: &mut Turn) {
    s.step = Step::Pay { problem: None };
    // Re-check rather than re-create: a pending QR payment or an unanswered
    // card payment may already have gone through.
    t.poll(s, line, Duration::ZERO);
}
