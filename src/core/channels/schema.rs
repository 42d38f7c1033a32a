//! The channel files' schema: carriers, package kinds, channels, steps and
//! their sources, as the TOML spells them. Checked by `compile.rs`.

use serde::Deserialize;

/// A carrier, as named in the files.
// The variants spell `CarrierId`'s, so `{:?}` writes the generated Rust path.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// `china_mobile`.
    ChinaMobile,
    /// `china_unicom`.
    ChinaUnicom,
    /// `china_telecom`.
    ChinaTelecom,
}

/// Carriers in the order of `CarrierId::ALL`.
pub const CARRIERS: [Carrier; 3] = [
    Carrier::ChinaMobile,
    Carrier::ChinaUnicom,
    Carrier::ChinaTelecom,
];

/// Who owns an official number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// `china_mobile`.
    ChinaMobile,
    /// `china_unicom`.
    ChinaUnicom,
    /// `china_telecom`.
    ChinaTelecom,
    /// `miit`: the regulator (12300 appeals and its senders).
    Miit,
}

/// A package kind, as named in the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `data_pack`.
    DataPack,
    /// `value_added`.
    ValueAdded,
    /// `broadband`.
    Broadband,
    /// `main_plan`.
    MainPlan,
}

/// A channel, as named in the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// `sms`.
    Sms,
    /// `app`.
    App,
    /// `hotline`.
    Hotline,
    /// `hall`.
    Hall,
}

/// How far a fact can be trusted: the grade a channel file gives its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reliability {
    /// MIIT text or carrier-internal code and templates.
    Official,
    /// Mainstream news relaying MIIT.
    High,
    /// Real app data, real SMS kept by third parties, user reports.
    Medium,
    /// Content farms: shown as "reported, may differ", never as fact.
    Low,
}

/// A text in both languages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// One official number.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficialNumber {
    /// Digits only.
    pub number: String,
    /// Whose number it is.
    pub owner: Owner,
    /// What it is for.
    pub role: Text,
    /// Where the list says so.
    pub source: String,
    /// When it was checked.
    pub checked: String,
}

/// The official list's file: its numbers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OfficialFile {
    /// Every official number.
    pub(super) number: Vec<OfficialNumber>,
}

/// One step (or one alternative to a step).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
    /// The number to text or call, if any.
    pub number: Option<String>,
    /// The exact text to send or menu path to follow, if any.
    pub command: Option<String>,
    /// Why there are variants (sources disagree), if they do.
    pub note: Option<Text>,
    /// Where the fact comes from.
    pub source: Option<String>,
    /// When it was checked (YYYY-MM-DD).
    pub checked: Option<String>,
    /// How reliable the source is.
    pub reliability: Option<Reliability>,
    /// Other variants reported by other sources.
    #[serde(default)]
    pub alternatives: Vec<Step>,
}

/// One channel of one kind: steps and limits, or the same as another kind's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelGuide {
    /// Take this channel's steps and limits from another kind.
    pub same_as: Option<Kind>,
    /// The steps, in order.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// What this channel cannot do: steps with text and origin only.
    #[serde(default)]
    pub cannot: Vec<Step>,
}

/// One package kind of one carrier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindGuide {
    /// The channel to offer first.
    pub recommended: Channel,
    /// Why.
    pub reason: Text,
    /// `sms`.
    #[serde(default)]
    pub sms: ChannelGuide,
    /// `app`.
    #[serde(default)]
    pub app: ChannelGuide,
    /// `hotline`.
    #[serde(default)]
    pub hotline: ChannelGuide,
    /// `hall`.
    #[serde(default)]
    pub hall: ChannelGuide,
}

impl KindGuide {
    /// The channels in `Channel` order.
    pub fn channels(&self) -> [(Channel, &ChannelGuide); 4] {
        [
            (Channel::Sms, &self.sms),
            (Channel::App, &self.app),
            (Channel::Hotline, &self.hotline),
            (Channel::Hall, &self.hall),
        ]
    }

    pub(super) fn channels_mut(&mut self) -> [(Channel, &mut ChannelGuide); 4] {
        [
            (Channel::Sms, &mut self.sms),
            (Channel::App, &mut self.app),
            (Channel::Hotline, &mut self.hotline),
            (Channel::Hall, &mut self.hall),
        ]
    }
}

/// One carrier's file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarrierGuide {
    /// Whose file this is.
    pub carrier: Carrier,
    /// Data packs.
    pub data_pack: KindGuide,
    /// Value-added services.
    pub value_added: KindGuide,
    /// Broadband.
    pub broadband: KindGuide,
    /// Main plans.
    pub main_plan: KindGuide,
}

impl CarrierGuide {
    /// The kinds in `Kind` order.
    pub fn kinds(&self) -> [(Kind, &KindGuide); 4] {
        [
            (Kind::DataPack, &self.data_pack),
            (Kind::ValueAdded, &self.value_added),
            (Kind::Broadband, &self.broadband),
            (Kind::MainPlan, &self.main_plan),
        ]
    }

    pub(super) fn kind(&self, kind: Kind) -> &KindGuide {
        match kind {
            Kind::DataPack => &self.data_pack,
            Kind::ValueAdded => &self.value_added,
            Kind::Broadband => &self.broadband,
            Kind::MainPlan => &self.main_plan,
        }
    }
}
