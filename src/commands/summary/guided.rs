//! What a guided case's receipts say: the channel, the package, every text
//! the carrier sent (verbatim), every statement of the person's, what was
//! quoted and what confirmed it — each kept apart by where it came from.

use chrono::{DateTime, NaiveDate, Utc};

use crate::core::channels::{Channel, Kind as PackageKind};
use crate::core::fees::Fen;
use crate::core::flow::guided::{
    Acceptance, Confirmation, Package, Pasted, Quoted, Source, Statement, cancels_another,
};
use crate::core::receipt::ReceiptEvent;
use crate::core::sms::Kind as TextKind;

/// The facts of a guided case, from its receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidedFacts {
    /// The package kind.
    pub kind: PackageKind,
    /// The channel last chosen.
    pub channel: Channel,
    /// The package, once picked or typed.
    pub package: Option<Package>,
    /// Every pasted text, oldest first.
    pub texts: Vec<Pasted>,
    /// Every statement of the person's, with its time.
    pub statements: Vec<(DateTime<Utc>, Statement)>,
    /// When the person said they acted.
    pub acted_at: Option<DateTime<Utc>>,
    /// When the carrier accepted (受理) — the 15-day clock starts here —
    /// the reference, and where that came from.
    pub accepted: Option<Acceptance>,
    /// The carrier's quote as recorded.
    pub quoted: Option<QuoteRecord>,
    /// The confirmation: when, the effective date, what it lacks, whence.
    pub confirmed: Option<Confirmation>,
}

/// A quote as its receipt keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteRecord {
    /// As typed or read.
    pub quoted: Quoted,
    /// Penalty and equipment less refund.
    pub total: Fen,
    /// The estimate shown beside it.
    pub estimate: Option<Fen>,
}

impl GuidedFacts {
    /// Starts from the first channel choice.
    pub fn new(kind: PackageKind, channel: Channel) -> GuidedFacts {
        GuidedFacts {
            kind,
            channel,
            package: None,
            texts: Vec::new(),
            statements: Vec::new(),
            acted_at: None,
            accepted: None,
            quoted: None,
            confirmed: None,
        }
    }

    /// Takes one guided receipt; others are not its business.
    pub fn take(&mut self, at: DateTime<Utc>, event: &ReceiptEvent) {
        match event {
            ReceiptEvent::ChannelChosen { kind, channel, .. } => {
                self.kind = *kind;
                self.channel = *channel;
            }
            ReceiptEvent::PackageChosen { package } => self.package = Some(package.clone()),
            ReceiptEvent::SmsPasted { pasted } => self.take_text(pasted),
            ReceiptEvent::AmountQuoted {
                quoted,
                total,
                estimate,
            } => {
                self.quoted = Some(QuoteRecord {
                    quoted: *quoted,
                    total: *total,
                    estimate: *estimate,
                });
            }
            ReceiptEvent::Statement { statement } => self.take_statement(at, statement),
            _ => {}
        }
    }

    fn take_text(&mut self, pasted: &Pasted) {
        let parsed = &pasted.parsed;
        // Read as the flow read it: another product's cancellation is kept
        // as a text, never as this case's acceptance or confirmation.
        if parsed.kind == TextKind::Cancelled
            && cancels_another(self.package.as_ref(), &parsed.products)
        {
            self.texts.push(pasted.clone());
            return;
        }
        if matches!(parsed.kind, TextKind::Accepted | TextKind::Cancelled) {
            self.accept(pasted.at, parsed.order_no.clone(), Source::CarrierText);
        }
        if parsed.kind == TextKind::Cancelled {
            self.confirmed = Some(Confirmation {
                at: pasted.at,
                effective_date: parsed.effective_date,
                missing: parsed.missing.clone(),
                source: Source::CarrierText,
            });
        }
        self.texts.push(pasted.clone());
    }

    fn take_statement(&mut self, at: DateTime<Utc>, statement: &Statement) {
        match statement {
            Statement::Acted => {
                self.acted_at.get_or_insert(at);
            }
            Statement::Reference { reference } => {
                self.acted_at.get_or_insert(at);
                match &mut self.accepted {
                    Some(accepted) => accepted.reference = Some(reference.clone()),
                    None => {
                        self.accepted = Some(Acceptance {
                            at,
                            reference: Some(reference.clone()),
                            source: Source::Statement,
                        });
                    }
                }
            }
            Statement::Cancelled { effective_date } => {
                self.confirmed = Some(Confirmation {
                    at,
                    effective_date: *effective_date,
                    missing: Vec::new(),
                    source: Source::Statement,
                });
            }
        }
        self.statements.push((at, statement.clone()));
    }

    fn accept(&mut self, at: DateTime<Utc>, reference: Option<String>, source: Source) {
        match &mut self.accepted {
            Some(accepted) => {
                if accepted.reference.is_none() {
                    accepted.reference = reference;
                }
            }
            None => {
                self.accepted = Some(Acceptance {
                    at,
                    reference,
                    source,
                });
            }
        }
    }

    /// The carrier's reference, when one was given.
    pub fn reference(&self) -> Option<&str> {
        self.accepted.as_ref()?.reference.as_deref()
    }

    /// The date the cancellation takes effect, when known: the
    /// confirmation's, else the quote's.
    pub fn effective_date(&self) -> Option<NaiveDate> {
        self.confirmed
            .as_ref()
            .and_then(|c| c.effective_date)
            .or_else(|| self.quoted.and_then(|q| q.quoted.effective_date))
    }

    /// What the case waits for now, and since when.
    pub fn waiting(&self) -> Option<(Waiting, DateTime<Utc>)> {
        if self.confirmed.is_some() {
            return None;
        }
        if let Some(accepted) = &self.accepted {
            return Some((Waiting::Confirmation, accepted.at));
        }
        self.acted_at.map(|at| (Waiting::Answer, at))
    }
}

/// What an open guided case waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// The person acted; no answer from the carrier yet.
    Answer,
    /// Accepted (受理); the confirmation text has not come.
    Confirmation,
}
