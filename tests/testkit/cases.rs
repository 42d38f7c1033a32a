//! Cases made through the core, as the wizard would have made them, for
//! tests that start the wizard on a data folder with history in it.

use std::path::Path;

use chrono::{TimeDelta, Utc};
use unsubscribe_wizard::core::channels::{Channel, Kind};
use unsubscribe_wizard::core::fees::Fen;
use unsubscribe_wizard::core::flow::guided::{Quoted, Source, Statement, china_date};
use unsubscribe_wizard::core::flow::{Effect, Event, Mode, State, step};
use unsubscribe_wizard::core::model::{CarrierId, KeySeed};
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::store::journal::Journal;
use unsubscribe_wizard::store::vault::Vault;

/// A China Mobile data pack cancelled by SMS `days_ago` days ago, effective
/// that day, journalled and receipted under `data` (the wizard's data
/// folder): after about 20 days its follow-ups (the carrier's answer, the
/// first bill) are due. Returns the case's number.
pub fn cancelled_days_ago(data: &Path, days_ago: i64) -> String {
    let began = Utc::now() - TimeDelta::days(days_ago);
    let list = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sms/cmcc-service-list-0000-02.txt"
    ))
    .unwrap();
    let none = Fen(0);
    let script = vec![
        Event::ChooseMode(Mode::Guided),
        Event::Identify {
            msisdn: validate::phone("13800138000").unwrap().0,
            carrier: CarrierId::ChinaMobile,
            kind: Kind::DataPack,
            channel: Channel::Sms,
        },
        Event::PasteSms {
            text: list,
            from: Some("10086977".into()),
        },
        Event::PickPackage { index: 0 },
        Event::Say(Statement::Reference {
            reference: "SL20261125001".into(),
        }),
        Event::EnterQuote(Quoted {
            penalty: none,
            equipment: none,
            refund: none,
            effective_date: None,
            source: Source::Statement,
        }),
        Event::Confirm,
        Event::Say(Statement::Cancelled {
            effective_date: Some(china_date(began)),
        }),
    ];
    let journal = Journal::open(data.join("journal")).unwrap();
    let vault = Vault::open(data.join("receipts")).unwrap();
    let mut state = State::new(KeySeed([3; 16]), began);
    for (minute, event) in (0..).zip(script) {
        let moved = step(&state, event, began + TimeDelta::minutes(minute))
            .unwrap_or_else(|e| panic!("{e} at minute {minute}"));
        state = moved.state;
        for effect in moved.effects {
            if let Effect::WriteReceipt(receipt) = effect {
                vault.append("unused", &receipt).unwrap();
            }
        }
        journal.save(&state).unwrap();
    }
    state.facts.case_id().unwrap().to_owned()
}
