//! The adapters against a separate `unsubscribe-wizard sandbox` process
//! behave exactly as against the embedded one: the same plans, quotes,
//! order progress, refusals and ledger totals.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::testkit::adapters::{Harness, application, key, total_of};
use unsubscribe_wizard::carrier::{PayRequest, SubmitRequest};
use unsubscribe_wizard::core::model::{CarrierId, OrderState, PayMethod, PaymentState};
use unsubscribe_wizard::core::validate;

/// The child process, killed when the test ends — also when it fails.
struct SandboxProcess(Child);

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `unsubscribe-wizard sandbox --addr 127.0.0.1:0` and returns it with
/// the URL from its first stdout line.
fn spawn_sandbox() -> (SandboxProcess, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unsubscribe-wizard"))
        .args(["sandbox", "--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let process = SandboxProcess(child);
    // Read the first line on a thread so a silent child cannot hang the test.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the sandbox printed its address within 30 s");
    let start = line
        .find("http://")
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    (process, line[start..].trim().to_owned())
}

/// What one scenario account's cancellation looked like, without ids and
/// timestamps (which differ between two servers).
async fn observe(h: &Harness) -> Vec<String> {
    let mut seen = Vec::new();
    let accounts = [
        (
            CarrierId::ChinaMobile,
            "13800138000",
            None,
            "张伟",
            "110101199003071233",
            PayMethod::Card,
        ),
        (
            CarrierId::ChinaUnicom,
            "18600186000",
            Some("135790"),
            "刘洋",
            "510107197808156721",
            PayMethod::Balance,
        ),
        (
            CarrierId::ChinaTelecom,
            "13300133000",
            None,
            "杨帆",
            "330106199501011172",
            PayMethod::Alipay,
        ),
    ];
    for (carrier_id, number, password, holder, id, method) in accounts {
        let (carrier, session) = h.login(carrier_id, number, password).await;
        let account = carrier.plans(&session).await.unwrap();
        seen.push(format!("{carrier_id} balance {}", account.balance));
        for plan in &account.plans {
            seen.push(format!(
                "plan {} {:?} {} {:?} {:?} {:?}",
                plan.name,
                plan.kind,
                plan.monthly_fee,
                plan.status,
                plan.contract_end,
                plan.blocked
            ));
        }
        let plan = account.plans.iter().find(|p| p.is_cancellable()).unwrap();
        let quote = carrier.quote(&session, &plan.id).await.unwrap();
        for item in &quote.items {
            seen.push(format!(
                "line {:?} {} {}",
                item.kind, item.label, item.amount
            ));
        }
        seen.push(format!(
            "total {} effective {} retention {:?}",
            quote.total,
            quote.effective_date,
            quote
                .retention
                .as_ref()
                .map(|r| (&r.description, r.monthly_fee))
        ));
        let order = carrier
            .submit(
                &session,
                &SubmitRequest {
                    idempotency_key: key("submit", &quote.id),
                    quote_id: quote.id.clone(),
                    application: application(holder, id, number),
                    accept_retention: false,
                },
            )
            .await
            .unwrap();
        seen.push(format!(
            "order {:?} due {:?}",
            order.state, order.amount_due
        ));
        let card = (method == PayMethod::Card)
            .then(|| validate::card_number("6222021234567890128").unwrap());
        let payment = carrier
            .pay(
                &session,
                &PayRequest {
                    idempotency_key: key("pay", &order.id),
                    order_id: order.id.clone(),
                    method,
                    card,
                },
            )
            .await
            .unwrap();
        seen.push(format!("payment {:?} {:?}", payment.method, payment.state));
        if payment.state == PaymentState::Pending {
            h.complete_payment(&payment.id).await;
        }
        for _ in 0..10 {
            let polled = carrier.order(&session, &order.id).await.unwrap();
            seen.push(format!(
                "poll {:?} retry_after {:?}",
                polled.state, polled.retry_after_secs
            ));
            if polled.state == OrderState::Completed {
                break;
            }
        }
        seen.push(format!(
            "charged {}",
            total_of(&h.ledger(number).await["charges"])
        ));
    }

    let mobile = h.carrier(CarrierId::ChinaMobile);
    let frozen = validate::contact_phone("13900139000").unwrap();
    mobile.request_code(&frozen).await.unwrap();
    let code = h.latest_code("13900139000").await;
    let refused = mobile.login(&frozen, &code, None).await.unwrap_err();
    seen.push(format!("frozen login {:?}", refused.kind));
    seen
}

#[tokio::test]
async fn a_separate_sandbox_process_behaves_like_the_embedded_one() {
    let (_process, url) = spawn_sandbox();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let external = Harness::external(&url).await;
    let embedded = Harness::embedded().await;
    let over_the_process = observe(&external).await;
    let in_process = observe(&embedded).await;

    assert!(
        over_the_process.iter().any(|l| l == "charged 20790"),
        "{over_the_process:#?}"
    );
    assert_eq!(over_the_process, in_process);
}
