//! Key handling: typing into fields, Tab order, Esc, `q` in a text field vs
//! outside, Enter producing the right core event — and a whole cancellation
//! driven from keys alone, each event accepted by the real core.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::style::Color;
use unsubscribe_wizard::core::error::ErrorKind;
use unsubscribe_wizard::core::flow::{Event, Reply, Step, StepName, SubmitPhase, step};
use unsubscribe_wizard::core::model::{CarrierId, OrderState, PayMethod, Payment, PaymentState};
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::ui::state::{FormFocus, LoginFocus, PayFocus};
use unsubscribe_wizard::ui::{Action, Lang, Model, Overlay, on_key};

use crate::testkit::ui::*;

fn key(model: &mut Model, code: KeyCode) -> Option<Action> {
    on_key(model, press(code))
}

fn ctrl_c(model: &mut Model) -> Option<Action> {
    on_key(
        model,
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
    )
}

/// Applies an action's event to the core (it must be accepted) at `now`.
fn apply(model: &mut Model, action: Option<Action>) {
    let Some(Action::Core(event)) = action else {
        panic!("expected a core event, got {action:?}");
    };
    let tr = step(&model.state, event.clone(), model.now)
        .unwrap_or_else(|e| panic!("core refused {event:?}: {e}"));
    model.set_state(tr.state);
}

/// Answers the call in flight.
fn answer(model: &mut Model, reply: Reply) {
    let req = model.state.pending.expect("a call in flight").req;
    let tr = step(&model.state, Event::Reply(req, reply), model.now).unwrap();
    model.set_state(tr.state);
}

#[test]
fn q_in_a_text_field_is_a_character() {
    let mut m = model(&Script::new(), Lang::Zh);
    assert_eq!(m.ui.login.focus, LoginFocus::Number);
    assert_eq!(key(&mut m, KeyCode::Char('q')), None);
    assert_eq!(m.ui.login.number.value(), "q");
    // ...and the field says what is wrong with it.
    let text = draw80(&m).backend().to_string();
    assert!(text.contains("这里只能输入数字"), "{text}");
    // On the carrier choice it quits (nothing is with the carrier yet).
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.ui.login.focus, LoginFocus::Carrier);
    assert_eq!(key(&mut m, KeyCode::Char('q')), Some(Action::Quit));
}

#[test]
fn question_mark_and_g_open_overlays_outside_fields_f1_f2_inside() {
    let mut m = model(&at_plans(Scenario::MobileBroadband), Lang::En);
    key(&mut m, KeyCode::Char('?'));
    assert_eq!(m.ui.overlay, Some(Overlay::Help));
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.ui.overlay, None);
    key(&mut m, KeyCode::Char('g'));
    assert_eq!(m.ui.overlay, Some(Overlay::Guidance));
    key(&mut m, KeyCode::Down);
    assert_eq!(m.ui.scroll, 1);
    key(&mut m, KeyCode::Char('g'));
    assert_eq!(m.ui.overlay, None);

    let mut m = model(&Script::new(), Lang::En);
    key(&mut m, KeyCode::Char('?'));
    assert_eq!(m.ui.overlay, None, "? is typed into the number field");
    key(&mut m, KeyCode::F(1));
    assert_eq!(m.ui.overlay, Some(Overlay::Help));
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::F(2));
    assert_eq!(m.ui.overlay, Some(Overlay::Guidance));
}

#[test]
fn login_tab_order_includes_the_password_only_for_unicom() {
    let mut m = model(&Script::new(), Lang::Zh);
    type_text(&mut m, "13800138000");
    let mut seen = vec![m.ui.login.focus];
    for _ in 0..3 {
        key(&mut m, KeyCode::Tab);
        seen.push(m.ui.login.focus);
    }
    use LoginFocus::*;
    assert_eq!(seen, [Number, Carrier, Code, Number]);
    key(&mut m, KeyCode::BackTab);
    assert_eq!(m.ui.login.focus, Code);

    let mut m = model(&Script::new(), Lang::Zh);
    type_text(&mut m, "18600186000");
    let mut seen = vec![m.ui.login.focus];
    for _ in 0..4 {
        key(&mut m, KeyCode::Tab);
        seen.push(m.ui.login.focus);
    }
    assert_eq!(seen, [Number, Carrier, Code, Password, Number]);
}

#[test]
fn enter_on_the_number_requests_a_code_from_the_suggested_carrier() {
    let mut m = model(&Script::new(), Lang::Zh);
    type_text(&mut m, "13800138000");
    let action = key(&mut m, KeyCode::Enter);
    assert_eq!(
        action,
        Some(Action::Core(Event::RequestCode {
            msisdn: validate::phone("13800138000").unwrap().0,
            carrier: CarrierId::ChinaMobile,
        }))
    );
    assert_eq!(m.ui.login.focus, LoginFocus::Code);
}

#[test]
fn a_moved_number_can_be_sent_to_another_carrier() {
    let mut m = model(&Script::new(), Lang::Zh);
    type_text(&mut m, "13800138000");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Right);
    let Some(Action::Core(Event::RequestCode { carrier, .. })) = key(&mut m, KeyCode::Enter) else {
        panic!("no code request");
    };
    assert_eq!(carrier, CarrierId::ChinaUnicom);
}

#[test]
fn a_virtual_operator_number_needs_a_carrier_first() {
    let mut m = model(&Script::new(), Lang::Zh);
    type_text(&mut m, "17012345678");
    assert_eq!(key(&mut m, KeyCode::Enter), None);
    assert_eq!(m.ui.login.focus, LoginFocus::Carrier);
    key(&mut m, KeyCode::Right);
    let Some(Action::Core(Event::RequestCode { carrier, msisdn })) = key(&mut m, KeyCode::Enter)
    else {
        panic!("no code request");
    };
    assert_eq!(carrier, CarrierId::ChinaMobile);
    assert_eq!(msisdn.as_str(), "17012345678");
}

#[test]
fn backspace_edits_and_a_wrong_number_sends_nothing() {
    let mut m = model(&Script::new(), Lang::En);
    type_text(&mut m, "138001380000");
    key(&mut m, KeyCode::Backspace);
    assert_eq!(m.ui.login.number.value(), "13800138000");
    key(&mut m, KeyCode::Backspace);
    assert_eq!(key(&mut m, KeyCode::Enter), None);
}

#[test]
fn the_service_password_is_never_shown() {
    let mut sc = Script::new();
    let (msisdn, carrier) = validate::phone("18600186000").unwrap();
    sc.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent);
    let mut m = model(&sc, Lang::Zh);
    m.ui.login.focus = LoginFocus::Password;
    type_text(&mut m, "135790");
    let text = draw80(&m).backend().to_string();
    assert!(!text.contains("135790"));
    assert!(text.contains("••••••"));
}

#[test]
fn code_and_password_are_wiped_once_logged_in() {
    let mut m = model(&Script::new(), Lang::Zh);
    type_text(&mut m, "18600186000");
    let a = key(&mut m, KeyCode::Enter);
    apply(&mut m, a);
    answer(&mut m, Reply::CodeSent);
    type_text(&mut m, "493817");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "135790");
    let Some(Action::Core(Event::Login { code, password })) = key(&mut m, KeyCode::Enter) else {
        panic!("no login");
    };
    assert_eq!(code.expose(), "493817");
    assert_eq!(password.unwrap().expose(), "135790");
    apply(
        &mut m,
        Some(Action::Core(Event::Login {
            code: validate::sms_code("493817").unwrap(),
            password: Some(validate::service_password("135790").unwrap()),
        })),
    );
    answer(&mut m, Reply::LoggedIn);
    assert!(m.ui.login.code.is_empty());
    assert!(m.ui.login.password.is_empty());
}

#[test]
fn select_plan_skips_nothing_and_refuses_blocked_plans() {
    let mut m = model(&at_plans(Scenario::UnicomNothing), Lang::Zh);
    assert_eq!(
        key(&mut m, KeyCode::Enter),
        None,
        "a bundle member cannot be chosen"
    );
    key(&mut m, KeyCode::Down);
    assert_eq!(m.ui.plans.selected, 1);
    assert_eq!(key(&mut m, KeyCode::Enter), None);
    assert_eq!(key(&mut m, KeyCode::Esc), Some(Action::Core(Event::Back)));

    let mut m = model(&at_plans(Scenario::MobileBroadband), Lang::Zh);
    assert_eq!(
        key(&mut m, KeyCode::Enter),
        Some(Action::Core(Event::ChoosePlan {
            plan_id: "BB300".into()
        }))
    );
}

#[test]
fn retention_is_declined_by_default_and_accepted_with_a() {
    let mut m = model(&at_review(Scenario::UnicomBroadband), Lang::Zh);
    assert_eq!(
        key(&mut m, KeyCode::Enter),
        Some(Action::Core(Event::AnswerRetention { accept: false }))
    );
    assert_eq!(
        key(&mut m, KeyCode::Char('n')),
        Some(Action::Core(Event::AnswerRetention { accept: false }))
    );
    assert_eq!(
        key(&mut m, KeyCode::Char('a')),
        Some(Action::Core(Event::AnswerRetention { accept: true }))
    );
}

#[test]
fn the_form_refuses_until_every_field_is_right() {
    let mut m = model(&at_review(Scenario::MobileBroadband), Lang::En);
    // The contact number starts as the login number.
    assert_eq!(m.ui.form.contact.value(), "13800138000");
    type_text(&mut m, "张伟");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "110101199003071234");
    assert_eq!(key(&mut m, KeyCode::Enter), None);
    assert_eq!(m.ui.form.focus, FormFocus::Id);
    let text = draw80(&m).backend().to_string();
    assert!(text.contains("last character should be 3"), "{text}");
    key(&mut m, KeyCode::Backspace);
    type_text(&mut m, "3");
    // q in the name or ID field is text, not quit.
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.ui.form.focus, FormFocus::Reason);
    key(&mut m, KeyCode::Right);
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "quit");
    assert_eq!(m.ui.form.reason_text.value(), "quit");
    let Some(Action::Core(Event::EnterApplication(app))) = key(&mut m, KeyCode::Enter) else {
        panic!("no application");
    };
    assert_eq!(app.holder_name, "张伟");
    assert_eq!(app.id_number.masked(), "110***********1233");
    assert_eq!(app.reason.wire(), "TOO_EXPENSIVE");
    assert_eq!(app.reason_text, "quit");
    apply(&mut m, Some(Action::Core(Event::EnterApplication(app))));
    assert!(matches!(
        m.state.step,
        Step::Submit {
            phase: SubmitPhase::Confirming,
            ..
        }
    ));
    assert_eq!(key(&mut m, KeyCode::Esc), Some(Action::Core(Event::Back)));
    assert_eq!(
        key(&mut m, KeyCode::Enter),
        Some(Action::Core(Event::Confirm))
    );
}

#[test]
fn pay_moves_off_a_short_balance_and_checks_the_card() {
    let mut m = model(&at_pay(Scenario::MobileBroadband), Lang::Zh);
    assert_eq!(m.ui.pay.method(), PayMethod::Card, "balance 30.00 < 207.90");
    assert_eq!(key(&mut m, KeyCode::Enter), None, "no card number yet");
    assert_eq!(m.ui.pay.focus, PayFocus::Card);
    type_text(&mut m, "6222021234567890127");
    assert_eq!(key(&mut m, KeyCode::Enter), None, "Luhn fails");
    key(&mut m, KeyCode::Backspace);
    type_text(&mut m, "8");
    let Some(Action::Core(Event::ChoosePayment { method, card })) = key(&mut m, KeyCode::Enter)
    else {
        panic!("no payment");
    };
    assert_eq!(method, PayMethod::Card);
    assert_eq!(card.unwrap().last4(), "0128");
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Down);
    assert_eq!(
        key(&mut m, KeyCode::Enter),
        Some(Action::Core(Event::ChoosePayment {
            method: PayMethod::Alipay,
            card: None
        }))
    );
}

#[test]
fn balance_insufficient_leads_to_the_other_methods() {
    let mut sc = at_pay(Scenario::UnicomBroadband);
    sc.event(Event::ChoosePayment {
        method: PayMethod::Balance,
        card: None,
    })
    .fail(ErrorKind::BalanceInsufficient);
    let m = model(&sc, Lang::Zh);
    assert_eq!(m.ui.pay.method(), PayMethod::Card);
}

#[test]
fn await_keys_work_only_when_stalled() {
    let s = Scenario::TelecomStalls;
    let mut m = model(&at_await(s), Lang::Zh);
    assert_eq!(key(&mut m, KeyCode::Char('r')), None);
    let mut sc = at_await(s);
    sc.at(300).reply(Reply::OrderStatus(
        s.order(OrderState::Processing, Some(at(220))),
    ));
    let mut m = model(&sc, Lang::Zh);
    assert_eq!(
        key(&mut m, KeyCode::Char('r')),
        Some(Action::Core(Event::Resubmit))
    );
    assert_eq!(
        key(&mut m, KeyCode::Char('a')),
        Some(Action::Core(Event::Abandon))
    );
}

#[test]
fn quitting_with_an_order_in_flight_asks_first() {
    let mut m = model(&at_await(Scenario::MobileBroadband), Lang::Zh);
    assert_eq!(key(&mut m, KeyCode::Char('q')), None);
    assert_eq!(m.ui.overlay, Some(Overlay::QuitConfirm));
    assert_eq!(key(&mut m, KeyCode::Char('n')), None);
    assert_eq!(m.ui.overlay, None);
    key(&mut m, KeyCode::Char('q'));
    assert_eq!(key(&mut m, KeyCode::Char('y')), Some(Action::Quit));

    let mut m = model(&at_await(Scenario::MobileBroadband), Lang::Zh);
    assert_eq!(ctrl_c(&mut m), None);
    assert_eq!(m.ui.overlay, Some(Overlay::QuitConfirm));
    assert_eq!(ctrl_c(&mut m), Some(Action::ForceQuit));

    let mut m = model(&at_plans(Scenario::MobileBroadband), Lang::Zh);
    assert_eq!(
        ctrl_c(&mut m),
        Some(Action::Quit),
        "nothing sent: quit at once"
    );
}

#[test]
fn blocked_retries_and_goes_back_only_when_allowed() {
    let mut sc = Script::new();
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    sc.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .event(Event::Login {
            code: validate::sms_code("493817").unwrap(),
            password: None,
        })
        .reply(Reply::LoggedIn)
        .fail(ErrorKind::TimedOut {
            call: "GET /subscriptions".into(),
        });
    let mut m = model(&sc, Lang::Zh);
    assert_eq!(
        key(&mut m, KeyCode::Char('r')),
        Some(Action::Core(Event::Retry))
    );
    assert_eq!(key(&mut m, KeyCode::Esc), Some(Action::Core(Event::Back)));

    let s = Scenario::MobileBroadband;
    let mut sc = at_await(s);
    sc.reply(Reply::OrderStatus(
        s.order(OrderState::Rejected(None), None),
    ));
    let mut m = model(&sc, Lang::Zh);
    assert_eq!(key(&mut m, KeyCode::Char('r')), None);
    assert_eq!(
        key(&mut m, KeyCode::Esc),
        None,
        "the order exists: no going back"
    );
    assert_eq!(
        key(&mut m, KeyCode::Char('q')),
        Some(Action::Quit),
        "finished: no question"
    );
}

#[test]
fn key_releases_are_ignored() {
    let mut m = model(&Script::new(), Lang::Zh);
    let mut release = press(KeyCode::Char('1'));
    release.kind = KeyEventKind::Release;
    assert_eq!(on_key(&mut m, release), None);
    assert!(m.ui.login.number.is_empty());
}

#[test]
fn a_whole_cancellation_driven_by_keys() {
    // China Telecom broadband: code, plan, form, Alipay QR, processing, done.
    let s = Scenario::TelecomBroadband;
    let mut m = model(&Script::new(), Lang::Zh);
    type_text(&mut m, s.number());
    let a = key(&mut m, KeyCode::Enter);
    apply(&mut m, a);
    answer(&mut m, Reply::CodeSent);
    type_text(&mut m, "493817");
    let a = key(&mut m, KeyCode::Enter);
    apply(&mut m, a);
    answer(&mut m, Reply::LoggedIn);
    answer(&mut m, Reply::Plans(s.account()));
    assert_eq!(m.current_step(), StepName::SelectPlan);
    let a = key(&mut m, KeyCode::Enter);
    apply(&mut m, a);
    answer(&mut m, Reply::Quoted(s.quote()));
    let (name, id) = s.holder();
    type_text(&mut m, name);
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, id);
    let a = key(&mut m, KeyCode::Enter);
    apply(&mut m, a);
    let a = key(&mut m, KeyCode::Enter);
    apply(&mut m, a);
    assert_eq!(m.ui.form.id.value(), id, "kept until the order exists");
    answer(
        &mut m,
        Reply::Submitted(s.order(OrderState::AwaitingPayment, None)),
    );
    assert_eq!(m.current_step(), StepName::Pay);
    assert_eq!(m.ui.pay.method(), PayMethod::Card, "balance 0 is skipped");
    key(&mut m, KeyCode::Down);
    let a = key(&mut m, KeyCode::Enter);
    apply(&mut m, a);
    answer(
        &mut m,
        Reply::Paid(Payment {
            id: "P1".into(),
            method: PayMethod::Alipay,
            state: PaymentState::Pending,
            pay_url: Some("https://pay.sandbox.local/alipay/P1".into()),
            card_last4: None,
        }),
    );
    let text = draw80(&m).backend().to_string();
    assert!(
        text.contains("https://pay.sandbox.local/alipay/P1"),
        "{text}"
    );
    assert!(text.contains('█'), "a QR code is drawn");
    answer(
        &mut m,
        Reply::OrderStatus(s.order(OrderState::Processing, Some(at(300)))),
    );
    assert_eq!(m.current_step(), StepName::Await);
    assert!(m.ui.form.id.is_empty(), "the ID is wiped after submitting");
    answer(&mut m, Reply::Notices(s.notices()));
    answer(
        &mut m,
        Reply::OrderStatus(s.order(OrderState::Completed, None)),
    );
    answer(&mut m, Reply::Notices(Vec::new()));
    assert_eq!(m.current_step(), StepName::Terminated);
    let text = draw80(&m).backend().to_string();
    // The ¥100.00 equipment fee was paid: no "return it or be charged".
    assert!(text.contains("设备费 ¥100.00 已随本次退订付清"), "{text}");
    assert!(!text.contains("光猫和机顶盒"), "{text}");
    assert_eq!(key(&mut m, KeyCode::Enter), Some(Action::Quit));
}

#[test]
fn no_color_draws_no_colour_and_colour_marks_the_focus() {
    let sc = at_review(Scenario::UnicomBroadband);
    let mut m = model(&sc, Lang::Zh);
    m.no_color = true;
    let terminal = draw80(&m);
    for cell in terminal.backend().buffer().content() {
        assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, Color::Reset, "{cell:?}");
    }
    m.no_color = false;
    let terminal = draw80(&m);
    assert!(
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.bg == Color::Cyan),
        "the current step and default choice are highlighted"
    );
}

#[test]
fn the_cursor_sits_after_wide_characters() {
    let mut m = model(&at_review(Scenario::MobileBroadband), Lang::Zh);
    type_text(&mut m, "张伟");
    let mut terminal = draw80(&m);
    // The name box starts after the margin, border, padding, marker,
    // label (10 columns) and a space; 张伟 takes 4 columns.
    let pos = terminal.get_cursor_position().unwrap();
    let box_start = 1 + 1 + 1 + 2 + 10 + 1;
    let buffer = terminal.backend().buffer();
    assert_eq!(buffer[(box_start, pos.y)].symbol(), "张");
    assert_eq!(buffer[(box_start + 2, pos.y)].symbol(), "伟");
    assert_eq!(pos.x, box_start + 4);
}

#[test]
fn esc_stops_waiting_for_a_code_and_the_number_can_change() {
    let mut m = model(&Script::new(), Lang::Zh);
    type_text(&mut m, "13800138000");
    let a = key(&mut m, KeyCode::Enter);
    apply(&mut m, a);
    assert!(m.state.pending.is_some());
    assert_eq!(
        key(&mut m, KeyCode::Enter),
        None,
        "nothing new while waiting"
    );
    let a = key(&mut m, KeyCode::Esc);
    assert_eq!(a, Some(Action::Core(Event::Back)));
    apply(&mut m, a);
    assert!(m.state.pending.is_none());
}

#[test]
fn the_code_is_read_from_the_sandbox_phone_only() {
    let mut sc = Script::new();
    let (msisdn, carrier) = validate::phone("18600186000").unwrap();
    sc.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent);
    let mut m = model(&sc, Lang::En);
    let without = draw80(&m).backend().to_string();
    assert!(!without.contains("493817"));
    assert!(!without.contains("Sandbox phone"));
    m.phone = Some(phone_with_code());
    let with = draw80(&m).backend().to_string();
    assert!(with.contains("Sandbox phone"), "{with}");
    assert!(with.contains("493817"), "{with}");
}

#[test]
fn a_resumed_flow_keeps_its_number() {
    let mut sc = at_await(Scenario::MobileBroadband);
    sc.fail(ErrorKind::SessionExpired);
    let mut m = model(&sc, Lang::Zh);
    assert_eq!(m.ui.login.number.value(), "13800138000");
    type_text(&mut m, "9");
    key(&mut m, KeyCode::Backspace);
    assert_eq!(m.ui.login.number.value(), "13800138000");
    let a = key(&mut m, KeyCode::Enter);
    apply(&mut m, a);
    assert!(
        m.state.pending.is_some(),
        "the code is requested for the same number"
    );
}

#[test]
fn choosing_the_balance_again_is_respected_until_the_carrier_refuses() {
    let mut m = model(&at_pay(Scenario::MobileBroadband), Lang::Zh);
    key(&mut m, KeyCode::Up);
    assert_eq!(m.ui.pay.method(), PayMethod::Balance);
    assert_eq!(key(&mut m, KeyCode::Enter), None, "the balance asks first");
    let a = key(&mut m, KeyCode::Enter);
    apply(&mut m, a);
    assert_eq!(
        m.ui.pay.method(),
        PayMethod::Balance,
        "not moved while paying"
    );
    let carrier = m.state.facts.carrier().unwrap();
    answer(
        &mut m,
        Reply::Failed(unsubscribe_wizard::core::error::CarrierError::new(
            carrier,
            ErrorKind::BalanceInsufficient,
        )),
    );
    assert_eq!(m.ui.pay.method(), PayMethod::Card);
}
