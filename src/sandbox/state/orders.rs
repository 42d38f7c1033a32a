//! Products, quotes (by the spec's fee rule), orders, payments and status
//! polls.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::notices::{accepted_text, signature, zh_date};
use super::*;
use crate::core::fees::{self, Fen};
use crate::core::model::{
    CarrierId, FeeKind, LineItem, OrderState, PayMethod, PlanKind, PlanStatus,
};
use crate::core::validate;

impl Sim {
    /// The balance and every plan.
    pub fn products(&mut self, msisdn: &str) -> Result<(Fen, Vec<PlanView>), Refusal> {
        self.now();
        let account = self.accounts.get(msisdn).ok_or(Refusal::UnknownNumber)?;
        let plans = account
            .plans
            .iter()
            .map(|p| self.plan_view(msisdn, p))
            .collect();
        Ok((account.balance, plans))
    }

    fn open_order_for(&self, msisdn: &str, plan_id: &str) -> Option<&OrderRec> {
        self.orders.values().find(|o| {
            o.msisdn == msisdn
                && o.plan_id == plan_id
                && matches!(
                    o.state,
                    OrderState::AwaitingPayment | OrderState::Processing
                )
        })
    }

    /// The day a completed cancellation of the plan takes effect, if one
    /// completed. Until that day the plan is still on the account, pending
    /// cancellation; from it on the plan is gone (see
    /// [`Sim::end_cancelled_plans`]).
    fn cancelled_from(&self, msisdn: &str, plan_id: &str) -> Option<NaiveDate> {
        self.orders
            .values()
            .find(|o| {
                o.msisdn == msisdn
                    && o.plan_id == plan_id
                    && o.state == OrderState::Completed
                    && o.retention.is_none()
            })
            .map(|o| o.effective_date)
    }

    /// Removes the plans whose completed cancellation has taken effect by
    /// `today`; one that takes effect later stays listed as pending.
    pub(super) fn end_cancelled_plans(&mut self, today: NaiveDate) {
        let ended: Vec<(String, String)> = self
            .orders
            .values()
            .filter(|o| {
                o.state == OrderState::Completed
                    && o.retention.is_none()
                    && o.effective_date <= today
            })
            .map(|o| (o.msisdn.clone(), o.plan_id.clone()))
            .collect();
        for (msisdn, plan_id) in ended {
            if let Some(account) = self.accounts.get_mut(&msisdn) {
                account.plans.retain(|p| p.config.id != plan_id);
            }
        }
    }

    fn plan_view(&self, msisdn: &str, plan: &PlanState) -> PlanView {
        let cancelled = self.cancelled_from(msisdn, &plan.config.id).is_some();
        let cancelling = cancelled
            || self
                .open_order_for(msisdn, &plan.config.id)
                .is_some_and(|o| o.retention.is_none());
        let status = if cancelling {
            PlanStatus::PendingCancel
        } else if plan.config.status == PlanStatusConfig::Expired {
            PlanStatus::Expired
        } else {
            PlanStatus::Active
        };
        let busy = cancelled || self.open_order_for(msisdn, &plan.config.id).is_some();
        PlanView {
            id: plan.config.id.clone(),
            name: plan.config.name.clone(),
            kind: plan.config.kind,
            monthly_fee: plan.monthly_fee,
            status,
            contract_end: plan.config.contract_end,
            block: plan.config.block_reason,
            cancellable: plan.config.block_reason.is_none() && !busy,
        }
    }

    /// Prices cancelling one plan by the spec's fee rule.
    pub fn quote(
        &mut self,
        carrier: CarrierId,
        msisdn: &str,
        plan_id: &str,
    ) -> Result<QuoteRec, Refusal> {
        let now = self.now();
        let today = now.date_naive();
        let account = self.account(carrier, msisdn)?;
        let plan = account
            .plans
            .iter()
            .find(|p| p.config.id == plan_id)
            .ok_or_else(|| Refusal::NotCancellable(format!("没有产品 {plan_id}")))?;
        let view = self.plan_view(msisdn, plan);
        if !view.cancellable {
            return Err(Refusal::NotCancellable(block_text(&view)));
        }
        let items = fee_lines(&plan.config, plan.monthly_fee, today);
        let total = Fen::checked_sum(items.iter().map(|i| i.amount))
            .ok_or_else(|| Refusal::NotCancellable("费用超出范围".into()))?;
        let effective_date =
            fees::default_effective_date(today, plan.config.kind == PlanKind::DataPack);
        let retention = plan.config.retention.clone();
        let id = self.fresh_id("Q");
        let quote = QuoteRec {
            id: id.clone(),
            carrier,
            msisdn: msisdn.to_owned(),
            plan_id: plan_id.to_owned(),
            items,
            total,
            effective_date,
            expires_at: now + QUOTE_VALID,
            retention,
        };
        self.quotes.insert(id, quote.clone());
        Ok(quote)
    }

    /// Creates the order for a quote after checking the holder's identity.
    pub fn submit(
        &mut self,
        carrier: CarrierId,
        msisdn: &str,
        quote_id: &str,
        holder_name: &str,
        id_number: &str,
        accept_retention: bool,
    ) -> Result<OrderRec, Refusal> {
        let now = self.now();
        let quote = self
            .quotes
            .get(quote_id)
            .filter(|q| q.carrier == carrier && q.msisdn == msisdn)
            .cloned()
            .ok_or(Refusal::QuoteExpired)?;
        if now >= quote.expires_at {
            return Err(Refusal::QuoteExpired);
        }
        let account = self.account(carrier, msisdn)?;
        let name_ok = holder_name.trim() == account.config.holder_name;
        let id_ok = id_number
            .trim()
            .eq_ignore_ascii_case(&account.config.id_number);
        if !(name_ok && id_ok) {
            return Err(Refusal::IdentityMismatch);
        }
        let plan = account
            .plans
            .iter()
            .find(|p| p.config.id == quote.plan_id)
            .ok_or_else(|| Refusal::NotCancellable("产品已退订".into()))?;
        let plan_name = plan.config.name.clone();
        if self.open_order_for(msisdn, &quote.plan_id).is_some() {
            return Err(Refusal::NotCancellable("该产品已有办理中的退订订单".into()));
        }
        // A quote made before the plan's cancellation completed.
        if self.cancelled_from(msisdn, &quote.plan_id).is_some() {
            return Err(Refusal::NotCancellable("产品已退订".into()));
        }
        // Accepting only means something when an offer was made.
        let retention = quote.retention.clone().filter(|_| accept_retention);
        let amount_due = if retention.is_some() {
            Fen::ZERO
        } else {
            quote.total.max(Fen::ZERO)
        };
        let id = self.fresh_id("OD");
        let mut order = OrderRec {
            id: id.clone(),
            carrier,
            msisdn: msisdn.to_owned(),
            plan_id: quote.plan_id.clone(),
            plan_name,
            amount_due,
            state: OrderState::AwaitingPayment,
            retention,
            created_at: now,
            processing_since: None,
            polls: 0,
            effective_date: quote.effective_date,
            paid_by: None,
        };
        let text = if amount_due.is_positive() {
            format!(
                "{}尊敬的客户，您退订“{}”的申请已受理（订单号{}），需支付{}元后办理，生效日期{}。",
                signature(carrier),
                order.plan_name,
                id,
                amount_due.to_yuan_string(),
                zh_date(order.effective_date)
            )
        } else {
            order.state = OrderState::Processing;
            order.processing_since = Some(now);
            accepted_text(&order)
        };
        self.notify(msisdn, text, now);
        self.orders.insert(id, order.clone());
        Ok(order)
    }

    fn order_of(
        &self,
        carrier: CarrierId,
        msisdn: &str,
        order_id: &str,
    ) -> Result<OrderRec, Refusal> {
        self.orders
            .get(order_id)
            .filter(|o| o.carrier == carrier && o.msisdn == msisdn)
            .cloned()
            .ok_or_else(|| Refusal::NotCancellable(format!("没有订单 {order_id}")))
    }

    /// Pays an order. Paying an order already paid returns the original
    /// payment; a QR payment supersedes an earlier pending one.
    pub fn pay(
        &mut self,
        carrier: CarrierId,
        msisdn: &str,
        order_id: &str,
        method: PayMethod,
        card: Option<&str>,
    ) -> Result<PaymentRec, Refusal> {
        let now = self.now();
        let order = self.order_of(carrier, msisdn, order_id)?;
        if let Some(paid) = order.paid_by.as_ref().and_then(|id| self.payments.get(id)) {
            return Ok(paid.clone());
        }
        if order.state != OrderState::AwaitingPayment {
            return Err(Refusal::NotCancellable("订单无需支付".into()));
        }
        let id = self.fresh_id("PAY");
        let mut payment = PaymentRec {
            id: id.clone(),
            order_id: order_id.to_owned(),
            msisdn: msisdn.to_owned(),
            method,
            amount: order.amount_due,
            state: AttemptState::Pending,
            created_at: now,
            paid_at: None,
            pay_url: None,
            card_last4: None,
        };
        let refusal = match method {
            PayMethod::Balance => {
                let account = self.account_mut(msisdn)?;
                if account.balance < order.amount_due {
                    Some(Refusal::BalanceInsufficient)
                } else {
                    account.balance = Fen(account.balance.0 - order.amount_due.0);
                    None
                }
            }
            PayMethod::Card => {
                let number: String = card
                    .unwrap_or_default()
                    .chars()
                    .filter(|c| *c != ' ' && *c != '-')
                    .collect();
                // Only the last four digits are ever kept.
                let tail = number.len().saturating_sub(4);
                payment.card_last4 = number.get(tail..).map(str::to_owned);
                self.card_refusal(msisdn, &number)
            }
            PayMethod::Alipay | PayMethod::WeChat => None,
        };
        if let Some(refusal) = refusal {
            payment.state = AttemptState::Declined;
            self.payments.insert(id, payment);
            return Err(refusal);
        }
        // Whatever is pending on this order is superseded: closed, no charge.
        for other in self.payments.values_mut() {
            if other.order_id == order_id && other.state == AttemptState::Pending {
                other.state = AttemptState::Closed;
            }
        }
        if method.is_qr() {
            payment.pay_url = Some(qr_url(method, &id));
            self.payments.insert(id, payment.clone());
            return Ok(payment);
        }
        self.payments.insert(id.clone(), payment);
        self.settle(&id, now);
        self.payments
            .get(&id)
            .cloned()
            .ok_or_else(|| Refusal::NotCancellable("支付记录丢失".into()))
    }

    fn card_refusal(&self, msisdn: &str, number: &str) -> Option<Refusal> {
        let declined = self
            .accounts
            .get(msisdn)
            .is_some_and(|a| a.config.cards_declined.iter().any(|c| c == number));
        if validate::card_number(number).is_err() {
            Some(Refusal::CardDeclined("卡号无效".into()))
        } else if declined {
            Some(Refusal::CardDeclined("发卡行拒绝交易".into()))
        } else {
            None
        }
    }

    /// Takes the money for a payment: marks it paid, starts processing,
    /// tells the customer.
    fn settle(&mut self, payment_id: &str, now: DateTime<FixedOffset>) {
        let Some(payment) = self.payments.get_mut(payment_id) else {
            return;
        };
        payment.state = AttemptState::Paid;
        payment.paid_at = Some(now);
        let (order_id, amount) = (payment.order_id.clone(), payment.amount);
        let Some(order) = self.orders.get_mut(&order_id) else {
            return;
        };
        order.paid_by = Some(payment_id.to_owned());
        order.state = OrderState::Processing;
        order.processing_since = Some(now);
        let text = format!(
            "{}您已成功支付{}元（订单号{}），退订“{}”正在办理，生效日期{}。",
            signature(order.carrier),
            amount.to_yuan_string(),
            order.id,
            order.plan_name,
            zh_date(order.effective_date)
        );
        let msisdn = order.msisdn.clone();
        self.notify(&msisdn, text, now);
    }

    /// The person scanned a QR code (sandbox endpoint, or automatically).
    pub fn complete_qr(&mut self, payment_id: &str) -> Result<PaymentRec, String> {
        let now = self.clock.now();
        let payment = self
            .payments
            .get(payment_id)
            .ok_or_else(|| format!("no payment {payment_id}"))?;
        match payment.state {
            AttemptState::Pending => {
                self.settle(payment_id, now);
            }
            AttemptState::Paid => {}
            AttemptState::Closed => {
                return Err(format!(
                    "payment {payment_id} was closed by a later payment; nothing was charged"
                ));
            }
            AttemptState::Declined => {
                return Err(format!("payment {payment_id} was declined"));
            }
        }
        self.payments
            .get(payment_id)
            .cloned()
            .ok_or_else(|| format!("no payment {payment_id}"))
    }

    pub(super) fn complete_due_qr_payments(&mut self, now: DateTime<FixedOffset>) {
        let due: Vec<(String, DateTime<FixedOffset>)> = self
            .payments
            .values()
            .filter(|p| p.state == AttemptState::Pending && now - p.created_at >= QR_AUTO_COMPLETE)
            .map(|p| (p.id.clone(), p.created_at + QR_AUTO_COMPLETE))
            .collect();
        // Settled as of when the scan "happened", not when it was noticed.
        for (id, scanned_at) in due {
            self.settle(&id, scanned_at);
        }
    }

    /// One status poll: while processing it counts, and the Nth completes
    /// the order (never for the stalling account).
    pub fn poll(
        &mut self,
        carrier: CarrierId,
        msisdn: &str,
        order_id: &str,
    ) -> Result<StatusView, Refusal> {
        let now = self.now();
        self.order_of(carrier, msisdn, order_id)?;
        let account = self.account(carrier, msisdn)?.config.clone();
        let Some(order) = self.orders.get_mut(order_id) else {
            return Err(Refusal::NotCancellable(format!("没有订单 {order_id}")));
        };
        let mut completed_now = false;
        if order.state == OrderState::Processing {
            order.polls += 1;
            if !account.stalls && order.polls >= account.polls_to_complete {
                order.state = OrderState::Completed;
                completed_now = true;
            }
        }
        let order = order.clone();
        if completed_now {
            self.finish(&order, now);
        }
        let expected_by = match order.processing_since {
            Some(since) if account.stalls => since + PROCESSING_TAKES + STALL_EXTRA,
            Some(since) => since + PROCESSING_TAKES,
            None => now + PROCESSING_TAKES,
        };
        let retry_after = account
            .retry_after_secs
            .filter(|_| order.state == OrderState::Processing);
        Ok(StatusView {
            order,
            expected_by,
            retry_after,
        })
    }

    /// Applies a completed order to the account and tells the customer.
    fn finish(&mut self, order: &OrderRec, now: DateTime<FixedOffset>) {
        let text = match &order.retention {
            Some(offer) => {
                if let Some(plan) = self
                    .accounts
                    .get_mut(&order.msisdn)
                    .and_then(|a| a.plans.iter_mut().find(|p| p.config.id == order.plan_id))
                {
                    plan.monthly_fee = offer.monthly_fee;
                }
                format!(
                    "{}您已办理挽留优惠（订单号{}）：“{}”保留，月费调整为{}元。",
                    signature(order.carrier),
                    order.id,
                    order.plan_name,
                    offer.monthly_fee.to_yuan_string()
                )
            }
            None => {
                // Gone now if it takes effect today; listed as pending
                // cancellation until its day otherwise (the spec's table:
                // 13800138001's pack ends on 2026-12-01).
                self.end_cancelled_plans(now.date_naive());
                format!(
                    "{}您的“{}”已退订成功（订单号{}），{}起生效。感谢您的使用。",
                    signature(order.carrier),
                    order.plan_name,
                    order.id,
                    zh_date(order.effective_date)
                )
            }
        };
        self.notify(&order.msisdn, text, now);
    }
}

/// The fee lines of the spec's fee rule, non-zero ones only.
fn fee_lines(plan: &PlanConfig, monthly_fee: Fen, today: NaiveDate) -> Vec<LineItem> {
    let penalty = fees::penalty(monthly_fee, today, plan.contract_end);
    [
        (FeeKind::Penalty, "提前解约违约金".to_owned(), penalty),
        (
            FeeKind::Equipment,
            plan.equipment_name.clone(),
            plan.equipment_fee,
        ),
        (FeeKind::Arrears, "欠费".to_owned(), plan.arrears),
        (
            FeeKind::Refund,
            "未使用月费退还".to_owned(),
            Fen(-plan.refund.0),
        ),
    ]
    .into_iter()
    .filter(|(_, _, amount)| amount.0 != 0)
    .map(|(kind, label, amount)| LineItem {
        kind,
        label,
        amount,
    })
    .collect()
}

fn block_text(plan: &PlanView) -> String {
    match plan.block {
        Some(BlockConfig::Expired) => "产品已过期".into(),
        Some(BlockConfig::InBundle) => "该产品为融合套餐成员，请先变更融合套餐".into(),
        Some(BlockConfig::Arrears) => "账户欠费，请先缴清欠费".into(),
        None => "该产品已有办理中的退订订单".into(),
    }
}

fn qr_url(method: PayMethod, payment_id: &str) -> String {
    match method {
        PayMethod::WeChat => format!("weixin://wxpay/bizpayurl?pr=sbx{payment_id}"),
        _ => format!("https://qr.alipay.com/sbx{payment_id}"),
    }
}
