//! Step 1: the code, its cooldown, refusals at login.

use super::*;

#[test]
fn frozen_account_blocks_with_the_hotline() {
    let mut run = Run::new();
    let (msisdn, carrier) = validate::phone("13900139000").unwrap();
    run.send(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .send(Event::Login {
            code: validate::sms_code("123456").unwrap(),
            password: None,
        })
        .reply(Reply::Failed(CarrierError::new(
            CarrierId::ChinaMobile,
            ErrorKind::AccountFrozen,
        )));
    let Step::Blocked {
        error,
        remedy,
        retry,
    } = &run.state.step
    else {
        panic!("blocked expected")
    };
    assert_eq!(error.hotline(), "10086");
    assert_eq!(remedy, "remedy.account_frozen");
    assert!(retry.is_none());
    assert_eq!(run.state.last_step, StepName::Login);
    // Not a dead end: another number can be tried.
    run.send(Event::Back);
    assert!(matches!(run.state.step, Step::Login { .. }));
}

#[test]
fn wrong_code_stays_on_login_with_the_problem() {
    let mut run = Run::new();
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    run.send(Event::RequestCode { msisdn, carrier })
        .reply(Reply::CodeSent)
        .send(Event::Login {
            code: validate::sms_code("000000").unwrap(),
            password: None,
        })
        .reply(Reply::Failed(CarrierError::new(
            CarrierId::ChinaMobile,
            ErrorKind::WrongCredentials,
        )));
    assert!(matches!(
        run.state.step,
        Step::Login {
            problem: Some(ErrorKind::WrongCredentials),
            ..
        }
    ));
}

#[test]
fn code_cooldown_is_enforced_for_the_same_number() {
    let mut run = Run::new();
    let (msisdn, carrier) = validate::phone("13800138000").unwrap();
    run.send(Event::RequestCode {
        msisdn: msisdn.clone(),
        carrier,
    })
    .reply(Reply::CodeSent);
    let again = Event::RequestCode { msisdn, carrier };
    assert_eq!(
        step(&run.state, again.clone(), run.now + Span::seconds(59)).err(),
        Some(StepError::CodeCooldown(1))
    );
    assert!(step(&run.state, again, run.now + Span::seconds(60)).is_ok());
}
