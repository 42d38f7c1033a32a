//! The contract with the shell: the events it feeds [`super::step`], the
//! effects it carries out, the replies it brings back, and why an event can
//! be refused.

use std::time::Duration;

use chrono::NaiveDate;

use super::guided::{Package, Quoted, Statement};
use super::state::{CallKind, Mode, RequestId, State};
use crate::core::channels::{Channel, Kind as PackageKind};
use crate::core::error::CarrierError;
use crate::core::model::{
    Account, Application, CarrierId, IdempotencyKey, Msisdn, Notice, Order, PayMethod, Payment,
    Quote,
};
use crate::core::receipt::Receipt;
use crate::core::secret::{CardNumber, ServicePassword, SmsCode};

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
    /// The person chose when to cancel, from the comparison of dates
    /// beside the quote: the option whose span starts on `from` (today's
    /// date for today, as quoted).
    ChooseDate {
        /// The first day of the chosen option.
        from: NaiveDate,
    },
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
    /// How to go through the steps: chosen before a number is given.
    ChooseMode(Mode),
    /// Guided: the number, the carrier the person confirms, the kind of
    /// package and the channel to act through. No code, no password.
    Identify {
        /// The number.
        msisdn: Msisdn,
        /// The carrier the person confirmed (numbers move between carriers).
        carrier: CarrierId,
        /// Data pack, value-added service, broadband or main plan.
        kind: PackageKind,
        /// The channel to act through.
        channel: Channel,
    },
    /// Guided: act through another channel.
    ChooseChannel(Channel),
    /// Guided: a text from the carrier, pasted verbatim.
    PasteSms {
        /// The text.
        text: String,
        /// The sender as the person names it.
        from: Option<String>,
    },
    /// Guided: cancel this package of the pasted list (by position).
    PickPackage {
        /// Index into the case's list.
        index: usize,
    },
    /// Guided: the package, typed by hand.
    EnterPackage(Package),
    /// Guided: what the carrier quoted.
    EnterQuote(Quoted),
    /// Guided: the person's own statement.
    Say(Statement),
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
    /// The mode is chosen once, before a number is given.
    #[error("the mode is chosen before a number is given")]
    ModeFixed,
    /// That channel cannot cancel this kind of package.
    #[error("that channel cannot cancel this kind of package")]
    ChannelCannot,
    /// Nothing was pasted.
    #[error("the text is empty")]
    EmptyText,
    /// The pasted text is longer than any carrier text.
    #[error("the text is longer than {0} characters")]
    TextTooLong(usize),
    /// The case holds as many texts as it keeps.
    #[error("the case already holds {0} texts")]
    TooManyTexts(usize),
    /// A typed package name is empty or too long.
    #[error("a package name has 1 to {0} characters")]
    BadPackageName(usize),
    /// A typed amount is negative or beyond any real fee.
    #[error("that amount is out of range")]
    AmountOutOfRange,
    /// A typed reference is not shaped like one.
    #[error("a reference has 1 to {0} letters, digits, - or _")]
    BadReference(usize),
    /// The carrier's quote must be entered first.
    #[error("enter what the carrier quoted first")]
    NeedsQuote,
    /// That statement belongs to a later step.
    #[error("not yet: finish this step first")]
    NotYet,
    /// The person chose to cancel on a later date: the form waits for it
    /// (or for choosing today instead).
    #[error("cancelling was put off until {0}; choose today to go on now")]
    WaitingForDate(NaiveDate),
    /// The chosen date is not among those compared for this quote.
    #[error("that date is not one of those compared")]
    NoSuchDate,
}

impl Event {
    /// How a refusal names the event.
    pub(super) fn label(&self) -> &'static str {
        match self {
            Event::RequestCode { .. } => "RequestCode",
            Event::Login { .. } => "Login",
            Event::ChoosePlan { .. } => "ChoosePlan",
            Event::AnswerRetention { .. } => "AnswerRetention",
            Event::EnterApplication(_) => "EnterApplication",
            Event::ChooseDate { .. } => "ChooseDate",
            Event::Confirm => "Confirm",
            Event::ChoosePayment { .. } => "ChoosePayment",
            Event::Resubmit => "Resubmit",
            Event::Retry => "Retry",
            Event::Back => "Back",
            Event::Abandon => "Abandon",
            Event::Resume => "Resume",
            Event::ChooseMode(_) => "ChooseMode",
            Event::Identify { .. } => "Identify",
            Event::ChooseChannel(_) => "ChooseChannel",
            Event::PasteSms { .. } => "PasteSms",
            Event::PickPackage { .. } => "PickPackage",
            Event::EnterPackage(_) => "EnterPackage",
            Event::EnterQuote(_) => "EnterQuote",
            Event::Say(_) => "Say",
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
}
