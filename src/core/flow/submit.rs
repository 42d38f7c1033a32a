//! Step 3, 提交 (screen `ui/screens/submit.rs`): the quote, the retention
//! offer, the form, the summary, and sending the order — under an
//! idempotency key derived from the request, so a resend is the same request.

use super::messages::{CarrierRequest, Event, Reply, StepError};
use super::shared::{Applied, Handled, Rules, Turn, block, settle};
use super::state::{Line, SentRequest, State, Step, SubmitPhase};
use super::{order, pay};
use chrono::{DateTime, NaiveDate, Utc};

use crate::core::date_cost::{DateCostInput, Verdict, When, compare};
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::model::{Application, IdempotencyKey, MaskedApplication, Order, Quote};
use crate::core::receipt::ReceiptEvent;

/// The Submit step's rules.
pub(super) struct Submit;

impl Rules for Submit {
    fn on_intent(s: &mut State, line: &Line, event: Event, t: &mut Turn) -> Applied {
        let Step::Submit { phase, .. } = s.step else {
            return Ok(Handled::NotHere);
        };
        match (phase, event) {
            (SubmitPhase::Review, Event::AnswerRetention { accept }) => {
                let choice = &mut s.facts.choice;
                let Some(offer) = choice.quote.as_ref().and_then(|q| q.retention.clone()) else {
                    return Ok(Handled::NotHere);
                };
                choice.retention_accepted = Some(accept);
                let answered = ReceiptEvent::RetentionAnswered {
                    offer,
                    accepted: accept,
                };
                t.receipt(s, line, answered);
            }
            (SubmitPhase::Review, Event::ChooseDate { from }) => {
                choose_date(s, line, from, t)?;
            }
            (SubmitPhase::Review, Event::EnterApplication(app)) => {
                enter_application(s, app, t.now)?;
            }
            (SubmitPhase::Confirming, Event::Confirm) => {
                let expired = s
                    .facts
                    .choice
                    .quote
                    .as_ref()
                    .is_none_or(|q| q.expires_at <= t.now);
                if expired {
                    // Never send a quote the carrier will refuse: fetch a new
                    // one and let the person see (and confirm) it again.
                    refetch_quote(s, line, Some(ErrorKind::QuoteExpired), t);
                } else {
                    // What may be paid for this order, as the person saw it.
                    let choice = &mut s.facts.choice;
                    choice.confirmed_total = pay::due_by_quote(choice);
                    choice.requote = None;
                    send(s, line, t)?;
                }
            }
            (SubmitPhase::Confirming, Event::Back) => {
                s.step = Step::Submit {
                    phase: SubmitPhase::Review,
                    problem: None,
                };
            }
            (phase, Event::Back) if phase != SubmitPhase::Sending && !s.order_in_flight() => {
                s.pending = None;
                s.facts.choice.quote = None;
                s.facts.choice.retention_accepted = None;
                s.facts.choice.date_chosen = None;
                s.step = Step::SelectPlan { problem: None };
            }
            _ => return Ok(Handled::NotHere),
        }
        Ok(Handled::Done)
    }

    fn on_reply(s: &mut State, line: &Line, reply: Reply, t: &mut Turn) -> Handled {
        let Step::Submit { phase, problem } = s.step.clone() else {
            return Handled::NotHere;
        };
        match (phase, reply) {
            (SubmitPhase::Quoting, Reply::Quoted(quote)) => quoted(s, line, quote, problem, t),
            (SubmitPhase::Sending, Reply::Submitted(order)) => submitted(s, line, order, t),
            _ => return Handled::NotHere,
        }
        Handled::Done
    }

    fn on_failure(s: &mut State, line: &Line, error: CarrierError, t: &mut Turn) -> Handled {
        let Step::Submit { phase, .. } = s.step else {
            return Handled::NotHere;
        };
        let sending = phase == SubmitPhase::Sending;
        let unknown = error.kind.outcome_unknown();
        match error.kind {
            ErrorKind::IdentityMismatch if sending => {
                settle(&mut s.facts.progress.submit);
                s.facts.secrets.application = None;
                s.step = Step::Submit {
                    phase: SubmitPhase::Review,
                    problem: Some(ErrorKind::IdentityMismatch),
                };
            }
            ErrorKind::QuoteExpired if sending => {
                settle(&mut s.facts.progress.submit);
                refetch_quote(s, line, Some(ErrorKind::QuoteExpired), t);
            }
            // The shell withheld the request (the journal or the receipts
            // cannot be written): nothing reached the carrier, so the same
            // confirmation may be given again once they can.
            ErrorKind::StorageUnavailable { .. } if sending => {
                settle(&mut s.facts.progress.submit);
                block(
                    s,
                    error,
                    Some(Step::Submit {
                        phase: SubmitPhase::Confirming,
                        problem: None,
                    }),
                );
            }
            // The order may exist: the only way on is the same request again.
            _ if sending && unknown => block(
                s,
                error,
                Some(Step::Submit {
                    phase: SubmitPhase::Sending,
                    problem: None,
                }),
            ),
            _ if sending => {
                settle(&mut s.facts.progress.submit);
                t.finish_blocked(s, line, error, None);
            }
            _ if unknown => block(
                s,
                error,
                Some(Step::Submit {
                    phase: SubmitPhase::Quoting,
                    problem: None,
                }),
            ),
            _ => block(s, error, None),
        }
        Handled::Done
    }
}

/// The form is filled in: keep it (masked on disk, whole in memory) and show
/// the summary.
fn enter_application(s: &mut State, app: Application, now: DateTime<Utc>) -> Result<(), StepError> {
    let choice = &s.facts.choice;
    let offered = choice.quote.as_ref().is_some_and(|q| q.retention.is_some());
    if offered && choice.retention_accepted.is_none() {
        return Err(StepError::RetentionUnanswered);
    }
    if let Some(from) = waiting_until(s, now) {
        return Err(StepError::WaitingForDate(from));
    }
    if let Some(sent) = &s.facts.progress.submit
        && sent.outcome_unknown
        && sent.fingerprint != fingerprint(s, &app.masked())
    {
        return Err(StepError::OutcomeUnknown);
    }
    s.facts.application = Some(app.masked());
    s.facts.contact = Some(app.contact.clone());
    s.facts.secrets.application = Some(app);
    s.step = Step::Submit {
        phase: SubmitPhase::Confirming,
        problem: None,
    };
    Ok(())
}

/// The comparison of dates beside the quote being reviewed: today (the
/// carrier's quote) against each later date that changes the sum. `None`
/// without a plan and quote, or once the retention offer was taken (then
/// nothing is cancelled).
pub fn date_verdict(s: &State, now: DateTime<Utc>) -> Option<Verdict> {
    if s.mode == super::state::Mode::Guided {
        let case = s.facts.guided.as_ref()?;
        let today = super::guided::china_date(now);
        return case.date_cost_input(today).map(|input| compare(&input));
    }
    let choice = &s.facts.choice;
    if choice.retention_accepted == Some(true) {
        return None;
    }
    let (plan, quote) = (choice.plan.as_ref()?, choice.quote.as_ref()?);
    Some(compare(&DateCostInput::from_quote(
        plan,
        quote,
        quote_today(quote, now),
    )))
}

/// Today where the carrier is: the day in the quote's own offset.
pub fn quote_today(quote: &Quote, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(quote.expires_at.offset()).date_naive()
}

/// The first day of the later date the person chose, while it has not
/// come: the form waits for it.
pub fn waiting_until(s: &State, now: DateTime<Utc>) -> Option<NaiveDate> {
    let choice = &s.facts.choice;
    let chosen = choice.date_chosen.as_ref()?;
    let today = quote_today(choice.quote.as_ref()?, now);
    (chosen.when != When::Today && chosen.from > today).then_some(chosen.from)
}

/// The person chose when to cancel: the option is recorded with the quote,
/// as a receipt. Today goes on to the form; a later date keeps the flow at
/// review (journalled, resumable) until its span begins — nothing is sent.
fn choose_date(s: &mut State, line: &Line, from: NaiveDate, t: &mut Turn) -> Result<(), StepError> {
    let Some(Verdict::Compare(comparison)) = date_verdict(s, t.now) else {
        return Err(StepError::NoSuchDate);
    };
    let option = comparison
        .options
        .into_iter()
        .find(|o| o.from == from)
        .ok_or(StepError::NoSuchDate)?;
    s.facts.choice.date_chosen = Some(option.clone());
    t.receipt(s, line, ReceiptEvent::DateChosen { option });
    Ok(())
}

/// A quote came: keep it, with a receipt, and show it.
fn quoted(s: &mut State, line: &Line, quote: Quote, problem: Option<ErrorKind>, t: &mut Turn) {
    if let Some(plan) = s.facts.choice.plan.clone() {
        let shown = ReceiptEvent::QuoteShown {
            plan,
            quote: quote.clone(),
        };
        t.receipt(s, line, shown);
    }
    // A new quote is a new request: the retention answer stands only if the
    // same offer is made again.
    let choice = &mut s.facts.choice;
    let same_offer = choice.quote.as_ref().map(|q| &q.retention) == Some(&quote.retention);
    if !same_offer {
        choice.retention_accepted = None;
    }
    choice.quote = Some(quote);
    s.step = Step::Submit {
        phase: SubmitPhase::Review,
        problem,
    };
}

/// The carrier created the order (or returned the one first created under
/// the same key): a receipt the first time, then follow it. Also the answer
/// to a resubmit while awaiting confirmation.
pub(super) fn submitted(s: &mut State, line: &Line, order: Order, t: &mut Turn) {
    let progress = &mut s.facts.progress;
    settle(&mut progress.submit);
    let first = progress.order.is_none();
    progress.order = Some(order.clone());
    if first {
        let created = ReceiptEvent::OrderCreated {
            order: order.clone(),
        };
        t.receipt(s, line, created);
    }
    order::follow(s, line, &order, t);
}

/// Arrives at the step again (after a retry or a new login).
pub(super) fn enter(
    s: &mut State,
    line: &Line,
    phase: SubmitPhase,
    t: &mut Turn,
) -> Result<(), StepError> {
    let has_form = s.facts.secrets.application.is_some();
    let has_quote = s.facts.choice.quote.is_some();
    match phase {
        SubmitPhase::Sending if has_form => {
            s.step = Step::Submit {
                phase: SubmitPhase::Sending,
                problem: None,
            };
            send(s, line, t)?;
        }
        // The outcome of a send is unknown and the form (never kept on disk)
        // is needed again: show it, with the same quote.
        SubmitPhase::Sending => {
            s.step = Step::Submit {
                phase: SubmitPhase::Review,
                problem: None,
            }
        }
        SubmitPhase::Review | SubmitPhase::Confirming if has_quote => {
            s.step = Step::Submit {
                phase: SubmitPhase::Review,
                problem: None,
            };
        }
        _ => refetch_quote(s, line, None, t),
    }
    Ok(())
}

/// What identifies a submit request (masked values only): the same
/// fingerprint is the same request, under the same key.
fn fingerprint(s: &State, app: &MaskedApplication) -> String {
    let choice = &s.facts.choice;
    let quote = choice
        .quote
        .as_ref()
        .map(|q| q.id.as_str())
        .unwrap_or_default();
    format!(
        "{quote}|{}|{}|{}|{}|{}|{}",
        app.holder_name,
        app.id_masked,
        app.contact_masked,
        app.reason.wire(),
        app.reason_text,
        choice.retention_accepted.unwrap_or(false)
    )
}

/// Sends the order request: the form and quote as confirmed, under the key
/// derived from them, with a receipt. Also a resubmit while awaiting.
pub(super) fn send(s: &mut State, line: &Line, t: &mut Turn) -> Result<(), StepError> {
    let app = s
        .facts
        .secrets
        .application
        .clone()
        .ok_or(StepError::NeedsApplication)?;
    let quote_id = s
        .facts
        .choice
        .quote
        .as_ref()
        .map(|q| q.id.clone())
        .ok_or(StepError::NeedsApplication)?;
    let masked = app.masked();
    let fingerprint = fingerprint(s, &masked);
    let key = IdempotencyKey::derive(&s.facts.key_seed, "submit", &quote_id, &fingerprint);
    let accept_retention = s.facts.choice.retention_accepted.unwrap_or(false);
    s.facts.progress.submit = Some(SentRequest {
        key,
        fingerprint,
        outcome_unknown: true,
    });
    // A taken offer makes the request a plan change, and its record says so.
    let plan_change = match s.facts.choice.retention_accepted {
        Some(true) => s
            .facts
            .choice
            .quote
            .as_ref()
            .and_then(|q| q.retention.clone()),
        _ => None,
    };
    let sent = ReceiptEvent::ApplicationSubmitted {
        application: masked,
        idempotency_key: key,
        plan_change,
    };
    t.receipt(s, line, sent);
    if matches!(s.step, Step::Submit { .. }) {
        s.step = Step::Submit {
            phase: SubmitPhase::Sending,
            problem: None,
        };
    }
    let request = CarrierRequest::Submit {
        idempotency_key: key,
        quote_id,
        application: app,
        accept_retention,
    };
    t.call(s, line, request);
    Ok(())
}

/// Asks for a new quote for the chosen plan, showing `problem` meanwhile.
fn refetch_quote(s: &mut State, line: &Line, problem: Option<ErrorKind>, t: &mut Turn) {
    let Some(plan_id) = s.facts.choice.plan.as_ref().map(|p| p.id.clone()) else {
        return;
    };
    s.step = Step::Submit {
        phase: SubmitPhase::Quoting,
        problem,
    };
    t.call(s, line, CarrierRequest::FetchQuote { plan_id });
}
