//! The pure parts of the line front end: `answer` (a line → an event, or
//! what is expected) and `render` (a state → its lines), in guided mode,
//! and the `wizard.plain` key.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::answer::{Answer, answer};
use super::form::{Ask, Form, Question, question};
use super::render;
use crate::core::channels::{Channel, Kind};
use crate::core::fees::Fen;
use crate::core::flow::guided::{Quoted, Source, Statement};
use crate::core::flow::{Event, Mode, State, Step, step};
use crate::core::model::{CarrierId, KeySeed};
use crate::ui::Lang;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn send(state: &State, event: Event) -> State {
    step(state, event, now()).unwrap().state
}

/// A guided dialogue at its first question.
fn fresh() -> (State, Form) {
    let state = send(
        &State::new(KeySeed([7; 16]), now()),
        Event::ChooseMode(Mode::Guided),
    );
    let form = Form {
        mode_chosen: true,
        ..Form::default()
    };
    (state, form)
}

/// Answers the question the dialogue would ask now.
fn say(state: &State, form: &mut Form, line: &str) -> Answer {
    let asked = question(state, form);
    answer(state, form, asked, line, Lang::En)
}

/// Answers lines until one makes an event; the state it leads to.
fn through(mut state: State, form: &mut Form, lines: &[&str]) -> State {
    for line in lines {
        match say(&state, form, line) {
            Answer::Apply(event) => state = send(&state, event),
            Answer::Noted => {}
            other => panic!("{line:?}: {other:?}"),
        }
    }
    state
}

fn identified(kind: &str, channel: &str) -> (State, Form) {
    let (state, mut form) = fresh();
    let state = through(state, &mut form, &["13800138000", "", kind, channel]);
    (state, form)
}

fn expected(got: Answer) -> String {
    match got {
        Answer::Expected(words) => words,
        other => panic!("not an expected: {other:?}"),
    }
}

#[test]
fn identify_confirms_the_carrier_and_defaults_to_the_recommended_channel() {
    let (state, mut form) = fresh();
    assert_eq!(question(&state, &form), Question::Number);
    assert_eq!(say(&state, &mut form, "13800138000"), Answer::Noted);
    assert_eq!(question(&state, &form), Question::Guided(Ask::Carrier));
    assert!(expected(say(&state, &mut form, "orange")).starts_with("Expected: "));
    assert_eq!(say(&state, &mut form, "unicom"), Answer::Noted, "ported");
    assert!(expected(say(&state, &mut form, "9")).contains("1 = data pack"));
    assert_eq!(say(&state, &mut form, "3"), Answer::Noted);
    let refused = expected(say(&state, &mut form, "1"));
    assert!(refused.starts_with("SMS cannot do this: "), "{refused}");
    let Answer::Apply(Event::Identify {
        carrier,
        channel,
        kind,
        ..
    }) = say(&state, &mut form, "")
    else {
        panic!("no identify")
    };
    assert_eq!(
        (carrier, kind, channel),
        (CarrierId::ChinaUnicom, Kind::Broadband, Channel::Hall)
    );
}

#[test]
fn a_package_typed_by_hand_and_the_fees_make_one_event_each() {
    let (state, mut form) = identified("4", "3");
    assert!(matches!(state.step, Step::SelectPlan { .. }));
    assert!(
        expected(say(&state, &mut form, "1")).contains("m = type"),
        "no list yet"
    );
    let state = through(state, &mut form, &["m", "全球通 128", "128"]);
    assert!(expected(say(&state, &mut form, "March")).contains("YYYY-MM-DD"));
    let state = through(state, &mut form, &["2027-03-31"]);
    let case = state.facts.guided.clone().unwrap();
    let package = case.package.unwrap();
    assert_eq!(package.monthly_fee, Some(Fen(12800)));
    assert_eq!(package.source, Source::Statement);
    assert_eq!(
        say(&state, &mut form, "r SL1"),
        Answer::Apply(Event::Say(Statement::Reference {
            reference: "SL1".into()
        }))
    );
    let state = through(state, &mut form, &["d", "200", "100", "", "2026-12-01"]);
    let quoted = state.facts.guided.clone().unwrap().quoted.unwrap();
    assert_eq!(
        quoted,
        Quoted {
            penalty: Fen(20000),
            equipment: Fen(10000),
            refund: Fen(0),
            effective_date: NaiveDate::from_ymd_opt(2026, 12, 1),
            source: Source::Statement,
        }
    );
    assert_eq!(say(&state, &mut form, "y"), Answer::Apply(Event::Confirm));
}

#[test]
fn awaiting_takes_a_paste_a_statement_with_its_date_or_a_stop() {
    let (state, mut form) = identified("1", "");
    let state = through(
        state,
        &mut form,
        &["m", "流量包", "", "", "d", "0", "", "", "", "y"],
    );
    assert!(matches!(state.step, Step::Await { .. }));
    assert_eq!(
        say(&state, &mut form, "t 10086"),
        Answer::Paste {
            from: Some("10086".into())
        }
    );
    assert_eq!(say(&state, &mut form, "a"), Answer::Apply(Event::Abandon));
    assert_eq!(say(&state, &mut form, "q"), Answer::Quit);
    assert!(expected(say(&state, &mut form, "o")).contains("c = the carrier told me"));
    assert_eq!(say(&state, &mut form, "c"), Answer::Noted);
    assert_eq!(
        say(&state, &mut form, "2026-12-01"),
        Answer::Apply(Event::Say(Statement::Cancelled {
            effective_date: NaiveDate::from_ymd_opt(2026, 12, 1)
        }))
    );
}

#[test]
fn the_fee_step_puts_the_estimate_beside_the_quote_and_the_total_last() {
    let (state, mut form) = identified("4", "3");
    let state = through(
        state,
        &mut form,
        &[
            "m",
            "全球通 128",
            "128",
            "2027-03-31",
            "d",
            "200",
            "",
            "",
            "",
        ],
    );
    let lines = render::lines(&state, &form, Lang::En, today());
    let at = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix));
    assert_eq!(lines[0], "Step 4 of 6: Fees");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("penalty ¥153.60") && l.starts_with("Estimate"))
    );
    assert!(at("Penalty").unwrap() < at("Total due").unwrap());
    assert!(at("Refund").unwrap() < at("Total due").unwrap());
    assert!(
        lines
            .iter()
            .any(|l| l.contains("differs from the estimate by ¥46.40"))
    );
}

/// Carrier text full of escapes, controls and bidi overrides.
const HOSTILE: &str = "尊敬的客户，您已订购的包月业务如下：\n1、\u{1b}]52;c;aGk=\u{7}流量\u{1b}[2J包\u{202e}，30元/月；\n2、\u{9b}31m彩铃\u{0}，6元/月；\n可在2小时内回复相应序号退订。【中国移动】";

#[test]
fn no_rendered_line_carries_a_control_byte_whatever_the_carrier_sent() {
    let (state, mut form) = identified("1", "");
    let mut states = vec![state.clone()];
    let mut state = send(
        &state,
        Event::PasteSms {
            text: HOSTILE.into(),
            from: Some("\u{1b}[1m10086".into()),
        },
    );
    states.push(state.clone());
    for line in ["1", "d", "0", "", "", "", "y"] {
        if let Answer::Apply(event) = say(&state, &mut form, line) {
            state = send(&state, event);
            states.push(state.clone());
        }
    }
    let failed = format!("退订失败\u{1b}[31m：{HOSTILE}");
    state = send(
        &state,
        Event::PasteSms {
            text: failed,
            from: None,
        },
    );
    states.push(state.clone());
    state = send(
        &state,
        Event::Say(Statement::Cancelled {
            effective_date: None,
        }),
    );
    states.push(state);
    for lang in [Lang::En, Lang::Zh] {
        for state in &states {
            for line in render::lines(state, &form, lang, today()) {
                assert!(!line.chars().any(crate::text::is_unsafe), "{line:?}");
            }
        }
    }
    assert!(matches!(
        states.last().unwrap().step,
        Step::Terminated { .. }
    ));
}

#[test]
fn wizard_plain_is_read_from_the_configuration() {
    use crate::config::Config;
    let file = "/home/me/.config/unsubscribe-wizard/config.toml";
    assert!(!Config::builtin().unwrap().wizard.plain, "off by default");
    let on = Config::from_user_toml("[wizard]\nplain = true\n", file).unwrap();
    assert!(on.wizard.plain);
    let wrong = Config::from_user_toml("[wizard]\nplain = \"yes\"\n", file).unwrap_err();
    assert!(wrong.to_string().contains("wizard.plain"), "{wrong}");
}
