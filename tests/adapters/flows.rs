//! Every adapter through every scenario account of its carrier, over real
//! HTTP against the embedded sandbox: from the SMS code to a completed or
//! correctly refused order, totals to the fen.

use crate::testkit::adapters::{Harness, application, key, poll, total_of};
use chrono::NaiveDate;
use unsubscribe_wizard::carrier::{PayRequest, SubmitRequest};
use unsubscribe_wizard::core::error::ErrorKind;
use unsubscribe_wizard::core::fees::Fen;
use unsubscribe_wizard::core::model::{
    BlockReason, CarrierId, FeeKind, OrderState, PayMethod, PaymentState, PlanKind,
};
use unsubscribe_wizard::core::validate;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[tokio::test]
async fn mobile_broadband_paid_by_card_after_a_declined_card() {
    let h = Harness::embedded().await;
    let (mobile, session) = h.login(CarrierId::ChinaMobile, "13800138000", None).await;

    let account = mobile.plans(&session).await.unwrap();
    assert_eq!(account.balance, Fen::yuan(30, 0));
    let plan = account
        .plans
        .iter()
        .find(|p| p.name == "5G智享宽带 300M")
        .expect("the broadband plan");
    assert_eq!(plan.kind, PlanKind::Broadband);
    assert_eq!(plan.monthly_fee, Fen::yuan(99, 0));
    assert_eq!(plan.contract_end, Some(date(2027, 6, 30)));
    assert!(plan.is_cancellable());

    let quote = mobile.quote(&session, &plan.id).await.unwrap();
    let penalty = quote
        .items
        .iter()
        .find(|i| i.kind == FeeKind::Penalty)
        .unwrap();
    assert_eq!(penalty.amount, Fen::yuan(207, 90));
    assert_eq!(quote.total, Fen::yuan(207, 90));
    assert!(quote.lines_add_up());

    let submit = SubmitRequest {
        idempotency_key: key("submit", &quote.id),
        quote_id: quote.id.clone(),
        application: application("张伟", "110101199003071233", "13800138000"),
        accept_retention: false,
    };
    let order = mobile.submit(&session, &submit).await.unwrap();
    assert_eq!(order.state, OrderState::AwaitingPayment);
    assert_eq!(order.amount_due, Some(Fen::yuan(207, 90)));

    // The balance does not cover it.
    let by_balance = PayRequest {
        idempotency_key: key("pay-balance", &order.id),
        order_id: order.id.clone(),
        method: PayMethod::Balance,
        card: None,
    };
    let err = mobile.pay(&session, &by_balance).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::BalanceInsufficient);

    // The declined card.
    let declined = PayRequest {
        idempotency_key: key("pay-declined", &order.id),
        order_id: order.id.clone(),
        method: PayMethod::Card,
        card: Some(validate::card_number("6217000000000000004").unwrap()),
    };
    let err = mobile.pay(&session, &declined).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::PaymentDeclined);

    // The good card.
    let by_card = PayRequest {
        idempotency_key: key("pay-card", &order.id),
        order_id: order.id.clone(),
        method: PayMethod::Card,
        card: Some(validate::card_number("6222021234567890128").unwrap()),
    };
    let payment = mobile.pay(&session, &by_card).await.unwrap();
    assert_eq!(payment.state, PaymentState::Paid);
    assert_eq!(payment.card_last4.as_deref(), Some("0128"));

    let (done, polls) = poll(mobile.as_ref(), &session, &order.id, 10).await;
    assert_eq!(done.state, OrderState::Completed);
    assert_eq!(polls, 2, "completes after 2 polls");

    let ledger = h.ledger("13800138000").await;
    assert_eq!(ledger["orders"].as_array().unwrap().len(), 1);
    assert_eq!(ledger["charges"].as_array().unwrap().len(), 1);
    assert_eq!(total_of(&ledger["charges"]), 20790);
    assert_eq!(ledger["balance"], 3000, "the balance was not touched");

    let notices = mobile.notices(&session, None).await.unwrap();
    assert!(
        !notices.is_empty(),
        "a completed cancellation sends a notice"
    );
    let later = mobile
        .notices(&session, Some(&notices.last().unwrap().id))
        .await
        .unwrap();
    assert!(later.is_empty(), "the cursor skips what was seen");
}

#[tokio::test]
async fn mobile_broadband_paid_by_qr_code() {
    let h = Harness::embedded().await;
    let (mobile, session) = h.login(CarrierId::ChinaMobile, "13800138000", None).await;
    let account = mobile.plans(&session).await.unwrap();
    let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
    let quote = mobile.quote(&session, &plan.id).await.unwrap();
    let order = mobile
        .submit(
            &session,
            &SubmitRequest {
                idempotency_key: key("submit", &quote.id),
                quote_id: quote.id.clone(),
                application: application("张伟", "110101199003071233", "13800138000"),
                accept_retention: false,
            },
        )
        .await
        .unwrap();
    let payment = mobile
        .pay(
            &session,
            &PayRequest {
                idempotency_key: key("pay-wechat", &order.id),
                order_id: order.id.clone(),
                method: PayMethod::WeChat,
                card: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(payment.state, PaymentState::Pending);
    assert!(payment.pay_url.as_deref().is_some_and(|u| !u.is_empty()));
    let before = mobile.order(&session, &order.id).await.unwrap();
    assert_eq!(before.state, OrderState::AwaitingPayment);

    h.complete_payment(&payment.id).await;
    let (done, _) = poll(mobile.as_ref(), &session, &order.id, 10).await;
    assert_eq!(done.state, OrderState::Completed);
    assert_eq!(total_of(&h.ledger("13800138000").await["charges"]), 20790);
}

#[tokio::test]
async fn mobile_data_pack_with_nothing_to_pay() {
    let h = Harness::embedded().await;
    let (mobile, session) = h.login(CarrierId::ChinaMobile, "13800138001", None).await;
    let account = mobile.plans(&session).await.unwrap();
    let plan = account
        .plans
        .iter()
        .find(|p| p.name == "流量加油包 30GB")
        .unwrap();
    assert_eq!(plan.kind, PlanKind::DataPack);
    assert_eq!(plan.monthly_fee, Fen::yuan(30, 0));
    assert_eq!(plan.contract_end, None);

    let quote = mobile.quote(&session, &plan.id).await.unwrap();
    assert_eq!(quote.total, Fen::ZERO);
    assert_eq!(quote.effective_date, date(2026, 12, 1));

    let order = mobile
        .submit(
            &session,
            &SubmitRequest {
                idempotency_key: key("submit", &quote.id),
                quote_id: quote.id.clone(),
                application: application("李娜", "310104198506120457", "13800138001"),
                accept_retention: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(order.state, OrderState::Processing, "no pay step");
    assert_eq!(order.amount_due.unwrap_or(Fen::ZERO), Fen::ZERO);
    let (done, polls) = poll(mobile.as_ref(), &session, &order.id, 10).await;
    assert_eq!(done.state, OrderState::Completed);
    assert_eq!(polls, 2);
    let ledger = h.ledger("13800138001").await;
    assert_eq!(total_of(&ledger["charges"]), 0);
}

#[tokio::test]
async fn mobile_frozen_account_gets_its_code_but_cannot_log_in() {
    let h = Harness::embedded().await;
    let mobile = h.carrier(CarrierId::ChinaMobile);
    let msisdn = validate::contact_phone("13900139000").unwrap();
    mobile.request_code(&msisdn).await.unwrap();
    let code = h.latest_code("13900139000").await;
    let err = mobile.login(&msisdn, &code, None).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::AccountFrozen);
    assert_eq!(err.hotline(), "10086");
}

#[tokio::test]
async fn unicom_broadband_with_retention_declined_paid_from_balance() {
    let h = Harness::embedded().await;
    let (unicom, session) = h
        .login(CarrierId::ChinaUnicom, "18600186000", Some("135790"))
        .await;
    let account = unicom.plans(&session).await.unwrap();
    assert_eq!(account.balance, Fen::yuan(300, 0));
    let plan = account
        .plans
        .iter()
        .find(|p| p.name == "沃家宽带 500M")
        .unwrap();
    assert_eq!(plan.monthly_fee, Fen::yuan(129, 0));
    assert_eq!(plan.contract_end, Some(date(2027, 2, 28)));

    let quote = unicom.quote(&session, &plan.id).await.unwrap();
    let amount = |kind| {
        quote
            .items
            .iter()
            .find(|i| i.kind == kind)
            .map(|i| i.amount)
    };
    assert_eq!(amount(FeeKind::Penalty), Some(Fen::yuan(116, 10)));
    assert_eq!(amount(FeeKind::Refund), Some(Fen(-2150)));
    assert_eq!(quote.total, Fen::yuan(94, 60));
    assert!(quote.lines_add_up());
    let offer = quote.retention.as_ref().expect("a retention offer");
    assert_eq!(offer.monthly_fee, Fen::yuan(64, 50));

    let order = unicom
        .submit(
            &session,
            &SubmitRequest {
                idempotency_key: key("submit", &quote.id),
                quote_id: quote.id.clone(),
                application: application("刘洋", "510107197808156721", "18600186000"),
                accept_retention: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(order.state, OrderState::AwaitingPayment);

    let payment = unicom
        .pay(
            &session,
            &PayRequest {
                idempotency_key: key("pay", &order.id),
                order_id: order.id.clone(),
                method: PayMethod::Balance,
                card: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(payment.state, PaymentState::Paid);

    let first = unicom.order(&session, &order.id).await.unwrap();
    assert_eq!(first.state, OrderState::Processing);
    assert_eq!(first.retry_after_secs, Some(2));
    assert!(first.expected_by.is_some());
    let (done, polls) = poll(unicom.as_ref(), &session, &order.id, 10).await;
    assert_eq!(done.state, OrderState::Completed);
    assert_eq!(polls + 1, 3, "completes on the 3rd poll");

    let notices = unicom.notices(&session, None).await.unwrap();
    assert!(
        !notices.is_empty(),
        "a completed cancellation sends a notice"
    );
    assert!(
        notices
            .iter()
            .all(|n| n.id.bytes().all(|b| b.is_ascii_digit()))
    );
    let later = unicom
        .notices(&session, Some(&notices.last().unwrap().id))
        .await
        .unwrap();
    assert!(later.is_empty(), "the cursor skips what was seen");

    let ledger = h.ledger("18600186000").await;
    assert_eq!(total_of(&ledger["charges"]), 9460);
    assert_eq!(ledger["balance"], 30000 - 9460);
    assert_eq!(ledger["orders"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn unicom_nothing_cancellable_says_why() {
    let h = Harness::embedded().await;
    let (unicom, session) = h
        .login(CarrierId::ChinaUnicom, "18600186001", Some("246802"))
        .await;
    let account = unicom.plans(&session).await.unwrap();
    assert!(account.plans.iter().all(|p| !p.is_cancellable()));
    let mut reasons: Vec<BlockReason> = account.plans.iter().filter_map(|p| p.blocked).collect();
    reasons.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(reasons, [BlockReason::Expired, BlockReason::InBundle]);

    let err = unicom
        .quote(&session, &account.plans[0].id)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind, ErrorKind::NotCancellable { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn unicom_wrong_password_is_wrong_credentials() {
    let h = Harness::embedded().await;
    let unicom = h.carrier(CarrierId::ChinaUnicom);
    let msisdn = validate::contact_phone("18600186000").unwrap();
    unicom.request_code(&msisdn).await.unwrap();
    let code = h.latest_code("18600186000").await;
    let wrong = validate::service_password("000000").unwrap();
    let err = unicom
        .login(&msisdn, &code, Some(&wrong))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::WrongCredentials);
}

#[tokio::test]
async fn telecom_broadband_paid_by_alipay_qr() {
    let h = Harness::embedded().await;
    let (telecom, session) = h.login(CarrierId::ChinaTelecom, "13300133000", None).await;
    let account = telecom.plans(&session).await.unwrap();
    assert_eq!(account.balance, Fen::ZERO);
    let plan = account
        .plans
        .iter()
        .find(|p| p.name == "天翼宽带 1000M")
        .unwrap();
    assert_eq!(plan.monthly_fee, Fen::yuan(199, 0));
    assert_eq!(plan.contract_end, Some(date(2026, 12, 31)));

    let quote = telecom.quote(&session, &plan.id).await.unwrap();
    let amount = |kind| {
        quote
            .items
            .iter()
            .find(|i| i.kind == kind)
            .map(|i| i.amount)
    };
    assert_eq!(amount(FeeKind::Penalty), Some(Fen::yuan(59, 70)));
    assert_eq!(amount(FeeKind::Equipment), Some(Fen::yuan(100, 0)));
    assert_eq!(quote.total, Fen::yuan(159, 70));

    let order = telecom
        .submit(
            &session,
            &SubmitRequest {
                idempotency_key: key("submit", &quote.id),
                quote_id: quote.id.clone(),
                application: application("杨帆", "330106199501011172", "13300133000"),
                accept_retention: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(order.state, OrderState::AwaitingPayment);
    let payment = telecom
        .pay(
            &session,
            &PayRequest {
                idempotency_key: key("pay", &order.id),
                order_id: order.id.clone(),
                method: PayMethod::Alipay,
                card: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(payment.state, PaymentState::Pending);
    assert!(payment.pay_url.is_some());
    h.complete_payment(&payment.id).await;

    let (done, polls) = poll(telecom.as_ref(), &session, &order.id, 10).await;
    assert_eq!(done.state, OrderState::Completed);
    assert_eq!(polls, 2);
    let ledger = h.ledger("13300133000").await;
    assert_eq!(total_of(&ledger["charges"]), 15970);

    let notices = telecom.notices(&session, None).await.unwrap();
    assert!(
        !notices.is_empty(),
        "a completed cancellation sends a notice"
    );
    let later = telecom
        .notices(&session, Some(&notices.last().unwrap().id))
        .await
        .unwrap();
    assert!(later.is_empty(), "the cursor skips what was seen");
}

#[tokio::test]
async fn telecom_stall_stays_processing_past_expected_by() {
    let h = Harness::embedded().await;
    let (telecom, session) = h.login(CarrierId::ChinaTelecom, "13300133001", None).await;
    let account = telecom.plans(&session).await.unwrap();
    let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
    let quote = telecom.quote(&session, &plan.id).await.unwrap();
    assert_eq!(quote.total, Fen::ZERO);
    let order = telecom
        .submit(
            &session,
            &SubmitRequest {
                idempotency_key: key("submit", &quote.id),
                quote_id: quote.id.clone(),
                application: application("赵磊", "420102198707040018", "13300133001"),
                accept_retention: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(order.state, OrderState::Processing);

    let (first, _) = poll(telecom.as_ref(), &session, &order.id, 5).await;
    assert_eq!(first.state, OrderState::Processing, "never completes");
    let expected_by = first.expected_by.expect("expectedBy while processing");

    h.advance_clock(200).await;
    let late = telecom.order(&session, &order.id).await.unwrap();
    assert_eq!(late.state, OrderState::Processing);
    assert!(
        h.now().await > expected_by,
        "past expectedBy, still processing"
    );
    assert!(telecom.notices(&session, None).await.unwrap().is_empty());
}
