//! The SMS texts, worded like a real carrier's.

use chrono::NaiveDate;

use super::records::OrderRec;
use crate::core::model::CarrierId;

pub(super) fn accepted_text(order: &OrderRec) -> String {
    match &order.retention {
        Some(offer) => format!(
            "{}尊敬的客户，您办理的挽留优惠已受理（订单号{}），“{}”月费将调整为{}元。",
            signature(order.carrier),
            order.id,
            order.plan_name,
            offer.monthly_fee.to_yuan_string()
        ),
        None => format!(
            "{}尊敬的客户，您退订“{}”的申请已受理（订单号{}），正在办理，生效日期{}。",
            signature(order.carrier),
            order.plan_name,
            order.id,
            zh_date(order.effective_date)
        ),
    }
}

/// The SMS signature a carrier puts first.
pub(super) fn signature(carrier: CarrierId) -> String {
    format!("【{}】", carrier.name_zh())
}

pub(super) fn zh_date(date: NaiveDate) -> String {
    date.format("%Y年%m月%d日").to_string()
}
