//! China Telecom's wire types, private to the adapter, each mapped once into
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

// --- auth.sendCode, auth.login --------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct LoginResult {
    pub(super) access_token: String,
}

// --- product.list ---------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ProductList {
    pub(super) balance_fen: i64,
    pub(super) products: Vec<Product>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Product {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) prod_id: String,
    pub(super) name: String,
    pub(super) category: Category,
    pub(super) monthly_fee_fen: i64,
    pub(super) status: ProductStatus,
    pub(super) contract_ends_on: Option<NaiveDate>,
    pub(super) cancel_block: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Category {
    Broadband,
    Data,
    Bundle,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum ProductStatus {
    Active,
    Expired,
    Cancelling,
}

impl Product {
    pub(super) fn into_plan(self) -> Plan {
        let status = match self.status {
            ProductStatus::Active => PlanStatus::Active,
            ProductStatus::Expired => PlanStatus::Expired,
            ProductStatus::Cancelling => PlanStatus::PendingCancel,
        };
        // Telecom has no "cancellable" flag: a block, or a cancellation
        // already under way, is what stops it.
        let blocked = match self.cancel_block.as_deref() {
            Some(reason) => Some(block_reason(reason)),
            None if status == PlanStatus::PendingCancel => Some(BlockReason::AlreadyCancelling),
            None => None,
        };
        Plan {
            id: self.prod_id,
            name: self.name,
            kind: match self.category {
                Category::Broadband => PlanKind::Broadband,
                Category::Data => PlanKind::DataPack,
                Category::Bundle => PlanKind::Bundle,
            },
            monthly_fee: Fen(self.monthly_fee_fen),
            status,
            contract_end: self.contract_ends_on,
            blocked,
        }
    }
}

// --- cancel.quote ---------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct QuoteResult {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) quote_id: String,
    pub(super) charges: Vec<Charge>,
    pub(super) total_fen: i64,
    pub(super) effective_on: NaiveDate,
    pub(super) valid_until: DateTime<FixedOffset>,
    pub(super) retention_offer: Option<Offer>,
}

#[derive(Deserialize)]
pub(super) struct Charge {
    #[serde(rename = "type")]
    pub(super) kind: ChargeType,
    pub(super) label: String,
    pub(super) fen: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum ChargeType {
    Penalty,
    Equipment,
    Arrears,
    Refund,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Offer {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) id: String,
    pub(super) text: String,
    pub(super) monthly_fee_fen: i64,
}

impl QuoteResult {
    pub(super) fn into_quote(self) -> Quote {
        Quote {
            id: self.quote_id,
            items: self
                .charges
                .into_iter()
                .map(|c| LineItem {
                    kind: match c.kind {
                        ChargeType::Penalty => FeeKind::Penalty,
                        ChargeType::Equipment => FeeKind::Equipment,
                        ChargeType::Arrears => FeeKind::Arrears,
                        ChargeType::Refund => FeeKind::Refund,
                    },
                    label: c.label,
                    amount: Fen(c.fen),
                })
                .collect(),
            total: Fen(self.total_fen),
            effective_date: self.effective_on,
            expires_at: self.valid_until,
            retention: self.retention_offer.map(|o| RetentionOffer {
                id: o.id,
                description: o.text,
                monthly_fee: Fen(o.monthly_fee_fen),
            }),
        }
    }
}

// --- cancel.submit, cancel.status -----------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OrderResult {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) order_id: String,
    pub(super) status: WireOrderStatus,
    pub(super) reason: Option<String>,
    pub(super) retry_after_sec: Option<u32>,
    pub(super) expected_by: Option<DateTime<FixedOffset>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum WireOrderStatus {
    AwaitingPayment,
    Processing,
    Completed,
    Rejected,
}

impl OrderResult {
    pub(super) fn into_order(self) -> Order {
        Order {
            id: self.order_id,
            state: match self.status {
                WireOrderStatus::AwaitingPayment => OrderState::AwaitingPayment,
                WireOrderStatus::Processing => OrderState::Processing,
                WireOrderStatus::Completed => OrderState::Completed,
                WireOrderStatus::Rejected => OrderState::Rejected(self.reason),
            },
            expected_by: self.expected_by,
            retry_after_secs: self.retry_after_sec,
            // Telecom states no amount on the order; the quote's total is it.
            amount_due: None,
        }
    }
}

// --- cancel.pay -----------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PayResult {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) payment_id: String,
    pub(super) status: WirePayStatus,
    pub(super) qr_content: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum WirePayStatus {
    Paid,
    Pending,
}

pub(super) fn pay_method(method: PayMethod) -> &'static str {
    match method {
        PayMethod::Balance => "balance",
        PayMethod::Card => "card",
        PayMethod::Alipay => "alipay",
        PayMethod::WeChat => "wechat",
    }
}

// --- notice.list ----------------------------------------------------------

#[derive(Deserialize)]
pub(super) struct NoticeList {
    pub(super) notices: Vec<WireNotice>,
}

#[derive(Deserialize)]
pub(super) struct WireNotice {
    pub(super) id: u64,
    pub(super) at: DateTime<FixedOffset>,
    pub(super) text: String,
}
