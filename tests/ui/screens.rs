//! Snapshots of every screen at 80×24, in Chinese and English, built from
//! states the core reached through scripted events and replies.

use ratatui::crossterm::event::KeyCode;
use unsubscribe_wizard::core::error::ErrorKind;
use unsubscribe_wizard::core::flow::{Event, Reply};
use unsubscribe_wizard::core::model::{OrderState, PayMethod, Payment, PaymentState};
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::ui::i18n::{SOURCES, parse_catalog};
use unsubscribe_wizard::ui::{Lang, Model, Overlay, on_key};

use crate::testkit::ui::*;

fn screen_text(model: &Model, w: u16, h: u16) -> String {
    draw(model, w, h).backend().to_string()
}

/// No i18n key and no unfilled `{placeholder}` may reach the screen.
fn assert_words_only(text: &str) {
    for (_, source) in SOURCES {
        for key in parse_catalog(source).unwrap().keys() {
            assert!(!text.contains(key.as_str()), "key {key} shown raw:\n{text}");
        }
    }
    for name in [
        "{hotline}",
        "{name}",
        "{amount}",
        "{date}",
        "{id}",
        "{fee}",
        "{value}",
    ] {
        assert!(!text.contains(name), "{name} left unfilled:\n{text}");
    }
}

/// Snapshots `sc` in both languages after `tweak` sets up the model.
fn snap(name: &str, sc: &Script, tweak: impl Fn(&mut Model)) {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut m = model(sc, lang);
        tweak(&mut m);
        let terminal = draw80(&m);
        assert_words_only(&terminal.backend().to_string());
        insta::assert_snapshot!(format!("{name}_{tag}"), terminal.backend());
    }
}

#[test]
fn login_empty() {
    snap("login_empty", &Script::new(), |_| {});
}

#[test]
fn login_typing_a_wrong_number_says_why() {
    snap("login_bad_number", &Script::new(), |m| {
        type_text(m, "1280013800")
    });
}

#[test]
fn login_virtual_operator_asks_for_the_carrier() {
    snap("login_virtual_operator", &Script::new(), |m| {
        type_text(m, "17012345678")
    });
}

#[test]
fn login_code_sent_with_countdown_password_and_sandbox_phone() {
    let mut sc = Script::new();
    let (msisdn, carrier) = validate::phone("18600186000").unwrap();
    sc.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .at(15);
    snap("login_code_sent_unicom", &sc, |m| {
        m.phone = Some(phone_with_code());
        on_key(m, press(KeyCode::Tab));
        on_key(m, press(KeyCode::Tab));
        type_text(m, "493817");
        on_key(m, press(KeyCode::Tab));
        type_text(m, "1357");
    });
}

#[test]
fn login_wrong_code_shows_the_remedy() {
    let mut sc = Script::new();
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    sc.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .at(20)
        .event(Event::Login {
            code: validate::sms_code("000000").unwrap(),
            password: None,
        })
        .fail(ErrorKind::WrongCredentials)
        .at(75);
    snap("login_wrong_code", &sc, |m| {
        m.ui.login.focus = unsubscribe_wizard::ui::state::LoginFocus::Code;
        type_text(m, "000000");
    });
}

#[test]
fn select_plan_lists_the_plans() {
    snap(
        "select_plan_mobile",
        &at_plans(Scenario::MobileBroadband),
        |_| {},
    );
}

#[test]
fn select_plan_nothing_cancellable_is_not_a_dead_end() {
    snap(
        "select_plan_nothing_cancellable",
        &at_plans(Scenario::UnicomNothing),
        |_| {},
    );
}

#[test]
fn select_plan_second_blocked_plan_explains_itself() {
    snap(
        "select_plan_expired_selected",
        &at_plans(Scenario::UnicomNothing),
        |m| {
            on_key(m, press(KeyCode::Down));
        },
    );
}

#[test]
fn select_plan_loading() {
    let mut sc = at_plans(Scenario::MobileBroadband);
    sc.state.facts.choice.account = None;
    // Re-enter through Retry of a failed fetch to get a real pending fetch.
    let mut sc2 = Script::new();
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    sc2.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .event(Event::Login {
            code: validate::sms_code("493817").unwrap(),
            password: None,
        })
        .reply(Reply::LoggedIn);
    snap("select_plan_loading", &sc2, |m| m.spinner = 3);
}

#[test]
fn submit_quoting_spinner() {
    let mut sc = at_plans(Scenario::TelecomBroadband);
    sc.event(Event::ChoosePlan {
        plan_id: "TY1000".into(),
    });
    snap("submit_quoting", &sc, |m| m.spinner = 1);
}

#[test]
fn submit_retention_offer_defaults_to_keep_cancelling() {
    snap(
        "submit_retention_offer",
        &at_review(Scenario::UnicomBroadband),
        |_| {},
    );
}

#[test]
fn submit_form_with_a_mistyped_id() {
    let mut sc = at_review(Scenario::MobileBroadband);
    sc.at(200);
    snap("submit_form_bad_id", &sc, |m| {
        type_text(m, "张伟");
        on_key(m, press(KeyCode::Tab));
        type_text(m, "110101199003071234");
    });
}

#[test]
fn submit_form_filled_after_declining_the_offer() {
    let mut sc = at_review(Scenario::UnicomBroadband);
    sc.event(Event::AnswerRetention { accept: false });
    snap("submit_form_ready_unicom", &sc, |m| {
        type_text(m, "刘洋");
        on_key(m, press(KeyCode::Tab));
        type_text(m, "510107197808156721");
        on_key(m, press(KeyCode::Tab));
        on_key(m, press(KeyCode::Tab));
        on_key(m, press(KeyCode::Right));
        on_key(m, press(KeyCode::Tab));
        type_text(m, "宽带用不上了");
    });
}

#[test]
fn submit_quote_whose_lines_do_not_add_up_is_flagged() {
    let mut sc = at_plans(Scenario::TelecomBroadband);
    sc.event(Event::ChoosePlan {
        plan_id: "TY1000".into(),
    });
    let mut quote = Scenario::TelecomBroadband.quote();
    quote.total = unsubscribe_wizard::core::fees::Fen(16970);
    sc.reply(Reply::Quoted(quote)).at(600);
    snap("submit_mismatch", &sc, |_| {});
}

#[test]
fn submit_confirming_shows_the_masked_summary() {
    snap(
        "submit_confirming",
        &at_confirming(Scenario::UnicomBroadband),
        |_| {},
    );
}

#[test]
fn submit_sending_spinner() {
    let mut sc = at_confirming(Scenario::MobileBroadband);
    sc.event(Event::Confirm);
    snap("submit_sending", &sc, |m| m.spinner = 2);
}

#[test]
fn pay_methods_with_too_little_balance() {
    snap(
        "pay_methods_mobile",
        &at_pay(Scenario::MobileBroadband),
        |_| {},
    );
}

#[test]
fn pay_card_number_masked() {
    snap("pay_card_masked", &at_pay(Scenario::MobileBroadband), |m| {
        on_key(m, press(KeyCode::Tab));
        type_text(m, "6222021234567890128");
    });
}

#[test]
fn pay_declined_says_so() {
    let mut sc = at_pay(Scenario::MobileBroadband);
    sc.event(Event::ChoosePayment {
        method: PayMethod::Card,
        card: Some(validate::card_number("6217000000000000004").unwrap()),
    })
    .fail(ErrorKind::PaymentDeclined);
    snap("pay_declined", &sc, |_| {});
}

#[test]
fn pay_qr_code_waiting() {
    let sc = at_qr(
        Scenario::TelecomBroadband,
        PayMethod::Alipay,
        "https://pay.sandbox.local/alipay/PAY-CT-0001",
    );
    snap("pay_qr", &sc, |m| m.spinner = 4);
}

#[test]
fn await_processing_with_a_notice() {
    snap(
        "await_processing",
        &at_await(Scenario::MobileBroadband),
        |m| m.spinner = 5,
    );
}

#[test]
fn await_stalled_says_not_confirmed() {
    let mut sc = at_await(Scenario::TelecomStalls);
    sc.at(300).reply(Reply::OrderStatus(
        Scenario::TelecomStalls.order(OrderState::Processing, Some(at(220))),
    ));
    sc.reply(Reply::Notices(Vec::new()));
    snap("await_stalled", &sc, |_| {});
}

#[test]
fn terminated_broadband_reminds_to_return_equipment() {
    snap(
        "terminated_broadband",
        &at_done(Scenario::MobileBroadband, true),
        |_| {},
    );
}

#[test]
fn terminated_without_a_notice_says_so() {
    snap(
        "terminated_no_notice",
        &at_done(Scenario::MobileDataPack, false),
        |m| {
            m.state.facts.progress.notices.clear();
        },
    );
}

#[test]
fn terminated_retention_accepted_keeps_the_plan() {
    let s = Scenario::UnicomBroadband;
    let mut sc = at_review(s);
    sc.event(Event::AnswerRetention { accept: true })
        .event(Event::EnterApplication(s.application()))
        .at(100)
        .event(Event::Confirm);
    let mut order = s.order(OrderState::Processing, Some(at(220)));
    order.amount_due = None;
    sc.reply(Reply::Submitted(order))
        .reply(Reply::Notices(Vec::new()))
        .at(190)
        .reply(Reply::OrderStatus(s.order(OrderState::Completed, None)))
        .reply(Reply::Notices(vec![
            unsubscribe_wizard::core::model::Notice {
                id: "9".into(),
                sent_at: at(190),
                text:
                    "【中国联通】您已成功办理挽留优惠，沃家宽带 500M月费调整为64.50元，连续6个月。"
                        .into(),
            },
        ]));
    snap("terminated_retention", &sc, |_| {});
}

fn blocked_login(kind: ErrorKind, number: &str) -> Script {
    let mut sc = Script::new();
    let (msisdn, carrier) = validate::phone(number).unwrap();
    sc.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .at(20)
        .event(Event::Login {
            code: validate::sms_code("493817").unwrap(),
            password: None,
        })
        .fail(kind);
    sc
}

#[test]
fn blocked_frozen_account_gives_10086() {
    snap(
        "blocked_frozen",
        &blocked_login(ErrorKind::AccountFrozen, "13900139000"),
        |_| {},
    );
}

#[test]
fn blocked_locked_login() {
    snap(
        "blocked_locked",
        &blocked_login(ErrorKind::LoginLocked, "13800138000"),
        |_| {},
    );
}

#[test]
fn blocked_order_rejected() {
    let s = Scenario::MobileBroadband;
    let mut sc = at_await(s);
    sc.at(200).reply(Reply::OrderStatus(s.order(
        OrderState::Rejected(Some("该宽带账号存在未完结的移机工单，请先撤销移机".into())),
        Some(at(232)),
    )));
    snap("blocked_order_rejected", &sc, |_| {});
}

#[test]
fn blocked_confirmation_stalled_after_abandoning() {
    let s = Scenario::TelecomStalls;
    let mut sc = at_await(s);
    sc.at(300)
        .reply(Reply::OrderStatus(
            s.order(OrderState::Processing, Some(at(220))),
        ))
        .reply(Reply::Notices(Vec::new()))
        .event(Event::Abandon);
    snap("blocked_stalled", &sc, |_| {});
}

#[test]
fn blocked_network_unreachable_can_retry() {
    let mut sc = Script::new();
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    sc.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .event(Event::Login {
            code: validate::sms_code("493817").unwrap(),
            password: None,
        })
        .reply(Reply::LoggedIn)
        .fail(ErrorKind::NetworkUnreachable {
            detail: "connection refused (127.0.0.1:7878)".into(),
        });
    snap("blocked_network", &sc, |_| {});
}

#[test]
fn overlays_help_guidance_and_quit() {
    snap(
        "overlay_help_submit",
        &at_review(Scenario::MobileBroadband),
        |m| m.ui.overlay = Some(Overlay::Help),
    );
    snap(
        "overlay_guide_select_plan",
        &at_plans(Scenario::UnicomNothing),
        |m| m.ui.overlay = Some(Overlay::Guidance),
    );
    snap(
        "overlay_quit_confirm",
        &at_await(Scenario::MobileBroadband),
        |m| m.ui.overlay = Some(Overlay::QuitConfirm),
    );
}

#[test]
fn resume_offer_names_the_plan_step_and_order() {
    let journalled = at_pay(Scenario::MobileBroadband).state.clone();
    snap("overlay_resume_offer", &Script::new(), |m| {
        m.offer_resume(journalled.clone())
    });
    let mut m = model(&Script::new(), Lang::En);
    m.offer_resume(journalled.clone());
    let text = draw80(&m).backend().to_string();
    assert!(
        text.contains("5G智享宽带 300M") && text.contains("138****8000"),
        "{text}"
    );
    assert!(
        text.contains(&Scenario::MobileBroadband.order_id()),
        "{text}"
    );
    // Enter resumes; n starts afresh and forgets the offer.
    assert_eq!(
        unsubscribe_wizard::ui::on_key(&mut m, press(KeyCode::Enter)),
        Some(unsubscribe_wizard::ui::Action::Resume)
    );
    let mut m = model(&Script::new(), Lang::En);
    m.offer_resume(journalled);
    assert_eq!(
        unsubscribe_wizard::ui::on_key(&mut m, press(KeyCode::Char('n'))),
        None
    );
    assert!(m.resume.is_none() && m.ui.overlay.is_none());
}

#[test]
fn small_window_asks_to_enlarge() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let m = model(&at_plans(Scenario::MobileBroadband), lang);
        let terminal = draw(&m, 60, 16);
        insta::assert_snapshot!(format!("small_window_{tag}"), terminal.backend());
    }
}

#[test]
fn large_window_still_lays_out() {
    let m = model(&at_review(Scenario::UnicomBroadband), Lang::Zh);
    let text = screen_text(&m, 200, 60);
    assert!(text.contains("挽留优惠"));
    assert_words_only(&text);
    // The content keeps a readable width, centred.
    let panel_row = text.lines().find(|l| l.contains('┌')).unwrap();
    let left = panel_row.chars().position(|c| c == '┌').unwrap();
    assert!(left > 40, "{panel_row}");
    if std::env::var_os("SHOW_LARGE").is_some() {
        println!("{text}");
    }
}

#[test]
fn login_again_after_the_session_expired() {
    let mut sc = at_await(Scenario::MobileBroadband);
    sc.fail(ErrorKind::SessionExpired);
    snap("login_session_expired", &sc, |_| {});
}

#[test]
fn await_retrying_a_busy_carrier() {
    let mut sc = at_await(Scenario::UnicomBroadband);
    sc.fail(ErrorKind::CarrierBusy {
        retry_after_secs: Some(2),
    });
    snap("await_retrying", &sc, |m| m.spinner = 7);
}

#[test]
fn submit_identity_mismatch_returns_to_the_form() {
    let mut sc = at_confirming(Scenario::MobileBroadband);
    sc.event(Event::Confirm).fail(ErrorKind::IdentityMismatch);
    snap("submit_identity_mismatch", &sc, |m| {
        type_text(m, "张卫");
    });
}

#[test]
fn submit_expired_quote_is_fetched_again() {
    let mut sc = at_confirming(Scenario::MobileBroadband);
    sc.at(16 * 60).event(Event::Confirm);
    snap("submit_requoting", &sc, |m| m.spinner = 6);
}

#[test]
fn pay_by_balance_when_it_covers_the_fees() {
    snap(
        "pay_methods_unicom",
        &at_pay(Scenario::UnicomBroadband),
        |_| {},
    );
}

#[test]
fn a_notice_from_the_shell_shows_above_the_keys() {
    let mut sc = Script::new();
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    sc.event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .at(10);
    for (lang, tag, text) in [
        (Lang::Zh, "zh", "新的验证码要 50 秒后才能获取。"),
        (Lang::En, "en", "A new code can be requested in 50 s."),
    ] {
        let mut m = model(&sc, lang);
        m.notice = Some(text.into());
        let terminal = draw80(&m);
        insta::assert_snapshot!(format!("shell_notice_{tag}"), terminal.backend());
    }
}

#[test]
fn a_waiting_qr_code_can_be_set_aside_to_pay_another_way() {
    let mut sc = at_pay(Scenario::TelecomBroadband);
    sc.event(Event::ChoosePayment {
        method: PayMethod::Alipay,
        card: None,
    })
    .reply(Reply::Paid(Payment {
        id: "PAY-CT-0001".into(),
        method: PayMethod::Alipay,
        state: PaymentState::Pending,
        pay_url: Some("https://pay.sandbox.local/alipay/PAY-CT-0001".into()),
        card_last4: None,
    }));
    let mut m = model(&sc, Lang::En);
    assert!(screen_text(&m, 80, 24).contains("Scan the QR code"));
    assert_eq!(
        unsubscribe_wizard::ui::on_key(&mut m, press(KeyCode::Char('m'))),
        None
    );
    let text = screen_text(&m, 80, 24);
    assert!(
        !text.contains("Scan the QR code") && text.contains("WeChat Pay"),
        "{text}"
    );
    // Choosing WeChat now is accepted by the core although the wait for the
    // Alipay payment was still in flight: that wait is left behind.
    m.ui.pay.method = unsubscribe_wizard::core::model::PayMethod::WeChat;
    let Some(unsubscribe_wizard::ui::Action::Core(event)) =
        unsubscribe_wizard::ui::on_key(&mut m, press(KeyCode::Enter))
    else {
        panic!("Enter pays");
    };
    assert!(unsubscribe_wizard::core::flow::step(&m.state, event, m.now).is_ok());
}
