//! What a guided case keeps: the package, the channel, every text the person
//! pasted, what the carrier quoted and what it confirmed. Part of the journal
//! (`Facts::guided`); nothing here is secret, since guided mode never asks for
//! a code or a password.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::core::channels::{Channel, Kind as PackageKind};
use crate::core::date_cost::{DateCostInput, Lapse, QuotedLines};
use crate::core::fees::{self, Fen};
use crate::core::sms::{Missing, Parsed, Product, Reply};

/// The most texts one case keeps: a case is days of messages, not thousands.
pub const MAX_MESSAGES: usize = 200;
/// The most packages a pasted list adds up to.
pub const MAX_LISTED: usize = 50;

/// One text from the carrier as the person pasted it, with what the parser
/// understood. Kept verbatim (bounded by the parser's cap): it is evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pasted {
    /// When it was pasted.
    pub at: DateTime<Utc>,
    /// The sender as the person named it, if they did.
    pub from: Option<String>,
    /// The text, verbatim.
    pub text: String,
    /// What the parser read from it.
    pub parsed: Parsed,
}

/// Where a fact came from: a carrier text or the person's word. The export
/// and the complaint packet keep the two apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A text the carrier sent, pasted verbatim.
    CarrierText,
    /// The person said so (typed, or picked "I did it").
    Statement,
}

/// The package being cancelled, as the person picked or typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// The name, as the carrier writes it.
    pub name: String,
    /// Its monthly fee, when known.
    pub monthly_fee: Option<Fen>,
    /// In a carrier's list, the number to reply with to cancel it.
    pub key: Option<String>,
    /// The end of its contract term, when it has one (the person's word).
    pub contract_end: Option<NaiveDate>,
    /// From a pasted list, or typed by hand.
    pub source: Source,
}

impl Package {
    /// Builds a package from a product of a pasted list.
    pub fn listed(product: &Product) -> Package {
        Package {
            name: product.name.clone(),
            monthly_fee: product.monthly_fee_fen,
            key: product.key.clone(),
            contract_end: None,
            source: Source::CarrierText,
        }
    }
}

/// What the carrier quoted for the cancellation: typed by the person as the
/// carrier said it, or read from a text. A refund is money back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quoted {
    /// 违约金.
    pub penalty: Fen,
    /// Equipment not returned.
    pub equipment: Fen,
    /// Money back (pro-rata refund, deposit).
    pub refund: Fen,
    /// The date the carrier said it takes effect, if it said.
    pub effective_date: Option<NaiveDate>,
    /// Typed (the person's word) or taken from a pasted text.
    pub source: Source,
}

impl Quoted {
    /// The carrier said nothing is due, on its word or the person's.
    pub fn nothing_due(source: Source) -> Quoted {
        Quoted {
            penalty: Fen(0),
            equipment: Fen(0),
            refund: Fen(0),
            effective_date: None,
            source,
        }
    }

    /// What is due in all: penalty and equipment less the refund. `None`
    /// only on an overflow, which typed amounts are bounded against.
    pub fn total(&self) -> Option<Fen> {
        let due = self.penalty.0.checked_add(self.equipment.0)?;
        due.checked_sub(self.refund.0).map(Fen)
    }
}

/// The carrier's 受理: the request is in progress, under this reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// When it was accepted as far as we know (the text's or the
    /// statement's time): the carrier's 15-day answer clock runs from here.
    pub at: DateTime<Utc>,
    /// The 受理单号 / order / work-order number, when given.
    pub reference: Option<String>,
    /// A carrier text or the person's word.
    pub source: Source,
}

/// The cancellation is done: from a carrier text, or the person's word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    /// When it was reported.
    pub at: DateTime<Utc>,
    /// When it takes effect, when said.
    pub effective_date: Option<NaiveDate>,
    /// What a confirmation must state and this one does not (2012 rule).
    pub missing: Vec<Missing>,
    /// A carrier text or the person's word.
    pub source: Source,
}

/// What the last pasted text meant for the case, for the screen to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Packages added to the list to pick from.
    Listed,
    /// The carrier asks for a reply: `GuidedCase::reply` says which.
    ReplyAsked,
    /// 受理: in progress.
    Accepted,
    /// The cancellation is confirmed.
    Confirmed,
    /// A cancellation of another product than the package: not this one's.
    OtherPackage,
    /// The carrier refused: `GuidedCase::failure` says why.
    Failed,
    /// A charge or fee was read into the quote.
    FeeRead,
    /// Reminders switched off: not a cancellation.
    OptOutOnly,
    /// Marketing: nothing to reply to.
    Marketing,
    /// A login code: never type it anywhere but the carrier's own page.
    LoginCode,
    /// Nothing the wizard can read; kept verbatim.
    Unread,
}

/// A guided case: everything the person and the carrier said, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidedCase {
    /// The case's own number (`G…`): the receipts' folder until the
    /// carrier gives a reference, and after.
    pub case_id: String,
    /// The package kind, which decides the channels.
    pub kind: PackageKind,
    /// The channel the person acts through now (changeable).
    pub channel: Channel,
    /// Packages read from pasted lists, to pick from.
    pub listed: Vec<Product>,
    /// The package being cancelled, once picked.
    pub package: Option<Package>,
    /// Every pasted text, oldest first.
    pub messages: Vec<Pasted>,
    /// What the last pasted text meant.
    pub verdict: Option<Verdict>,
    /// A reply the carrier asked for, to confirm the cancellation.
    pub reply: Option<Reply>,
    /// When the person said they acted through the channel.
    pub acted_at: Option<DateTime<Utc>>,
    /// The carrier accepted the request.
    pub acceptance: Option<Acceptance>,
    /// What the carrier quoted.
    pub quoted: Option<Quoted>,
    /// The carrier's last refusal, in its words (bounded).
    pub failure: Option<String>,
    /// The cancellation is done.
    pub confirmation: Option<Confirmation>,
}

impl GuidedCase {
    /// A new case for `kind` through `channel`.
    pub fn new(case_id: String, kind: PackageKind, channel: Channel) -> GuidedCase {
        GuidedCase {
            case_id,
            kind,
            channel,
            listed: Vec::new(),
            package: None,
            messages: Vec::new(),
            verdict: None,
            reply: None,
            acted_at: None,
            acceptance: None,
            quoted: None,
            failure: None,
            confirmation: None,
        }
    }

    /// The wizard's own estimate of the penalty by the fee rule, from the
    /// package's monthly fee and contract end: `None` without a fee.
    pub fn estimate(&self, today: NaiveDate) -> Option<Fen> {
        let package = self.package.as_ref()?;
        let fee = package.monthly_fee?;
        Some(fees::penalty(fee, today, package.contract_end))
    }

    /// How far the carrier's quoted penalty is from the estimate (quoted
    /// minus estimate), when both are known and differ.
    pub fn gap(&self, today: NaiveDate) -> Option<Fen> {
        let quoted = self.quoted?.penalty;
        let estimate = self.estimate(today)?;
        let gap = quoted.0.checked_sub(estimate.0)?;
        (gap != 0).then_some(Fen(gap))
    }

    /// Since when the case waits for the carrier: its acceptance, else the
    /// person's statement that they acted.
    pub fn waiting_since(&self) -> Option<DateTime<Utc>> {
        self.acceptance.as_ref().map(|a| a.at).or(self.acted_at)
    }

    /// Whether a refusal is what stops the case: then another channel is
    /// the way on.
    pub fn refused(&self) -> bool {
        self.failure.is_some() && self.confirmation.is_none()
    }

    /// The amount a fee text just pasted states, to offer as the quote (the
    /// person confirms it): only from a fee notice, never from a
    /// cancellation's monthly price.
    pub fn quote_from_last_text(&self) -> Option<Quoted> {
        if self.verdict != Some(Verdict::FeeRead) {
            return None;
        }
        let last = self.messages.last()?;
        Some(Quoted {
            penalty: last.parsed.amount_fen?,
            equipment: Fen(0),
            refund: Fen(0),
            effective_date: last.parsed.effective_date,
            source: Source::CarrierText,
        })
    }

    /// What the cost of each date is reckoned from, once the carrier's quote
    /// is recorded and the package's monthly fee is known: the quote is
    /// today's figure, every later date an estimate by the fee rule.
    pub fn date_cost_input(&self, today: NaiveDate) -> Option<DateCostInput> {
        let package = self.package.as_ref()?;
        let quoted = self.quoted?;
        Some(DateCostInput {
            monthly_fee: package.monthly_fee?,
            contract_end: package.contract_end,
            stops_next_month: quoted.effective_date.is_some_and(|d| d > today),
            quoted: QuotedLines {
                penalty: quoted.penalty,
                equipment: quoted.equipment,
                arrears: Fen(0),
                // Money back is a negative line in the reckoning.
                refund: Fen(quoted.refund.0.saturating_neg()),
            },
            lapse: Lapse::Renews,
            today,
        })
    }

    /// The carrier's reference for the case, when one was given.
    pub fn reference(&self) -> Option<&str> {
        self.acceptance.as_ref()?.reference.as_deref()
    }
}

/// Whether a cancellation text is about other products than `package`: it
/// names products and none of them is the package (names compared without
/// spaces, either containing the other — carriers shorten and lengthen
/// names). A text that names none is not held against the package. Such a
/// text is kept but never confirms the package — in the flow and in the
/// receipts' summary alike.
pub fn cancels_another(package: Option<&Package>, products: &[Product]) -> bool {
    let Some(package) = package else {
        return false;
    };
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let ours = squeeze(&package.name);
    !products.is_empty()
        && !ours.is_empty()
        && products.iter().all(|p| {
            let theirs = squeeze(&p.name);
            theirs.is_empty() || !(theirs.contains(&ours) || ours.contains(&theirs))
        })
}
