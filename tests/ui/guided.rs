//! Guided mode on screen (issue 14 items 1–3): the mode question, the six
//! guided screens in zh and en at 80×24 (and one larger), built by stepping
//! the real core with real-format carrier texts from `tests/fixtures/sms/`;
//! and their keys — a paste goes in whole, `c` copies the exact command, the
//! footer names only keys that act.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unsubscribe_wizard::core::channels::{Channel, Kind as PackageKind};
use unsubscribe_wizard::core::fees::Fen;
use unsubscribe_wizard::core::flow::guided::{Package, Quoted, Source, Statement};
use unsubscribe_wizard::core::flow::{Event, Mode};
use unsubscribe_wizard::core::model::CarrierId;
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::ui::keymap::Hint;
use unsubscribe_wizard::ui::screens;
use unsubscribe_wizard::ui::{Action, Lang, Model, Overlay, on_key, on_paste};

use crate::testkit::ui::*;

const LIST: &str = include_str!("../fixtures/sms/cmcc-service-list-0000-02.txt");
const PROMPT: &str = include_str!("../fixtures/sms/cmcc-confirm-prompt-heduohao-01.txt");
const OPT_OUT: &str = include_str!("../fixtures/sms/cmcc-opt-out-reminder-01.txt");
const CANCELLED: &str = include_str!("../fixtures/sms/cmcc-cancelled-next-month-02.txt");
const MISSING: &str = include_str!("../fixtures/sms/cu-cancelled-missing-01.txt");
const FAILED: &str = include_str!("../fixtures/sms/cmcc-failed-broadband-01.txt");

fn guided() -> Script {
    let mut sc = Script::new();
    sc.event(Event::ChooseMode(Mode::Guided));
    sc
}

fn identified(number: &str, kind: PackageKind, channel: Channel) -> Script {
    let mut sc = guided();
    let (msisdn, carrier) = validate::phone(number).unwrap();
    sc.event(Event::Identify {
        msisdn,
        carrier,
        kind,
        channel,
    });
    sc
}

fn paste(sc: &mut Script, text: &str, from: &str) {
    sc.event(Event::PasteSms {
        text: text.to_owned(),
        from: Some(from.to_owned()),
    });
}

/// China Mobile, value-added by SMS, the 0000 list pasted.
fn listed() -> Script {
    let mut sc = identified("13800138000", PackageKind::ValueAdded, Channel::Sms);
    sc.at(60);
    paste(&mut sc, LIST, "10086977");
    sc
}

/// The first package of the list picked: what to send.
fn acting() -> Script {
    let mut sc = listed();
    sc.at(90).event(Event::PickPackage { index: 0 });
    sc
}

/// A main plan by hotline with a contract: the fees step, a quote above
/// the estimate.
fn quoted() -> Script {
    let mut sc = identified("13800138000", PackageKind::MainPlan, Channel::Hotline);
    sc.event(Event::EnterPackage(typed(
        "全球通 128",
        Some(12800),
        NaiveDate::from_ymd_opt(2027, 3, 31),
    )));
    sc.at(600).event(Event::Say(Statement::Reference {
        reference: "SL2026112500017".into(),
    }));
    sc.event(Event::EnterQuote(Quoted {
        penalty: Fen(20000),
        equipment: Fen(0),
        refund: Fen(0),
        effective_date: NaiveDate::from_ymd_opt(2026, 12, 1),
        source: Source::Statement,
    }));
    sc
}

/// Acted and quoted nothing due; an opt-out notice pasted while waiting.
fn waiting() -> Script {
    let mut sc = acting();
    sc.at(120).event(Event::Say(Statement::Acted));
    sc.event(Event::EnterQuote(zero()));
    sc.event(Event::Confirm);
    sc.at(7_200);
    paste(&mut sc, OPT_OUT, "10086");
    sc.at(30 * 3_600);
    sc
}

/// A package typed by hand: name, monthly fee in fen, contract end.
fn typed(name: &str, fee: Option<i64>, contract_end: Option<NaiveDate>) -> Package {
    Package {
        name: name.into(),
        monthly_fee: fee.map(Fen),
        key: None,
        contract_end,
        source: Source::Statement,
    }
}

fn zero() -> Quoted {
    Quoted::nothing_due(Source::Statement)
}

fn snap(name: &str, sc: &Script, tweak: impl Fn(&mut Model)) {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut m = model(sc, lang);
        tweak(&mut m);
        let terminal = draw80(&m);
        let text = terminal.backend().to_string();
        assert!(!text.contains("guided."), "a key shown raw:\n{text}");
        for name in [
            "{channel}",
            "{kind}",
            "{package}",
            "{from}",
            "{amount}",
            "{text}",
            "{to}",
            "{key}",
            "{reference}",
            "{hotline}",
            "{time}",
            "{waited}",
            "{days}",
            "{total}",
            "{why}",
            "{channels}",
            "{note}",
            "{number}",
            "{a}",
            "{b}",
            "{name}",
            "{minutes}",
        ] {
            assert!(!text.contains(name), "{name} left unfilled:\n{text}");
        }
        insta::assert_snapshot!(format!("guided_{name}_{tag}"), terminal.backend());
    }
}

#[test]
fn the_mode_question_comes_first_and_yields_choose_mode() {
    snap("mode_question", &Script::new(), |m| m.ask_mode = true);
    // Enter on a fresh machine practises on the sandbox (the default).
    let mut m = model(&Script::new(), Lang::En);
    m.ask_mode = true;
    assert_eq!(
        on_key(&mut m, press(KeyCode::Enter)),
        Some(Action::Core(Event::ChooseMode(Mode::Api)))
    );
    assert!(!m.ask_mode);
    let mut m = model(&Script::new(), Lang::En);
    m.ask_mode = true;
    on_key(&mut m, press(KeyCode::Up));
    assert_eq!(
        on_key(&mut m, press(KeyCode::Enter)),
        Some(Action::Core(Event::ChooseMode(Mode::Guided)))
    );
}

#[test]
fn identify_screen() {
    snap("identify_empty", &guided(), |_| {});
    snap("identify_typed", &guided(), |m| type_text(m, "13800138000"));
    // Broadband cannot be cancelled by SMS: said, and Enter does nothing.
    snap("identify_cannot", &guided(), |m| {
        type_text(m, "13800138000");
        on_key(m, press(KeyCode::Tab));
        on_key(m, press(KeyCode::Tab));
        on_key(m, press(KeyCode::Right));
        on_key(m, press(KeyCode::Tab));
        for _ in 0..4 {
            if m.ui.guided.channel == Some(Channel::Sms) {
                break;
            }
            on_key(m, press(KeyCode::Right));
        }
        assert_eq!(m.ui.guided.kind, PackageKind::Broadband);
        assert_eq!(on_key(m, press(KeyCode::Enter)), None);
    });
}

#[test]
fn identify_enter_sends_the_line_kind_and_recommended_channel() {
    let mut m = model(&guided(), Lang::En);
    type_text(&mut m, "13800138000");
    let Some(Action::Core(Event::Identify {
        carrier,
        kind,
        channel,
        ..
    })) = on_key(&mut m, press(KeyCode::Enter))
    else {
        panic!("no Identify");
    };
    assert_eq!(carrier, CarrierId::ChinaMobile);
    assert_eq!(kind, PackageKind::ValueAdded);
    assert_eq!(channel, Channel::Sms);
}

#[test]
fn package_screen() {
    let sc = identified("13800138000", PackageKind::ValueAdded, Channel::Sms);
    snap("package_empty", &sc, |_| {});
    snap("package_listed", &listed(), |m| {
        on_key(m, press(KeyCode::Down));
    });
    snap("package_by_hand", &listed(), |m| {
        on_key(m, press(KeyCode::Char('h')));
        type_text(m, "视频彩铃");
        on_key(m, press(KeyCode::Tab));
        type_text(m, "6");
    });
}

#[test]
fn picking_and_typing_a_package_yield_the_core_events() {
    let mut m = model(&listed(), Lang::En);
    on_key(&mut m, press(KeyCode::Down));
    assert_eq!(
        on_key(&mut m, press(KeyCode::Enter)),
        Some(Action::Core(Event::PickPackage { index: 1 }))
    );
    on_key(&mut m, press(KeyCode::Char('h')));
    type_text(&mut m, "和多号包月");
    on_key(&mut m, press(KeyCode::Tab));
    type_text(&mut m, "10");
    on_key(&mut m, press(KeyCode::Tab));
    type_text(&mut m, "2027-03-31");
    let Some(Action::Core(Event::EnterPackage(p))) = on_key(&mut m, press(KeyCode::Enter)) else {
        panic!("no EnterPackage");
    };
    assert_eq!(p.name, "和多号包月");
    assert_eq!(p.monthly_fee, Some(Fen(1000)));
    assert_eq!(p.contract_end, NaiveDate::from_ymd_opt(2027, 3, 31));
}

#[test]
fn a_paste_goes_in_whole_as_one_text_with_its_sender() {
    let mut m = model(
        &identified("13800138000", PackageKind::ValueAdded, Channel::Sms),
        Lang::En,
    );
    on_key(&mut m, press(KeyCode::Char('f')));
    type_text(&mut m, "10086977");
    on_key(&mut m, press(KeyCode::Enter));
    assert!(LIST.contains('\n'));
    let actions = on_paste(&mut m, LIST);
    assert_eq!(
        actions,
        vec![Action::Core(Event::PasteSms {
            text: LIST.to_owned(),
            from: Some("10086977".into()),
        })]
    );
    // In an open one-line entry, the paste is typed there instead.
    on_key(&mut m, press(KeyCode::Char('f')));
    assert!(on_paste(&mut m, "106").is_empty());
    assert_eq!(m.ui.guided.from.value(), "10086977106");
}

#[test]
fn act_screen() {
    snap("act_list_reply", &acting(), |_| {});
    let mut prompt = identified("13800138000", PackageKind::ValueAdded, Channel::Sms);
    prompt.event(Event::EnterPackage(typed("和多号包月", Some(1000), None)));
    paste(&mut prompt, PROMPT, "10086");
    snap("act_confirm_prompt", &prompt, |_| {});
    let mut hotline = identified("13800138000", PackageKind::MainPlan, Channel::Hotline);
    hotline.event(Event::EnterPackage(typed("全球通 128", Some(12800), None)));
    snap("act_hotline", &hotline, |m| {
        on_key(m, press(KeyCode::Char('r')));
        type_text(m, "SL2026");
    });
    let mut refused = identified("13800138000", PackageKind::Broadband, Channel::Hall);
    refused.event(Event::EnterPackage(typed(
        "家庭宽带 100M",
        Some(5000),
        None,
    )));
    paste(&mut refused, FAILED, "10086");
    snap("act_refused", &refused, |_| {});
    let m = model(&acting(), Lang::Zh);
    insta::assert_snapshot!("guided_act_120x40_zh", draw(&m, 120, 40).backend());
    let m = model(&acting(), Lang::En);
    insta::assert_snapshot!("guided_act_120x40_en", draw(&m, 120, 40).backend());
}

#[test]
fn c_copies_the_exact_text_to_send() {
    let mut m = model(&acting(), Lang::En);
    assert_eq!(
        on_key(&mut m, press(KeyCode::Char('c'))),
        Some(Action::Copy("1".into())),
        "the list key of the package picked"
    );
    let mut sc = identified("13800138000", PackageKind::ValueAdded, Channel::Sms);
    sc.event(Event::EnterPackage(typed("和多号包月", None, None)));
    let mut m = model(&sc, Lang::En);
    assert_eq!(
        on_key(&mut m, press(KeyCode::Char('c'))),
        Some(Action::Copy("0000".into())),
        "the channel's first command"
    );
    assert_eq!(
        screens::guided::act::qr_data(&sc.state).as_deref(),
        Some("SMSTO:10086:0000")
    );
    let mut call = identified("13800138000", PackageKind::MainPlan, Channel::Hotline);
    call.event(Event::EnterPackage(typed("全球通 128", None, None)));
    assert_eq!(
        screens::guided::act::qr_data(&call.state).as_deref(),
        Some("tel:10086")
    );
    paste(&mut sc, PROMPT, "10086");
    let mut m = model(&sc, Lang::En);
    assert_eq!(
        on_key(&mut m, press(KeyCode::Char('c'))),
        Some(Action::Copy("Y".into())),
        "the reply the carrier asked for"
    );
    assert_eq!(
        on_key(&mut m, press(KeyCode::Char('a'))),
        Some(Action::Core(Event::Say(Statement::Acted)))
    );
}

#[test]
fn quote_screen() {
    snap("quote_gap", &quoted(), |_| {});
    let mut m = model(&quoted(), Lang::En);
    assert_eq!(m.ui.guided.quote[0].value(), "200.00", "prefilled");
    assert_eq!(
        on_key(&mut m, press(KeyCode::Enter)),
        Some(Action::Core(Event::Confirm)),
        "recorded as typed: Enter goes on"
    );
    for _ in 0..4 {
        on_key(&mut m, press(KeyCode::Backspace));
    }
    assert!(matches!(
        on_key(&mut m, press(KeyCode::Enter)),
        Some(Action::Core(Event::EnterQuote(q))) if q.penalty == Fen(2000)
    ));
}

#[test]
fn the_cost_of_each_date_shows_once_the_quote_is_recorded_and_chooses_nothing() {
    let mut m = model(&quoted(), Lang::En);
    let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert_eq!(on_key(&mut m, ctrl_d), None);
    assert_eq!(m.ui.overlay, Some(Overlay::DateCost));
    snap("quote_dates", &quoted(), |m| {
        let _ = on_key(m, ctrl_d);
    });
    // The person already acted: Enter is no choice here, Esc closes.
    assert_eq!(on_key(&mut m, press(KeyCode::Enter)), None);
    assert_eq!(m.ui.overlay, Some(Overlay::DateCost));
    assert_eq!(on_key(&mut m, press(KeyCode::Esc)), None);
    assert_eq!(m.ui.overlay, None);
}

#[test]
fn await_screen() {
    snap("await_opt_out", &waiting(), |_| {});
    let mut m = model(&waiting(), Lang::En);
    on_key(&mut m, press(KeyCode::Char('x')));
    type_text(&mut m, "2026-12-01");
    assert_eq!(
        on_key(&mut m, press(KeyCode::Enter)),
        Some(Action::Core(Event::Say(Statement::Cancelled {
            effective_date: NaiveDate::from_ymd_opt(2026, 12, 1)
        })))
    );
}

#[test]
fn done_screen() {
    let mut by_text = waiting();
    paste(&mut by_text, CANCELLED, "10086");
    snap("done_carrier_text", &by_text, |_| {});
    let mut unicom = identified("18600186000", PackageKind::ValueAdded, Channel::App);
    unicom.event(Event::EnterPackage(typed("腾讯视频会员", Some(2000), None)));
    paste(&mut unicom, MISSING, "10010");
    unicom.event(Event::EnterQuote(zero()));
    unicom.event(Event::Confirm);
    snap("done_missing_fields", &unicom, |_| {});
    let mut said = quoted();
    said.event(Event::Confirm).at(86_400);
    said.event(Event::Say(Statement::Cancelled {
        effective_date: NaiveDate::from_ymd_opt(2026, 12, 1),
    }));
    snap("done_statement", &said, |_| {});
}

/// The first key a hint names, as a key press.
fn first_key(hint: &Hint) -> KeyCode {
    let keys = hint.keys;
    for (name, code) in [
        ("Enter", KeyCode::Enter),
        ("Esc", KeyCode::Esc),
        ("Tab", KeyCode::Tab),
        // ↓ rather than ↑: at the top, scrolling up changes nothing.
        ("↑", KeyCode::Down),
        ("←", KeyCode::Left),
    ] {
        if keys.starts_with(name) {
            return code;
        }
    }
    KeyCode::Char(keys.chars().next().unwrap())
}

#[test]
fn every_key_the_footer_names_acts() {
    let states = [guided(), listed(), acting(), quoted(), waiting()];
    for sc in &states {
        let mut m = model(sc, Lang::En);
        if sc.state.facts.guided.is_none() {
            type_text(&mut m, "13800138000");
        }
        for hint in screens::hints(&m) {
            let mut pressed = m.clone();
            let action = on_key(&mut pressed, press(first_key(&hint)));
            assert!(
                action.is_some() || pressed.ui != m.ui,
                "{:?} on {:?} does nothing",
                hint.keys,
                sc.state.step
            );
        }
    }
}

#[test]
fn the_resume_offer_and_the_help_speak_of_the_guided_case() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut m = model(&Script::new(), lang);
        m.offer_resume(acting().state);
        insta::assert_snapshot!(format!("guided_resume_offer_{tag}"), draw80(&m).backend());
        let mut m = model(&guided(), lang);
        on_key(&mut m, press(KeyCode::F(1)));
        let text = draw80(&m).backend().to_string();
        assert!(
            !text.contains("get an SMS code") && !text.contains("获取短信验证码"),
            "the guided help asks for a code:\n{text}"
        );
        insta::assert_snapshot!(format!("guided_help_identify_{tag}"), draw80(&m).backend());
    }
}

#[test]
fn the_guide_speaks_of_guided_mode_not_of_logging_in() {
    for (lang, words) in [
        (Lang::En, "never asks for an SMS code"),
        (Lang::Zh, "从不索要短信验证码"),
    ] {
        let mut m = model(&acting(), lang);
        let _ = on_key(&mut m, press(KeyCode::Char('g')));
        assert_eq!(m.ui.overlay, Some(Overlay::Guidance));
        let screen = draw80(&m).backend().to_string();
        assert!(screen.contains(words), "{screen}");
    }
}

#[test]
fn an_abandoned_case_is_named_as_a_case_with_what_to_do() {
    let mut sc = waiting();
    sc.event(Event::Abandon);
    snap("abandoned", &sc, |_| {});
    let screen = draw80(&model(&sc, Lang::En)).backend().to_string();
    assert!(screen.contains("this case"), "{screen}");
    assert!(
        screen.contains("no reference from the carrier yet"),
        "{screen}"
    );
    assert!(!screen.contains("order number"), "{screen}");
}
