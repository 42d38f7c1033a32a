//! China Unicom's wire types, private to the adapter, each mapped once into
//! `core::model`; first the yuan strings, dates and times every call uses,
//! then one block per call in the order of the spec's section.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Deserialize;

use super::codes::block_reason;
use crate::carrier::http::protocol;
use crate::carrier::ids::opaque_id;
use crate::core::error::ErrorKind;
use crate::core::fees::Fen;
use crate::core::model::{
    Account, BlockReason, FeeKind, LineItem, Order, OrderState, PayMethod, Plan, PlanKind,
    PlanStatus, Quote, RetentionOffer,
};

/// Beijing time, UTC+8, in which Unicom writes every time and date.
use crate::core::time::BEIJING;

// --- Yuan strings, dates and times ----------------------------------------

/// A yuan string as exact fen; `field` names it in the error.
pub(super) fn money(call: &str, field: &str, text: &str) -> Result<Fen, ErrorKind> {
    Fen::parse_yuan(text).map_err(|e| protocol(call, format!("`{field}`: {e}")))
}

/// `yyyyMMdd`; exactly eight digits, so `"2027228"` is not read as a date.
pub(super) fn date(call: &str, field: &str, text: &str) -> Result<NaiveDate, ErrorKind> {
    let shaped = text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit());
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y%m%d").ok())
        .flatten()
        .ok_or_else(|| protocol(call, format!("`{field}` = {text:?} is not a yyyyMMdd date")))
}

/// `yyyyMMddHHmmss` in Beijing time.
pub(super) fn time(
    call: &str,
    field: &str,
    text: &str,
) -> Result<DateTime<FixedOffset>, ErrorKind> {
    let shaped = text.len() == 14 && text.bytes().all(|b| b.is_ascii_digit());
    shaped
        .then(|| NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M%S").ok())
        .flatten()
        .and_then(|local| local.and_local_timezone(BEIJING).single())
        .ok_or_else(|| {
            protocol(
                call,
                format!("`{field}` = {text:?} is not a yyyyMMddHHmmss time"),
            )
        })
}

/// Unicom writes "none" as an empty string.
pub(super) fn optional(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

// --- POST /sendSmsCode, POST /login ---------------------------------------

// `result` of login is `{"custName": "刘*"}`: the session is in the cookie.

// --- POST /queryProducts --------------------------------------------------

#[derive(Deserialize)]
pub(super) struct Products {
    pub(super) balance: String,
    pub(super) products: Vec<Product>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Product {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) product_code: String,
    pub(super) product_name: String,
    pub(super) product_type: ProductType,
    pub(super) fee: String,
    pub(super) state: ProductState,
    #[serde(default)]
    pub(super) end_date: String,
    pub(super) can_cancel: YesNo,
    #[serde(default)]
    pub(super) reason_code: String,
}

#[derive(Deserialize)]
pub(super) enum ProductType {
    /// 宽带.
    #[serde(rename = "KD")]
    Broadband,
    /// 流量.
    #[serde(rename = "LL")]
    Data,
    /// 融合.
    #[serde(rename = "RH")]
    Bundle,
}

#[derive(Deserialize)]
pub(super) enum ProductState {
    #[serde(rename = "1")]
    Active,
    #[serde(rename = "2")]
    Expired,
    #[serde(rename = "3")]
    Cancelling,
}

#[derive(Deserialize)]
pub(super) enum YesNo {
    #[serde(rename = "Y")]
    Yes,
    #[serde(rename = "N")]
    No,
}

impl Products {
    pub(super) fn into_account(self, call: &str) -> Result<Account, ErrorKind> {
        let plans = self
            .products
            .into_iter()
            .map(|p| p.into_plan(call))
            .collect::<Result<_, _>>()?;
        Ok(Account {
            balance: money(call, "balance", &self.balance)?,
            plans,
        })
    }
}

impl Product {
    pub(super) fn into_plan(self, call: &str) -> Result<Plan, ErrorKind> {
        let status = match self.state {
            ProductState::Active => PlanStatus::Active,
            ProductState::Expired => PlanStatus::Expired,
            ProductState::Cancelling => PlanStatus::PendingCancel,
        };
        let blocked = match (self.can_cancel, optional(&self.reason_code)) {
            (YesNo::Yes, _) => None,
            (YesNo::No, Some(reason)) => Some(block_reason(reason)),
            (YesNo::No, None) if status == PlanStatus::PendingCancel => {
                Some(BlockReason::AlreadyCancelling)
            }
            (YesNo::No, None) => Some(BlockReason::Unspecified),
        };
        Ok(Plan {
            id: self.product_code,
            name: self.product_name,
            kind: match self.product_type {
                ProductType::Broadband => PlanKind::Broadband,
                ProductType::Data => PlanKind::DataPack,
                ProductType::Bundle => PlanKind::Bundle,
            },
            monthly_fee: money(call, "products[].fee", &self.fee)?,
            status,
            contract_end: optional(&self.end_date)
                .map(|d| date(call, "products[].endDate", d))
                .transpose()?,
            blocked,
        })
    }
}

// --- POST /cancelTrial ----------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Trial {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) trial_id: String,
    pub(super) fees: Vec<TrialFee>,
    pub(super) total_fee: String,
    pub(super) effect_date: String,
    pub(super) valid_until: String,
    pub(super) retain: Option<Retain>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TrialFee {
    pub(super) fee_type: FeeType,
    pub(super) fee_name: String,
    pub(super) fee: String,
}

#[derive(Deserialize)]
pub(super) enum FeeType {
    /// 违约金.
    #[serde(rename = "WYJ")]
    Penalty,
    /// 设备.
    #[serde(rename = "SB")]
    Equipment,
    /// 欠费.
    #[serde(rename = "QF")]
    Arrears,
    /// 退费.
    #[serde(rename = "TF")]
    Refund,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Retain {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) retain_id: String,
    pub(super) retain_desc: String,
    pub(super) new_fee: String,
}

impl Trial {
    pub(super) fn into_quote(self, call: &str) -> Result<Quote, ErrorKind> {
        let items = self
            .fees
            .into_iter()
            .map(|f| {
                Ok(LineItem {
                    kind: match f.fee_type {
                        FeeType::Penalty => FeeKind::Penalty,
                        FeeType::Equipment => FeeKind::Equipment,
                        FeeType::Arrears => FeeKind::Arrears,
                        FeeType::Refund => FeeKind::Refund,
                    },
                    amount: money(call, "fees[].fee", &f.fee)?,
                    label: f.fee_name,
                })
            })
            .collect::<Result<_, ErrorKind>>()?;
        let retention = self
            .retain
            .map(|r| {
                Ok::<_, ErrorKind>(RetentionOffer {
                    monthly_fee: money(call, "retain.newFee", &r.new_fee)?,
                    id: r.retain_id,
                    description: r.retain_desc,
                })
            })
            .transpose()?;
        Ok(Quote {
            id: self.trial_id,
            items,
            total: money(call, "totalFee", &self.total_fee)?,
            effective_date: date(call, "effectDate", &self.effect_date)?,
            expires_at: time(call, "validUntil", &self.valid_until)?,
            retention,
        })
    }
}

// --- POST /cancelSubmit, POST /queryOrder ---------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireOrder {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) order_no: String,
    pub(super) order_state: WireOrderState,
    #[serde(default)]
    pub(super) reject_desc: String,
    #[serde(default)]
    pub(super) expect_time: String,
}

#[derive(Deserialize)]
pub(super) enum WireOrderState {
    #[serde(rename = "10")]
    WaitPay,
    #[serde(rename = "20")]
    Processing,
    #[serde(rename = "30")]
    Done,
    #[serde(rename = "40")]
    Rejected,
}

impl WireOrder {
    pub(super) fn into_order(
        self,
        call: &str,
        retry_after_secs: Option<u32>,
    ) -> Result<Order, ErrorKind> {
        Ok(Order {
            state: match self.order_state {
                WireOrderState::WaitPay => OrderState::AwaitingPayment,
                WireOrderState::Processing => OrderState::Processing,
                WireOrderState::Done => OrderState::Completed,
                WireOrderState::Rejected => {
                    OrderState::Rejected(optional(&self.reject_desc).map(str::to_owned))
                }
            },
            expected_by: optional(&self.expect_time)
                .map(|t| time(call, "expectTime", t))
                .transpose()?,
            id: self.order_no,
            retry_after_secs,
            // Unicom states no amount on the order; the quote's total is it.
            amount_due: None,
        })
    }
}

// --- POST /cancelPay ------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WirePayment {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) pay_no: String,
    pub(super) pay_state: WirePayState,
    #[serde(default)]
    pub(super) qr_url: Option<String>,
}

#[derive(Deserialize)]
pub(super) enum WirePayState {
    #[serde(rename = "S")]
    Paid,
    #[serde(rename = "P")]
    Pending,
}

pub(super) fn pay_type(method: PayMethod) -> &'static str {
    match method {
        PayMethod::Balance => "01",
        PayMethod::Card => "02",
        PayMethod::Alipay => "03",
        PayMethod::WeChat => "04",
    }
}

// --- POST /queryMsgs ------------------------------------------------------

#[derive(Deserialize)]
pub(super) struct Msgs {
    pub(super) msgs: Vec<Msg>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Msg {
    #[serde(deserialize_with = "opaque_id")]
    pub(super) msg_id: String,
    pub(super) send_time: String,
    pub(super) content: String,
}
