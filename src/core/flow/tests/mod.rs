//! The flow's rules, shown by scripted runs and random event sequences: the
//! shared world and driver here, the tests by step beside.

use std::time::Duration;

use chrono::{DateTime, Duration as Span, FixedOffset, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::core::error::{CarrierError, ErrorKind};
use crate::core::fees::Fen;
use crate::core::model::{
    Account, Application, BlockReason, CarrierId, FeeKind, IdempotencyKey, KeySeed, LineItem,
    Notice, Order, OrderState, Outcome, PayMethod, Payment, PaymentState, Plan, PlanKind,
    PlanStatus, Quote, ReasonCode, RetentionOffer,
};
use crate::core::receipt::ReceiptEvent;
use crate::core::validate;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap()
}

fn beijing(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap())
}

fn broadband() -> Plan {
    Plan {
        id: "P-BB300".into(),
        name: "5G智享宽带 300M".into(),
        kind: PlanKind::Broadband,
        monthly_fee: Fen(9900),
        status: PlanStatus::Active,
        contract_end: NaiveDate::from_ymd_opt(2027, 6, 30),
        blocked: None,
    }
}

fn expired_pack() -> Plan {
    Plan {
        id: "P-OLD".into(),
        name: "流量包".into(),
        kind: PlanKind::DataPack,
        monthly_fee: Fen(1000),
        status: PlanStatus::Expired,
        contract_end: None,
        blocked: Some(BlockReason::Expired),
    }
}

fn account() -> Account {
    Account {
        balance: Fen(3000),
        plans: vec![broadband(), expired_pack()],
    }
}

fn quote(total: i64, retention: bool, now: DateTime<Utc>) -> Quote {
    Quote {
        id: format!("Q-{total}-{}", now.timestamp()),
        items: vec![LineItem {
            kind: FeeKind::Penalty,
            label: "违约金".into(),
            amount: Fen(total),
        }],
        total: Fen(total),
        effective_date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        expires_at: beijing(now + Span::minutes(15)),
        retention: retention.then(|| RetentionOffer {
            id: "R1".into(),
            description: "6个月每月64.50元".into(),
            monthly_fee: Fen(6450),
        }),
    }
}

fn application() -> Application {
    Application {
        holder_name: "张伟".into(),
        id_number: validate::id_number("110101199003071233").unwrap(),
        contact: validate::contact_phone("13800138000").unwrap(),
        reason: ReasonCode::NoLongerNeeded,
        reason_text: String::new(),
    }
}

fn order(state: OrderState) -> Order {
    Order {
        id: "ORD-1".into(),
        state,
        expected_by: Some(beijing(t0() + Span::seconds(120))),
        retry_after_secs: None,
        amount_due: None,
    }
}

/// Drives a state through events, replying to each command as told.
struct Run {
    state: State,
    now: DateTime<Utc>,
    effects: Vec<Effect>,
}

impl Run {
    fn new() -> Run {
        Run {
            state: State::new(KeySeed([7; 16]), t0()),
            now: t0(),
            effects: Vec::new(),
        }
    }

    fn send(&mut self, event: Event) -> &mut Run {
        let t = step(&self.state, event, self.now)
            .unwrap_or_else(|e| panic!("{e} in {:?}", self.state.step));
        assert_eq!(
            t.effects.last(),
            Some(&Effect::PersistJournal),
            "journal after every transition"
        );
        self.state = t.state;
        self.effects = t.effects;
        self
    }

    fn reply(&mut self, reply: Reply) -> &mut Run {
        let req = self.state.pending.expect("a call in flight").req;
        self.send(Event::Reply(req, reply))
    }

    fn later(&mut self, secs: i64) -> &mut Run {
        self.now += Span::seconds(secs);
        self
    }

    fn call(&self) -> &CarrierRequest {
        self.effects
            .iter()
            .find_map(|e| match e {
                Effect::Call(c) => Some(&c.request),
                _ => None,
            })
            .expect("a call")
    }

    /// The key of the submit just sent.
    fn submit_key(&self) -> IdempotencyKey {
        match self.call() {
            CarrierRequest::Submit {
                idempotency_key, ..
            } => *idempotency_key,
            other => panic!("submit expected, got {other:?}"),
        }
    }

    /// The key of the payment just sent.
    fn pay_key(&self) -> IdempotencyKey {
        match self.call() {
            CarrierRequest::Pay {
                idempotency_key, ..
            } => *idempotency_key,
            other => panic!("pay expected, got {other:?}"),
        }
    }

    fn receipts(&self) -> Vec<&ReceiptEvent> {
        self.effects
            .iter()
            .filter_map(|c| match c {
                Effect::WriteReceipt(r) => Some(&r.event),
                _ => None,
            })
            .collect()
    }

    /// Asks for a code for 138 0013 8000 and logs in with it.
    fn log_in(&mut self) -> &mut Run {
        let (msisdn, carrier) = validate::phone("13800138000").unwrap();
        self.send(Event::RequestCode { msisdn, carrier })
            .reply(Reply::CodeSent)
            .send(Event::Login {
                code: validate::sms_code("123456").unwrap(),
                password: None,
            })
            .reply(Reply::LoggedIn)
    }

    fn logged_in() -> Run {
        let mut run = Run::new();
        run.log_in().reply(Reply::Plans(account()));
        run
    }

    /// The retention offer taken and the application sent.
    fn offer_taken() -> Run {
        let mut run = Run::logged_in();
        let now = run.now;
        run.send(Event::ChoosePlan {
            plan_id: "P-BB300".into(),
        })
        .reply(Reply::Quoted(quote(9460, true, now)))
        .send(Event::AnswerRetention { accept: true })
        .send(Event::EnterApplication(application()))
        .send(Event::Confirm);
        run
    }

    fn at_confirm(total: i64, retention: bool) -> Run {
        let mut run = Run::logged_in();
        let now = run.now;
        run.send(Event::ChoosePlan {
            plan_id: "P-BB300".into(),
        })
        .reply(Reply::Quoted(quote(total, retention, now)));
        if retention {
            run.send(Event::AnswerRetention { accept: false });
        }
        run.send(Event::EnterApplication(application()));
        run
    }
}

mod guided;
mod login;
mod migration;
mod order;
mod pay;
mod plans;
mod properties;
mod recovery;
mod submit;
mod trust;
