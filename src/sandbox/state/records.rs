//! The records the simulated carrier keeps and hands out: messages, plan
//! views, quotes, orders, payment attempts and status answers.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::super::world::{BlockConfig, RetentionConfig};
use crate::core::fees::Fen;
use crate::core::model::{CarrierId, LineItem, OrderState, PayMethod, PlanKind, PlanStatus};

/// What the inbox holds: a login code or a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// An SMS login code.
    Code,
    /// A notice about an order.
    Notice,
}

/// One SMS "sent" to a number. Saved state never holds code messages, and
/// the code itself is never serialized.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    /// Per-number sequence, from 1.
    pub seq: u64,
    /// When it was sent.
    pub sent_at: DateTime<FixedOffset>,
    /// Code or notice.
    pub kind: MessageKind,
    /// The SMS text.
    pub text: String,
    /// For code messages, the code itself (sandbox only).
    #[serde(skip)]
    pub code: Option<String>,
}

/// A plan as a products call shows it.
#[derive(Debug, Clone)]
pub struct PlanView {
    /// Product id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: PlanKind,
    /// Current monthly fee (a taken retention offer changes it).
    pub monthly_fee: Fen,
    /// Active, expired or being cancelled.
    pub status: PlanStatus,
    /// Contract end.
    pub contract_end: Option<NaiveDate>,
    /// Why it cannot be cancelled, from the world.
    pub block: Option<BlockConfig>,
    /// Whether a quote can be asked for.
    pub cancellable: bool,
}

/// An issued quote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuoteRec {
    /// Quote id.
    pub id: String,
    /// Whose.
    pub carrier: CarrierId,
    /// Whose.
    pub msisdn: String,
    /// For which plan.
    pub plan_id: String,
    /// Fee lines (only non-zero ones).
    pub items: Vec<LineItem>,
    /// Sum of the lines.
    pub total: Fen,
    /// When the cancellation takes effect.
    pub effective_date: NaiveDate,
    /// After this, submit refuses it.
    pub expires_at: DateTime<FixedOffset>,
    /// The retention offer, if any.
    pub retention: Option<RetentionConfig>,
}

/// A cancellation (or retention) order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrderRec {
    /// Order id.
    pub id: String,
    /// Whose.
    pub carrier: CarrierId,
    /// Whose.
    pub msisdn: String,
    /// Which plan.
    pub plan_id: String,
    /// Its name, for notices.
    pub plan_name: String,
    /// What must be paid before processing.
    pub amount_due: Fen,
    /// Where it stands.
    pub state: OrderState,
    /// Whether this order takes the retention offer instead of cancelling.
    pub retention: Option<RetentionConfig>,
    /// When it was created.
    pub created_at: DateTime<FixedOffset>,
    /// When processing started.
    pub processing_since: Option<DateTime<FixedOffset>>,
    /// Status polls counted while processing.
    pub polls: u32,
    /// When the cancellation takes effect.
    pub effective_date: NaiveDate,
    /// The payment that took the money, once there is one.
    pub paid_by: Option<String>,
}

/// What became of a payment attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptState {
    /// Money taken.
    Paid,
    /// Waiting for the QR code to be scanned.
    Pending,
    /// A QR payment superseded by another before it was scanned; no charge.
    Closed,
    /// Refused (card declined, balance insufficient); no charge.
    Declined,
}

impl AttemptState {
    /// The ledger's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptState::Paid => "paid",
            AttemptState::Pending => "pending",
            AttemptState::Closed => "closed",
            AttemptState::Declined => "declined",
        }
    }
}

/// A payment attempt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentRec {
    /// Payment id.
    pub id: String,
    /// The order paid.
    pub order_id: String,
    /// Whose.
    pub msisdn: String,
    /// How.
    pub method: PayMethod,
    /// How much.
    pub amount: Fen,
    /// What became of it.
    pub state: AttemptState,
    /// When it was made.
    pub created_at: DateTime<FixedOffset>,
    /// When the money was taken.
    pub paid_at: Option<DateTime<FixedOffset>>,
    /// QR link, for Alipay/WeChat.
    pub pay_url: Option<String>,
    /// Last four card digits, for card payments.
    pub card_last4: Option<String>,
}

/// An order's status as a poll reports it.
#[derive(Debug, Clone)]
pub struct StatusView {
    /// The order.
    pub order: OrderRec,
    /// Processing start + 120 s (+5 s when stalling); now + 120 s before.
    pub expected_by: DateTime<FixedOffset>,
    /// Seconds to wait before the next poll, while processing.
    pub retry_after: Option<u32>,
}
