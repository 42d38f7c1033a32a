//! What a chain of receipts says, condensed: the order, the plan, what it
//! cost, where it stands. Pure: records in, facts out.

use chrono::{DateTime, NaiveDate, Utc};

use crate::core::error::ErrorKind;
use crate::core::model::ReceiptEvent;
use crate::core::model::{
    CarrierId, Fen, LineItem, MaskedApplication, Notice, OrderState, Outcome, Payment,
    PaymentState, PlanKind, RetentionOffer,
};
use crate::store::vault::Record;

mod guided;

pub use guided::{GuidedFacts, QuoteRecord, Waiting};

/// Where an order stands according to its receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Confirmed cancelled.
    Cancelled,
    /// The retention offer was taken instead.
    RetentionAccepted,
    /// Ended without confirmation: the error it stopped on.
    Stopped(ErrorKind),
    /// Still with the carrier (or never went further than this state).
    InProgress(Option<OrderState>),
}

impl Standing {
    /// A short label, Chinese then English.
    pub fn label(&self) -> String {
        match self {
            Standing::Cancelled => "已退订 cancelled".to_owned(),
            Standing::RetentionAccepted => "已接受挽留 offer accepted".to_owned(),
            Standing::Stopped(kind) => format!("未完成 stopped: {kind}"),
            Standing::InProgress(Some(OrderState::AwaitingPayment)) => {
                "待缴费 awaiting payment".to_owned()
            }
            Standing::InProgress(Some(OrderState::Processing)) => "处理中 processing".to_owned(),
            Standing::InProgress(Some(OrderState::Completed)) => "已完成 completed".to_owned(),
            Standing::InProgress(Some(OrderState::Rejected(_))) => "被拒绝 rejected".to_owned(),
            Standing::InProgress(None) => "未提交 not submitted".to_owned(),
        }
    }
}

/// The facts of one cancellation, from its receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The chain's name: the order number, or `draft-…` before there was one.
    pub name: String,
    /// The carrier.
    pub carrier: CarrierId,
    /// The number, masked.
    pub msisdn_masked: String,
    /// The order number, if the carrier assigned one.
    pub order_id: Option<String>,
    /// The plan's name and kind.
    pub plan: Option<(String, PlanKind)>,
    /// The quote's lines.
    pub items: Vec<LineItem>,
    /// The quote's total.
    pub total: Option<Fen>,
    /// When the cancellation takes effect.
    pub effective_date: Option<NaiveDate>,
    /// The retention offer and the answer.
    pub retention: Option<(RetentionOffer, bool)>,
    /// Set when the retention offer was taken: the request is a plan change
    /// to this offer at its monthly fee, with nothing due, not a
    /// cancellation.
    pub plan_change: Option<RetentionOffer>,
    /// The form as submitted (masked).
    pub application: Option<MaskedApplication>,
    /// Payment results, one per payment id (its latest record).
    pub payments: Vec<(Payment, Fen)>,
    /// Notices from the carrier.
    pub notices: Vec<Notice>,
    /// Where it stands.
    pub standing: Standing,
    /// When the first record was made.
    pub started: DateTime<Utc>,
    /// When the last record was made.
    pub last_change: DateTime<Utc>,
    /// A guided case's facts (channel, texts, statements); `None` for a
    /// cancellation through an API.
    pub guided: Option<GuidedFacts>,
    /// Follow-ups the person marked done.
    pub followups_done: Vec<crate::core::followup::FollowUpKind>,
    /// The bill checks: the text, and the line still charging, if any.
    pub bills: Vec<(DateTime<Utc>, String, Option<String>)>,
}

impl Summary {
    /// Condenses a chain; `None` for an empty one.
    pub fn of(name: &str, records: &[Record]) -> Option<Summary> {
        let first = records.first()?;
        let mut summary = Summary {
            name: name.to_owned(),
            carrier: first.receipt.carrier,
            msisdn_masked: first.receipt.msisdn_masked.clone(),
            order_id: None,
            plan: None,
            items: Vec::new(),
            total: None,
            effective_date: None,
            retention: None,
            plan_change: None,
            application: None,
            payments: Vec::new(),
            notices: Vec::new(),
            standing: Standing::InProgress(None),
            started: first.at_utc,
            last_change: first.at_utc,
            guided: None,
            followups_done: Vec::new(),
            bills: Vec::new(),
        };
        for record in records {
            summary.take(record);
        }
        if let Some(guided) = &summary.guided {
            summary.effective_date = guided.effective_date();
        }
        Some(summary)
    }

    /// Takes one record into the summary.
    fn take(&mut self, record: &Record) {
        let summary = self;
        let receipt = &record.receipt;
        summary.last_change = record.at_utc;
        if receipt.order_id.is_some() {
            summary.order_id.clone_from(&receipt.order_id);
        }
        if let ReceiptEvent::ChannelChosen { kind, channel, .. } = &receipt.event {
            summary
                .guided
                .get_or_insert_with(|| GuidedFacts::new(*kind, *channel));
        }
        if let Some(guided) = &mut summary.guided {
            guided.take(record.at_utc, &receipt.event);
        }
        match &receipt.event {
            ReceiptEvent::QuoteShown { plan, quote } => {
                summary.plan = Some((plan.name.clone(), plan.kind));
                summary.items.clone_from(&quote.items);
                summary.total = Some(quote.total);
                summary.effective_date = Some(quote.effective_date);
            }
            ReceiptEvent::RetentionAnswered { offer, accepted } => {
                summary.retention = Some((offer.clone(), *accepted));
                summary.plan_change = accepted.then(|| offer.clone());
            }
            ReceiptEvent::ApplicationSubmitted {
                application,
                plan_change,
                ..
            } => {
                summary.application = Some(application.clone());
                summary.plan_change.clone_from(plan_change);
            }
            ReceiptEvent::OrderCreated { order } => {
                summary.standing = Standing::InProgress(Some(order.state.clone()));
            }
            ReceiptEvent::Payment { payment, amount } => {
                summary.record_payment(payment, *amount);
            }
            ReceiptEvent::NoticeReceived { notice } => summary.notices.push(notice.clone()),
            ReceiptEvent::StatusChanged { state } => {
                summary.standing = Standing::InProgress(Some(state.clone()));
            }
            ReceiptEvent::AmountQuoted { total, .. } => summary.total = Some(*total),
            ReceiptEvent::FollowUpDone { kind } => summary.followups_done.push(*kind),
            ReceiptEvent::BillChecked {
                text,
                still_charged,
            } => {
                summary
                    .bills
                    .push((record.at_utc, text.clone(), still_charged.clone()));
            }
            ReceiptEvent::ChannelChosen { .. }
            | ReceiptEvent::InstructionShown { .. }
            | ReceiptEvent::SmsPasted { .. }
            | ReceiptEvent::PackageChosen { .. }
            | ReceiptEvent::Statement { .. }
            | ReceiptEvent::DateChosen { .. } => {}
            ReceiptEvent::Finished { outcome, error } => {
                summary.standing = match (outcome, error) {
                    (Some(Outcome::Cancelled), _) => Standing::Cancelled,
                    (Some(Outcome::RetentionAccepted), _) => Standing::RetentionAccepted,
                    (None, Some(kind)) => Standing::Stopped(kind.clone()),
                    (None, None) => summary.standing.clone(),
                };
            }
        }
    }

    /// The name of what is being cancelled: the plan, or the guided
    /// package.
    pub fn plan_name(&self) -> Option<&str> {
        match (&self.plan, &self.guided) {
            (Some((name, _)), _) => Some(name),
            (None, Some(guided)) => guided.package.as_ref().map(|p| p.name.as_str()),
            (None, None) => None,
        }
    }

    /// Keeps one entry per payment id: the chain may hold the same payment
    /// twice (two wizards on one folder, a crash between the receipt and
    /// the journal write, a QR payment recorded pending and then paid), and
    /// its latest record is what stands.
    fn record_payment(&mut self, payment: &Payment, amount: Fen) {
        match self.payments.iter_mut().find(|(p, _)| p.id == payment.id) {
            Some(entry) => *entry = (payment.clone(), amount),
            None => self.payments.push((payment.clone(), amount)),
        }
    }

    /// What is due: the quote's total for a cancellation, nothing for a
    /// plan change (the quote shown before the offer was taken stays in the
    /// record as shown, but nobody owes it).
    pub fn due(&self) -> Option<Fen> {
        match self.plan_change {
            Some(_) => Some(Fen::ZERO),
            None => self.total,
        }
    }

    /// Where it stands, in words: a plan change is named as one.
    pub fn standing_label(&self) -> String {
        if let (Some(guided), Standing::InProgress(_)) = (&self.guided, &self.standing) {
            return match guided.waiting() {
                Some((Waiting::Confirmation, _)) => {
                    "已受理，待确认短信 accepted, awaiting confirmation".to_owned()
                }
                Some((Waiting::Answer, _)) => {
                    "已办理，待运营商答复 acted, awaiting the carrier".to_owned()
                }
                None if guided.confirmed.is_some() => {
                    "已确认，待记录费用 confirmed, fees to record".to_owned()
                }
                None => "待办理 not yet acted".to_owned(),
            };
        }
        match (&self.plan_change, &self.standing) {
            (Some(_), Standing::InProgress(_)) => {
                format!("改套餐 plan change: {}", self.standing.label())
            }
            _ => self.standing.label(),
        }
    }

    /// What was actually paid: payments that took money, each counted once.
    pub fn paid(&self) -> Fen {
        Fen(self
            .payments
            .iter()
            .filter(|(p, _)| p.state == PaymentState::Paid)
            .map(|(_, a)| a.0)
            .sum())
    }
}

pub use crate::core::time::beijing;
