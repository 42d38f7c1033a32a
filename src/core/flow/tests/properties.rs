//! The rules over random event sequences.

use super::*;

/// Every kind of event, with payloads drawn from a small world so that
/// sequences often fit the state.
fn any_event() -> impl Strategy<Value = (u8, u8, u8)> {
    (0u8..70, 0u8..8, 0u8..30)
}

/// The event a person or carrier would most likely send next, so that random
/// sequences get deep into the flow instead of stalling at login.
fn likely_kind(state: &State, pick: u8) -> u8 {
    if let Some(p) = state.pending {
        return match p.kind {
            CallKind::RequestCode => 14,
            CallKind::Login => 16,
            CallKind::FetchPlans => 18,
            CallKind::FetchQuote => 20,
            CallKind::Submit => 22,
            CallKind::Pay => 25,
            CallKind::PollOrder => 27 + pick % 5,
            CallKind::FetchNotices => 32,
        };
    }
    match &state.step {
        Step::Login { .. } if state.facts.msisdn().is_none() => 0,
        Step::Login { .. } => 3,
        Step::SelectPlan { .. } => 4,
        Step::Submit {
            phase: SubmitPhase::Review,
            ..
        } if state.facts.choice.retention_accepted.is_none() => 5,
        Step::Submit {
            phase: SubmitPhase::Review,
            ..
        } => 6,
        Step::Submit { .. } => 7,
        Step::Pay { .. } => 8,
        Step::Await { .. } => 9,
        Step::Blocked { .. } => 10,
        Step::Terminated { .. } => 13,
    }
}

fn build_event(state: &State, (kind, pick, secs): (u8, u8, u8), now: DateTime<Utc>) -> Event {
    let kind = if kind >= 40 {
        likely_kind(state, pick)
    } else {
        kind
    };
    let req = match pick % 3 {
        0 => state.pending.map(|p| p.req).unwrap_or(RequestId(0)),
        1 => RequestId(u64::from(pick)),
        _ => state.pending.map(|p| p.req).unwrap_or(RequestId(1)),
    };
    match kind {
        0..=13 => intent(kind, pick),
        _ => Event::Reply(req, reply(kind, pick, secs, now)),
    }
}

fn method(pick: u8) -> PayMethod {
    PayMethod::ALL[usize::from(pick) % 4]
}

fn intent(kind: u8, pick: u8) -> Event {
    match kind {
        0..=2 => {
            let n = if pick % 2 == 0 {
                "13800138000"
            } else {
                "18600186000"
            };
            let (msisdn, carrier) = validate::phone(n).unwrap();
            Event::RequestCode { msisdn, carrier }
        }
        3 => Event::Login {
            code: validate::sms_code("123456").unwrap(),
            password: None,
        },
        4 => Event::ChoosePlan {
            plan_id: if pick % 2 == 0 { "P-BB300" } else { "P-OLD" }.into(),
        },
        5 => Event::AnswerRetention {
            accept: pick % 2 == 0,
        },
        6 => Event::EnterApplication(application()),
        7 => Event::Confirm,
        8 => Event::ChoosePayment {
            method: method(pick),
            card: (method(pick) == PayMethod::Card)
                .then(|| validate::card_number("6222021234567890128").unwrap()),
        },
        9 => Event::Resubmit,
        10 => Event::Retry,
        11 => Event::Back,
        12 => Event::Abandon,
        _ => Event::Resume,
    }
}

fn reply(kind: u8, pick: u8, secs: u8, now: DateTime<Utc>) -> Reply {
    let order_state = match pick % 4 {
        0 => OrderState::AwaitingPayment,
        1 => OrderState::Processing,
        2 => OrderState::Completed,
        _ => OrderState::Rejected(None),
    };
    let mut o = order(order_state);
    o.retry_after_secs = Some(u32::from(secs));
    match kind {
        14..=15 => Reply::CodeSent,
        16..=17 => Reply::LoggedIn,
        18..=19 => Reply::Plans(account()),
        20..=21 => Reply::Quoted(quote(i64::from(pick) * 1000, pick % 2 == 0, now)),
        22..=24 => Reply::Submitted(o),
        25..=26 => Reply::Paid(Payment {
            id: format!("PAY-{pick}"),
            method: method(pick),
            state: if pick % 2 == 0 {
                PaymentState::Paid
            } else {
                PaymentState::Pending
            },
            pay_url: None,
            card_last4: None,
        }),
        27..=31 => Reply::OrderStatus(o),
        32..=33 => Reply::Notices(vec![Notice {
            id: format!("{secs}"),
            sent_at: beijing(now),
            text: "通知".into(),
        }]),
        _ => Reply::Failed(CarrierError::new(CarrierId::ChinaMobile, error_kind(pick))),
    }
}

fn error_kind(pick: u8) -> ErrorKind {
    match pick {
        0 => ErrorKind::WrongCredentials,
        1 => ErrorKind::AccountFrozen,
        2 => ErrorKind::NetworkUnreachable {
            detail: "reset".into(),
        },
        3 => ErrorKind::PaymentDeclined,
        4 => ErrorKind::SessionExpired,
        5 => ErrorKind::QuoteExpired,
        6 => ErrorKind::IdentityMismatch,
        _ => ErrorKind::CarrierBusy {
            retry_after_secs: Some(1),
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// From any reachable state, any event either applies or is refused with
    /// an error; it never panics. Along the way: Terminated only after the
    /// carrier confirmed our order; one key per distinct request; the journal
    /// form round-trips.
    #[test]
    fn random_sequences_keep_the_rules(script in proptest::collection::vec(any_event(), 1..120)) {
        let mut state = State::new(KeySeed([1; 16]), t0());
        let mut now = t0();
        let mut submit_keys: std::collections::HashMap<String, IdempotencyKey> = Default::default();
        let mut pay_keys: std::collections::HashMap<String, IdempotencyKey> = Default::default();
        let mut deepest = StepName::Login;
        for raw in script {
            now += Span::seconds(i64::from(raw.2));
            let event = build_event(&state, raw, now);
            let confirms = matches!(&event, Event::Reply(_, Reply::OrderStatus(o)) if o.state == OrderState::Completed)
                || matches!(&event, Event::Reply(_, Reply::Submitted(o)) if o.state == OrderState::Completed);
            let was_terminated = matches!(state.step, Step::Terminated { .. });
            if let Ok(t) = step(&state, event, now) {
                if matches!(t.state.step, Step::Terminated { .. }) && !was_terminated {
                    prop_assert!(confirms, "Terminated without the carrier's confirmation");
                    prop_assert!(t.state.facts.progress.order.is_some());
                }
                for c in &t.effects {
                    let Effect::Call(c) = c else { continue };
                    match &c.request {
                        CarrierRequest::Submit { idempotency_key, quote_id, application, accept_retention, .. } => {
                            let body = format!("{quote_id}|{:?}|{accept_retention}", application.masked());
                            let first = *submit_keys.entry(body).or_insert(*idempotency_key);
                            prop_assert_eq!(first, *idempotency_key, "same submit, different key");
                        }
                        CarrierRequest::Pay { idempotency_key, order_id, method, card, .. } => {
                            let body = format!("{order_id}|{method:?}|{:?}", card.as_ref().map(|c| c.last4()));
                            let first = *pay_keys.entry(body).or_insert(*idempotency_key);
                            prop_assert_eq!(first, *idempotency_key, "same payment, different key");
                        }
                        _ => {}
                    }
                }
                prop_assert!(t.effects.iter().filter(|c| matches!(c, Effect::Call(_))).count() <= 1,
                    "one call at a time");
                state = t.state;
                deepest = deepest.max(state.last_step);
                let json = serde_json::to_string(&state).unwrap();
                let back: State = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(back, state.without_secrets());
            }
        }
        DEPTHS.lock().unwrap().push(deepest);
    }
}

static DEPTHS: std::sync::Mutex<Vec<StepName>> = std::sync::Mutex::new(Vec::new());

/// The random sequences above are only worth something if they reach the
/// later steps; this checks the generator, not the flow.
#[test]
fn random_sequences_reach_every_step() {
    random_sequences_keep_the_rules();
    let depths = DEPTHS.lock().unwrap();
    for name in StepName::ALL {
        assert!(
            depths.contains(&name),
            "no sequence ended deepest at {name:?}"
        );
    }
    assert!(
        depths.iter().filter(|d| **d >= StepName::Await).count() * 5 >= depths.len(),
        "too few reach Await"
    );
}
