//! The domain: carriers, accounts, plans, quotes, orders, payments, notices.
//!
//! These are the shapes every adapter maps its wire dialect into, once. They
//! hold no secrets: SMS codes, passwords, tokens, full ID and card numbers
//! live in [`crate::core::secret`] and never in a type that is serialised.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

pub use super::fees::Fen;
// Old paths of what moved out, for callers outside the core; the core itself
// imports them from `mask` and `receipt` (which depend on this module, not
// the other way round).
pub use super::mask::mask_middle;
pub use super::receipt::{Receipt, ReceiptEvent};
use super::secret::IdNumber;

/// One of the three carriers the wizard can cancel with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarrierId {
    /// 中国移动 China Mobile.
    ChinaMobile,
    /// 中国联通 China Unicom.
    ChinaUnicom,
    /// 中国电信 China Telecom.
    ChinaTelecom,
}

impl CarrierId {
    /// Every carrier, in the order the wizard offers them.
    pub const ALL: [CarrierId; 3] = [
        CarrierId::ChinaMobile,
        CarrierId::ChinaUnicom,
        CarrierId::ChinaTelecom,
    ];

    /// The carrier's official customer-service hotline — the only number the
    /// wizard ever shows for it.
    pub fn hotline(self) -> &'static str {
        match self {
            CarrierId::ChinaMobile => "10086",
            CarrierId::ChinaUnicom => "10010",
            CarrierId::ChinaTelecom => "10000",
        }
    }

    /// The carrier's name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            CarrierId::ChinaMobile => "中国移动",
            CarrierId::ChinaUnicom => "中国联通",
            CarrierId::ChinaTelecom => "中国电信",
        }
    }

    /// The carrier's name in English.
    pub fn name_en(self) -> &'static str {
        match self {
            CarrierId::ChinaMobile => "China Mobile",
            CarrierId::ChinaUnicom => "China Unicom",
            CarrierId::ChinaTelecom => "China Telecom",
        }
    }

    /// The key used in config files and the CLI (`china_mobile`…).
    pub fn config_key(self) -> &'static str {
        match self {
            CarrierId::ChinaMobile => "china_mobile",
            CarrierId::ChinaUnicom => "china_unicom",
            CarrierId::ChinaTelecom => "china_telecom",
        }
    }

    /// Whether login also asks for the 6-digit service password (服务密码).
    pub fn needs_service_password(self) -> bool {
        self == CarrierId::ChinaUnicom
    }
}

impl fmt::Display for CarrierId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_en())
    }
}

/// A validated 11-digit mainland mobile number (see [`crate::core::validate`]).
/// A phone number is personal data: it is shown masked in receipts and logs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Msisdn(pub(crate) String);

impl Msisdn {
    /// The digits, for the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****8000`: first three and last four digits.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 3, 4)
    }
}

impl fmt::Display for Msisdn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of service a plan is; decides effective dates and the
/// equipment-return reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// Fixed broadband (宽带): has a modem to return.
    Broadband,
    /// A monthly data pack (流量包).
    DataPack,
    /// A bundle (融合套餐) of several services.
    Bundle,
}

/// A plan's lifecycle state as the carrier reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// In service.
    Active,
    /// Past its term.
    Expired,
    /// A cancellation is already under way.
    PendingCancel,
}

/// Why a plan cannot be cancelled right now — each has a way forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockReason {
    /// The plan has expired: renew or change it first.
    Expired,
    /// A member of a bundle (融合套餐): change the bundle first.
    InBundle,
    /// The account owes money: settle the arrears first.
    Arrears,
    /// A cancellation is already in progress.
    AlreadyCancelling,
    /// The carrier said no without a reason the spec knows.
    Unspecified,
}

/// One package on the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The carrier's product id (`offerId`, `productCode`, `prodId`).
    pub id: String,
    /// Display name as the carrier gives it, e.g. `5G智享宽带 300M`.
    pub name: String,
    /// Broadband, data pack or bundle.
    pub kind: PlanKind,
    /// Monthly fee.
    pub monthly_fee: Fen,
    /// Active, expired or being cancelled.
    pub status: PlanStatus,
    /// Last day of the contract, if there is one.
    pub contract_end: Option<NaiveDate>,
    /// `None` when the plan can be cancelled now; otherwise why not.
    pub blocked: Option<BlockReason>,
}

impl Plan {
    /// Whether the wizard may ask for a quote for this plan.
    pub fn is_cancellable(&self) -> bool {
        self.blocked.is_none()
    }
}

/// The account behind a number: its balance and packages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Prepaid balance (话费余额).
    pub balance: Fen,
    /// Every package, cancellable or not.
    pub plans: Vec<Plan>,
}

/// What a quote line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    /// 违约金: early-termination penalty.
    Penalty,
    /// Equipment not returned (modem 光猫, set-top box).
    Equipment,
    /// Arrears (欠费) settled with the cancellation.
    Arrears,
    /// Pro-rata refund; negative.
    Refund,
}

/// One itemised line of a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    /// What the line is for.
    pub kind: FeeKind,
    /// The carrier's own label for it.
    pub label: String,
    /// Amount; refunds are negative.
    pub amount: Fen,
}

/// A retention offer (挽留): what the carrier offers to keep the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionOffer {
    /// The carrier's id for the offer.
    pub id: String,
    /// The carrier's description, shown verbatim.
    pub description: String,
    /// The monthly fee the plan would have instead.
    pub monthly_fee: Fen,
}

/// What cancelling one plan costs, valid until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The carrier's quote id (`quoteId`, `trialId`).
    pub id: String,
    /// Every fee line.
    pub items: Vec<LineItem>,
    /// The total the carrier will charge (may be zero; never shown as
    /// anything else than what the carrier says).
    pub total: Fen,
    /// The day the cancellation takes effect.
    pub effective_date: NaiveDate,
    /// After this instant the carrier refuses to submit the quote.
    pub expires_at: DateTime<FixedOffset>,
    /// A retention offer, if the carrier makes one.
    pub retention: Option<RetentionOffer>,
}

impl Quote {
    /// Whether the listed lines add up to the stated total. A mismatch is
    /// shown to the person rather than silently trusted either way.
    pub fn lines_add_up(&self) -> bool {
        Fen::checked_sum(self.items.iter().map(|i| i.amount)) == Some(self.total)
    }
}

/// An order's progress through the carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "reason")]
pub enum OrderState {
    /// Created; the fees must be paid before processing starts.
    AwaitingPayment,
    /// Paid (or nothing to pay); the carrier is working on it.
    Processing,
    /// The carrier confirmed the cancellation.
    Completed,
    /// The carrier refused, with its reason if it gave one.
    Rejected(Option<String>),
}

/// A cancellation order as last reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// The carrier's order number.
    pub id: String,
    /// Where it stands.
    pub state: OrderState,
    /// When the carrier expects to be done, once processing started.
    pub expected_by: Option<DateTime<FixedOffset>>,
    /// How long the carrier asked us to wait before asking again.
    pub retry_after_secs: Option<u32>,
    /// What must be paid before processing starts, when the carrier says.
    pub amount_due: Option<Fen>,
}

/// How the person pays; the card number itself travels separately as a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayMethod {
    /// From the phone account's balance (话费余额).
    Balance,
    /// Bank card (the number is a [`crate::core::secret::CardNumber`]).
    Card,
    /// Alipay QR code.
    Alipay,
    /// WeChat Pay QR code.
    WeChat,
}

impl PayMethod {
    /// Every method, in the order the Pay screen offers them.
    pub const ALL: [PayMethod; 4] = [
        PayMethod::Balance,
        PayMethod::Card,
        PayMethod::Alipay,
        PayMethod::WeChat,
    ];

    /// Whether this method is paid by scanning a QR code.
    pub fn is_qr(self) -> bool {
        matches!(self, PayMethod::Alipay | PayMethod::WeChat)
    }
}

/// Whether a payment has taken the money yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Money taken.
    Paid,
    /// Waiting for the person to scan the QR code.
    Pending,
    /// Refused (card declined, balance too low): nothing taken. Only the
    /// wizard's own record of an attempt carries it.
    Declined,
}

/// A payment attempt on an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// The carrier's payment id.
    pub id: String,
    /// Method used.
    pub method: PayMethod,
    /// Paid or pending.
    pub state: PaymentState,
    /// For QR payments: the link to encode.
    pub pay_url: Option<String>,
    /// For card payments: last four digits only.
    pub card_last4: Option<String>,
}

/// A message from the carrier (an SMS or app notice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The carrier's id for it, used as the cursor for the next fetch.
    pub id: String,
    /// When it was sent.
    pub sent_at: DateTime<FixedOffset>,
    /// The text, verbatim.
    pub text: String,
}

/// How a finished flow ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The plan is cancelled.
    Cancelled,
    /// The person took the retention offer; the plan continues at the new fee.
    RetentionAccepted,
}

/// Why the person is cancelling; carriers ask, and some offer retention by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReasonCode {
    /// 不再需要.
    NoLongerNeeded,
    /// 资费太高.
    TooExpensive,
    /// 搬家/迁移.
    Moving,
    /// 转网/换运营商.
    SwitchingCarrier,
    /// 服务质量.
    PoorService,
    /// Something else, in the person's words.
    Other,
}

impl ReasonCode {
    /// Every reason, in the order the form offers them.
    pub const ALL: [ReasonCode; 6] = [
        ReasonCode::NoLongerNeeded,
        ReasonCode::TooExpensive,
        ReasonCode::Moving,
        ReasonCode::SwitchingCarrier,
        ReasonCode::PoorService,
        ReasonCode::Other,
    ];

    /// The code sent on the wire.
    pub fn wire(self) -> &'static str {
        match self {
            ReasonCode::NoLongerNeeded => "NO_LONGER_NEEDED",
            ReasonCode::TooExpensive => "TOO_EXPENSIVE",
            ReasonCode::Moving => "MOVING",
            ReasonCode::SwitchingCarrier => "SWITCHING_CARRIER",
            ReasonCode::PoorService => "POOR_SERVICE",
            ReasonCode::Other => "OTHER",
        }
    }

    /// The i18n key of the reason's label.
    pub fn label_key(self) -> &'static str {
        match self {
            ReasonCode::NoLongerNeeded => "reason.no_longer_needed",
            ReasonCode::TooExpensive => "reason.too_expensive",
            ReasonCode::Moving => "reason.moving",
            ReasonCode::SwitchingCarrier => "reason.switching_carrier",
            ReasonCode::PoorService => "reason.poor_service",
            ReasonCode::Other => "reason.other",
        }
    }
}

/// The cancellation form as sent to the carrier. Holds the full ID number, so
/// it is never serialised; [`Application::masked`] is what is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// The holder's name as on the ID.
    pub holder_name: String,
    /// The full ID number (a secret).
    pub id_number: IdNumber,
    /// A number the carrier can call back.
    pub contact: Msisdn,
    /// Why.
    pub reason: ReasonCode,
    /// Free text for the reason (may be empty).
    pub reason_text: String,
}

/// The form as kept in the journal and receipts: ID and contact masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedApplication {
    /// The holder's name.
    pub holder_name: String,
    /// `110***********123X`.
    pub id_masked: String,
    /// `138****8000`.
    pub contact_masked: String,
    /// Why.
    pub reason: ReasonCode,
    /// Free text for the reason.
    pub reason_text: String,
}

impl Application {
    /// What may be kept of this form.
    pub fn masked(&self) -> MaskedApplication {
        MaskedApplication {
            holder_name: self.holder_name.clone(),
            id_masked: self.id_number.masked(),
            contact_masked: self.contact.masked(),
            reason: self.reason,
            reason_text: self.reason_text.clone(),
        }
    }
}

/// A client-generated idempotency key: 128 bits, sent as 32 hex characters
/// (Mobile, Unicom) or as a UUID (Telecom).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct IdempotencyKey([u8; 16]);

impl IdempotencyKey {
    /// Derives the key for one request from the flow's random seed, what the
    /// request is for, and a fingerprint of its body. The same request always
    /// gets the same key — across retries, restarts and resubmissions — and a
    /// different body gets a different one. The bytes are shaped as a version 4
    /// UUID so that every dialect accepts them.
    pub fn derive(seed: &KeySeed, purpose: &str, subject: &str, body: &str) -> Self {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        for part in [
            &seed.0[..],
            purpose.as_bytes(),
            subject.as_bytes(),
            body.as_bytes(),
        ] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        let digest = hash.finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        IdempotencyKey(bytes)
    }

    /// 32 lowercase hex characters (Unicom `reqSeq`, Mobile `Idempotency-Key`).
    pub fn as_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx` (Telecom `requestId`).
    pub fn as_uuid(&self) -> String {
        let h = self.as_hex();
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }
}

impl From<IdempotencyKey> for String {
    fn from(key: IdempotencyKey) -> String {
        key.as_hex()
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let mut bytes = [0u8; 16];
        hex::decode_to_slice(&text, &mut bytes).map_err(|e| format!("bad idempotency key: {e}"))?;
        Ok(IdempotencyKey(bytes))
    }
}

/// 128 random bits chosen once per cancellation; every idempotency key of the
/// flow is derived from it. Not a secret: it only names requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct KeySeed(pub [u8; 16]);

impl From<KeySeed> for String {
    fn from(seed: KeySeed) -> String {
        hex::encode(seed.0)
    }
}

impl TryFrom<String> for KeySeed {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let mut bytes = [0u8; 16];
        hex::decode_to_slice(&text, &mut bytes).map_err(|e| format!("bad key seed: {e}"))?;
        Ok(KeySeed(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hotlines_are_the_official_ones() {
        assert_eq!(CarrierId::ChinaMobile.hotline(), "10086");
        assert_eq!(CarrierId::ChinaUnicom.hotline(), "10010");
        assert_eq!(CarrierId::ChinaTelecom.hotline(), "10000");
    }
}
