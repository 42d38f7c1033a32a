//! China Mobile's wire types, private to the adapter, each mapped once into
//! `core::model`; in the order of the spec's section.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Deserialize;

use super::codes::block_reason;
use crate::carrier::ids::opaque_id;
use crate::core::fees::Fen;
use crate::core::model::{
    BlockReason, FeeKind, LineItem, Order, OrderState, PayMethod, Plan, PlanKind, PlanStatus,
    Quote, RetentionOffer,
};

// --- POST /auth/sms-code, POST /auth/login --------------------------------

#[derive(Deserialize)]
pub(super) struct LoginData {
    pub(super) token: String,
}

// --- GET /subscriptions ---------------------------------------------------

#[derive(Deserialize)]
pub(super) struct Subscriptions {
    pub(super) balance: i64,
    pub(super) items: Vec<Subscription>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Subscription {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) offer_id: String,
    pub(super) offer_name: String,
    #[serde(rename = "type")]
    pub(super) kind: OfferType,
    pub(super) monthly_fee: i64,
    pub(super) status: OfferStatus,
    pub(super) contract_end: Option<NaiveDate>,
    pub(super) cancellable: bool,
    pub(super) block_reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(super) enum OfferType {
    Broadband,
    DataPack,
    Bundle,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(super) enum OfferStatus {
    Active,
    Expired,
    PendingCancel,
}

impl Subscription {
    pub(super) fn into_plan(self) -> Plan {
        let status = match self.status {
            OfferStatus::Active => PlanStatus::Active,
            OfferStatus::Expired => PlanStatus::Expired,
            OfferStatus::PendingCancel => PlanStatus::PendingCancel,
        };
        let blocked = match (self.cancellable, self.block_reason.as_deref()) {
            (true, _) => None,
            (false, Some(reason)) => Some(block_reason(reason)),
            (false, None) if status == PlanStatus::PendingCancel => {
                Some(BlockReason::AlreadyCancelling)
            }
            (false, None) => Some(BlockReason::Unspecified),
        };
        Plan {
            id: self.offer_id,
            name: self.offer_name,
            kind: match self.kind {
                OfferType::Broadband => PlanKind::Broadband,
                OfferType::DataPack => PlanKind::DataPack,
                OfferType::Bundle => PlanKind::Bundle,
            },
            monthly_fee: Fen(self.monthly_fee),
            status,
            contract_end: self.contract_end,
            blocked,
        }
    }
}

// --- POST /cancel/quote ---------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct QuoteData {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) quote_id: String,
    pub(super) items: Vec<QuoteItem>,
    pub(super) total: i64,
    pub(super) effective_date: NaiveDate,
    pub(super) expires_at: DateTime<FixedOffset>,
    pub(super) retention: Option<Retention>,
}

#[derive(Deserialize)]
pub(super) struct QuoteItem {
    pub(super) code: FeeCode,
    pub(super) name: String,
    pub(super) amount: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(super) enum FeeCode {
    Penalty,
    Equipment,
    Arrears,
    Refund,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Retention {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) offer_code: String,
    pub(super) description: String,
    pub(super) monthly_fee: i64,
}

impl QuoteData {
    pub(super) fn into_quote(self) -> Quote {
        Quote {
            id: self.quote_id,
            items: self
                .items
                .into_iter()
                .map(|item| LineItem {
                    kind: match item.code {
                        FeeCode::Penalty => FeeKind::Penalty,
                        FeeCode::Equipment => FeeKind::Equipment,
                        FeeCode::Arrears => FeeKind::Arrears,
                        FeeCode::Refund => FeeKind::Refund,
                    },
                    label: item.name,
                    amount: Fen(item.amount),
                })
                .collect(),
            total: Fen(self.total),
            effective_date: self.effective_date,
            expires_at: self.expires_at,
            retention: self.retention.map(|r| RetentionOffer {
                id: r.offer_code,
                description: r.description,
                monthly_fee: Fen(r.monthly_fee),
            }),
        }
    }
}

// --- POST /cancel/orders, GET /cancel/orders/{orderId} --------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OrderData {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) order_id: String,
    pub(super) state: WireOrderState,
    pub(super) reject_reason: Option<String>,
    pub(super) expected_by: Option<DateTime<FixedOffset>>,
    pub(super) amount_due: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(super) enum WireOrderState {
    WaitPay,
    Processing,
    Done,
    Rejected,
}

impl OrderData {
    pub(super) fn into_order(self, retry_after_secs: Option<u32>) -> Order {
        Order {
            id: self.order_id,
            state: match self.state {
                WireOrderState::WaitPay => OrderState::AwaitingPayment,
                WireOrderState::Processing => OrderState::Processing,
                WireOrderState::Done => OrderState::Completed,
                WireOrderState::Rejected => OrderState::Rejected(self.reject_reason),
            },
            expected_by: self.expected_by,
            retry_after_secs,
            amount_due: self.amount_due.map(Fen),
        }
    }
}

// --- POST /cancel/orders/{orderId}/payments -------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PaymentData {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) payment_id: String,
    pub(super) state: WirePaymentState,
    pub(super) pay_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(super) enum WirePaymentState {
    Paid,
    Pending,
}

pub(super) fn pay_method(method: PayMethod) -> &'static str {
    match method {
        PayMethod::Balance => "BALANCE",
        PayMethod::Card => "CARD",
        PayMethod::Alipay => "ALIPAY",
        PayMethod::WeChat => "WECHAT",
    }
}

// --- GET /messages?since={seq} --------------------------------------------

#[derive(Deserialize)]
pub(super) struct Messages {
    pub(super) items: Vec<Message>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Message {
    pub(super) seq: u64,
    pub(super) sent_at: DateTime<FixedOffset>,
    pub(super) text: String,
}
