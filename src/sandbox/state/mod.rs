//! The simulated carrier behind all three dialects: accounts, SMS codes,
//! sessions, quotes, orders, payments, the ledger, the inbox and spent
//! idempotency keys.
//!
//! Everything here is dialect-neutral and synchronous (it runs under one lock):
//! a dialect module parses its wire request, calls one method here, and turns
//! the answer or [`Refusal`] into its own codes. Time is read from the
//! simulated clock once per call.
//!
//! - [`records`]: what the simulated carrier hands out (quotes, orders, payments…);
//! - `login`: SMS codes, wrong-try locks and sessions;
//! - `orders`: products, quotes, orders, payments and status polls;
//! - `idempotency`: spent keys and their original answers;
//! - `notices`: the SMS texts;
//! - `snapshot`: the form saved to disk, and restoring from it.

mod idempotency;
mod login;
mod notices;
mod orders;
pub mod records;
mod snapshot;

pub use records::*;
pub use snapshot::{Snapshot, SnapshotError};

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::clock::SimClock;
use super::world::{AccountConfig, BlockConfig, PlanConfig, PlanStatusConfig, World};
use crate::core::fees::Fen;
use crate::core::model::{CarrierId, Msisdn};

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

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
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
    /// SHA-256 (hex) of the request's fingerprint.
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
    /// (QR payments scanned automatically after 5 s, cancelled plans
    /// leaving the account on the day their cancellation takes effect).
    pub fn now(&mut self) -> DateTime<FixedOffset> {
        let now = self.clock.now();
        self.complete_due_qr_payments(now);
        self.end_cancelled_plans(now.date_naive());
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
        // After the last one, not the count: restored state has no code messages.
        let seq = inbox.last().map_or(1, |m| m.seq + 1);
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

/// A number as traces may show it.
pub fn mask(msisdn: &str) -> String {
    Msisdn(msisdn.to_owned()).masked()
}
