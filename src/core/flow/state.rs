//! The journal schema: the state the flow keeps between events, and the only
//! thing written to disk. Everything here is serialised (secrets aside, which
//! are `serde(skip)`); a change of shape bumps [`STATE_VERSION`] and teaches
//! `migrate` the old one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::date_cost::DateOption;
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::fees::Fen;
use crate::core::model::{
    Account, Application, CarrierId, IdempotencyKey, KeySeed, MaskedApplication, Msisdn, Notice,
    Order, Outcome, PayMethod, Payment, Plan, Quote,
};
use crate::core::secret::CardNumber;

use super::guided::GuidedCase;

/// Journal format version; a journal from a newer wizard is refused, not
/// guessed at, and one from an older wizard is migrated.
pub const STATE_VERSION: u32 = 3;

/// How the person goes through the six steps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Through a carrier API: the embedded sandbox, or a configured one.
    #[default]
    Api,
    /// Through the carrier's official channels, the person acting and
    /// pasting what the carrier sends.
    Guided,
}

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

    pub(super) fn login() -> Step {
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

/// The number being cancelled for, at its carrier: set together when the
/// person asks for a code, and where every later call and receipt goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The carrier the person confirmed.
    pub carrier: CarrierId,
    /// The number logged in with.
    pub msisdn: Msisdn,
}

/// What the person chose on the account: the plan, its quote, and the answer
/// to the retention offer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The account as last fetched.
    pub account: Option<Account>,
    /// The plan being cancelled.
    pub plan: Option<Plan>,
    /// The quote being acted on.
    pub quote: Option<Quote>,
    /// The answer to the retention offer (`Some(false)` = declined).
    pub retention_accepted: Option<bool>,
    /// The total the person confirmed: no payment goes out for any other
    /// amount. `None` in journals from before it was kept (then the quote's
    /// total stands for it).
    #[serde(default)]
    pub confirmed_total: Option<Fen>,
    /// A fresh quote fetched because the order asks a different amount: shown
    /// beside it, never sent (the order was created under the first one).
    #[serde(default)]
    pub requote: Option<Quote>,
    /// When the person chose to cancel, from the comparison of dates beside
    /// the quote (recorded with it as a receipt). A later date keeps the
    /// flow at review until its span begins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_chosen: Option<DateOption>,
}

/// The order's way through the carrier: what was sent, what came back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The submit as sent.
    pub submit: Option<SentRequest>,
    /// The order, once the carrier created it.
    pub order: Option<Order>,
    /// The pay request as sent.
    pub pay: Option<SentRequest>,
    /// The latest payment answer.
    pub payment: Option<Payment>,
    /// What was paid in the end (zero when nothing was due).
    pub paid: Option<Fen>,
    /// Every notice received, oldest first.
    pub notices: Vec<Notice>,
    /// When processing started as we saw it.
    pub processing_since: Option<DateTime<Utc>>,
    /// The method of the pay request as last sent, for the receipt of a
    /// refusal (which carries no payment of the carrier's).
    #[serde(default)]
    pub pay_method: Option<PayMethod>,
}

/// What is held in memory only, to resend the same request: never journalled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    /// The full form.
    pub application: Option<Application>,
    /// The card of the pay request in flight.
    pub card: Option<CardNumber>,
}

/// Everything the flow has learnt, carried from step to step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Random seed of this cancellation's idempotency keys.
    pub key_seed: KeySeed,
    /// The number and carrier, once the person asked for a code.
    pub line: Option<Line>,
    /// The plan, quote and retention answer.
    pub choice: Choice,
    /// The form as kept (masked).
    pub application: Option<MaskedApplication>,
    /// The form's contact number, kept whole to fill the form in again on
    /// resume: a phone number like the line's own, not a secret.
    #[serde(default)]
    pub contact: Option<Msisdn>,
    /// When the last SMS code was sent to the line, whatever the step: the
    /// countdown to the next one survives leaving Login and resuming.
    #[serde(default)]
    pub code_sent_at: Option<DateTime<Utc>>,
    /// Submit, order, payment and notices.
    pub progress: Progress,
    /// The guided case, in guided mode.
    #[serde(default)]
    pub guided: Option<GuidedCase>,
    /// The full form and card, in memory only.
    #[serde(skip)]
    pub secrets: Secrets,
}

impl Facts {
    /// The number logged in with, once given.
    pub fn msisdn(&self) -> Option<&Msisdn> {
        self.line.as_ref().map(|l| &l.msisdn)
    }

    /// The carrier the person confirmed, once given.
    pub fn carrier(&self) -> Option<CarrierId> {
        self.line.as_ref().map(|l| l.carrier)
    }

    /// The plan being cancelled, once chosen.
    pub fn plan(&self) -> Option<&Plan> {
        self.choice.plan.as_ref()
    }

    /// The order as last reported, once the carrier created it.
    pub fn order(&self) -> Option<&Order> {
        self.progress.order.as_ref()
    }

    /// The number the receipts are filed under: the carrier's order, or the
    /// guided case's own number.
    pub fn case_id(&self) -> Option<&str> {
        match &self.guided {
            Some(case) => Some(&case.case_id),
            None => self.progress.order.as_ref().map(|o| o.id.as_str()),
        }
    }
}

/// The whole wizard: the current step, what is known, and the call in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Journal format version.
    pub version: u32,
    /// Through an API or guided (version 2 journals are all API).
    #[serde(default)]
    pub mode: Mode,
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

impl State {
    /// A new flow at the Login step.
    pub fn new(key_seed: KeySeed, now: DateTime<Utc>) -> State {
        State {
            version: STATE_VERSION,
            mode: Mode::Api,
            step: Step::login(),
            last_step: StepName::Login,
            facts: Facts {
                key_seed,
                line: None,
                choice: Choice::default(),
                application: None,
                contact: None,
                code_sent_at: None,
                progress: Progress::default(),
                guided: None,
                secrets: Secrets::default(),
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
        let progress = &self.facts.progress;
        progress.order.is_some() || progress.submit.as_ref().is_some_and(|s| s.outcome_unknown)
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
        kept.facts.secrets = Secrets::default();
        kept
    }

    /// The carrier, once chosen.
    pub fn carrier(&self) -> Option<CarrierId> {
        self.facts.carrier()
    }

    /// How a refusal names the step the state is in.
    pub(super) fn step_label(&self) -> &'static str {
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
