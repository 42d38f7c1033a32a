//! The simulated carrier behind all three dialects: accounts, SMS codes,
//! sessions, quotes, orders, payments, the ledger, the inbox and spent
//! idempotency keys.
//!
//! Everything here is dialect-neutral and synchronous (it runs under one lock):
//! a dialect module parses its wire request, calls one method here, and turns
//! the answer or [`Refusal`] into its own codes. Time is read from the
//! simulated clock once per call.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde_json::Value;

use super::clock::SimClock;
use super::world::{AccountConfig, BlockConfig, PlanConfig, PlanStatusConfig, RetentionConfig, World};
use crate::core::fees::{self, Fen};
use crate::core::model::{
    CarrierId, FeeKind, LineItem, Msisdn, OrderState, PayMethod, PlanKind, PlanStatus,
};
use crate::core::validate;

/// How long an SMS code is valid.
const CODE_VALID: Duration = Duration::minutes(5);
/// Minimum gap between two code requests for one number.
const CODE_INTERVAL: Duration = Duration::seconds(60);
/// Wrong tries that lock login.
const MAX_WRONG_TRIES: u32 = 5;
/// How long login stays locked.
const LOCK_FOR: Duration = Duration::minutes(30);
/// How long a session lasts (Mobile `expiresIn`).
pub const SESSION_SECS: i64 = 1800;
/// How long a quote is valid.
const QUOTE_VALID: Duration = Duration::minutes(15);
/// Processing is expected to take this long.
const PROCESSING_TAKES: Duration = Duration::seconds(120);
/// The stalling account's `expectedBy` is this much later still.
const STALL_EXTRA: Duration = Duration::seconds(5);
/// A QR payment is "scanned" automatically this long after creation.
const QR_AUTO_COMPLETE: Duration = Duration::seconds(5);

/// Why the carrier refused a call; each dialect maps it to its own code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The number has no account with this carrier.
    UnknownNumber,
    /// The account is frozen.
    Frozen,
    /// A code was requested less than 60 s ago.
    TooOften,
    /// Wrong SMS code (or, for Unicom, service password).
    WrongCode,
    /// Login locked after too many wrong tries.
    Locked,
    /// Token, session or access token missing or expired.
    Unauthorized,
    /// Holder name or ID number does not match the account.
    IdentityMismatch,
    /// The quote has expired (or was never issued to this number).
    QuoteExpired,
    /// The plan (or order) cannot be cancelled (or paid) now; why.
    NotCancellable(String),
    /// The idempotency key was used before for a different request.
    KeyReused,
    /// The balance does not cover the amount.
    BalanceInsufficient,
    /// The card was declined; why.
    CardDeclined(String),
}

impl Refusal {
    /// A message in the carriers' own language.
    pub fn message(&self) -> String {
        match self {
            Refusal::UnknownNumber => "号码不存在或不属于本运营商".into(),
            Refusal::Frozen => "账户已冻结，请携带身份证到营业厅办理解冻".into(),
            Refusal::TooOften => "验证码获取过于频繁，请60秒后再试".into(),
            Refusal::WrongCode => "验证码或服务密码错误".into(),
            Refusal::Locked => "错误次数过多，登录已锁定30分钟".into(),
            Refusal::Unauthorized => "登录已失效，请重新登录".into(),
            Refusal::IdentityMismatch => "机主姓名或证件号码不匹配".into(),
            Refusal::QuoteExpired => "费用试算已过期，请重新试算".into(),
            Refusal::NotCancellable(why) => format!("当前不可退订：{why}"),
            Refusal::KeyReused => "请求流水号已用于其他请求".into(),
            Refusal::BalanceInsufficient => "账户余额不足".into(),
            Refusal::CardDeclined(why) => format!("支付失败：{why}"),
        }
    }
}

/// What the inbox holds: a login code or a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// An SMS login code.
    Code,
    /// A notice about an order.
    Notice,
}

/// One SMS "sent" to a number.
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
struct AccountState {
    config: AccountConfig,
    balance: Fen,
    plans: Vec<PlanState>,
}

#[derive(Debug, Clone)]
struct PlanState {
    config: PlanConfig,
    monthly_fee: Fen,
}

#[derive(Debug)]
struct CodeState {
    code: String,
    issued_at: DateTime<FixedOffset>,
}

#[derive(Debug, Default)]
struct LoginGuard {
    wrong_tries: u32,
    locked_until: Option<DateTime<FixedOffset>>,
}

#[derive(Debug)]
struct SessionRec {
    carrier: CarrierId,
    msisdn: String,
    expires_at: DateTime<FixedOffset>,
}

#[derive(Debug)]
struct SpentKey {
    fingerprint: String,
    answer: Value,
}

/// The whole simulated carrier.
#[derive(Debug)]
pub struct Sim {
    clock: SimClock,
    accounts: BTreeMap<String, AccountState>,
    codes: HashMap<String, CodeState>,
    guards: HashMap<String, LoginGuard>,
    sessions: HashMap<String, SessionRec>,
    quotes: HashMap<String, QuoteRec>,
    orders: BTreeMap<String, OrderRec>,
    payments: BTreeMap<String, PaymentRec>,
    inbox: HashMap<String, Vec<Message>>,
    keys: HashMap<(CarrierId, String, String), SpentKey>,
    next_id: u64,
}

impl Sim {
    /// The world's initial state.
    pub fn new(world: &World) -> Sim {
        let accounts = world
            .accounts
            .iter()
            .map(|a| {
                let plans = a
                    .plans
                    .iter()
                    .map(|p| PlanState {
                        config: p.clone(),
                        monthly_fee: p.monthly_fee,
                    })
                    .collect();
                (
                    a.msisdn.clone(),
                    AccountState {
                        config: a.clone(),
                        balance: a.balance,
                        plans,
                    },
                )
            })
            .collect();
        Sim {
            clock: SimClock::new(world.clock),
            accounts,
            codes: HashMap::new(),
            guards: HashMap::new(),
            sessions: HashMap::new(),
            quotes: HashMap::new(),
            orders: BTreeMap::new(),
            payments: BTreeMap::new(),
            inbox: HashMap::new(),
            keys: HashMap::new(),
            next_id: 0,
        }
    }

    /// Now on the simulated clock; also lets time-driven events happen
    /// (QR payments scanned automatically after 5 s).
    pub fn now(&mut self) -> DateTime<FixedOffset> {
        let now = self.clock.now();
        self.complete_due_qr_payments(now);
        now
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, seconds: u32) -> DateTime<FixedOffset> {
        self.clock.advance(seconds);
        self.now()
    }

    fn fresh_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        let day = self.clock.now().format("%Y%m%d");
        format!("{prefix}{day}{:06}", self.next_id)
    }

    fn account(&self, carrier: CarrierId, msisdn: &str) -> Result<&AccountState, Refusal> {
        self.accounts
            .get(msisdn)
            .filter(|a| a.config.carrier == carrier)
            .ok_or(Refusal::UnknownNumber)
    }

    fn account_mut(&mut self, msisdn: &str) -> Result<&mut AccountState, Refusal> {
        self.accounts.get_mut(msisdn).ok_or(Refusal::UnknownNumber)
    }

    // --- SMS codes and login -------------------------------------------------

    /// Sends a login code to the number's inbox (frozen accounts too).
    pub fn send_code(&mut self, carrier: CarrierId, msisdn: &str) -> Result<(), Refusal> {
        let now = self.now();
        self.account(carrier, msisdn)?;
        if let Some(last) = self.codes.get(msisdn)
            && now - last.issued_at < CODE_INTERVAL
        {
            return Err(Refusal::TooOften);
        }
        let code = format!("{:06}", rand::random_range(0..1_000_000u32));
        let text = format!(
            "{}您的验证码为{code}，5分钟内有效。请勿向任何人泄露。",
            signature(carrier)
        );
        self.deliver(msisdn, MessageKind::Code, text, Some(code.clone()), now);
        self.codes.insert(
            msisdn.to_owned(),
            CodeState {
                code,
                issued_at: now,
            },
        );
        tracing::debug!(number = %mask(msisdn), "sandbox: code sent");
        Ok(())
    }

    /// Checks the code (and the service password where the carrier asks for
    /// one) and opens a session; returns the token and when it expires.
    pub fn login(
        &mut self,
        carrier: CarrierId,
        msisdn: &str,
        code: &str,
        password: Option<&str>,
    ) -> Result<(String, DateTime<FixedOffset>), Refusal> {
        let now = self.now();
        let account = self.account(carrier, msisdn)?;
        if account.config.frozen {
            return Err(Refusal::Frozen);
        }
        let password_ok = match (&account.config.service_password, password) {
            (Some(expected), Some(given)) => expected == given,
            (Some(_), None) => false,
            (None, _) => true,
        };
        let guard = self.guards.entry(msisdn.to_owned()).or_default();
        if let Some(until) = guard.locked_until {
            if now < until {
                return Err(Refusal::Locked);
            }
            *guard = LoginGuard::default();
        }
        let code_ok = self
            .codes
            .get(msisdn)
            .is_some_and(|c| c.code == code && now - c.issued_at < CODE_VALID);
        if !(code_ok && password_ok) {
            guard.wrong_tries += 1;
            if guard.wrong_tries >= MAX_WRONG_TRIES {
                guard.locked_until = Some(now + LOCK_FOR);
                return Err(Refusal::Locked);
            }
            return Err(Refusal::WrongCode);
        }
        *guard = LoginGuard::default();
        self.codes.remove(msisdn);
        let token = hex::encode(rand::random::<[u8; 16]>());
        let expires_at = now + Duration::seconds(SESSION_SECS);
        self.sessions.insert(
            token.clone(),
            SessionRec {
                carrier,
                msisdn: msisdn.to_owned(),
                expires_at,
            },
        );
        Ok((token, expires_at))
    }

    /// The number a live session belongs to.
    pub fn authenticate(
        &mut self,
        carrier: CarrierId,
        token: Option<&str>,
    ) -> Result<String, Refusal> {
        let now = self.now();
        let session = token
            .and_then(|t| self.sessions.get(t))
            .filter(|s| s.carrier == carrier && now < s.expires_at)
            .ok_or(Refusal::Unauthorized)?;
        Ok(session.msisdn.clone())
    }

    /// The holder's name with all but the first character starred (`刘*`).
    pub fn masked_holder(&self, msisdn: &str) -> String {
        self.accounts
            .get(msisdn)
            .map(|a| {
                let mut chars = a.config.holder_name.chars();
                let first: String = chars.next().into_iter().collect();
                first + &"*".repeat(chars.count())
            })
            .unwrap_or_default()
    }

    // --- products and quotes -------------------------------------------------

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

    fn plan_view(&self, msisdn: &str, plan: &PlanState) -> PlanView {
        let cancelling = self
            .open_order_for(msisdn, &plan.config.id)
            .is_some_and(|o| o.retention.is_none());
        let status = if cancelling {
            PlanStatus::PendingCancel
        } else if plan.config.status == PlanStatusConfig::Expired {
            PlanStatus::Expired
        } else {
            PlanStatus::Active
        };
        let busy = self.open_order_for(msisdn, &plan.config.id).is_some();
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

    // --- idempotency ---------------------------------------------------------

    /// The original answer if this key was spent on the same request; the
    /// reuse error if it was spent on a different one; `None` if unspent.
    pub fn replay(
        &self,
        carrier: CarrierId,
        msisdn: &str,
        key: &str,
        fingerprint: &str,
    ) -> Result<Option<Value>, Refusal> {
        match self
            .keys
            .get(&(carrier, msisdn.to_owned(), key.to_owned()))
        {
            None => Ok(None),
            Some(spent) if spent.fingerprint == fingerprint => Ok(Some(spent.answer.clone())),
            Some(_) => Err(Refusal::KeyReused),
        }
    }

    /// Records the answer of a request that succeeded under this key.
    pub fn spend(
        &mut self,
        carrier: CarrierId,
        msisdn: &str,
        key: &str,
        fingerprint: &str,
        answer: &Value,
    ) {
        self.keys.insert(
            (carrier, msisdn.to_owned(), key.to_owned()),
            SpentKey {
                fingerprint: fingerprint.to_owned(),
                answer: answer.clone(),
            },
        );
    }

    // --- orders --------------------------------------------------------------

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
        let id_ok = id_number.trim().eq_ignore_ascii_case(&account.config.id_number);
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

    fn order_of(&self, carrier: CarrierId, msisdn: &str, order_id: &str) -> Result<OrderRec, Refusal> {
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
                payment.card_last4 = Some(number.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect());
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

    fn complete_due_qr_payments(&mut self, now: DateTime<FixedOffset>) {
        let due: Vec<String> = self
            .payments
            .values()
            .filter(|p| p.state == AttemptState::Pending && now - p.created_at >= QR_AUTO_COMPLETE)
            .map(|p| p.id.clone())
            .collect();
        for id in due {
            self.settle(&id, now);
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
                if let Some(account) = self.accounts.get_mut(&order.msisdn) {
                    account.plans.retain(|p| p.config.id != order.plan_id);
                }
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

    // --- messages and the ledger ----------------------------------------------

    fn deliver(
        &mut self,
        msisdn: &str,
        kind: MessageKind,
        text: String,
        code: Option<String>,
        now: DateTime<FixedOffset>,
    ) {
        let inbox = self.inbox.entry(msisdn.to_owned()).or_default();
        let seq = inbox.len() as u64 + 1;
        inbox.push(Message {
            seq,
            sent_at: now,
            kind,
            text,
            code,
        });
    }

    /// Sends a notice, unless the account is the stalling one (whose notices
    /// never arrive).
    fn notify(&mut self, msisdn: &str, text: String, now: DateTime<FixedOffset>) {
        let stalls = self.accounts.get(msisdn).is_some_and(|a| a.config.stalls);
        if !stalls {
            self.deliver(msisdn, MessageKind::Notice, text, None, now);
        }
    }

    /// Everything sent to a number (codes and notices).
    pub fn inbox(&mut self, msisdn: &str) -> Vec<Message> {
        self.now();
        self.inbox.get(msisdn).cloned().unwrap_or_default()
    }

    /// Notices after `since` (codes are not part of a carrier's message list).
    pub fn notices_since(&mut self, msisdn: &str, since: u64) -> Vec<Message> {
        self.inbox(msisdn)
            .into_iter()
            .filter(|m| m.kind == MessageKind::Notice && m.seq > since)
            .collect()
    }

    /// The number's balance, orders and payment attempts.
    pub fn ledger(&mut self, msisdn: &str) -> Option<(Fen, Vec<OrderRec>, Vec<PaymentRec>)> {
        self.now();
        let balance = self.accounts.get(msisdn)?.balance;
        let orders = self
            .orders
            .values()
            .filter(|o| o.msisdn == msisdn)
            .cloned()
            .collect();
        let payments = self
            .payments
            .values()
            .filter(|p| p.msisdn == msisdn)
            .cloned()
            .collect();
        Some((balance, orders, payments))
    }
}

/// The fee lines of the spec's fee rule, non-zero ones only.
fn fee_lines(plan: &PlanConfig, monthly_fee: Fen, today: NaiveDate) -> Vec<LineItem> {
    let penalty = fees::penalty(monthly_fee, today, plan.contract_end);
    [
        (FeeKind::Penalty, "提前解约违约金".to_owned(), penalty),
        (FeeKind::Equipment, plan.equipment_name.clone(), plan.equipment_fee),
        (FeeKind::Arrears, "欠费".to_owned(), plan.arrears),
        (FeeKind::Refund, "未使用月费退还".to_owned(), Fen(-plan.refund.0)),
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

fn accepted_text(order: &OrderRec) -> String {
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

fn qr_url(method: PayMethod, payment_id: &str) -> String {
    match method {
        PayMethod::WeChat => format!("weixin://wxpay/bizpayurl?pr=sbx{payment_id}"),
        _ => format!("https://qr.alipay.com/sbx{payment_id}"),
    }
}

/// The SMS signature a carrier puts first.
fn signature(carrier: CarrierId) -> String {
    format!("【{}】", carrier.name_zh())
}

fn zh_date(date: NaiveDate) -> String {
    date.format("%Y年%m月%d日").to_string()
}

/// A number as traces may show it.
pub fn mask(msisdn: &str) -> String {
    Msisdn(msisdn.to_owned()).masked()
}
