//! A journal written in the middle of submitting and paying holds none of the
//! secrets the person typed.

use chrono::{TimeZone, Utc};
use unsubscribe_wizard::core::flow::{Effect, Event, Reply, RequestId, State, step};
use unsubscribe_wizard::core::model::{
    Account, Application, Fen, KeySeed, Order, OrderState, PayMethod, Plan, PlanKind, PlanStatus,
    Quote, ReasonCode,
};
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::store::journal::Journal;

const CODE: &str = "493817";
const ID: &str = "110101199003071233";
const CARD: &str = "6222021234567890128";

#[test]
fn no_secret_reaches_the_journal() {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    let mut state = State::new(KeySeed([5; 16]), now);
    let apply = |state: &mut State, event: Event| {
        let event = match event {
            // A reply placeholder is addressed to the call in flight.
            Event::Reply(_, r) => Event::Reply(state.pending.unwrap().req, r),
            other => other,
        };
        let t = step(state, event, now).unwrap();
        *state = t.state;
        for c in t.effects {
            if c == Effect::PersistJournal {
                journal.save(state).unwrap();
            }
        }
    };
    let reply = |r: Reply| Event::Reply(RequestId(0), r);

    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    apply(&mut state, Event::RequestCode { msisdn, carrier });
    apply(&mut state, reply(Reply::CodeSent));
    apply(
        &mut state,
        Event::Login {
            code: validate::sms_code(CODE).unwrap(),
            password: None,
        },
    );
    apply(&mut state, reply(Reply::LoggedIn));
    let plan = Plan {
        id: "P1".into(),
        name: "5G智享宽带 300M".into(),
        kind: PlanKind::Broadband,
        monthly_fee: Fen(9900),
        status: PlanStatus::Active,
        contract_end: None,
        blocked: None,
    };
    apply(
        &mut state,
        reply(Reply::Plans(Account {
            balance: Fen(3000),
            plans: vec![plan],
        })),
    );
    apply(
        &mut state,
        Event::ChoosePlan {
            plan_id: "P1".into(),
        },
    );
    let quote = Quote {
        id: "Q1".into(),
        items: vec![],
        total: Fen(20790),
        effective_date: now.date_naive(),
        expires_at: (now + chrono::Duration::minutes(15)).fixed_offset(),
        retention: None,
    };
    apply(&mut state, reply(Reply::Quoted(quote)));
    let application = Application {
        holder_name: "张伟".into(),
        id_number: validate::id_number(ID).unwrap(),
        contact: validate::contact_phone("13800138000").unwrap(),
        reason: ReasonCode::NoLongerNeeded,
        reason_text: String::new(),
    };
    apply(&mut state, Event::EnterApplication(application));
    apply(&mut state, Event::Confirm);
    let order = Order {
        id: "O1".into(),
        state: OrderState::AwaitingPayment,
        expected_by: None,
        retry_after_secs: None,
        amount_due: Some(Fen(20790)),
    };
    apply(&mut state, reply(Reply::Submitted(order)));
    apply(
        &mut state,
        Event::ChoosePayment {
            method: PayMethod::Card,
            card: Some(validate::card_number(CARD).unwrap()),
        },
    );

    // The in-memory state needs the card until the carrier answers; the file must not.
    assert!(state.facts.secrets.card.is_some());
    let text = std::fs::read_to_string(journal.path_for(&state)).unwrap();
    for secret in [CODE, ID, CARD] {
        assert!(!text.contains(secret), "{secret} found in the journal");
    }
    assert!(text.contains("110***********1233"));
}
