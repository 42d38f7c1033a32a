//! Receipts: the evidence the flow leaves — what was quoted, answered,
//! submitted, paid, received and how it ended — each with its time. The
//! vault chains them; nothing in them is secret.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::channels::{Channel, Kind as PackageKind};
use super::date_cost::DateOption;
use super::error::ErrorKind;
use super::fees::Fen;
use super::flow::guided::{Package, Pasted, Quoted, Statement};
use super::followup::FollowUpKind;
use super::model::{
    CarrierId, IdempotencyKey, MaskedApplication, Notice, Order, OrderState, Outcome, Payment,
    Plan, Quote, RetentionOffer,
};

/// One piece of evidence: something that happened in the flow, kept with the
/// time it happened. The vault chains these; nothing in them is secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The carrier.
    pub carrier: CarrierId,
    /// The number, masked.
    pub msisdn_masked: String,
    /// The order it belongs to, once there is one.
    pub order_id: Option<String>,
    /// What happened.
    pub event: ReceiptEvent,
}

/// What a receipt records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReceiptEvent {
    /// The quote as shown, with the plan it is for.
    QuoteShown {
        /// The plan.
        plan: Plan,
        /// Every line, total, effective date, expiry.
        quote: Quote,
    },
    /// The retention offer and the person's answer.
    RetentionAnswered {
        /// The offer as shown.
        offer: RetentionOffer,
        /// Whether the person took it.
        accepted: bool,
    },
    /// The form as submitted (masked), and the key it was sent under.
    ApplicationSubmitted {
        /// Name, masked ID, masked contact, reason.
        application: MaskedApplication,
        /// The submit idempotency key.
        idempotency_key: IdempotencyKey,
        /// Set when the retention offer was taken: the request is a plan
        /// change to this offer at its monthly fee, with nothing due — not a
        /// cancellation. Absent (and not written) otherwise.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        plan_change: Option<RetentionOffer>,
    },
    /// When the person chose to cancel, from the comparison of dates shown
    /// beside the quote: today as quoted, or a later date as estimated.
    DateChosen {
        /// The option as shown: its span, basis, lines and net.
        option: DateOption,
    },
    /// The carrier created the order.
    OrderCreated {
        /// As first reported.
        order: Order,
    },
    /// A payment attempt's result: the carrier's answer, its confirmation
    /// once the order moved past payment (same id, state paid), or a refusal
    /// (state declined, the card by its last four digits).
    Payment {
        /// Method, state, masked card.
        payment: Payment,
        /// The amount the order asked (what was paid, when paid).
        amount: Fen,
    },
    /// A notice from the carrier.
    NoticeReceived {
        /// Verbatim.
        notice: Notice,
    },
    /// The order moved to a new state.
    StatusChanged {
        /// The new state.
        state: OrderState,
    },
    /// Guided: the channel chosen for the package kind, beside the one the
    /// wizard recommended.
    ChannelChosen {
        /// Data pack, value-added service, broadband or main plan.
        kind: PackageKind,
        /// The channel the person acts through.
        channel: Channel,
        /// The channel the wizard recommended.
        recommended: Channel,
    },
    /// Guided: the instruction exactly as shown — every step in both
    /// languages with its number, command, source and checked date.
    InstructionShown {
        /// The channel it is for.
        channel: Channel,
        /// The steps, in order.
        steps: Vec<InstructionStep>,
        /// For a package picked from a list by SMS: (to, text) of the reply
        /// that cancels it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply: Option<(String, String)>,
    },
    /// Guided: a text from the carrier as pasted, verbatim, with the sender
    /// the person named, when, and what the parser read.
    SmsPasted {
        /// The text and its parse.
        pasted: Pasted,
    },
    /// Guided: the package to cancel, from a list or typed.
    PackageChosen {
        /// Name, fee, key, contract end, source.
        package: Package,
    },
    /// Guided: what the carrier quoted, beside the wizard's estimate.
    AmountQuoted {
        /// As typed or read.
        quoted: Quoted,
        /// Penalty and equipment less refund.
        total: Fen,
        /// The fee rule's estimate of the penalty shown beside it.
        estimate: Option<Fen>,
    },
    /// Guided: the person's own statement — marked as such, never as a
    /// carrier text.
    Statement {
        /// What they said.
        statement: Statement,
    },
    /// A follow-up (check the bill, return the equipment…) the person
    /// marked done.
    FollowUpDone {
        /// Which one.
        kind: FollowUpKind,
    },
    /// The first bill after the cancellation, as the person pasted or typed
    /// it, and the line that still charges for the package, if one does.
    BillChecked {
        /// The bill text, verbatim.
        text: String,
        /// The line naming the cancelled package or its fee.
        still_charged: Option<String>,
    },
    /// The flow ended: cancelled, offer accepted, or stopped with an error.
    Finished {
        /// Cancelled or retention accepted; `None` when it ended blocked.
        outcome: Option<Outcome>,
        /// The error it ended on, if any.
        error: Option<ErrorKind>,
    },
}

/// One step of a guided instruction as it was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructionStep {
    /// The step in Chinese.
    pub zh: String,
    /// The step in English.
    pub en: String,
    /// The official number it names.
    pub number: Option<String>,
    /// The exact text to send or say.
    pub command: Option<String>,
    /// Where the step comes from.
    pub source: String,
    /// When it was checked against its source.
    pub checked: String,
}
