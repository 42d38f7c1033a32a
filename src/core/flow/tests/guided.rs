//! Guided mode: the same six steps with the person as the transport — texts
//! pasted, statements recorded as such, nothing in flight, no secret kept.

use super::*;
use crate::core::channels::{Channel, Kind as PackageKind};
use crate::core::flow::guided::{Package, Quoted, Source, Statement, Verdict};

const LIST: &str = include_str!("../../../../tests/fixtures/sms/cmcc-service-list-0000-02.txt");
const CANCELLED: &str =
    include_str!("../../../../tests/fixtures/sms/cmcc-cancelled-next-month-02.txt");
const OPT_OUT: &str = include_str!("../../../../tests/fixtures/sms/cmcc-opt-out-reminder-01.txt");
const LOGIN_CODE: &str = include_str!("../../../../tests/fixtures/sms/cmcc-login-code-migu-01.txt");
const PROMPT: &str =
    include_str!("../../../../tests/fixtures/sms/cmcc-confirm-prompt-heduohao-01.txt");

fn guided() -> Run {
    let mut run = Run::new();
    run.send(Event::ChooseMode(Mode::Guided));
    run
}

fn identified(kind: PackageKind, channel: Channel) -> Run {
    let mut run = guided();
    run.send(Event::Identify {
        msisdn: validate::phone("13800138000").unwrap().0,
        carrier: CarrierId::ChinaMobile,
        kind,
        channel,
    });
    run
}

fn paste(run: &mut Run, text: &str) {
    run.send(Event::PasteSms {
        text: text.to_owned(),
        from: Some("10086".into()),
    });
}

fn case(run: &Run) -> &crate::core::flow::guided::GuidedCase {
    run.state.facts.guided.as_ref().unwrap()
}

fn receipts(run: &Run) -> Vec<&ReceiptEvent> {
    run.effects
        .iter()
        .filter_map(|e| match e {
            Effect::WriteReceipt(r) => Some(&r.event),
            _ => None,
        })
        .collect()
}

fn zero_quote() -> Quoted {
    Quoted::nothing_due(Source::Statement)
}

#[test]
fn a_china_mobile_data_pack_by_sms_from_list_to_terminated() {
    let mut run = identified(PackageKind::DataPack, Channel::Sms);
    assert!(matches!(run.state.step, Step::SelectPlan { .. }));
    let id = case(&run).case_id.clone();
    assert!(id.starts_with("G20261125-"), "{id}");
    assert!(matches!(
        receipts(&run)[..],
        [ReceiptEvent::ChannelChosen {
            channel: Channel::Sms,
            ..
        }]
    ));

    paste(&mut run, LIST);
    assert_eq!(case(&run).verdict, Some(Verdict::Listed));
    assert_eq!(case(&run).listed.len(), 3);
    assert_eq!(case(&run).listed[0].monthly_fee_fen, Some(Fen(3000)));

    run.send(Event::PickPackage { index: 0 });
    assert!(matches!(run.state.step, Step::Submit { .. }));
    let shown = receipts(&run);
    let Some(ReceiptEvent::InstructionShown { reply, steps, .. }) = shown.last() else {
        panic!("{shown:?}")
    };
    assert!(!steps.is_empty());
    assert_eq!(reply.as_ref().map(|r| r.1.as_str()), Some("1"));

    run.later(60);
    paste(&mut run, CANCELLED);
    assert!(matches!(run.state.step, Step::Pay { .. }), "fees next");
    assert_eq!(case(&run).verdict, Some(Verdict::Confirmed));
    let confirmation = case(&run).confirmation.clone().unwrap();
    assert_eq!(
        confirmation.effective_date,
        NaiveDate::from_ymd_opt(2026, 12, 1)
    );
    assert_eq!(confirmation.source, Source::CarrierText);

    assert_eq!(
        step(&run.state, Event::Confirm, run.now),
        Err(StepError::NeedsQuote),
        "the fees are recorded first"
    );
    run.send(Event::EnterQuote(zero_quote()));
    run.send(Event::Confirm);
    assert!(matches!(
        run.state.step,
        Step::Terminated {
            outcome: Outcome::Cancelled
        }
    ));
    assert!(
        run.effects.iter().any(|e| matches!(e, Effect::WriteReceipt(r)
            if r.order_id.as_deref() == Some(id.as_str())
            && matches!(r.event, ReceiptEvent::Finished { outcome: Some(Outcome::Cancelled), .. })))
    );
    assert!(
        !run.effects.iter().any(|e| matches!(e, Effect::Call(_))),
        "guided mode calls no carrier"
    );
}

#[test]
fn an_opt_out_notice_never_confirms_and_a_login_code_is_never_kept() {
    let mut run = identified(PackageKind::ValueAdded, Channel::Sms);
    paste(&mut run, LIST);
    run.send(Event::PickPackage { index: 0 });
    run.send(Event::Say(Statement::Acted));
    run.send(Event::EnterQuote(zero_quote()));
    run.send(Event::Confirm);
    assert!(matches!(run.state.step, Step::Await { .. }));

    paste(&mut run, OPT_OUT);
    assert!(
        matches!(run.state.step, Step::Await { .. }),
        "still waiting"
    );
    assert_eq!(case(&run).verdict, Some(Verdict::OptOutOnly));

    let kept = case(&run).messages.len();
    paste(&mut run, LOGIN_CODE);
    assert_eq!(case(&run).verdict, Some(Verdict::LoginCode));
    assert_eq!(case(&run).messages.len(), kept, "the code is not kept");
    assert!(receipts(&run).is_empty(), "nor receipted");
    let journal = serde_json::to_string(&run.state).unwrap();
    assert!(!journal.contains("930528"), "nor journalled");

    paste(&mut run, CANCELLED);
    assert!(matches!(run.state.step, Step::Terminated { .. }));
}

#[test]
fn a_cancellation_of_another_product_does_not_confirm_the_package() {
    let mut run = identified(PackageKind::DataPack, Channel::Sms);
    paste(&mut run, LIST);
    run.send(Event::PickPackage { index: 0 });
    run.send(Event::Say(Statement::Acted));
    run.send(Event::EnterQuote(zero_quote()));
    run.send(Event::Confirm);
    // 流量共享业务 is cancelled, not the 流量加油包30GB picked.
    paste(
        &mut run,
        include_str!("../../../../tests/fixtures/sms/cmcc-cancelled-next-month-01.txt"),
    );
    assert_eq!(case(&run).verdict, Some(Verdict::OtherPackage));
    assert!(case(&run).confirmation.is_none());
    assert!(
        matches!(run.state.step, Step::Await { .. }),
        "still waiting"
    );
    assert!(
        matches!(receipts(&run)[..], [ReceiptEvent::SmsPasted { .. }]),
        "kept as evidence all the same"
    );
    paste(&mut run, CANCELLED);
    assert!(matches!(run.state.step, Step::Terminated { .. }));
}

#[test]
fn a_confirm_prompt_says_what_to_reply_and_moves_nothing() {
    let mut run = identified(PackageKind::ValueAdded, Channel::Sms);
    run.send(Event::EnterPackage(Package {
        name: "和多号包月".into(),
        monthly_fee: Some(Fen(1000)),
        key: None,
        contract_end: None,
        source: Source::CarrierText,
    }));
    assert_eq!(
        case(&run).package.as_ref().unwrap().source,
        Source::Statement,
        "a typed package is the person's word"
    );
    paste(&mut run, PROMPT);
    assert!(matches!(run.state.step, Step::Submit { .. }));
    let reply = case(&run).reply.clone().unwrap();
    assert_eq!(reply.text.as_deref(), Some("Y"));
    assert_eq!(reply.to, "10086");
    assert_eq!(reply.deadline_minutes, Some(120));
}

#[test]
fn a_hotline_case_ends_on_the_persons_statement_marked_as_such() {
    let mut run = identified(PackageKind::MainPlan, Channel::Hotline);
    run.send(Event::EnterPackage(Package {
        name: "全球通 128".into(),
        monthly_fee: Some(Fen(12800)),
        key: None,
        contract_end: NaiveDate::from_ymd_opt(2027, 3, 31),
        source: Source::Statement,
    }));
    assert_eq!(
        step(
            &run.state,
            Event::Say(Statement::Reference {
                reference: "../etc".into()
            }),
            run.now
        ),
        Err(StepError::BadReference(64))
    );
    run.send(Event::Say(Statement::Reference {
        reference: " SL2026112500017 ".into(),
    }));
    assert!(matches!(run.state.step, Step::Pay { .. }));
    assert_eq!(case(&run).reference(), Some("SL2026112500017"));

    // 2026-11-25 to 2027-03-31: four whole months after this one (Dec–Mar), 30 %.
    let estimate = case(&run).estimate(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    assert_eq!(estimate, Some(Fen(15360)));
    run.send(Event::EnterQuote(Quoted {
        penalty: Fen(20000),
        ..zero_quote()
    }));
    assert_eq!(
        case(&run).gap(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
        Some(Fen(4640))
    );
    run.send(Event::Confirm);
    run.later(86_400);
    run.send(Event::Say(Statement::Cancelled {
        effective_date: NaiveDate::from_ymd_opt(2026, 12, 1),
    }));
    assert!(matches!(run.state.step, Step::Terminated { .. }));
    assert_eq!(
        case(&run).confirmation.as_ref().unwrap().source,
        Source::Statement
    );
    assert!(receipts(&run).iter().any(|r| matches!(
        r,
        ReceiptEvent::Statement {
            statement: Statement::Cancelled { .. }
        }
    )));
}

#[test]
fn a_channel_that_cannot_do_it_is_refused_and_a_refusal_offers_another() {
    let run = guided();
    let msisdn = validate::phone("13800138000").unwrap().0;
    let broadband_by_sms = Event::Identify {
        msisdn: msisdn.clone(),
        carrier: CarrierId::ChinaMobile,
        kind: PackageKind::Broadband,
        channel: Channel::Sms,
    };
    assert_eq!(
        step(&run.state, broadband_by_sms, run.now),
        Err(StepError::ChannelCannot)
    );
    let mut run = identified(PackageKind::DataPack, Channel::Sms);
    paste(&mut run, LIST);
    run.send(Event::PickPackage { index: 0 });
    paste(
        &mut run,
        include_str!("../../../../tests/fixtures/sms/cmcc-failed-broadband-01.txt"),
    );
    assert_eq!(case(&run).verdict, Some(Verdict::Failed));
    assert!(case(&run).refused());
    run.send(Event::ChooseChannel(Channel::Hotline));
    assert_eq!(case(&run).channel, Channel::Hotline);
    assert!(!case(&run).refused());
    assert!(matches!(
        receipts(&run)[..],
        [
            ReceiptEvent::ChannelChosen { .. },
            ReceiptEvent::InstructionShown {
                channel: Channel::Hotline,
                ..
            }
        ]
    ));
}

#[test]
fn the_mode_is_fixed_once_a_number_is_given_and_resume_needs_no_login() {
    let mut run = identified(PackageKind::DataPack, Channel::Sms);
    assert_eq!(
        step(&run.state, Event::ChooseMode(Mode::Api), run.now),
        Err(StepError::ModeFixed)
    );
    paste(&mut run, LIST);
    run.send(Event::PickPackage { index: 0 });
    run.send(Event::Say(Statement::Acted));
    run.send(Event::EnterQuote(zero_quote()));
    run.send(Event::Confirm);
    let journal = serde_json::to_value(run.state.without_secrets()).unwrap();
    let reloaded = migrate(journal).unwrap();
    assert_eq!(reloaded, run.state);
    run.state = reloaded;
    run.send(Event::Resume);
    assert!(
        matches!(run.state.step, Step::Await { .. }),
        "resumes there"
    );
    paste(&mut run, CANCELLED);
    assert!(matches!(run.state.step, Step::Terminated { .. }));
}

#[test]
fn api_events_do_not_apply_in_guided_mode() {
    let run = guided();
    let code = Event::RequestCode {
        msisdn: validate::phone("13800138000").unwrap().0,
        carrier: CarrierId::ChinaMobile,
    };
    assert!(matches!(
        step(&run.state, code, run.now),
        Err(StepError::NotNow { .. })
    ));
}

proptest! {
    /// Whatever is pasted, in whatever step: no panic, a journal after every
    /// transition, and Terminated only with a confirmation in the case.
    #[test]
    fn arbitrary_texts_never_terminate_without_a_confirmation(
        texts in proptest::collection::vec(".{0,300}", 1..12),
        picks in proptest::collection::vec(0usize..4, 1..12),
    ) {
        let mut run = identified(PackageKind::DataPack, Channel::Sms);
        for (text, pick) in texts.iter().zip(picks.iter().cycle()) {
            let events = [
                Event::PasteSms { text: text.clone(), from: None },
                Event::PickPackage { index: *pick },
                Event::Say(Statement::Acted),
                Event::EnterQuote(zero_quote()),
                Event::Confirm,
            ];
            for event in events {
                if let Ok(t) = step(&run.state, event, run.now) {
                    prop_assert_eq!(t.effects.last(), Some(&Effect::PersistJournal));
                    run.state = t.state;
                }
            }
            if matches!(run.state.step, Step::Terminated { .. }) {
                prop_assert!(case(&run).confirmation.is_some());
            }
        }
    }
}

#[test]
fn a_paste_keeps_the_phones_line_ends_whatever_the_terminal_sent() {
    let mut run = identified(PackageKind::DataPack, Channel::Sms);
    paste(&mut run, &LIST.replace('\n', "\r"));
    let kept = &case(&run).messages[0].text;
    assert_eq!(kept, LIST, "CR from the terminal back to LF");
    assert_eq!(case(&run).listed.len(), 3);
}
