//! What the screens remember between frames that the core does not: the
//! focused field, what has been typed, the highlighted choice, the overlay.
//!
//! Everything typed lives in [`TextInput`]s (zeroized storage) and only as
//! long as needed: [`UiState::forget_secrets_after`] wipes a step's secrets
//! once the flow has left that step.

use crate::core::flow::StepName;
use crate::core::model::{CarrierId, PayMethod, ReasonCode};

use super::widgets::input::TextInput;

/// A panel drawn over the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// Help for the current step (`?`, F1).
    Help,
    /// Precautions, common problems and misconceptions for the step (`g`, F2).
    Guidance,
    /// "Quit while an order is with the carrier?" (`q`, Ctrl-C).
    QuitConfirm,
    /// "Resume the unfinished cancellation?" — shown first at start-up when
    /// the journal holds one (`Model::resume`).
    ResumeOffer,
    /// The cost of each date beside the quote (Submit step, `d`).
    DateCost,
    /// A follow-up due, shown at start (`Model::followups`).
    FollowUpDue,
}

/// Fields of the Login step, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginFocus {
    /// The 11-digit number.
    Number,
    /// The carrier choice.
    Carrier,
    /// The SMS code.
    Code,
    /// China Unicom's service password.
    Password,
}

/// The Login step's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginForm {
    /// The number as typed.
    pub number: TextInput,
    /// A carrier the person picked themselves (携号转网, virtual operators);
    /// `None` follows the number's segment.
    pub carrier: Option<CarrierId>,
    /// The SMS code as typed.
    pub code: TextInput,
    /// The service password as typed (never shown in clear).
    pub password: TextInput,
    /// Which field has the cursor.
    pub focus: LoginFocus,
}

/// The Select-plan step's highlighted row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlanPicker {
    /// Index into the account's plans.
    pub selected: usize,
}

/// Fields of the application form, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormFocus {
    /// Holder's name.
    Name,
    /// ID number.
    Id,
    /// Contact number.
    Contact,
    /// Reason (a choice).
    Reason,
    /// Reason in the person's words (optional).
    ReasonText,
}

impl FormFocus {
    /// All, in Tab order.
    pub const ALL: [FormFocus; 5] = [
        FormFocus::Name,
        FormFocus::Id,
        FormFocus::Contact,
        FormFocus::Reason,
        FormFocus::ReasonText,
    ];
}

/// The Submit step's application form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationForm {
    /// Holder's name as on the ID.
    pub name: TextInput,
    /// 18-character ID number.
    pub id: TextInput,
    /// Contact number.
    pub contact: TextInput,
    /// The chosen reason, one of [`ReasonCode::ALL`].
    pub reason: ReasonCode,
    /// Optional free text.
    pub reason_text: TextInput,
    /// Which field has the cursor.
    pub focus: FormFocus,
    /// Set after Enter with a field still wrong: then every field's message
    /// shows, not just the focused one's.
    pub show_all_errors: bool,
    /// The masked ID of a form sent before whose answer was lost: the form
    /// must go again unchanged, so the ID typed must mask to this.
    pub id_as_sent: Option<String>,
}

/// Where the Pay step's cursor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayFocus {
    /// The list of methods.
    Methods,
    /// The card number field.
    Card,
}

/// The Pay step's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayForm {
    /// The highlighted method, one of [`PayMethod::ALL`].
    pub method: PayMethod,
    /// Card number as typed (shown with all but the last four masked).
    pub card: TextInput,
    /// Where the cursor is.
    pub focus: PayFocus,
    /// A pending QR payment the person set aside to pay another way.
    pub dismissed_qr: Option<String>,
    /// "Pay this from the balance?" is asked: Enter on the balance does not
    /// pay at once, as a card needs its number and a QR code a scan.
    pub confirm_balance: bool,
}

impl PayForm {
    /// The highlighted method.
    pub fn method(&self) -> PayMethod {
        self.method
    }
}

/// Everything the screens remember; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiState {
    /// The panel drawn over the screen, if any.
    pub overlay: Option<Overlay>,
    /// Scroll offset of the help or guidance overlay, in lines.
    pub scroll: u16,
    /// A first Ctrl-C asked to confirm; a second one forces the quit.
    pub ctrl_c_armed: bool,
    /// Login form.
    pub login: LoginForm,
    /// Plan table.
    pub plans: PlanPicker,
    /// Application form.
    pub form: ApplicationForm,
    /// Payment form.
    pub pay: PayForm,
    /// The highlighted row of the cost of each date.
    pub date_row: usize,
}

impl Default for UiState {
    fn default() -> Self {
        UiState {
            overlay: None,
            scroll: 0,
            ctrl_c_armed: false,
            login: LoginForm {
                number: TextInput::new(20),
                carrier: None,
                code: TextInput::new(6),
                password: TextInput::new(6),
                focus: LoginFocus::Number,
            },
            plans: PlanPicker::default(),
            form: ApplicationForm {
                name: TextInput::new(30),
                id: TextInput::new(18),
                contact: TextInput::new(20),
                reason: ReasonCode::NoLongerNeeded,
                reason_text: TextInput::new(60),
                focus: FormFocus::Name,
                show_all_errors: false,
                id_as_sent: None,
            },
            pay: PayForm {
                method: PayMethod::Balance,
                card: TextInput::new(23),
                focus: PayFocus::Methods,
                dismissed_qr: None,
                confirm_balance: false,
            },
            date_row: 0,
        }
    }
}

impl UiState {
    /// Wipes what was typed for steps the flow has moved past: the code and
    /// password once logged in, the ID once the form was sent, the card once
    /// paid. Called whenever a new state arrives.
    pub fn forget_secrets_after(&mut self, reached: StepName) {
        if reached > StepName::Login {
            self.login.code.clear();
            self.login.password.clear();
        }
        if reached > StepName::Submit {
            self.form.id.clear();
        }
        if reached > StepName::Pay {
            self.pay.card.clear();
        }
    }
}
