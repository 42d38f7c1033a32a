//! The wizard as a pure state machine: `step(state, event, now)` decides, the
//! shell does.
//!
//! Six steps — login, select plan, submit, pay, await confirmation,
//! terminated — plus `Blocked`, a state (never a crash) for every failure that
//! needs the person or the carrier to act. Events are the person's intents
//! (`ChoosePlan`, `Confirm`…) and the replies to carrier calls (`Reply`);
//! effects are what the shell must do: carrier calls (`Effect::Call`) and
//! local effects (`PersistJournal`, `WriteReceipt`).
//!
//! Rules this module guarantees, and the property tests check:
//! - one carrier call in flight at a time; a reply to any other request is
//!   stale and changes nothing;
//! - going back is possible until a submit might have reached the carrier;
//!   after that the order only moves forward, is resubmitted under the same
//!   idempotency key, or is abandoned with a receipt;
//! - idempotency keys are derived from the request itself, so the same request
//!   is always sent under the same key;
//! - `Terminated` is reached only on the carrier's confirmation of our order;
//! - the serialisable state never holds a secret.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::{CarrierError, ErrorKind};
use super::fees::Fen;
use super::model::{
    Account, Application, CarrierId, IdempotencyKey, KeySeed, MaskedApplication, Msisdn, Notice,
    Order, OrderState, Outcome, PayMethod, Payment, PaymentState, Plan, Quote, Receipt,
    ReceiptEvent,
};
use super::secret::{CardNumber, ServicePassword, SmsCode};

/// Journal format version; a journal from a newer wizard is refused, not guessed at.
pub const STATE_VERSION: u32 = 1;

/// How long to wait between status polls when the carrier does not say.
pub const DEFAULT_POLL: Duration = Duration::from_secs(2);

/// How long after one SMS code the next may be requested.
pub const CODE_COOLDOWN_SECS: i64 = 60;

/// Identifies one carrier call, so that its reply can be matched (and a stale
/// one dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RequestId(pub u64);

/// The six steps, for the progress header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    /// 1 登录.
    Login,
    /// 2 选择套餐.
    SelectPlan,
    /// 3 提交.
    Submit,
    /// 4 缴费.
    Pay,
    /// 5 等待确认.
    Await,
    /// 6 已退订.
    Terminated,
}

impl StepName {
    /// All six, in order.
    pub const ALL: [StepName; 6] = [
        StepName::Login,
        StepName::SelectPlan,
        StepName::Submit,
        StepName::Pay,
        StepName::Await,
        StepName::Terminated,
    ];
}

/// Where the Submit step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmitPhase {
    /// Waiting for the quote.
    Quoting,
    /// Quote shown; answering the retention offer and filling in the form.
    Review,
    /// The summary is shown; nothing is sent until the person confirms.
    Confirming,
    /// The order request is with the carrier.
    Sending,
}

/// One step and what it alone needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// 1: number, carrier, code.
    Login {
        /// When the last code was sent (for the 60 s countdown).
        code_sent_at: Option<DateTime<Utc>>,
        /// The last refusal to show inline (wrong code, too often).
        problem: Option<ErrorKind>,
        /// Where to continue after logging in again (a resumed or expired
        /// session): the order is not started over.
        then: Option<Box<Step>>,
    },
    /// 2: the account's plans; choose one.
    SelectPlan {
        /// The last refusal to show inline.
        problem: Option<ErrorKind>,
    },
    /// 3: quote, retention offer, form, summary, send.
    Submit {
        /// Where in the step.
        phase: SubmitPhase,
        /// The last refusal to show inline (identity mismatch, quote expired).
        problem: Option<ErrorKind>,
    },
    /// 4: pay what the quote says.
    Pay {
        /// The last refusal to show inline (balance, declined).
        problem: Option<ErrorKind>,
    },
    /// 5: poll until the carrier confirms.
    Await {
        /// Past the carrier's own expected time.
        stalled: bool,
        /// A transient poll failure being retried, shown as such.
        problem: Option<ErrorKind>,
    },
    /// 6: done.
    Terminated {
        /// Cancelled, or the retention offer taken.
        outcome: Outcome,
    },
    /// Stopped: what happened, what to do, whom to call.
    Blocked {
        /// What went wrong, and at which carrier.
        error: CarrierError,
        /// The i18n key of what to do next.
        remedy: String,
        /// Where `Retry` goes back to, when trying again can help.
        retry: Option<Box<Step>>,
    },
}

impl Step {
    /// Which of the six the progress header highlights (Blocked shows the
    /// step it stopped at, which the caller knows from `State::last_step`).
    pub fn name(&self) -> Option<StepName> {
        Some(match self {
            Step::Login { .. } => StepName::Login,
            Step::SelectPlan { .. } => StepName::SelectPlan,
            Step::Submit { .. } => StepName::Submit,
            Step::Pay { .. } => StepName::Pay,
            Step::Await { .. } => StepName::Await,
            Step::Terminated { .. } => StepName::Terminated,
            Step::Blocked { .. } => return None,
        })
    }

    fn login() -> Step {
        Step::Login {
            code_sent_at: None,
            problem: None,
            then: None,
        }
    }
}

/// Which carrier call is in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    /// `request_code`.
    RequestCode,
    /// `login`.
    Login,
    /// `plans`.
    FetchPlans,
    /// `quote`.
    FetchQuote,
    /// `submit`.
    Submit,
    /// `pay`.
    Pay,
    /// `order`.
    PollOrder,
    /// `notices`.
    FetchNotices,
}

/// The call in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// Its id.
    pub req: RequestId,
    /// What it is.
    pub kind: CallKind,
}

/// A submit or pay request as last sent: its key, and whether its outcome is
/// unknown (no answer came) — then only the same request may be sent again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRequest {
    /// The idempotency key it went under.
    pub key: IdempotencyKey,
    /// A fingerprint of the body (no secrets: masked values only).
    pub fingerprint: String,
    /// True while the carrier may or may not have acted on it.
    pub outcome_unknown: bool,
}

/// Everything the flow has learnt, carried from step to step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Random seed of this cancellation's idempotency keys.
    pub key_seed: KeySeed,
    /// The carrier the person confirmed.
    pub carrier: Option<CarrierId>,
    /// The number logged in with.
    pub msisdn: Option<Msisdn>,
    /// The account as last fetched.
    pub account: Option<Account>,
    /// The plan being cancelled.
    pub plan: Option<Plan>,
    /// The quote being acted on.
    pub quote: Option<Quote>,
    /// The answer to the retention offer (`Some(false)` = declined).
    pub retention_accepted: Option<bool>,
    /// The form as kept (masked).
    pub application: Option<MaskedApplication>,
    /// The full form, in memory only: needed to resend the same request.
    #[serde(skip)]
    pub application_secret: Option<Application>,
    /// The submit as sent.
    pub submit: Option<SentRequest>,
    /// The order, once the carrier created it.
    pub order: Option<Order>,
    /// The pay request as sent.
    pub pay: Option<SentRequest>,
    /// The card of the pay request in flight, in memory only.
    #[serde(skip)]
    pub card_secret: Option<CardNumber>,
    /// The latest payment answer.
    pub payment: Option<Payment>,
    /// What was paid in the end (zero when nothing was due).
    pub paid: Option<Fen>,
    /// Every notice received, oldest first.
    pub notices: Vec<Notice>,
    /// When processing started as we saw it.
    pub processing_since: Option<DateTime<Utc>>,
}

/// The whole wizard: the current step, what is known, and the call in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Journal format version.
    pub version: u32,
    /// The current step.
    pub step: Step,
    /// The last of the six steps reached (Blocked shows it in the header).
    pub last_step: StepName,
    /// What is known so far.
    pub facts: Facts,
    /// The carrier call in flight, if any.
    pub pending: Option<Pending>,
    /// Counter for request ids.
    pub next_request: u64,
    /// When the flow started.
    pub started_at: DateTime<Utc>,
    /// When the state last changed.
    pub updated_at: DateTime<Utc>,
}

/// Something that happened: the person's intent or a reply to a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Send an SMS code to this number at this carrier.
    RequestCode {
        /// The number.
        msisdn: Msisdn,
        /// The carrier the person confirmed.
        carrier: CarrierId,
    },
    /// Log in with the code (and Unicom's service password).
    Login {
        /// The SMS code.
        code: SmsCode,
        /// The service password, for carriers that need one.
        password: Option<ServicePassword>,
    },
    /// Cancel this plan (by id).
    ChoosePlan {
        /// The plan's id.
        plan_id: String,
    },
    /// Answer the retention offer.
    AnswerRetention {
        /// True to take the offer instead of cancelling.
        accept: bool,
    },
    /// The form is filled in; show the summary.
    EnterApplication(Application),
    /// The person confirmed the summary: send it.
    Confirm,
    /// Pay this way (the card number only for cards).
    ChoosePayment {
        /// The method.
        method: PayMethod,
        /// The card, for `PayMethod::Card`.
        card: Option<CardNumber>,
    },
    /// Send the same order request again (same idempotency key).
    Resubmit,
    /// Try the failed step again.
    Retry,
    /// Go back one step (before submit only).
    Back,
    /// Stop following this order; keep a receipt of where it stood.
    Abandon,
    /// Log in again to continue a journalled flow (tokens are never kept).
    Resume,
    /// A reply to the command with this request id.
    Reply(RequestId, Reply),
}

/// A carrier call's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The code was sent.
    CodeSent,
    /// Logged in (the shell keeps the session; the core never sees a token).
    LoggedIn,
    /// The account and its plans.
    Plans(Account),
    /// A quote.
    Quoted(Quote),
    /// The order as created (or as first created, for a repeated key).
    Submitted(Order),
    /// A payment answer.
    Paid(Payment),
    /// The order's current state.
    OrderStatus(Order),
    /// Notices after the cursor.
    Notices(Vec<Notice>),
    /// The call failed.
    Failed(CarrierError),
}

/// What the core asks the world to do: one carrier call, or a local effect
/// the shell carries out at once (journal, receipts). Only calls are answered,
/// by an `Event::Reply` tagged with the call's request id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// A carrier call; its reply comes back as `Event::Reply(call.req, …)`.
    Call(Call),
    /// Write the state to the journal (atomically).
    PersistJournal,
    /// Add a record to the receipts vault.
    WriteReceipt(Receipt),
}

/// One carrier call: which request, at which carrier, tagged for its reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Reply tag: the reply must carry it, or it is stale.
    pub req: RequestId,
    /// The carrier the call goes to.
    pub carrier: CarrierId,
    /// What to ask.
    pub request: CarrierRequest,
}

/// A request to the carrier, one per `Carrier` method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CarrierRequest {
    /// `Carrier::request_code`.
    RequestCode {
        /// The number.
        msisdn: Msisdn,
    },
    /// `Carrier::login`.
    Login {
        /// The number.
        msisdn: Msisdn,
        /// The code.
        code: SmsCode,
        /// The service password.
        password: Option<ServicePassword>,
    },
    /// `Carrier::plans`.
    FetchPlans,
    /// `Carrier::quote`.
    FetchQuote {
        /// The plan.
        plan_id: String,
    },
    /// `Carrier::submit`.
    Submit {
        /// Reused on every retry of this request.
        idempotency_key: IdempotencyKey,
        /// The quote being accepted.
        quote_id: String,
        /// The full form.
        application: Application,
        /// Whether the retention offer was taken.
        accept_retention: bool,
    },
    /// `Carrier::pay`.
    Pay {
        /// Reused on every retry of this request.
        idempotency_key: IdempotencyKey,
        /// The order.
        order_id: String,
        /// The method.
        method: PayMethod,
        /// The card, for cards.
        card: Option<CardNumber>,
    },
    /// `Carrier::order`, after waiting `after`.
    PollOrder {
        /// The order.
        order_id: String,
        /// How long to wait first (the carrier's `Retry-After`, or the default).
        after: Duration,
    },
    /// `Carrier::notices` after the cursor.
    FetchNotices {
        /// The last notice id seen.
        since: Option<String>,
    },
}

impl CarrierRequest {
    /// Which kind of call this is (kept in the journal while in flight).
    pub fn kind(&self) -> CallKind {
        match self {
            CarrierRequest::RequestCode { .. } => CallKind::RequestCode,
            CarrierRequest::Login { .. } => CallKind::Login,
            CarrierRequest::FetchPlans => CallKind::FetchPlans,
            CarrierRequest::FetchQuote { .. } => CallKind::FetchQuote,
            CarrierRequest::Submit { .. } => CallKind::Submit,
            CarrierRequest::Pay { .. } => CallKind::Pay,
            CarrierRequest::PollOrder { .. } => CallKind::PollOrder,
            CarrierRequest::FetchNotices { .. } => CallKind::FetchNotices,
        }
    }
}

/// The result of a step: the new state and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The next state.
    pub state: State,
    /// Effects, in order.
    pub effects: Vec<Effect>,
}

/// Why an event was not applied; the state is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// A reply to a request that is no longer awaited (after Back, a newer
    /// request, or Quit): dropped.
    #[error("stale reply to request {0:?}")]
    Stale(RequestId),
    /// The event makes no sense in this step.
    #[error("{event} does not apply while {step}")]
    NotNow {
        /// The event's name.
        event: &'static str,
        /// The step's name.
        step: &'static str,
    },
    /// Another call is still in flight; wait for it.
    #[error("a request is still in flight")]
    Busy,
    /// A new SMS code cannot be requested yet.
    #[error("a new code can be requested in {0} s")]
    CodeCooldown(i64),
    /// The plan is not on the account or cannot be cancelled.
    #[error("that plan cannot be chosen")]
    PlanNotChoosable,
    /// The retention offer must be answered first.
    #[error("answer the retention offer first")]
    RetentionUnanswered,
    /// Only the same request may be sent while the last one's outcome is unknown.
    #[error("the last request's outcome is unknown; only the same request may be sent again")]
    OutcomeUnknown,
    /// The full form is needed again (it is never kept on disk).
    #[error("the form must be entered again to resend it")]
    NeedsApplication,
    /// The card number must be entered.
    #[error("a card number is needed for card payment")]
    NeedsCard,
}

impl State {
    /// A new flow at the Login step.
    pub fn new(key_seed: KeySeed, now: DateTime<Utc>) -> State {
        State {
            version: STATE_VERSION,
            step: Step::login(),
            last_step: StepName::Login,
            facts: Facts {
                key_seed,
                carrier: None,
                msisdn: None,
                account: None,
                plan: None,
                quote: None,
                retention_accepted: None,
                application: None,
                application_secret: None,
                submit: None,
                order: None,
                pay: None,
                card_secret: None,
                payment: None,
                paid: None,
                notices: Vec::new(),
                processing_since: None,
            },
            pending: None,
            next_request: 1,
            started_at: now,
            updated_at: now,
        }
    }

    /// Whether a submit may have reached the carrier: from then on the order
    /// only moves forward.
    pub fn order_in_flight(&self) -> bool {
        self.facts.order.is_some()
            || self
                .facts
                .submit
                .as_ref()
                .is_some_and(|s| s.outcome_unknown)
    }

    /// Whether the flow has ended (terminated, or blocked with nothing to retry).
    pub fn is_finished(&self) -> bool {
        match &self.step {
            Step::Terminated { .. } => true,
            Step::Blocked { retry, .. } => retry.is_none(),
            _ => false,
        }
    }

    /// The state as it may be kept: secrets dropped (they are `serde(skip)`
    /// too; this is for comparing with a reloaded journal).
    pub fn without_secrets(&self) -> State {
        let mut kept = self.clone();
        kept.facts.application_secret = None;
        kept.facts.card_secret = None;
        kept
    }

    /// The carrier, once chosen.
    pub fn carrier(&self) -> Option<CarrierId> {
        self.facts.carrier
    }

    /// Issues a carrier call: a fresh request id, remembered as the one
    /// call in flight.
    fn call(&mut self, request: CarrierRequest) -> Effect {
        let req = RequestId(self.next_request);
        self.next_request += 1;
        self.pending = Some(Pending {
            req,
            kind: request.kind(),
        });
        Effect::Call(Call {
            req,
            carrier: self.facts.carrier.unwrap_or(CarrierId::ChinaMobile),
            request,
        })
    }

    fn receipt(&self, now: DateTime<Utc>, event: ReceiptEvent) -> Effect {
        Effect::WriteReceipt(Receipt {
            at: now,
            carrier: self.facts.carrier.unwrap_or(CarrierId::ChinaMobile),
            msisdn_masked: self
                .facts
                .msisdn
                .as_ref()
                .map(Msisdn::masked)
                .unwrap_or_default(),
            order_id: self.facts.order.as_ref().map(|o| o.id.clone()),
            event,
        })
    }

    fn step_label(&self) -> &'static str {
        match self.step {
            Step::Login { .. } => "logging in",
            Step::SelectPlan { .. } => "selecting a plan",
            Step::Submit { .. } => "submitting",
            Step::Pay { .. } => "paying",
            Step::Await { .. } => "awaiting confirmation",
            Step::Terminated { .. } => "terminated",
            Step::Blocked { .. } => "blocked",
        }
    }
}

fn event_label(event: &Event) -> &'static str {
    match event {
        Event::RequestCode { .. } => "RequestCode",
        Event::Login { .. } => "Login",
        Event::ChoosePlan { .. } => "ChoosePlan",
        Event::AnswerRetention { .. } => "AnswerRetention",
        Event::EnterApplication(_) => "EnterApplication",
        Event::Confirm => "Confirm",
        Event::ChoosePayment { .. } => "ChoosePayment",
        Event::Resubmit => "Resubmit",
        Event::Retry => "Retry",
        Event::Back => "Back",
        Event::Abandon => "Abandon",
        Event::Resume => "Resume",
        Event::Reply(_, reply) => match reply {
            Reply::CodeSent => "Reply(CodeSent)",
            Reply::LoggedIn => "Reply(LoggedIn)",
            Reply::Plans(_) => "Reply(Plans)",
            Reply::Quoted(_) => "Reply(Quoted)",
            Reply::Submitted(_) => "Reply(Submitted)",
            Reply::Paid(_) => "Reply(Paid)",
            Reply::OrderStatus(_) => "Reply(OrderStatus)",
            Reply::Notices(_) => "Reply(Notices)",
            Reply::Failed(_) => "Reply(Failed)",
        },
    }
}

/// Applies one event. On success the new state always ends with
/// `PersistJournal`, so the journal follows every transition; on error the
/// caller keeps the old state.
pub fn step(state: &State, event: Event, now: DateTime<Utc>) -> Result<Transition, StepError> {
    let mut next = state.clone();
    let mut out = Vec::new();
    let label = event_label(&event);
    let not_now = || StepError::NotNow {
        event: label,
        step: state.step_label(),
    };

    match event {
        Event::Reply(req, reply) => {
            match state.pending {
                Some(p) if p.req == req => {}
                _ => return Err(StepError::Stale(req)),
            }
            next.pending = None;
            on_reply(&mut next, reply, now, &mut out).map_err(|()| not_now())?;
        }
        intent => {
            // Person intents wait for the call in flight, except those that
            // leave it behind (its reply then becomes stale).
            // Choosing another way to pay leaves the wait for a QR payment.
            let leaves_poll = matches!(intent, Event::ChoosePayment { .. })
                && state.pending.is_some_and(|p| p.kind == CallKind::PollOrder);
            let leaves_call = leaves_poll
                || matches!(
                    intent,
                    Event::Back | Event::Abandon | Event::Resubmit | Event::Resume
                );
            if state.pending.is_some() && !leaves_call {
                return Err(StepError::Busy);
            }
            on_intent(&mut next, intent, now, &mut out)?.map_err(|()| not_now())?;
        }
    }

    if let Some(name) = next.step.name() {
        next.last_step = name;
    }
    next.updated_at = now;
    out.push(Effect::PersistJournal);
    Ok(Transition {
        state: next,
        effects: out,
    })
}

/// Person intents. The outer `Result` carries specific refusals; the inner
/// `Err(())` means "not in this step".
fn on_intent(
    s: &mut State,
    event: Event,
    now: DateTime<Utc>,
    out: &mut Vec<Effect>,
) -> Result<Result<(), ()>, StepError> {
    match (&s.step, event) {
        (
            Step::Login {
                code_sent_at, then, ..
            },
            Event::RequestCode { msisdn, carrier },
        ) => {
            let same_number =
                s.facts.msisdn.as_ref() == Some(&msisdn) && s.facts.carrier == Some(carrier);
            if let (true, Some(sent)) = (same_number, code_sent_at) {
                let wait = CODE_COOLDOWN_SECS - (now - *sent).num_seconds();
                if wait > 0 {
                    return Err(StepError::CodeCooldown(wait));
                }
            }
            // A resumed flow belongs to one number at one carrier.
            if then.is_some() && !same_number {
                return Ok(Err(()));
            }
            let then = then.clone();
            s.facts.msisdn = Some(msisdn.clone());
            s.facts.carrier = Some(carrier);
            s.step = Step::Login {
                code_sent_at: *code_sent_at,
                problem: None,
                then,
            };
            out.push(s.call(CarrierRequest::RequestCode { msisdn }));
        }
        (Step::Login { .. }, Event::Login { code, password }) => {
            let (Some(msisdn), Some(_)) = (s.facts.msisdn.clone(), s.facts.carrier) else {
                return Ok(Err(()));
            };
            out.push(s.call(CarrierRequest::Login {
                msisdn,
                code,
                password,
            }));
        }
        (Step::SelectPlan { .. }, Event::ChoosePlan { plan_id }) => {
            let plan = s
                .facts
                .account
                .as_ref()
                .and_then(|a| a.plans.iter().find(|p| p.id == plan_id))
                .filter(|p| p.is_cancellable())
                .cloned()
                .ok_or(StepError::PlanNotChoosable)?;
            s.facts.plan = Some(plan);
            s.facts.quote = None;
            s.facts.retention_accepted = None;
            s.step = Step::Submit {
                phase: SubmitPhase::Quoting,
                problem: None,
            };
            out.push(s.call(CarrierRequest::FetchQuote { plan_id }));
        }
        (
            Step::Submit {
                phase: SubmitPhase::Review,
                ..
            },
            Event::AnswerRetention { accept },
        ) => {
            let Some(offer) = s.facts.quote.as_ref().and_then(|q| q.retention.clone()) else {
                return Ok(Err(()));
            };
            s.facts.retention_accepted = Some(accept);
            out.push(s.receipt(
                now,
                ReceiptEvent::RetentionAnswered {
                    offer,
                    accepted: accept,
                },
            ));
        }
        (
            Step::Submit {
                phase: SubmitPhase::Review,
                ..
            },
            Event::EnterApplication(app),
        ) => {
            let offered = s
                .facts
                .quote
                .as_ref()
                .is_some_and(|q| q.retention.is_some());
            if offered && s.facts.retention_accepted.is_none() {
                return Err(StepError::RetentionUnanswered);
            }
            if let Some(sent) = &s.facts.submit
                && sent.outcome_unknown
                && sent.fingerprint != submit_fingerprint(s, &app.masked())
            {
                return Err(StepError::OutcomeUnknown);
            }
            s.facts.application = Some(app.masked());
            s.facts.application_secret = Some(app);
            s.step = Step::Submit {
                phase: SubmitPhase::Confirming,
                problem: None,
            };
        }
        (
            Step::Submit {
                phase: SubmitPhase::Confirming,
                ..
            },
            Event::Confirm,
        ) => {
            let expired = s.facts.quote.as_ref().is_none_or(|q| q.expires_at <= now);
            if expired {
                // Never send a quote the carrier will refuse: fetch a new one
                // and let the person see (and confirm) it again.
                refetch_quote(s, Some(ErrorKind::QuoteExpired), out);
            } else {
                send_submit(s, now, out)?;
            }
        }
        (
            Step::Submit {
                phase: SubmitPhase::Confirming,
                ..
            },
            Event::Back,
        ) => {
            s.step = Step::Submit {
                phase: SubmitPhase::Review,
                problem: None,
            };
        }
        (Step::Submit { phase, .. }, Event::Back)
            if *phase != SubmitPhase::Sending && !s.order_in_flight() =>
        {
            s.pending = None;
            s.facts.quote = None;
            s.facts.retention_accepted = None;
            s.step = Step::SelectPlan { problem: None };
        }
        (Step::SelectPlan { .. }, Event::Back) => {
            s.pending = None;
            s.facts.account = None;
            s.step = Step::login();
        }
        (Step::Login { then: None, .. }, Event::Back) if s.pending.is_some() => {
            // Stop waiting for a code or login answer; the number can be changed.
            s.pending = None;
        }
        (Step::Pay { .. }, Event::ChoosePayment { method, card }) => {
            let Some(order_id) = s.facts.order.as_ref().map(|o| o.id.clone()) else {
                return Ok(Err(()));
            };
            if method == PayMethod::Card && card.is_none() {
                return Err(StepError::NeedsCard);
            }
            let card = if method == PayMethod::Card {
                card
            } else {
                None
            };
            let fingerprint = pay_fingerprint(method, card.as_ref());
            if let Some(sent) = &s.facts.pay
                && sent.outcome_unknown
                && sent.fingerprint != fingerprint
            {
                return Err(StepError::OutcomeUnknown);
            }
            let key = IdempotencyKey::derive(&s.facts.key_seed, "pay", &order_id, &fingerprint);
            s.facts.pay = Some(SentRequest {
                key,
                fingerprint,
                outcome_unknown: true,
            });
            s.facts.card_secret = card.clone();
            s.step = Step::Pay { problem: None };
            out.push(s.call(CarrierRequest::Pay {
                idempotency_key: key,
                order_id,
                method,
                card,
            }));
        }
        (Step::Await { .. }, Event::Resubmit) => {
            if s.facts.application_secret.is_none() {
                return Err(StepError::NeedsApplication);
            }
            s.pending = None;
            send_submit(s, now, out)?;
            s.step = Step::Await {
                stalled: false,
                problem: None,
            };
        }
        (Step::Pay { .. } | Step::Await { .. }, Event::Abandon) => {
            s.pending = None;
            let carrier = s.facts.carrier.unwrap_or(CarrierId::ChinaMobile);
            let kind = match s.step {
                Step::Await { .. } => ErrorKind::ConfirmationStalled,
                _ => ErrorKind::Abandoned,
            };
            out.push(s.receipt(
                now,
                ReceiptEvent::Finished {
                    outcome: None,
                    error: Some(kind.clone()),
                },
            ));
            s.step = Step::Blocked {
                remedy: kind.remedy_key().to_owned(),
                error: CarrierError::new(carrier, kind),
                retry: None,
            };
        }
        (
            Step::Blocked {
                retry: Some(target),
                ..
            },
            Event::Retry,
        ) => {
            let target = (**target).clone();
            enter(s, target, now, out)?;
        }
        (Step::Blocked { .. }, Event::Back) if !s.order_in_flight() => {
            s.pending = None;
            s.facts.account = None;
            s.facts.plan = None;
            s.facts.quote = None;
            s.step = Step::login();
        }
        (step, Event::Resume) if !matches!(step, Step::Terminated { .. }) => {
            // Tokens are never kept, so a journalled flow logs in again and
            // then continues where it stood. Whatever was in flight when the
            // journal was written belongs to a process that is gone.
            let then = match step {
                Step::Login { then, .. } => then.clone(),
                Step::Blocked {
                    retry: Some(target),
                    ..
                } => Some(target.clone()),
                Step::Blocked { retry: None, .. } => return Ok(Err(())),
                other => Some(Box::new(other.clone())),
            };
            s.pending = None;
            s.step = Step::Login {
                code_sent_at: None,
                problem: None,
                then,
            };
        }
        _ => return Ok(Err(())),
    }
    Ok(Ok(()))
}

fn submit_fingerprint(s: &State, app: &MaskedApplication) -> String {
    let quote = s
        .facts
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
        s.facts.retention_accepted.unwrap_or(false)
    )
}

fn pay_fingerprint(method: PayMethod, card: Option<&CardNumber>) -> String {
    format!(
        "{method:?}|{}",
        card.map(CardNumber::last4).unwrap_or_default()
    )
}

fn send_submit(s: &mut State, now: DateTime<Utc>, out: &mut Vec<Effect>) -> Result<(), StepError> {
    let app = s
        .facts
        .application_secret
        .clone()
        .ok_or(StepError::NeedsApplication)?;
    let quote_id = s
        .facts
        .quote
        .as_ref()
        .map(|q| q.id.clone())
        .ok_or(StepError::NeedsApplication)?;
    let masked = app.masked();
    let fingerprint = submit_fingerprint(s, &masked);
    let key = IdempotencyKey::derive(&s.facts.key_seed, "submit", &quote_id, &fingerprint);
    let accept_retention = s.facts.retention_accepted.unwrap_or(false);
    s.facts.submit = Some(SentRequest {
        key,
        fingerprint,
        outcome_unknown: true,
    });
    out.push(s.receipt(
        now,
        ReceiptEvent::ApplicationSubmitted {
            application: masked,
            idempotency_key: key,
        },
    ));
    if matches!(s.step, Step::Submit { .. }) {
        s.step = Step::Submit {
            phase: SubmitPhase::Sending,
            problem: None,
        };
    }
    out.push(s.call(CarrierRequest::Submit {
        idempotency_key: key,
        quote_id,
        application: app,
        accept_retention,
    }));
    Ok(())
}

fn refetch_quote(s: &mut State, problem: Option<ErrorKind>, out: &mut Vec<Effect>) {
    let Some(plan_id) = s.facts.plan.as_ref().map(|p| p.id.clone()) else {
        return;
    };
    s.step = Step::Submit {
        phase: SubmitPhase::Quoting,
        problem,
    };
    out.push(s.call(CarrierRequest::FetchQuote { plan_id }));
}

fn poll(s: &mut State, after: Duration, out: &mut Vec<Effect>) {
    if let Some(order_id) = s.facts.order.as_ref().map(|o| o.id.clone()) {
        out.push(s.call(CarrierRequest::PollOrder { order_id, after }));
    }
}

fn fetch_notices(s: &mut State, out: &mut Vec<Effect>) {
    let since = s.facts.notices.last().map(|n| n.id.clone());
    out.push(s.call(CarrierRequest::FetchNotices { since }));
}

/// Arrives at `target` and issues what that step needs first. Used after a
/// retry and after logging in again to continue a flow.
fn enter(
    s: &mut State,
    target: Step,
    now: DateTime<Utc>,
    out: &mut Vec<Effect>,
) -> Result<(), StepError> {
    s.pending = None;
    match target {
        Step::Login { .. } => s.step = Step::login(),
        Step::SelectPlan { .. } => {
            s.step = Step::SelectPlan { problem: None };
            out.push(s.call(CarrierRequest::FetchPlans));
        }
        Step::Submit { phase, .. } => match phase {
            SubmitPhase::Sending if s.facts.application_secret.is_some() => {
                s.step = Step::Submit {
                    phase: SubmitPhase::Sending,
                    problem: None,
                };
                send_submit(s, now, out)?;
            }
            // The outcome of a send is unknown and the form (never kept on
            // disk) is needed again: show it, with the same quote.
            SubmitPhase::Sending => {
                s.step = Step::Submit {
                    phase: SubmitPhase::Review,
                    problem: None,
                }
            }
            SubmitPhase::Review | SubmitPhase::Confirming if s.facts.quote.is_some() => {
                s.step = Step::Submit {
                    phase: SubmitPhase::Review,
                    problem: None,
                };
            }
            _ => refetch_quote(s, None, out),
        },
        Step::Pay { .. } => {
            s.step = Step::Pay { problem: None };
            // Re-check rather than re-create: a pending QR payment or an
            // unanswered card payment may already have gone through.
            poll(s, Duration::ZERO, out);
        }
        Step::Await { .. } => {
            s.step = Step::Await {
                stalled: false,
                problem: None,
            };
            poll(s, Duration::ZERO, out);
        }
        Step::Terminated { outcome } => s.step = Step::Terminated { outcome },
        Step::Blocked { .. } => {}
    }
    Ok(())
}

/// Replies to the call in flight. `Err(())` when the reply does not fit the
/// step (a reply of the wrong kind).
fn on_reply(
    s: &mut State,
    reply: Reply,
    now: DateTime<Utc>,
    out: &mut Vec<Effect>,
) -> Result<(), ()> {
    match (s.step.clone(), reply) {
        (_, Reply::Failed(error)) => on_failure(s, error, now, out),
        (Step::Login { then, .. }, Reply::CodeSent) => {
            s.step = Step::Login {
                code_sent_at: Some(now),
                problem: None,
                then,
            };
        }
        (
            Step::Login {
                then: Some(target), ..
            },
            Reply::LoggedIn,
        ) => {
            enter(s, *target, now, out).map_err(|_| ())?;
        }
        (Step::Login { .. }, Reply::LoggedIn) => {
            s.step = Step::SelectPlan { problem: None };
            out.push(s.call(CarrierRequest::FetchPlans));
        }
        (Step::SelectPlan { .. }, Reply::Plans(account)) => {
            s.facts.account = Some(account);
        }
        (
            Step::Submit {
                phase: SubmitPhase::Quoting,
                problem,
            },
            Reply::Quoted(quote),
        ) => {
            if let Some(plan) = s.facts.plan.clone() {
                out.push(s.receipt(
                    now,
                    ReceiptEvent::QuoteShown {
                        plan,
                        quote: quote.clone(),
                    },
                ));
            }
            // A new quote is a new request: the retention answer stands only
            // if the same offer is made again.
            let same_offer = s.facts.quote.as_ref().map(|q| &q.retention) == Some(&quote.retention);
            if !same_offer {
                s.facts.retention_accepted = None;
            }
            s.facts.quote = Some(quote);
            s.step = Step::Submit {
                phase: SubmitPhase::Review,
                problem,
            };
        }
        (
            Step::Submit {
                phase: SubmitPhase::Sending,
                ..
            }
            | Step::Await { .. },
            Reply::Submitted(order),
        ) => {
            if let Some(sent) = s.facts.submit.as_mut() {
                sent.outcome_unknown = false;
            }
            let first = s.facts.order.is_none();
            s.facts.order = Some(order.clone());
            if first {
                out.push(s.receipt(
                    now,
                    ReceiptEvent::OrderCreated {
                        order: order.clone(),
                    },
                ));
            }
            follow_order(s, &order, now, out);
        }
        (Step::Pay { .. }, Reply::Paid(payment)) => {
            if let Some(sent) = s.facts.pay.as_mut() {
                sent.outcome_unknown = false;
            }
            s.facts.card_secret = None;
            let amount = s.facts.quote.as_ref().map(|q| q.total).unwrap_or_default();
            out.push(s.receipt(
                now,
                ReceiptEvent::Payment {
                    payment: payment.clone(),
                    amount,
                },
            ));
            let paid = payment.state == PaymentState::Paid;
            s.facts.payment = Some(payment);
            if paid {
                s.facts.paid = Some(amount);
                s.step = Step::Await {
                    stalled: false,
                    problem: None,
                };
                s.facts.processing_since.get_or_insert(now);
                poll(s, Duration::ZERO, out);
            } else {
                // A QR code is showing: watch the order until it is paid.
                poll(s, DEFAULT_POLL, out);
            }
        }
        (Step::Pay { .. } | Step::Await { .. }, Reply::OrderStatus(order)) => {
            if s.facts.order.as_ref().map(|o| &o.state) != Some(&order.state) {
                out.push(s.receipt(
                    now,
                    ReceiptEvent::StatusChanged {
                        state: order.state.clone(),
                    },
                ));
            }
            s.facts.order = Some(order.clone());
            follow_order(s, &order, now, out);
        }
        (Step::Await { stalled, .. }, Reply::Notices(notices)) => {
            take_notices(s, notices, now, out);
            let after = retry_after(s);
            s.step = Step::Await {
                stalled,
                problem: None,
            };
            poll(s, after, out);
        }
        (Step::Terminated { .. }, Reply::Notices(notices)) => take_notices(s, notices, now, out),
        _ => return Err(()),
    }
    Ok(())
}

fn take_notices(s: &mut State, notices: Vec<Notice>, now: DateTime<Utc>, out: &mut Vec<Effect>) {
    for notice in notices {
        if s.facts.notices.iter().any(|n| n.id == notice.id) {
            continue;
        }
        out.push(s.receipt(
            now,
            ReceiptEvent::NoticeReceived {
                notice: notice.clone(),
            },
        ));
        s.facts.notices.push(notice);
    }
}

fn retry_after(s: &State) -> Duration {
    s.facts
        .order
        .as_ref()
        .and_then(|o| o.retry_after_secs)
        .map(|secs| Duration::from_secs(u64::from(secs)))
        .unwrap_or(DEFAULT_POLL)
}

/// What was paid once the carrier has moved the order past payment: the
/// quote's total if a payment was made or attempted (its answer may have been
/// lost, or the order completed before the wizard saw it processing), and
/// nothing when the order never asked for payment.
fn paid_once_processing(s: &State) -> Fen {
    if s.facts.payment.is_some() || s.facts.pay.is_some() {
        s.facts.quote.as_ref().map(|q| q.total).unwrap_or_default()
    } else {
        Fen::ZERO
    }
}

/// Moves to the step the order's state calls for.
fn follow_order(s: &mut State, order: &Order, now: DateTime<Utc>, out: &mut Vec<Effect>) {
    let carrier = s.facts.carrier.unwrap_or(CarrierId::ChinaMobile);
    match &order.state {
        OrderState::AwaitingPayment => {
            if !matches!(s.step, Step::Pay { .. }) {
                s.step = Step::Pay { problem: None };
            }
            // The carrier says the order is unpaid: an earlier payment whose
            // answer was lost did not go through, so another method may be
            // chosen (a second payment of a paid order returns the first).
            let qr_pending = s
                .facts
                .payment
                .as_ref()
                .is_some_and(|p| p.state == PaymentState::Pending);
            if !qr_pending && let Some(sent) = s.facts.pay.as_mut() {
                sent.outcome_unknown = false;
            }
            if s.facts
                .payment
                .as_ref()
                .is_some_and(|p| p.state == PaymentState::Pending)
            {
                poll(s, DEFAULT_POLL, out);
            }
        }
        OrderState::Processing => {
            s.facts.processing_since.get_or_insert(now);
            if s.facts.paid.is_none() {
                s.facts.paid = Some(paid_once_processing(s));
            }
            let stalled = order.expected_by.is_some_and(|by| now > by);
            s.step = Step::Await {
                stalled,
                problem: None,
            };
            fetch_notices(s, out);
        }
        OrderState::Completed => {
            let outcome = if s.facts.retention_accepted == Some(true) {
                Outcome::RetentionAccepted
            } else {
                Outcome::Cancelled
            };
            if s.facts.paid.is_none() {
                s.facts.paid = Some(paid_once_processing(s));
            }
            out.push(s.receipt(
                now,
                ReceiptEvent::Finished {
                    outcome: Some(outcome),
                    error: None,
                },
            ));
            s.step = Step::Terminated { outcome };
            // The carrier's confirmation SMS usually follows the state change.
            fetch_notices(s, out);
        }
        OrderState::Rejected(reason) => {
            let kind = ErrorKind::OrderRejected {
                reason: reason.clone(),
            };
            out.push(s.receipt(
                now,
                ReceiptEvent::Finished {
                    outcome: None,
                    error: Some(kind.clone()),
                },
            ));
            s.step = Step::Blocked {
                remedy: kind.remedy_key().to_owned(),
                error: CarrierError::new(carrier, kind),
                retry: None,
            };
        }
    }
}

fn on_failure(s: &mut State, error: CarrierError, now: DateTime<Utc>, out: &mut Vec<Effect>) {
    let kind = error.kind.clone();
    let block = |s: &mut State, retry: Option<Step>| {
        s.step = Step::Blocked {
            remedy: error.kind.remedy_key().to_owned(),
            error: error.clone(),
            retry: retry.map(Box::new),
        };
    };
    // An expired session needs a new login, then continues where it was.
    if kind == ErrorKind::SessionExpired {
        let then = s.step.clone();
        s.step = Step::Login {
            code_sent_at: None,
            problem: Some(kind),
            then: Some(Box::new(then)),
        };
        return;
    }
    match s.step.clone() {
        Step::Login {
            code_sent_at, then, ..
        } => match kind {
            ErrorKind::WrongCredentials | ErrorKind::CodeTooOften => {
                s.step = Step::Login {
                    code_sent_at,
                    problem: Some(kind),
                    then,
                };
            }
            // A lost or garbled answer: say so and let the person try again.
            k if k.outcome_unknown() => {
                s.step = Step::Login {
                    code_sent_at,
                    problem: Some(k),
                    then,
                }
            }
            _ => block(s, None),
        },
        Step::SelectPlan { .. } => block(s, Some(Step::SelectPlan { problem: None })),
        Step::Submit { phase, .. } => match (phase, kind) {
            (SubmitPhase::Sending, ErrorKind::IdentityMismatch) => {
                if let Some(sent) = s.facts.submit.as_mut() {
                    sent.outcome_unknown = false;
                }
                s.facts.application_secret = None;
                s.step = Step::Submit {
                    phase: SubmitPhase::Review,
                    problem: Some(ErrorKind::IdentityMismatch),
                };
            }
            (SubmitPhase::Sending, ErrorKind::QuoteExpired) => {
                if let Some(sent) = s.facts.submit.as_mut() {
                    sent.outcome_unknown = false;
                }
                refetch_quote(s, Some(ErrorKind::QuoteExpired), out);
            }
            (SubmitPhase::Sending, k) if k.outcome_unknown() => {
                // The order may exist: the only way on is the same request again.
                block(
                    s,
                    Some(Step::Submit {
                        phase: SubmitPhase::Sending,
                        problem: None,
                    }),
                );
            }
            (SubmitPhase::Sending, _) => {
                if let Some(sent) = s.facts.submit.as_mut() {
                    sent.outcome_unknown = false;
                }
                out.push(s.receipt(
                    now,
                    ReceiptEvent::Finished {
                        outcome: None,
                        error: Some(error.kind.clone()),
                    },
                ));
                block(s, None);
            }
            (_, k) if k.outcome_unknown() => block(
                s,
                Some(Step::Submit {
                    phase: SubmitPhase::Quoting,
                    problem: None,
                }),
            ),
            _ => block(s, None),
        },
        Step::Pay { .. } => match kind {
            ErrorKind::BalanceInsufficient | ErrorKind::PaymentDeclined => {
                if let Some(sent) = s.facts.pay.as_mut() {
                    sent.outcome_unknown = false;
                }
                s.facts.card_secret = None;
                s.step = Step::Pay {
                    problem: Some(kind),
                };
            }
            k if k.outcome_unknown() => {
                // Perhaps paid, perhaps not: re-check the order before anything else.
                block(s, Some(Step::Pay { problem: None }));
            }
            _ => {
                out.push(s.receipt(
                    now,
                    ReceiptEvent::Finished {
                        outcome: None,
                        error: Some(error.kind.clone()),
                    },
                ));
                block(s, None);
            }
        },
        Step::Await { stalled, .. } => {
            if kind.is_retryable() {
                // The order is in the carrier's hands; keep asking, slower.
                let after = match &kind {
                    ErrorKind::CarrierBusy {
                        retry_after_secs: Some(secs),
                    } => Duration::from_secs(u64::from(*secs)),
                    _ => DEFAULT_POLL * 2,
                };
                s.step = Step::Await {
                    stalled,
                    problem: Some(kind),
                };
                poll(s, after, out);
            } else {
                out.push(s.receipt(
                    now,
                    ReceiptEvent::Finished {
                        outcome: None,
                        error: Some(error.kind.clone()),
                    },
                ));
                block(
                    s,
                    Some(Step::Await {
                        stalled,
                        problem: None,
                    }),
                );
            }
        }
        Step::Terminated { .. } | Step::Blocked { .. } => {}
    }
}

#[cfg(test)]
mod tests;
