//! What each carrier's official channels can do, step by step: the knowledge
//! guided mode walks a person through.
//!
//! The facts live in `assets/channels/<carrier>.toml`, one file per carrier,
//! so a person who finds a step outdated fixes one file. `build.rs` checks
//! them (`compile.rs`) and writes them as the statics included below
//! (`generate.rs`); a broken file, a step without its source, or a number
//! that is not on the official list (`assets/channels/official-numbers.toml`) fails the build.
//! So nothing here can fail at run time, and every number the wizard can tell
//! a person to call or text is an official one (anti-scam).
//!
//! Every step carries its source, the date it was checked and how reliable
//! the source is ([`Reliability`]); where sources disagree, a step has a note
//! and [`Step::alternatives`], and the screen shows both.

use serde::{Deserialize, Serialize};

use super::model::CarrierId;

#[cfg(test)]
mod compile;
#[cfg(test)]
mod generate;
#[cfg(test)]
mod tests;

/// A kind of package, which decides the channel that can cancel it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A data pack (流量包).
    DataPack,
    /// A value-added service (增值业务), e.g. a monthly ring-back tone.
    ValueAdded,
    /// Home broadband (宽带), usually with equipment to return.
    Broadband,
    /// The main plan (主套餐) itself.
    MainPlan,
}

impl Kind {
    /// Every kind, in the order the wizard offers them.
    pub const ALL: [Kind; 4] = [
        Kind::DataPack,
        Kind::ValueAdded,
        Kind::Broadband,
        Kind::MainPlan,
    ];

    fn index(self) -> usize {
        match self {
            Kind::DataPack => 0,
            Kind::ValueAdded => 1,
            Kind::Broadband => 2,
            Kind::MainPlan => 3,
        }
    }
}

/// An official channel through which the person acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A text message to the carrier's service number.
    Sms,
    /// The carrier's own app.
    App,
    /// A call to the carrier's hotline.
    Hotline,
    /// A visit to a business hall (营业厅).
    Hall,
}

impl Channel {
    /// Every channel, in the order the wizard offers them.
    pub const ALL: [Channel; 4] = [Channel::Sms, Channel::App, Channel::Hotline, Channel::Hall];

    fn index(self) -> usize {
        match self {
            Channel::Sms => 0,
            Channel::App => 1,
            Channel::Hotline => 2,
            Channel::Hall => 3,
        }
    }
}

/// How far a step can be trusted, as the channel files grade their sources
/// (`reliability` in `assets/channels/*.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reliability {
    /// MIIT text, or the carrier's own code and templates.
    Official,
    /// Mainstream news relaying MIIT.
    High,
    /// Real app data, real SMS kept by third parties, user reports.
    Medium,
    /// Content farms: to be shown as "reported, may differ in your
    /// province", never as fact.
    Low,
}

pub use crate::core::lang::Lang;

/// A text in Chinese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    zh: &'static str,
    en: &'static str,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// Where a step or limit comes from: what the screen shows beside it so the
/// person can judge it (and a content-farm claim is never shown as fact).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    source: &'static str,
    checked: &'static str,
    reliability: Reliability,
}

impl Origin {
    /// Where the fact comes from (a URL, a file of a public repository, a
    /// regulation).
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// When the fact was last checked against its source (YYYY-MM-DD).
    pub fn checked(&self) -> &'static str {
        self.checked
    }

    /// How far the source can be trusted.
    pub fn reliability(&self) -> Reliability {
        self.reliability
    }
}

/// One thing the person does, with where the wizard learnt it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    text: Text,
    number: Option<&'static str>,
    command: Option<&'static str>,
    note: Option<Text>,
    origin: Origin,
    alternatives: &'static [Step],
}

impl Step {
    /// What to do, in `lang`.
    pub fn text(&self, lang: Lang) -> &'static str {
        self.text.get(lang)
    }

    /// The number to text or call — always an official one of the carrier
    /// (or MIIT's), checked at build time.
    pub fn number(&self) -> Option<&'static str> {
        self.number
    }

    /// The exact text to send, or the menu path to follow.
    pub fn command(&self) -> Option<&'static str> {
        self.command
    }

    /// Why there are alternatives (the sources disagree), in `lang`.
    pub fn note(&self, lang: Lang) -> Option<&'static str> {
        self.note.map(|n| n.get(lang))
    }

    /// Where the step comes from, when it was checked, how reliable it is.
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// Other variants of this step that other sources report; empty when the
    /// sources agree.
    pub fn alternatives(&self) -> &'static [Step] {
        self.alternatives
    }
}

/// Something a channel cannot do (e.g. no cancel-all by SMS), with its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    text: Text,
    origin: Origin,
}

impl Limit {
    /// The limit, in `lang`.
    pub fn text(&self, lang: Lang) -> &'static str {
        self.text.get(lang)
    }

    /// Where the fact comes from, when it was checked, how reliable it is.
    pub fn origin(&self) -> Origin {
        self.origin
    }
}

#[derive(Debug)]
struct ChannelGuide {
    steps: &'static [Step],
    cannot: &'static [Limit],
}

/// How to cancel one kind of package with one carrier, per channel.
#[derive(Debug)]
pub struct Guide {
    carrier: CarrierId,
    kind: Kind,
    recommended: Channel,
    reason: Text,
    channels: [ChannelGuide; 4],
}

impl Guide {
    /// The carrier.
    pub fn carrier(&self) -> CarrierId {
        self.carrier
    }

    /// The package kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The channel to offer first; it always has at least one step.
    pub fn recommended(&self) -> Channel {
        self.recommended
    }

    /// Why that channel is recommended, in `lang`.
    pub fn reason(&self, lang: Lang) -> &'static str {
        self.reason.get(lang)
    }

    /// The steps through `channel`, in order; empty when the channel cannot
    /// do it (then [`Guide::cannot`] says why).
    pub fn steps(&self, channel: Channel) -> &'static [Step] {
        self.channels[channel.index()].steps
    }

    /// What `channel` cannot do for this kind of package.
    pub fn cannot(&self, channel: Channel) -> &'static [Limit] {
        self.channels[channel.index()].cannot
    }
}

/// Whose official number it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    /// One of the carriers.
    Carrier(CarrierId),
    /// MIIT, the regulator (12300 appeals and its senders).
    Miit,
}

/// An official number: the only kind the wizard may tell a person to call or
/// text, and the only senders it trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Official {
    number: &'static str,
    owner: Owner,
    role: Text,
    source: &'static str,
    checked: &'static str,
}

impl Official {
    /// The number, digits only.
    pub fn number(&self) -> &'static str {
        self.number
    }

    /// Whose number it is.
    pub fn owner(&self) -> Owner {
        self.owner
    }

    /// What it is for, in `lang`.
    pub fn role(&self, lang: Lang) -> &'static str {
        self.role.get(lang)
    }

    /// Where the list says so.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// When it was last checked (YYYY-MM-DD).
    pub fn checked(&self) -> &'static str {
        self.checked
    }
}

include!(concat!(env!("OUT_DIR"), "/channels.rs"));

/// How to cancel `kind` with `carrier`.
pub fn guide(carrier: CarrierId, kind: Kind) -> &'static Guide {
    let row = match carrier {
        CarrierId::ChinaMobile => &GUIDES[0],
        CarrierId::ChinaUnicom => &GUIDES[1],
        CarrierId::ChinaTelecom => &GUIDES[2],
    };
    &row[kind.index()]
}

/// Every official number, sorted.
pub fn official_numbers() -> &'static [Official] {
    &OFFICIAL
}

/// Whether `number` is an official number, and whose. Spaces, dashes and a
/// leading `+86` (as a phone shows a sender) are ignored; anything else must
/// match exactly, so `100869770` is not `10086977`.
pub fn is_official(number: &str) -> Option<&'static Official> {
    let digits: String = number
        .trim()
        .trim_start_matches("+86")
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    OFFICIAL
        .binary_search_by(|o| o.number.cmp(digits.as_str()))
        .ok()
        .and_then(|i| OFFICIAL.get(i))
}
