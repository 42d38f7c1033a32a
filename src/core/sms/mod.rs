//! What a carrier's SMS says, read without trusting it: the kind of message,
//! the carrier that signed it, the products and monthly fees it names, when a
//! change takes effect, the money, the order number, and — only for a
//! cancellation — what to reply, to whom and before when.
//!
//! Everything here is hostile input: the text is cut to [`MAX_CHARS`]
//! characters, names to [`MAX_NAME_CHARS`], lists to [`MAX_PRODUCTS`]; every
//! scan is a bounded forward pass (no backtracking, no regex), so any input
//! ends in a [`Parsed`] without a panic. The parser never guesses a
//! cancellation: an opt-out of reminders, a list, an order confirmation or an
//! invitation to reply "是" is never [`Kind::Cancelled`].

pub mod dates;
pub mod fees;
pub mod kind;
pub mod products;
pub mod scan;
pub mod senders;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::fees::Fen;
use super::model::CarrierId;

pub use kind::Kind;

/// The most characters of one message that are read; the rest is ignored
/// (a real SMS, even joined from parts, is far shorter).
pub const MAX_CHARS: usize = 8_000;
/// The longest product name kept, in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// The most products taken from one message.
pub const MAX_PRODUCTS: usize = 50;
/// The longest order number kept.
pub const MAX_ORDER_NO: usize = 64;

/// What the parser is told besides the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The carrier the person says the number is with (`--carrier`).
    pub carrier: Option<CarrierId>,
    /// The sender as the person names it (`--from`).
    pub from: Option<String>,
    /// The day the message arrived, in China time; relative dates
    /// ("次月生效") are resolved against it.
    pub received: NaiveDate,
}

/// One product a message names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// In a list, the number to reply with to cancel it.
    pub key: Option<String>,
    /// The name as the carrier wrote it (bounded).
    pub name: String,
    /// The monthly fee, if the message states one.
    pub monthly_fee_fen: Option<Fen>,
}

/// The reply that confirms a cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The official number to send it to.
    pub to: String,
    /// The text to send; `None` for a list, where it is the key of the
    /// product chosen.
    pub text: Option<String>,
    /// How long the carrier waits for it, if the message says.
    pub deadline_minutes: Option<u32>,
}

/// A field the 2012 consumer-reminder rule (工信部电管函[2012]27号) requires
/// in a confirmation, which the message lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// No fee or price stated (收费标准).
    Price,
    /// No effective date stated (生效日期).
    EffectiveDate,
}

/// What one message was understood to say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    /// The kind of message.
    pub kind: Kind,
    /// The carrier, from the signature, the sender or the person.
    pub carrier: Option<CarrierId>,
    /// Whether the sender the person named is an official number of that
    /// carrier; absent when no sender was named.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub official_sender: Option<bool>,
    /// Every product named, in order.
    pub products: Vec<Product>,
    /// When the change takes effect.
    pub effective_date: Option<NaiveDate>,
    /// The words the date was read from, when they need a caveat
    /// ("下一个账期": a billing cycle may not start on the 1st) or give no date.
    pub effective_note: Option<String>,
    /// Money charged or quoted.
    pub amount_fen: Option<Fen>,
    /// An order, acceptance or work-order number.
    pub order_no: Option<String>,
    /// The reply that confirms a cancellation (never one that orders).
    pub reply: Option<Reply>,
    /// For a cancellation: the required fields the text lacks.
    pub missing: Vec<Missing>,
}

/// Reads one message. Never panics, whatever `text` holds.
pub fn parse(text: &str, ctx: &Context) -> Parsed {
    let text = scan::normalize(text);
    let carrier = senders::signature(&text)
        .or_else(|| ctx.from.as_deref().and_then(senders::carrier_of))
        .or(ctx.carrier);
    let official_sender = ctx
        .from
        .as_deref()
        .map(|from| senders::is_official(from, carrier));
    let body = scan::mask_opt_out_footers(&text);
    let kind = match kind::classify(&body) {
        // Nothing but an opt-out footer to go by: the shape of marketing.
        Kind::Other if body != text => Kind::Marketing,
        kind => kind,
    };
    let products = products::extract(&body, kind);
    let effective = dates::effective(&body, ctx.received);
    let amount_fen = fees::amount(&body, kind);
    let reply = match kind {
        Kind::ConfirmPrompt | Kind::ServiceList => {
            kind::cancel_reply(&body, kind, carrier, ctx.from.as_deref())
        }
        _ => None,
    };
    let mut missing = Vec::new();
    if kind == Kind::Cancelled {
        let priced = amount_fen.is_some() || products.iter().any(|p| p.monthly_fee_fen.is_some());
        if !priced {
            missing.push(Missing::Price);
        }
        if effective.date.is_none() && effective.note.is_none() {
            missing.push(Missing::EffectiveDate);
        }
    }
    Parsed {
        kind,
        carrier,
        official_sender,
        products,
        effective_date: effective.date,
        effective_note: effective.note,
        amount_fen,
        order_no: scan::order_no(&body),
        reply,
        missing,
    }
}
