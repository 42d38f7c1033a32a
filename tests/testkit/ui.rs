//! Builds realistic wizard states by driving `core::flow::step` with scripted
//! events and carrier replies (the spec's scenario accounts, clock pinned at
//! 2026-11-25 10:00 Beijing time), and draws models into a `TestBackend`.

#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use unsubscribe_wizard::core::error::{CarrierError, ErrorKind};
use unsubscribe_wizard::core::fees::Fen;
use unsubscribe_wizard::core::flow::{Event, Reply, State, step};
use unsubscribe_wizard::core::model::{
    Account, Application, BlockReason, CarrierId, FeeKind, KeySeed, LineItem, Notice, Order,
    OrderState, PayMethod, Payment, PaymentState, Plan, PlanKind, PlanStatus, Quote, ReasonCode,
    RetentionOffer,
};
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::ui::{Lang, Model, PhoneMessage, render};

/// 2026-11-25 10:00:00 +08:00, the sandbox's pinned clock.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap()
}

/// Beijing time offset.
pub fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// An instant `secs` after t0, in Beijing time.
pub fn at(secs: i64) -> DateTime<FixedOffset> {
    (t0() + TimeDelta::seconds(secs)).with_timezone(&cst())
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A flow being driven: the state and the scripted clock.
pub struct Script {
    pub state: State,
    pub now: DateTime<Utc>,
}

impl Script {
    /// A new flow at t0.
    pub fn new() -> Script {
        Script {
            state: State::new(KeySeed([7; 16]), t0()),
            now: t0(),
        }
    }

    /// Moves the clock to `secs` after t0.
    pub fn at(&mut self, secs: i64) -> &mut Self {
        self.now = t0() + TimeDelta::seconds(secs);
        self
    }

    /// Applies a person's event (must be accepted).
    pub fn event(&mut self, event: Event) -> &mut Self {
        let tr = step(&self.state, event.clone(), self.now)
            .unwrap_or_else(|e| panic!("{event:?} refused: {e}"));
        self.state = tr.state;
        self
    }

    /// Answers the call in flight.
    pub fn reply(&mut self, reply: Reply) -> &mut Self {
        let req = self.state.pending.expect("a call in flight").req;
        self.event(Event::Reply(req, reply))
    }

    /// Fails the call in flight.
    pub fn fail(&mut self, kind: ErrorKind) -> &mut Self {
        let carrier = self.state.facts.carrier().unwrap_or(CarrierId::ChinaMobile);
        self.reply(Reply::Failed(CarrierError::new(carrier, kind)))
    }
}

/// One of the spec's scenario accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// 13800138000: broadband with penalty 207.90, balance 30.00.
    MobileBroadband,
    /// 13800138001: data pack, total 0.
    MobileDataPack,
    /// 13900139000: frozen.
    MobileFrozen,
    /// 18600186000: broadband, refund, retention offer, balance 300.00.
    UnicomBroadband,
    /// 18600186001: nothing cancellable.
    UnicomNothing,
    /// 13300133000: broadband + modem, balance 0, QR.
    TelecomBroadband,
    /// 13300133001: data pack that stalls.
    TelecomStalls,
}

impl Scenario {
    pub fn number(self) -> &'static str {
        match self {
            Scenario::MobileBroadband => "13800138000",
            Scenario::MobileDataPack => "13800138001",
            Scenario::MobileFrozen => "13900139000",
            Scenario::UnicomBroadband => "18600186000",
            Scenario::UnicomNothing => "18600186001",
            Scenario::TelecomBroadband => "13300133000",
            Scenario::TelecomStalls => "13300133001",
        }
    }

    pub fn carrier(self) -> CarrierId {
        validate::phone(self.number()).unwrap().1
    }

    fn order_prefix(self) -> &'static str {
        match self.carrier() {
            CarrierId::ChinaMobile => "CM",
            CarrierId::ChinaUnicom => "CU",
            CarrierId::ChinaTelecom => "CT",
        }
    }

    pub fn holder(self) -> (&'static str, &'static str) {
        match self {
            Scenario::MobileBroadband => ("张伟", "110101199003071233"),
            Scenario::MobileDataPack => ("李娜", "310104198506120457"),
            Scenario::MobileFrozen => ("王芳", "44030519921120331X"),
            Scenario::UnicomBroadband => ("刘洋", "510107197808156721"),
            Scenario::UnicomNothing => ("陈静", "320102198802290580"),
            Scenario::TelecomBroadband => ("杨帆", "330106199501011172"),
            Scenario::TelecomStalls => ("赵磊", "420102198707040018"),
        }
    }

    pub fn account(self) -> Account {
        Account {
            balance: self.balance(),
            plans: self.plans(),
        }
    }

    fn balance(self) -> Fen {
        Fen(match self {
            Scenario::MobileBroadband | Scenario::MobileFrozen => 3000,
            Scenario::MobileDataPack => 5000,
            Scenario::UnicomBroadband => 30000,
            Scenario::UnicomNothing => 8800,
            Scenario::TelecomBroadband => 0,
            Scenario::TelecomStalls => 2000,
        })
    }

    fn plans(self) -> Vec<Plan> {
        match self {
            Scenario::MobileBroadband | Scenario::MobileFrozen => vec![plan(
                "BB300",
                "5G智享宽带 300M",
                PlanKind::Broadband,
                9900,
                Some(day(2027, 6, 30)),
                None,
            )],
            Scenario::MobileDataPack => vec![plan(
                "DP30",
                "流量加油包 30GB",
                PlanKind::DataPack,
                3000,
                None,
                None,
            )],
            Scenario::UnicomBroadband => vec![plan(
                "KD500",
                "沃家宽带 500M",
                PlanKind::Broadband,
                12900,
                Some(day(2027, 2, 28)),
                None,
            )],
            Scenario::UnicomNothing => vec![
                plan(
                    "RH199",
                    "智慧沃家融合套餐 宽带成员",
                    PlanKind::Bundle,
                    19900,
                    Some(day(2027, 8, 31)),
                    Some(BlockReason::InBundle),
                ),
                plan(
                    "LL20",
                    "畅爽流量包 20GB",
                    PlanKind::DataPack,
                    2000,
                    Some(day(2026, 10, 31)),
                    Some(BlockReason::Expired),
                ),
            ],
            Scenario::TelecomBroadband => vec![plan(
                "TY1000",
                "天翼宽带 1000M",
                PlanKind::Broadband,
                19900,
                Some(day(2026, 12, 31)),
                None,
            )],
            Scenario::TelecomStalls => vec![plan(
                "TYLL10",
                "天翼流量包 10GB",
                PlanKind::DataPack,
                1000,
                None,
                None,
            )],
        }
    }

    pub fn quote(self) -> Quote {
        let line = |kind, label: &str, fen| LineItem {
            kind,
            label: label.into(),
            amount: Fen(fen),
        };
        let (items, total, effective, retention) = match self {
            Scenario::MobileBroadband | Scenario::MobileFrozen => (
                vec![line(
                    FeeKind::Penalty,
                    "提前解约违约金（剩余7个月×30%）",
                    20790,
                )],
                20790,
                day(2026, 11, 25),
                None,
            ),
            Scenario::MobileDataPack => (vec![], 0, day(2026, 12, 1), None),
            Scenario::UnicomBroadband | Scenario::UnicomNothing => (
                vec![
                    line(FeeKind::Penalty, "违约金", 11610),
                    line(FeeKind::Refund, "当月剩余天数退费", -2150),
                ],
                9460,
                day(2026, 11, 25),
                Some(RetentionOffer {
                    id: "RT-6M-6450".into(),
                    description: "挽留优惠：月费降至64.50元，连续6个月，之后恢复原资费".into(),
                    monthly_fee: Fen(6450),
                }),
            ),
            Scenario::TelecomBroadband => (
                vec![
                    line(FeeKind::Penalty, "违约金", 5970),
                    line(FeeKind::Equipment, "光猫未归还", 10000),
                ],
                15970,
                day(2026, 11, 25),
                None,
            ),
            Scenario::TelecomStalls => (vec![], 0, day(2026, 12, 1), None),
        };
        Quote {
            id: format!("Q-{}-0001", self.order_prefix()),
            items,
            total: Fen(total),
            effective_date: effective,
            expires_at: at(15 * 60),
            retention,
        }
    }

    pub fn order_id(self) -> String {
        format!("{}202611250001", self.order_prefix())
    }

    pub fn order(self, state: OrderState, expected_by: Option<DateTime<FixedOffset>>) -> Order {
        let due = self.quote().total;
        Order {
            id: self.order_id(),
            state,
            expected_by,
            retry_after_secs: None,
            amount_due: due.is_positive().then_some(due),
        }
    }

    pub fn application(self) -> Application {
        let (name, id) = self.holder();
        Application {
            holder_name: name.into(),
            id_number: validate::id_number(id).unwrap(),
            contact: validate::contact_phone(self.number()).unwrap(),
            reason: ReasonCode::NoLongerNeeded,
            reason_text: String::new(),
        }
    }

    pub fn notices(self) -> Vec<Notice> {
        let name = self.carrier().name_zh();
        let plan = self.account().plans[0].name.clone();
        vec![
            Notice {
                id: "1".into(),
                sent_at: at(125),
                text: format!(
                    "【{name}】您的{plan}退订申请已受理，订单号{}，我们将尽快为您处理。",
                    self.order_id()
                ),
            },
            Notice {
                id: "2".into(),
                sent_at: at(190),
                text: format!("【{name}】您申请退订的{plan}已办理成功，感谢您的使用。"),
            },
        ]
    }
}

/// Logged in, plans listed.
pub fn at_plans(s: Scenario) -> Script {
    let mut sc = Script::new();
    let (msisdn, carrier) = validate::phone(s.number()).unwrap();
    sc.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .at(30);
    let password = carrier
        .needs_service_password()
        .then(|| validate::service_password("135790").unwrap());
    sc.event(Event::Login {
        code: validate::sms_code("493817").unwrap(),
        password,
    })
    .reply(Reply::LoggedIn)
    .reply(Reply::Plans(s.account()));
    sc
}

/// Quote shown (Review phase).
pub fn at_review(s: Scenario) -> Script {
    let mut sc = at_plans(s);
    sc.at(40).event(Event::ChoosePlan {
        plan_id: s.account().plans[0].id.clone(),
    });
    sc.reply(Reply::Quoted(s.quote()));
    sc.at(60);
    sc
}

/// The summary shown (Confirming phase).
pub fn at_confirming(s: Scenario) -> Script {
    let mut sc = at_review(s);
    if s.quote().retention.is_some() {
        sc.event(Event::AnswerRetention { accept: false });
    }
    sc.at(90).event(Event::EnterApplication(s.application()));
    sc
}

/// The order created and due for payment (or processing when nothing is due).
pub fn at_pay(s: Scenario) -> Script {
    let mut sc = at_confirming(s);
    sc.at(100).event(Event::Confirm);
    let state = if s.quote().total.is_positive() {
        OrderState::AwaitingPayment
    } else {
        OrderState::Processing
    };
    sc.reply(Reply::Submitted(s.order(state, Some(at(100 + 120)))));
    sc
}

/// Paid and processing, with the first notice in.
pub fn at_await(s: Scenario) -> Script {
    let mut sc = at_pay(s);
    if s.quote().total.is_positive() {
        let method = if s.carrier() == CarrierId::ChinaUnicom {
            PayMethod::Balance
        } else {
            PayMethod::Card
        };
        let card = (method == PayMethod::Card)
            .then(|| validate::card_number("6222021234567890128").unwrap());
        sc.at(110).event(Event::ChoosePayment { method, card });
        sc.reply(Reply::Paid(Payment {
            id: "PAY-0001".into(),
            method,
            state: PaymentState::Paid,
            pay_url: None,
            card_last4: (method == PayMethod::Card).then(|| "0128".into()),
        }));
        sc.at(112).reply(Reply::OrderStatus(
            s.order(OrderState::Processing, Some(at(112 + 120))),
        ));
    }
    // Processing: the wizard fetches notices.
    let first = s.notices().into_iter().take(1).collect();
    sc.at(130).reply(Reply::Notices(first));
    sc.at(170);
    sc
}

/// Confirmed by the carrier.
pub fn at_done(s: Scenario, with_notices: bool) -> Script {
    let mut sc = at_await(s);
    sc.at(190).reply(Reply::OrderStatus(
        s.order(OrderState::Completed, Some(at(232))),
    ));
    let rest = if with_notices {
        s.notices().into_iter().skip(1).collect()
    } else {
        Vec::new()
    };
    sc.reply(Reply::Notices(rest));
    sc
}

/// A model in `lang` for the script's state and time, with the receipts
/// directory every snapshot shows.
pub fn model(sc: &Script, lang: Lang) -> Model {
    let mut m = Model::new(sc.state.clone(), lang, sc.now);
    m.receipts_dir = "~/.local/share/unsubscribe-wizard/receipts/".into();
    m.no_color = true;
    m
}

/// The sandbox phone's inbox after one code.
pub fn phone_with_code() -> Vec<PhoneMessage> {
    vec![PhoneMessage {
        sent_at: at(1),
        is_code: true,
        text: "【中国联通】您的验证码为493817，5分钟内有效。请勿泄露给他人。".into(),
    }]
}

/// Draws `model` into a fresh `w`×`h` test terminal.
pub fn draw(model: &Model, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| render(f, model)).unwrap();
    terminal
}

/// Draws at 80×24.
pub fn draw80(model: &Model) -> Terminal<TestBackend> {
    draw(model, 80, 24)
}

/// A key press with no modifiers.
pub fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Types `text` as key presses.
pub fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        unsubscribe_wizard::ui::on_key(model, press(KeyCode::Char(c)));
    }
}

/// A QR payment by `method` waiting to be scanned at `url` (the Pay step).
pub fn at_qr(s: Scenario, method: PayMethod, url: &str) -> Script {
    let mut sc = at_pay(s);
    sc.event(Event::ChoosePayment { method, card: None })
        .reply(Reply::Paid(Payment {
            id: "PAY-CT-0001".into(),
            method,
            state: PaymentState::Pending,
            pay_url: Some(url.into()),
            card_last4: None,
        }));
    sc
}

/// One plan of a scenario account, as the screens see it.
fn plan(
    id: &str,
    name: &str,
    kind: PlanKind,
    fee: i64,
    end: Option<NaiveDate>,
    blocked: Option<BlockReason>,
) -> Plan {
    Plan {
        id: id.into(),
        name: name.into(),
        kind,
        monthly_fee: Fen(fee),
        status: if blocked == Some(BlockReason::Expired) {
            PlanStatus::Expired
        } else {
            PlanStatus::Active
        },
        contract_end: end,
        blocked,
    }
}
