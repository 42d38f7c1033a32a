//! A pasted text, read into the case in any step: parsed, kept verbatim as a
//! receipt, and turned into what it means for the case. A step then decides
//! whether the meaning moves it on.

use chrono::{DateTime, Utc};

use crate::core::time::china_date;

use super::Cx;
use super::case::{
    Acceptance, Confirmation, MAX_LISTED, MAX_MESSAGES, Pasted, Source, Verdict, cancels_another,
};
use crate::core::flow::messages::StepError;
use crate::core::flow::shared::Turn;
use crate::core::flow::state::State;
use crate::core::model::CarrierId;
use crate::core::receipt::ReceiptEvent;
use crate::core::sms::{self, Context, Kind};

/// The most characters of a refusal reason kept for the screen.
const MAX_FAILURE_CHARS: usize = 200;

/// Reads `text` into the case. A login code is never kept (it is the
/// carrier's secret); anything else is kept verbatim with its parse and a
/// receipt. Returns what it meant.
pub(super) fn read(
    s: &State,
    cx: &mut Cx,
    text: String,
    from: Option<String>,
    t: &mut Turn,
) -> Result<Verdict, StepError> {
    if cx.case.messages.len() >= MAX_MESSAGES {
        return Err(StepError::TooManyTexts(MAX_MESSAGES));
    }
    let Some(pasted) = take(text, from, cx.line.carrier, t.now)? else {
        cx.case.verdict = Some(Verdict::LoginCode);
        return Ok(Verdict::LoginCode);
    };
    let verdict = meaning(cx, &pasted, t.now);
    cx.case.verdict = Some(verdict);
    cx.case.messages.push(pasted.clone());
    cx.receipt(s, t, ReceiptEvent::SmsPasted { pasted });
    Ok(verdict)
}

/// A carrier text as it is kept, wherever it comes in (pasted in the
/// wizard, or filed with `receipts add`): line ends as the phone had them,
/// bounded, parsed against the day it came. `None` for a login code, which
/// is the carrier's secret and never kept.
pub fn take(
    text: String,
    from: Option<String>,
    carrier: CarrierId,
    now: DateTime<Utc>,
) -> Result<Option<Pasted>, StepError> {
    // Terminals turn a pasted newline into CR (and files may hold CRLF).
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    if text.trim().is_empty() {
        return Err(StepError::EmptyText);
    }
    if text.chars().count() > sms::MAX_CHARS {
        return Err(StepError::TextTooLong(sms::MAX_CHARS));
    }
    let from = from.filter(|f| !f.trim().is_empty());
    let ctx = Context {
        carrier: Some(carrier),
        from: from.clone(),
        received: china_date(now),
    };
    let parsed = sms::parse(&text, &ctx);
    if parsed.kind == Kind::LoginCode {
        return Ok(None);
    }
    Ok(Some(Pasted {
        at: now,
        from,
        text,
        parsed,
    }))
}

/// What a parsed text means for the case, applied to it.
fn meaning(cx: &mut Cx, pasted: &Pasted, now: DateTime<Utc>) -> Verdict {
    let parsed = &pasted.parsed;
    let case = &mut cx.case;
    match parsed.kind {
        Kind::ServiceList => {
            for product in &parsed.products {
                if case.listed.len() < MAX_LISTED && !case.listed.contains(product) {
                    case.listed.push(product.clone());
                }
            }
            if parsed.reply.is_some() {
                case.reply.clone_from(&parsed.reply);
            }
            Verdict::Listed
        }
        Kind::ConfirmPrompt => {
            case.reply.clone_from(&parsed.reply);
            Verdict::ReplyAsked
        }
        Kind::Accepted => {
            accept(case, parsed.order_no.clone(), now);
            Verdict::Accepted
        }
        // A confirmation that names only other products is no proof for
        // this package: kept, never taken as its cancellation.
        Kind::Cancelled if cancels_another(case.package.as_ref(), &parsed.products) => {
            Verdict::OtherPackage
        }
        Kind::Cancelled => {
            accept(case, parsed.order_no.clone(), now);
            case.reply = None;
            case.confirmation = Some(Confirmation {
                at: now,
                effective_date: parsed.effective_date,
                missing: parsed.missing.clone(),
                source: Source::CarrierText,
            });
            Verdict::Confirmed
        }
        Kind::Failed => {
            case.failure = Some(pasted.text.chars().take(MAX_FAILURE_CHARS).collect());
            Verdict::Failed
        }
        Kind::FeeNotice => Verdict::FeeRead,
        Kind::OptOutNotice => Verdict::OptOutOnly,
        Kind::Marketing => Verdict::Marketing,
        Kind::LoginCode => Verdict::LoginCode,
        Kind::Other => Verdict::Unread,
    }
}

/// The carrier accepted the request (a later text may add the reference).
fn accept(case: &mut super::GuidedCase, reference: Option<String>, now: DateTime<Utc>) {
    match &mut case.acceptance {
        Some(acceptance) => {
            if acceptance.reference.is_none() {
                acceptance.reference = reference;
            }
        }
        None => {
            case.acceptance = Some(Acceptance {
                at: now,
                reference,
                source: Source::CarrierText,
            });
        }
    }
}
