//! Every way a cancellation can fail, each with what to do about it.
//!
//! An adapter maps its carrier's error codes into [`ErrorKind`] once; the flow
//! and the screens only ever see these. Each kind knows whether retrying the
//! same call can help, which remedy text to show (an i18n key), and — through
//! the carrier it came from — the official hotline.

use serde::{Deserialize, Serialize};

use super::fees::Fen;
use super::model::{BlockReason, CarrierId};

/// What went wrong, independent of which carrier said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ErrorKind {
    /// Wrong SMS code or service password.
    #[error("the SMS code or service password is wrong")]
    WrongCredentials,
    /// A new code was asked for within 60 seconds of the last one.
    #[error("a code was requested too recently; wait a minute")]
    CodeTooOften,
    /// The account is frozen; login is refused.
    #[error("the account is frozen")]
    AccountFrozen,
    /// Five wrong tries locked login for 30 minutes.
    #[error("login is locked after too many wrong tries")]
    LoginLocked,
    /// The carrier does not know the number (it may have moved carrier).
    #[error("the carrier does not know this number")]
    UnknownNumber,
    /// The session token is missing or expired.
    #[error("the login session has expired")]
    SessionExpired,
    /// The plan cannot be cancelled now.
    #[error("the plan cannot be cancelled now ({reason:?})")]
    NotCancellable {
        /// Why, as far as the carrier said.
        reason: BlockReason,
    },
    /// The holder's name and ID number do not match the carrier's records.
    #[error("the holder's name and ID number do not match the account")]
    IdentityMismatch,
    /// The quote is older than 15 minutes.
    #[error("the quote has expired")]
    QuoteExpired,
    /// The balance does not cover the fees.
    #[error("the balance is too low to pay the fees")]
    BalanceInsufficient,
    /// The card or payment channel declined.
    #[error("the payment was declined")]
    PaymentDeclined,
    /// The carrier rejected the cancellation order.
    #[error("the carrier rejected the cancellation")]
    OrderRejected {
        /// The carrier's reason, verbatim, if given.
        reason: Option<String>,
    },
    /// Processing went past the carrier's own expected time.
    #[error("the carrier has not confirmed the cancellation in the time it stated")]
    ConfirmationStalled,
    /// The order completed but no SMS notice came.
    #[error("the carrier sent no confirmation message")]
    NoticeNotReceived,
    /// The person stopped following an order before the carrier confirmed it.
    #[error("stopped before the carrier confirmed the cancellation")]
    Abandoned,
    /// An idempotency key was reused with a different request.
    #[error("the request differs from the one first sent under the same key")]
    IdempotencyConflict,
    /// The carrier could not be reached (connection refused, reset, DNS).
    #[error("the carrier could not be reached: {detail}")]
    NetworkUnreachable {
        /// What the network layer said (no personal data).
        detail: String,
    },
    /// The carrier did not answer within the timeout.
    #[error("the carrier did not answer in time ({call})")]
    TimedOut {
        /// Which call.
        call: String,
    },
    /// The carrier is busy (HTTP 429/502/503/504 or its busy code).
    #[error("the carrier is busy")]
    CarrierBusy {
        /// How long the carrier asked us to wait, if it said.
        retry_after_secs: Option<u32>,
    },
    /// The carrier's answer did not follow its published dialect.
    #[error("the carrier's answer to {call} could not be understood: {detail}")]
    Protocol {
        /// Which call (`POST /cancel/quote`, `cancel.submit`…).
        call: String,
        /// What was wrong with it.
        detail: String,
    },
    /// The journal or the receipts cannot be written (a full disk, a data
    /// folder that is not writable), so a request that moves money was not
    /// sent: without them there would be no proof of it. Nothing reached the
    /// carrier.
    #[error("nothing was sent: the journal or the receipts cannot be written at {path}: {detail}")]
    StorageUnavailable {
        /// The file or folder that cannot be written.
        path: String,
        /// What the operating system said, and the free space there if known.
        detail: String,
    },
    /// The order asks another amount than the total the person confirmed:
    /// nothing is paid until they have seen and confirmed the new one.
    #[error("the carrier asks {asked}, not the {confirmed} that was confirmed")]
    AmountChanged {
        /// What the order asks.
        asked: Fen,
        /// What the person confirmed.
        confirmed: Fen,
    },
}

impl ErrorKind {
    /// Whether sending the same request again (same idempotency key) may
    /// succeed: the spec's retryable faults only.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ErrorKind::NetworkUnreachable { .. }
                | ErrorKind::TimedOut { .. }
                | ErrorKind::CarrierBusy { .. }
        )
    }

    /// Whether the request might have taken effect although no usable
    /// answer came — no answer at all, or one that could not be understood
    /// (the carrier may have acted before garbling its reply). Then only the
    /// same request under the same key is safe.
    pub fn outcome_unknown(&self) -> bool {
        self.is_retryable() || matches!(self, ErrorKind::Protocol { .. })
    }

    /// The i18n key of the one-line description.
    pub fn message_key(&self) -> &'static str {
        match self {
            ErrorKind::WrongCredentials => "error.wrong_credentials",
            ErrorKind::CodeTooOften => "error.code_too_often",
            ErrorKind::AccountFrozen => "error.account_frozen",
            ErrorKind::LoginLocked => "error.login_locked",
            ErrorKind::UnknownNumber => "error.unknown_number",
            ErrorKind::SessionExpired => "error.session_expired",
            ErrorKind::NotCancellable { .. } => "error.not_cancellable",
            ErrorKind::IdentityMismatch => "error.identity_mismatch",
            ErrorKind::QuoteExpired => "error.quote_expired",
            ErrorKind::BalanceInsufficient => "error.balance_insufficient",
            ErrorKind::PaymentDeclined => "error.payment_declined",
            ErrorKind::OrderRejected { .. } => "error.order_rejected",
            ErrorKind::ConfirmationStalled => "error.confirmation_stalled",
            ErrorKind::NoticeNotReceived => "error.notice_not_received",
            ErrorKind::Abandoned => "error.abandoned",
            ErrorKind::IdempotencyConflict => "error.idempotency_conflict",
            ErrorKind::NetworkUnreachable { .. } => "error.network_unreachable",
            ErrorKind::TimedOut { .. } => "error.timed_out",
            ErrorKind::CarrierBusy { .. } => "error.carrier_busy",
            ErrorKind::Protocol { .. } => "error.protocol",
            ErrorKind::StorageUnavailable { .. } => "error.storage_unavailable",
            ErrorKind::AmountChanged { .. } => "error.amount_changed",
        }
    }

    /// The i18n key of what the person should do next.
    pub fn remedy_key(&self) -> &'static str {
        match self {
            ErrorKind::WrongCredentials => "remedy.wrong_credentials",
            ErrorKind::CodeTooOften => "remedy.code_too_often",
            ErrorKind::AccountFrozen => "remedy.account_frozen",
            ErrorKind::LoginLocked => "remedy.login_locked",
            ErrorKind::UnknownNumber => "remedy.unknown_number",
            ErrorKind::SessionExpired => "remedy.session_expired",
            ErrorKind::NotCancellable { reason } => reason.remedy_key(),
            ErrorKind::IdentityMismatch => "remedy.identity_mismatch",
            ErrorKind::QuoteExpired => "remedy.quote_expired",
            ErrorKind::BalanceInsufficient => "remedy.balance_insufficient",
            ErrorKind::PaymentDeclined => "remedy.payment_declined",
            ErrorKind::OrderRejected { .. } => "remedy.order_rejected",
            ErrorKind::ConfirmationStalled => "remedy.confirmation_stalled",
            ErrorKind::NoticeNotReceived => "remedy.notice_not_received",
            ErrorKind::Abandoned => "remedy.abandoned",
            ErrorKind::IdempotencyConflict => "remedy.idempotency_conflict",
            ErrorKind::NetworkUnreachable { .. } => "remedy.network_unreachable",
            ErrorKind::TimedOut { .. } => "remedy.timed_out",
            ErrorKind::CarrierBusy { .. } => "remedy.carrier_busy",
            ErrorKind::Protocol { .. } => "remedy.protocol",
            ErrorKind::StorageUnavailable { .. } => "remedy.storage_unavailable",
            ErrorKind::AmountChanged { .. } => "remedy.amount_changed",
        }
    }
}

impl BlockReason {
    /// The i18n key of what to do first so the plan can be cancelled.
    pub fn remedy_key(self) -> &'static str {
        match self {
            BlockReason::Expired => "remedy.not_cancellable.expired",
            BlockReason::InBundle => "remedy.not_cancellable.in_bundle",
            BlockReason::Arrears => "remedy.not_cancellable.arrears",
            BlockReason::AlreadyCancelling => "remedy.not_cancellable.already_cancelling",
            BlockReason::Unspecified => "remedy.not_cancellable.unspecified",
        }
    }

    /// The i18n key of the one-line reason.
    pub fn message_key(self) -> &'static str {
        match self {
            BlockReason::Expired => "block.expired",
            BlockReason::InBundle => "block.in_bundle",
            BlockReason::Arrears => "block.arrears",
            BlockReason::AlreadyCancelling => "block.already_cancelling",
            BlockReason::Unspecified => "block.unspecified",
        }
    }
}

/// A failure as one carrier reported it: the kind, and whose hotline to call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{carrier}: {kind}")]
pub struct CarrierError {
    /// Which carrier said it.
    pub carrier: CarrierId,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl CarrierError {
    /// Pairs a kind with the carrier it came from.
    pub fn new(carrier: CarrierId, kind: ErrorKind) -> Self {
        CarrierError { carrier, kind }
    }

    /// The carrier's official hotline (10086 / 10010 / 10000).
    pub fn hotline(&self) -> &'static str {
        self.carrier.hotline()
    }

    /// See [`ErrorKind::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_faults_are_retryable() {
        assert!(
            ErrorKind::CarrierBusy {
                retry_after_secs: Some(2)
            }
            .is_retryable()
        );
        assert!(ErrorKind::TimedOut { call: "x".into() }.is_retryable());
        assert!(
            ErrorKind::NetworkUnreachable {
                detail: "reset".into()
            }
            .is_retryable()
        );
        assert!(!ErrorKind::PaymentDeclined.is_retryable());
        assert!(
            !ErrorKind::Protocol {
                call: "x".into(),
                detail: "y".into()
            }
            .is_retryable()
        );
        assert!(!ErrorKind::AccountFrozen.is_retryable());
    }

    #[test]
    fn a_garbled_answer_leaves_the_outcome_unknown() {
        let garbled = ErrorKind::Protocol {
            call: "cancel.submit".into(),
            detail: "bad JSON".into(),
        };
        assert!(garbled.outcome_unknown());
        assert!(
            !garbled.is_retryable(),
            "not retried blindly by the HTTP layer"
        );
        assert!(!ErrorKind::PaymentDeclined.outcome_unknown());
    }

    #[test]
    fn a_request_withheld_for_storage_was_not_sent() {
        let withheld = ErrorKind::StorageUnavailable {
            path: "/data/journal".into(),
            detail: "No space left on device".into(),
        };
        assert!(!withheld.is_retryable() && !withheld.outcome_unknown());
        assert_eq!(withheld.message_key(), "error.storage_unavailable");
        assert_eq!(withheld.remedy_key(), "remedy.storage_unavailable");
    }

    #[test]
    fn hotline_follows_the_carrier() {
        let e = CarrierError::new(CarrierId::ChinaMobile, ErrorKind::AccountFrozen);
        assert_eq!(e.hotline(), "10086");
        assert_eq!(e.kind.remedy_key(), "remedy.account_frozen");
    }
}
