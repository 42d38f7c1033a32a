//! What the screens remember between frames that the core does not: the
//! focused field, what has been typed, the highlighted choice, the overlay.
//!
//! Everything typed lives in [`TextInput`]s (zeroized storage) and only as
//! long as needed: [`UiState::forget_secrets_after`] wipes a step's secrets
//! once the flow has left that step.

use crate::core::channels::{Channel, Kind as PackageKind};
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

/// Rows of the guided Identify screen, in Tab order (the number is
/// `UiState::login.number`, the carrier `UiState::login.carrier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifyFocus {
    /// The 11-digit number.
    Number,
    /// The carrier (suggested by the prefix; numbers move, 携号转网).
    Carrier,
    /// The kind of package.
    Kind,
    /// The channel to act through.
    Channel,
}

impl IdentifyFocus {
    /// All, in Tab order.
    pub const ALL: [IdentifyFocus; 4] = [
        IdentifyFocus::Number,
        IdentifyFocus::Carrier,
        IdentifyFocus::Kind,
        IdentifyFocus::Channel,
    ];
}

/// Fields of the hand-typed package, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandField {
    /// The name as the carrier writes it.
    Name,
    /// Monthly fee in yuan.
    Fee,
    /// Contract end, `YYYY-MM-DD`, optional.
    End,
}

impl HandField {
    /// All, in Tab order.
    pub const ALL: [HandField; 3] = [HandField::Name, HandField::Fee, HandField::End];
}

/// Fields of the guided fees form, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteField {
    /// 违约金.
    Penalty,
    /// Equipment not returned.
    Equipment,
    /// Money back.
    Refund,
    /// Effective date, optional.
    Effective,
}

impl QuoteField {
    /// All, in Tab order.
    pub const ALL: [QuoteField; 4] = [
        QuoteField::Penalty,
        QuoteField::Equipment,
        QuoteField::Refund,
        QuoteField::Effective,
    ];
}

/// A one-line entry open on a guided screen: where typed characters go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The sender of the next pasted text.
    From,
    /// The hand-typed package, at this field.
    Hand(HandField),
    /// A reference number (受理单号) the carrier gave.
    Reference,
    /// "The carrier told me it is cancelled": the effective date, optional.
    Cancelled,
}

/// What the guided screens remember.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidedForms {
    /// The mode question's highlighted answer: guided (`true`) or sandbox —
    /// the sandbox at first, so Enter on a fresh machine practises safely.
    pub choose_guided: bool,
    /// The Identify screen's row.
    pub focus: IdentifyFocus,
    /// The kind of package.
    pub kind: PackageKind,
    /// A channel the person picked; `None` follows the recommendation.
    pub channel: Option<Channel>,
    /// The open entry, if any.
    pub entry: Option<Entry>,
    /// The sender of pasted texts, as the person names it (optional).
    pub from: TextInput,
    /// The highlighted package of the pasted list.
    pub listed: usize,
    /// The hand-typed package: name, fee in yuan, contract end.
    pub hand: [TextInput; 3],
    /// A reference or an effective date being typed.
    pub line: TextInput,
    /// The fees form: penalty, equipment, refund (yuan), effective date.
    pub quote: [TextInput; 4],
    /// The fees form's field.
    pub quote_focus: QuoteField,
    /// Scroll offset of the long guided screens, in lines.
    pub scroll: u16,
}

impl Default for GuidedForms {
    fn default() -> Self {
        GuidedForms {
            choose_guided: false,
            focus: IdentifyFocus::Number,
            kind: PackageKind::ValueAdded,
            channel: None,
            entry: None,
            from: TextInput::new(20),
            listed: 0,
            hand: [TextInput::new(40), TextInput::new(12), TextInput::new(10)],
            line: TextInput::new(64),
            quote: [
                TextInput::new(12),
                TextInput::new(12),
                TextInput::new(12),
                TextInput::new(10),
            ],
            quote_focus: QuoteField::Penalty,
            scroll: 0,
        }
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
    /// The guided screens' forms.
    pub guided: GuidedForms,
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
            guided: GuidedForms::default(),
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
