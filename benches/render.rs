//! Rendering cost of every screen at 80×24 and 200×60, into a `TestBackend`.
//! The states come from the same scripted flows as the snapshot tests.
//! Each iteration is one `Terminal::draw`: the screen's `render`, the buffer
//! diff and the (in-memory) backend writes, i.e. what a redraw costs minus the
//! tty. Target: at most 0.3 ms per frame at 200x60 (docs/BENCHMARKS.md).
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches run fixed data

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unsubscribe_wizard::core::flow::{Event, Reply};
use unsubscribe_wizard::core::model::{OrderState, PayMethod, Payment, PaymentState};
use unsubscribe_wizard::core::validate;
use unsubscribe_wizard::ui::{Lang, Model, Overlay, render};

#[path = "../tests/testkit/ui.rs"]
mod ui_common;

use ui_common::*;

fn screens() -> Vec<(&'static str, Model)> {
    let mut code_sent = Script::new();
    let (msisdn, carrier) = validate::phone(Scenario::UnicomBroadband.number()).expect("number");
    code_sent
        .event(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .at(5);
    let mut login_phone = model(&code_sent, Lang::Zh);
    login_phone.phone = Some(phone_with_code());
    let mut sending = at_confirming(Scenario::MobileBroadband);
    sending.at(100).event(Event::Confirm);
    let mut out = vec![
        ("login", model(&Script::new(), Lang::Zh)),
        ("login_sandbox_phone", login_phone),
        (
            "select_plan_list",
            model(&at_plans(Scenario::MobileBroadband), Lang::Zh),
        ),
        (
            "select_plan",
            model(&at_plans(Scenario::UnicomNothing), Lang::Zh),
        ),
        (
            "submit_retention",
            model(&at_review(Scenario::UnicomBroadband), Lang::Zh),
        ),
        (
            "submit_review",
            model(&at_review(Scenario::MobileBroadband), Lang::Zh),
        ),
        ("submit_sending", model(&sending, Lang::Zh)),
        (
            "submit_confirming",
            model(&at_confirming(Scenario::MobileBroadband), Lang::En),
        ),
        (
            "pay_methods",
            model(&at_pay(Scenario::MobileBroadband), Lang::Zh),
        ),
        (
            "await",
            model(&at_await(Scenario::MobileBroadband), Lang::Zh),
        ),
        (
            "terminated",
            model(&at_done(Scenario::MobileBroadband, true), Lang::Zh),
        ),
    ];
    let mut qr = at_pay(Scenario::TelecomBroadband);
    qr.event(Event::ChoosePayment {
        method: PayMethod::WeChat,
        card: None,
    })
    .reply(Reply::Paid(Payment {
        id: "P1".into(),
        method: PayMethod::WeChat,
        state: PaymentState::Pending,
        pay_url: Some("https://pay.sandbox.local/wechat/PAY-CT-0001".into()),
        card_last4: None,
    }));
    out.push(("pay_qr", model(&qr, Lang::Zh)));
    let mut rejected = at_await(Scenario::MobileBroadband);
    rejected.reply(Reply::OrderStatus(
        Scenario::MobileBroadband.order(OrderState::Rejected(Some("工单冲突".into())), None),
    ));
    out.push(("blocked", model(&rejected, Lang::Zh)));
    let mut guide = model(&at_plans(Scenario::MobileBroadband), Lang::Zh);
    guide.ui.overlay = Some(Overlay::Guidance);
    out.push(("guidance", guide));
    out
}

fn bench_render(c: &mut Criterion) {
    // The floor: a frame with nothing drawn (buffer reset, diff, swap).
    for (w, h) in [(80, 24), (200, 60)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        c.bench_function(&format!("render/_empty_frame/{w}x{h}"), |b| {
            b.iter(|| {
                terminal.draw(|_| {}).expect("draw");
            })
        });
    }
    for (name, model) in screens() {
        for (w, h) in [(80, 24), (200, 60)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
            c.bench_function(&format!("render/{name}/{w}x{h}"), |b| {
                b.iter(|| {
                    terminal
                        .draw(|f| render(f, black_box(&model)))
                        .expect("draw");
                })
            });
        }
    }
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
