//! How `receipts show` describes a guided case's records: carrier texts and
//! the person's statements each named as what they are.

use super::receipts::{long, short};
use crate::core::channels::Channel;
use crate::core::flow::guided::{Source, Statement, Verdict};
use crate::core::receipt::{InstructionStep, ReceiptEvent};

/// One line for a guided record (the API records are described beside
/// them, in `receipts.rs`).
pub(super) fn describe(event: &ReceiptEvent) -> String {
    match event {
        ReceiptEvent::ChannelChosen {
            kind,
            channel,
            recommended,
        } => format!("渠道 channel: {channel:?} for {kind:?} (recommended {recommended:?})"),
        ReceiptEvent::InstructionShown {
            channel,
            steps,
            reply,
        } => instruction(*channel, steps, reply.as_ref()),
        ReceiptEvent::SmsPasted { pasted } => format!(
            "短信 carrier text pasted{} ({}): {}",
            pasted
                .from
                .as_deref()
                .map(|f| format!(" from {}", short(f)))
                .unwrap_or_default(),
            pasted.parsed.kind.as_str(),
            long(&pasted.text)
        ),
        ReceiptEvent::PackageChosen { package } => format!(
            "业务 package: {}{}{}",
            short(&package.name),
            package
                .monthly_fee
                .map(|f| format!(", {f}/month"))
                .unwrap_or_default(),
            match package.source {
                Source::CarrierText => " (from the carrier's list)",
                Source::Statement => " (typed by the person)",
            }
        ),
        ReceiptEvent::AmountQuoted {
            quoted,
            total,
            estimate,
        } => format!(
            "报价 carrier quoted ({}): penalty {}, equipment {}, refund {}, total {}{}",
            match quoted.source {
                Source::CarrierText => "from a carrier text",
                Source::Statement => "as the person typed it",
            },
            quoted.penalty,
            quoted.equipment,
            quoted.refund,
            total,
            estimate
                .map(|e| format!("; wizard's estimate of the penalty {e}"))
                .unwrap_or_default()
        ),
        ReceiptEvent::Statement { statement } => {
            format!("声明 the person's statement: {}", said(statement))
        }
        ReceiptEvent::DateChosen { option } => format!(
            "日期 date chosen: {:?} from {} to {} ({:?}), net {}",
            option.when, option.from, option.until, option.basis, option.net
        ),
        ReceiptEvent::FollowUpDone { kind } => format!("跟进 follow-up done: {}", kind.id()),
        ReceiptEvent::BillChecked {
            text,
            still_charged,
        } => match still_charged {
            Some(line) => format!(
                "账单 bill checked: STILL CHARGED — \"{}\" (bill: {})",
                long(line),
                long(text)
            ),
            None => format!(
                "账单 bill checked: the package no longer appears (bill: {})",
                long(text)
            ),
        },
        other => format!("{other:?}"),
    }
}

fn instruction(
    channel: Channel,
    steps: &[InstructionStep],
    reply: Option<&(String, String)>,
) -> String {
    let commands: Vec<String> = steps
        .iter()
        .filter_map(|s| match (&s.number, &s.command) {
            (Some(n), Some(c)) => Some(format!("\"{}\" to {}", short(c), short(n))),
            (None, Some(c)) => Some(format!("\"{}\"", short(c))),
            _ => None,
        })
        .chain(reply.map(|(to, text)| format!("reply \"{}\" to {}", short(text), short(to))))
        .collect();
    format!(
        "指引 instruction shown: {channel:?}, {} steps{}",
        steps.len(),
        if commands.is_empty() {
            String::new()
        } else {
            format!("; {}", commands.join(", "))
        }
    )
}

fn said(statement: &Statement) -> String {
    match statement {
        Statement::Acted => "I acted through the channel".to_owned(),
        Statement::Reference { reference } => {
            format!("the carrier gave me reference {}", short(reference))
        }
        Statement::Cancelled { effective_date } => format!(
            "the carrier told me it is cancelled{}",
            effective_date
                .map(|d| format!(", effective {d}"))
                .unwrap_or_default()
        ),
    }
}

/// What a filed text meant for its case, in words for the command line.
pub(super) fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Listed => "a list of services: the packages are ready to pick in the wizard",
        Verdict::ReplyAsked => {
            "the carrier asks for a reply: open the wizard to see what to send, to whom and by when"
        }
        Verdict::Accepted => "accepted (受理): the case now waits for the confirmation text",
        Verdict::Confirmed => "a confirmation: the cancellation is recorded as confirmed",
        Verdict::OtherPackage => {
            "a cancellation of ANOTHER product, not this case's package: kept, the case still waits"
        }
        Verdict::Failed => "a refusal: open the wizard to choose another channel",
        Verdict::FeeRead => "a fee notice: kept; enter the amount in the wizard's fee step",
        Verdict::OptOutOnly => {
            "an opt-out of reminders — NOT a cancellation; kept, the case still waits"
        }
        Verdict::Marketing => "marketing — never reply to it; kept, the case still waits",
        Verdict::LoginCode => "a login code: NOT kept. Never give it to anyone",
        Verdict::Unread => "not a kind the wizard reads; kept verbatim",
    }
}
