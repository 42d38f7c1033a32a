//! The dialogue's own small form state: what was typed so far within a step
//! (the core takes a whole form at once), and which question comes next.

use crate::core::flow::{Mode, State, Step, SubmitPhase};
use crate::core::model::{Msisdn, PaymentState};

pub use super::guided::{Ask, Draft};
use crate::core::secret::IdNumber;
use crate::core::secret::ServicePassword;

/// What the person typed within the current step, before it becomes one
/// event. Secrets here are the core's own zeroizing types.
#[derive(Debug, Default)]
pub struct Form {
    /// The mode question was answered (or the mode was fixed from the start).
    pub mode_chosen: bool,
    /// Unicom's service password, asked before the code.
    pub password: Option<ServicePassword>,
    /// The holder's name.
    pub name: Option<String>,
    /// The holder's ID number.
    pub id_number: Option<IdNumber>,
    /// The contact number.
    pub contact: Option<Msisdn>,
    /// Card payment chosen: the card number is asked next.
    pub card: bool,
    /// Guided mode's answers so far.
    pub guided: Draft,
}

impl Form {
    /// Forgets the submit form (after Back, or once it was sent).
    pub fn clear_application(&mut self) {
        self.name = None;
        self.id_number = None;
        self.contact = None;
    }
}

/// The question the dialogue asks next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Guided or sandbox.
    Mode,
    /// The number (and, optionally, the carrier).
    Number,
    /// The service password (a secret).
    Password,
    /// The SMS code (a secret).
    Code,
    /// Which plan to cancel.
    Plan,
    /// Keep cancelling or take the retention offer.
    Retention,
    /// The holder's name.
    Name,
    /// The ID number (a secret).
    IdNumber,
    /// The contact number.
    Contact,
    /// The reason.
    Reason,
    /// Send the summary, or go back.
    Confirm,
    /// How to pay.
    Method,
    /// The card number (a secret).
    Card,
    /// Waiting for the carrier's confirmation: stop or wait.
    Await,
    /// Stopped: retry or quit.
    Blocked,
    /// Guided mode: one of its questions.
    Guided(Ask),
    /// Nothing to ask: a carrier call is in flight.
    Wait,
    /// The flow has ended.
    Done,
}

impl Question {
    /// Whether the answer is a secret: read without echo, never printed.
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            Question::Password | Question::Code | Question::IdNumber | Question::Card
        )
    }
}

/// The next question for `state`, given what the form holds.
pub fn question(state: &State, form: &Form) -> Question {
    if state.pending.is_some() && !matches!(state.step, Step::Await { .. }) {
        return Question::Wait;
    }
    if state.mode == Mode::Guided {
        return guided(state, form);
    }
    match &state.step {
        Step::Login { .. } if !form.mode_chosen && state.facts.line.is_none() => Question::Mode,
        Step::Login {
            code_sent_at: None, ..
        } => Question::Number,
        Step::Login { .. } => {
            let needs = state.carrier().is_some_and(|c| c.needs_service_password());
            if needs && form.password.is_none() {
                Question::Password
            } else {
                Question::Code
            }
        }
        Step::SelectPlan { .. } => {
            if crate::commands::status::nothing_cancellable(&state.facts).is_some() {
                Question::Done
            } else {
                Question::Plan
            }
        }
        Step::Submit { phase, .. } => submit(state, *phase, form),
        Step::Pay { .. } => {
            let pending = state
                .facts
                .progress
                .payment
                .as_ref()
                .is_some_and(|p| p.state == PaymentState::Pending);
            match (pending, form.card) {
                (true, _) => Question::Wait,
                (false, true) => Question::Card,
                (false, false) => Question::Method,
            }
        }
        Step::Await { .. } => Question::Await,
        Step::Terminated { .. } => Question::Done,
        Step::Blocked { retry, .. } => {
            if retry.is_some() {
                Question::Blocked
            } else {
                Question::Done
            }
        }
    }
}

fn submit(state: &State, phase: SubmitPhase, form: &Form) -> Question {
    match phase {
        SubmitPhase::Quoting | SubmitPhase::Sending => Question::Wait,
        SubmitPhase::Confirming => Question::Confirm,
        SubmitPhase::Review => {
            let choice = &state.facts.choice;
            let offer = choice.quote.as_ref().is_some_and(|q| q.retention.is_some());
            if offer && choice.retention_accepted.is_none() {
                Question::Retention
            } else if form.name.is_none() {
                Question::Name
            } else if form.id_number.is_none() {
                Question::IdNumber
            } else if form.contact.is_none() {
                Question::Contact
            } else {
                Question::Reason
            }
        }
    }
}

fn guided(state: &State, form: &Form) -> Question {
    let draft = &form.guided;
    match &state.step {
        Step::Login { .. } if !form.mode_chosen && state.facts.line.is_none() => Question::Mode,
        Step::Login { .. } if draft.line.is_none() => Question::Number,
        Step::Login { .. } if !draft.carrier_confirmed => Question::Guided(Ask::Carrier),
        Step::Login { .. } if draft.kind.is_none() => Question::Guided(Ask::Kind),
        Step::Login { .. } => Question::Guided(Ask::Channel),
        Step::Terminated { .. } | Step::Blocked { .. } => Question::Done,
        Step::Pay { .. } if draft.entry.is_none() && !quoted(state) => {
            Question::Guided(Ask::Penalty)
        }
        _ => Question::Guided(draft.entry.unwrap_or(Ask::Step)),
    }
}

fn quoted(state: &State) -> bool {
    state
        .facts
        .guided
        .as_ref()
        .is_some_and(|case| case.quoted.is_some())
}
