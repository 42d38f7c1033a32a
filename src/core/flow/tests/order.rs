//! Step 5: following the order to the carrier's confirmation.

use super::*;

#[test]
fn stall_is_detected_and_resubmit_reuses_the_key() {
    let mut run = Run::at_confirm(0, false);
    run.send(Event::Confirm);
    let first = run.submit_key();
    let mut processing = order(OrderState::Processing);
    processing.expected_by = Some(beijing(run.now + Span::seconds(5)));
    run.reply(Reply::Submitted(processing.clone()));
    run.reply(Reply::Notices(vec![]));
    run.later(10).reply(Reply::OrderStatus(processing));
    assert!(matches!(run.state.step, Step::Await { stalled: true, .. }));
    run.send(Event::Resubmit);
    let again = run.submit_key();
    assert_eq!(first, again);
    run.send(Event::Abandon);
    assert!(
        matches!(&run.state.step, Step::Blocked { error, .. } if error.kind == ErrorKind::ConfirmationStalled)
    );
    assert!(
        run.receipts()
            .iter()
            .any(|r| matches!(r, ReceiptEvent::Finished { outcome: None, .. }))
    );
}

#[test]
fn retry_after_sets_the_next_poll() {
    let mut run = Run::at_confirm(0, false);
    run.send(Event::Confirm);
    let mut processing = order(OrderState::Processing);
    processing.retry_after_secs = Some(5);
    run.reply(Reply::Submitted(processing))
        .reply(Reply::Notices(vec![]));
    assert!(
        matches!(run.call(), CarrierRequest::PollOrder { after, .. } if *after == Duration::from_secs(5))
    );
}

#[test]
fn rejected_order_blocks_without_retry() {
    let mut run = Run::at_confirm(0, false);
    run.send(Event::Confirm)
        .reply(Reply::Submitted(order(OrderState::Processing)))
        .reply(Reply::Notices(vec![]))
        .reply(Reply::OrderStatus(order(OrderState::Rejected(Some(
            "欠费".into(),
        )))));
    assert!(matches!(&run.state.step, Step::Blocked { retry: None, .. }));
    assert!(run.state.is_finished());
}
