//! Receipt chains made by hand for the trust tests (issue 13): receipts are
//! built from JSON so a test can put any text a hostile carrier might send
//! into them, and the real binary is run on the data folder they live in.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};
use unsubscribe_wizard::core::model::Receipt;
use unsubscribe_wizard::store::vault::Vault;

/// A private home: `data` is the wizard's data folder inside it.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// `$XDG_DATA_HOME/unsubscribe-wizard`, as the binary finds it.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data/unsubscribe-wizard")
    }

    pub fn receipts(&self) -> PathBuf {
        self.data().join("receipts")
    }

    pub fn vault(&self) -> Vault {
        Vault::open(self.receipts()).unwrap()
    }

    /// Runs the binary with this home, in `cwd` (default: the home).
    pub fn run_in(&self, cwd: Option<&Path>, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_unsubscribe-wizard"))
            .args(args)
            .current_dir(cwd.unwrap_or(self.dir.path()))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            .env("LANG", "en_US.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("UNSUBSCRIBE_WIZARD_LOG")
            .output()
            .unwrap()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_in(None, args)
    }
}

/// Standard output and error as text.
pub fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `args` in `home`, checks the exit code, and gives stdout and stderr.
pub fn run_expect(home: &Home, args: &[&str], code: i32) -> (String, String) {
    let out = home.run(args);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stdout}{stderr}");
    (stdout, stderr)
}

/// Whether a line of `out` is about `chain` (starts with its name) and
/// says `word`.
pub fn says(out: &str, chain: &str, word: &str) -> bool {
    out.lines()
        .any(|l| l.starts_with(chain) && l.contains(word))
}

/// A receipt of `order` at second `n` past 10:00 Beijing time.
pub fn receipt(order: Option<&str>, n: u32, event: Value) -> Receipt {
    let at = format!("2026-11-25T02:{:02}:{:02}Z", n / 60, n % 60);
    serde_json::from_value(json!({
        "at": at,
        "carrier": "china_mobile",
        "msisdn_masked": "138****8000",
        "order_id": order,
        "event": event,
    }))
    .unwrap()
}

pub fn quote(plan_name: &str, total: i64, label: &str) -> Value {
    json!({
        "type": "quote_shown",
        "plan": {
            "id": "P1", "name": plan_name, "kind": "broadband", "monthly_fee": 12900,
            "status": "active", "contract_end": null, "blocked": null
        },
        "quote": {
            "id": "Q1",
            "items": [{"kind": "penalty", "label": label, "amount": total}],
            "total": total, "effective_date": "2026-11-25",
            "expires_at": "2026-11-25T02:15:00Z", "retention": null
        }
    })
}

pub fn order_created(order: &str) -> Value {
    json!({
        "type": "order_created",
        "order": {
            "id": order, "state": {"state": "awaiting_payment"}, "expected_by": null,
            "retry_after_secs": null, "amount_due": null
        }
    })
}

pub fn payment(id: &str, amount: i64, state: &str) -> Value {
    json!({
        "type": "payment",
        "payment": {"id": id, "method": "balance", "state": state, "pay_url": null, "card_last4": null},
        "amount": amount
    })
}

pub fn notice(text: &str) -> Value {
    json!({
        "type": "notice_received",
        "notice": {"id": "N1", "sent_at": "2026-11-25T10:01:00+08:00", "text": text}
    })
}

pub fn finished_cancelled() -> Value {
    json!({"type": "finished", "outcome": "cancelled", "error": null})
}

/// Writes a whole cancellation of `order` (quote, order, payment ¥94.60,
/// notice, finished) through the vault, as the wizard would.
pub fn paid_chain(vault: &Vault, order: &str) {
    let flow = format!("F-{order}");
    vault
        .append(&flow, &receipt(None, 1, quote("宽带 300M", 9460, "违约金")))
        .unwrap();
    for (n, event) in [
        order_created(order),
        payment("PAY-1", 9460, "paid"),
        notice("【中国移动】退订已受理"),
        finished_cancelled(),
    ]
    .into_iter()
    .enumerate()
    {
        vault
            .append(&flow, &receipt(Some(order), 2 + n as u32, event))
            .unwrap();
    }
}

/// A plan as the carrier lists it, from JSON (`blocked`: `null` or a reason
/// like `"in_bundle"`).
pub fn plan(id: &str, name: &str, blocked: Value) -> unsubscribe_wizard::core::model::Plan {
    serde_json::from_value(json!({
        "id": id, "name": name, "kind": "broadband", "monthly_fee": 12900,
        "status": "active", "contract_end": null, "blocked": blocked
    }))
    .unwrap()
}

/// A flow run through the real core: logged in to 18600186001, the plans
/// listed, and `choose` chosen if given; journalled in `home`'s data folder.
pub fn journalled(
    home: &Home,
    plans: Vec<unsubscribe_wizard::core::model::Plan>,
    choose: Option<&str>,
) -> (PathBuf, unsubscribe_wizard::core::flow::State) {
    use chrono::TimeZone;
    use unsubscribe_wizard::core::flow::{Event, Reply, State, step};
    use unsubscribe_wizard::core::model::{Account, Fen, KeySeed};
    use unsubscribe_wizard::core::validate;

    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    let mut state = State::new(KeySeed([7; 16]), now);
    let feed = |state: &mut State, event: Event| {
        let event = match event {
            Event::Reply(_, r) => Event::Reply(state.pending.unwrap().req, r),
            e => e,
        };
        *state = step(state, event, now).unwrap().state;
    };
    let any = unsubscribe_wizard::core::flow::RequestId(0);
    let (msisdn, carrier) = validate::phone("18600186001").unwrap();
    let login_and_list = [
        Event::RequestCode { msisdn, carrier },
        Event::Reply(any, Reply::CodeSent),
        Event::Login {
            code: validate::sms_code("123456").unwrap(),
            password: Some(validate::service_password("246802").unwrap()),
        },
        Event::Reply(any, Reply::LoggedIn),
        Event::Reply(
            any,
            Reply::Plans(Account {
                balance: Fen(4500),
                plans,
            }),
        ),
    ];
    for event in login_and_list {
        feed(&mut state, event);
    }
    if let Some(plan_id) = choose {
        feed(
            &mut state,
            Event::ChoosePlan {
                plan_id: plan_id.to_owned(),
            },
        );
    }
    let journal =
        unsubscribe_wizard::store::journal::Journal::open(home.data().join("journal")).unwrap();
    let path = journal.save(&state).unwrap();
    (path, state)
}
