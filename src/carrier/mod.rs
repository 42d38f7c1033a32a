//! The carriers behind one trait. The shell and the UI only ever see
//! [`Carrier`]; each adapter speaks its own wire dialect
//! (`docs/CARRIER-API.md`) and maps it into `core::model` and
//! `core::error` once.

use async_trait::async_trait;

pub mod china_mobile;
pub mod china_telecom;
pub mod china_unicom;
pub mod exec;
pub mod http;
pub mod ids;
pub mod registry;

pub use registry::{Registry, RegistryError, connect};

pub use crate::core::error::{CarrierError, ErrorKind};
pub use crate::core::model::CarrierId;
use crate::core::model::{
    Account, Application, IdempotencyKey, Msisdn, Notice, Order, PayMethod, Payment, Quote,
};
use crate::core::secret::{CardNumber, ServicePassword, SmsCode, Token};

/// A logged-in session: the number and the carrier's credential (bearer
/// token, `CUSESSION` cookie or access token). Held by the shell in memory
/// only; the credential is zeroized on drop and never printed.
#[derive(Debug, Clone)]
pub struct Session {
    /// The number logged in.
    pub msisdn: Msisdn,
    /// The credential to send with every later call.
    pub token: Token,
}

/// An order request: the accepted quote and the form, under a key that is
/// reused on every retry.
#[derive(Debug, Clone)]
pub struct SubmitRequest {
    /// Reused on every retry of this request.
    pub idempotency_key: IdempotencyKey,
    /// The quote being accepted.
    pub quote_id: String,
    /// The full form.
    pub application: Application,
    /// Whether the retention offer was taken.
    pub accept_retention: bool,
}

/// A payment request on an order.
#[derive(Debug, Clone)]
pub struct PayRequest {
    /// Reused on every retry of this request.
    pub idempotency_key: IdempotencyKey,
    /// The order to pay.
    pub order_id: String,
    /// How.
    pub method: PayMethod,
    /// The card, for card payments.
    pub card: Option<CardNumber>,
}

/// Everything the wizard asks of a carrier.
#[async_trait]
pub trait Carrier: Send + Sync {
    /// Which carrier this is.
    fn id(&self) -> CarrierId;

    /// Sends an SMS code to the number.
    async fn request_code(&self, msisdn: &Msisdn) -> Result<(), CarrierError>;

    /// Logs in with the SMS code (and the service password where needed).
    async fn login(
        &self,
        msisdn: &Msisdn,
        code: &SmsCode,
        password: Option<&ServicePassword>,
    ) -> Result<Session, CarrierError>;

    /// The account's balance and packages.
    async fn plans(&self, session: &Session) -> Result<Account, CarrierError>;

    /// What cancelling a plan costs.
    async fn quote(&self, session: &Session, plan_id: &str) -> Result<Quote, CarrierError>;

    /// Creates (or, for a repeated key, returns) the cancellation order.
    async fn submit(
        &self,
        session: &Session,
        request: &SubmitRequest,
    ) -> Result<Order, CarrierError>;

    /// Pays an order (or returns the payment already made under the key).
    async fn pay(&self, session: &Session, request: &PayRequest) -> Result<Payment, CarrierError>;

    /// The order's current state.
    async fn order(&self, session: &Session, order_id: &str) -> Result<Order, CarrierError>;

    /// Notices after the cursor (the last notice id seen).
    async fn notices(
        &self,
        session: &Session,
        since: Option<&str>,
    ) -> Result<Vec<Notice>, CarrierError>;
}
