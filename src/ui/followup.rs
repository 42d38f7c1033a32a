//! Reminders without a daemon, on screen (issue 15 item 3): when the wizard
//! starts with a follow-up due (the shell reads them from the receipts),
//! the first one shows in a panel with one key to act — `b` check the
//! bill (paste the bill's text; a line still charging for the cancelled
//! package is said, with `c` for the complaint), `c` write the complaint,
//! `d` mark it done — or Esc for later. Marking done and the bill check are
//! receipts, written by the shell.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::core::followup::FollowUpKind;
use crate::ui::format::{date, pad};
use crate::ui::keymap::{self, Binding, Hint, Key};
use crate::ui::widgets::{panel, text};
use crate::ui::{Action, Model, Overlay};

/// The longest bill text kept (a bill SMS, or a month's lines typed).
const MAX_BILL: usize = 4000;

/// One follow-up that is due, as the shell found it in the receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueFollowUp {
    /// The order (receipts chain) it belongs to.
    pub order: String,
    /// Which follow-up.
    pub kind: FollowUpKind,
    /// Its date.
    pub due: NaiveDate,
    /// What to do, in one line (already in the model's language).
    pub title: String,
}

/// What the panel remembers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUps {
    /// The follow-ups due, the one shown first.
    pub due: Vec<DueFollowUp>,
    /// The bill is being pasted or typed.
    pub pasting: bool,
    /// The bill's text so far.
    pub bill: String,
    /// The bill check's answer: `Some(Some(line))` still charged,
    /// `Some(None)` clean.
    pub checked: Option<Option<String>>,
}

impl FollowUps {
    /// The follow-up shown.
    pub fn shown(&self) -> Option<&DueFollowUp> {
        self.due.first()
    }
}

/// What the shell does for the follow-up shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUpAction {
    /// Mark it done (a receipt).
    Done,
    /// Check this bill text against the cancelled package (a receipt).
    CheckBill(String),
    /// Write the complaint packet from its order's receipts.
    Complaint,
}

/// What a key asks of the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Open the paste area for the bill.
    Bill,
    /// Write the complaint.
    Complaint,
    /// Mark done.
    Done,
    /// Later: close the panel (it shows again next start).
    Later,
    /// Check the pasted bill.
    Check,
    /// Leave the paste area.
    StopPasting,
    /// Delete the last character typed.
    Erase,
    /// Type into the paste area.
    Type,
}

fn pasting(f: &FollowUps, _: &crate::core::flow::State) -> bool {
    f.pasting
}

fn choosing(f: &FollowUps, _: &crate::core::flow::State) -> bool {
    !f.pasting
}

/// The panel's keys: acting on the follow-up, or pasting the bill.
pub const KEYS: &[Binding<FollowUps, Intent>] = &[
    Binding::new(&[Key::Plain('b')], Intent::Bill)
        .when(choosing)
        .hint("b", "followup_due.key_bill"),
    Binding::new(&[Key::Plain('c')], Intent::Complaint)
        .when(choosing)
        .hint("c", "followup_due.key_complaint"),
    Binding::new(&[Key::Plain('d')], Intent::Done)
        .when(choosing)
        .hint("d", "followup_due.key_done"),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::Later)
        .when(choosing)
        .hint("Esc", "followup_due.key_later"),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Check)
        .when(pasting)
        .hint("Enter", "followup_due.key_check"),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::StopPasting)
        .when(pasting)
        .hint("Esc", "key.back"),
    Binding::new(&[Key::Code(KeyCode::Backspace)], Intent::Erase).when(pasting),
    Binding::new(&[Key::Any], Intent::Type).when(pasting),
];

/// Shows the first of `due` when there is one and nothing else is open
/// (the resume offer goes first; [`after_resume_offer`] follows it).
pub fn offer(model: &mut Model, due: Vec<DueFollowUp>) {
    model.followups = FollowUps {
        due,
        ..FollowUps::default()
    };
    if model.ui.overlay.is_none() && model.followups.shown().is_some() {
        model.ui.overlay = Some(Overlay::FollowUpDue);
    }
}

/// Once the resume offer is declined (a new cancellation), a follow-up due
/// shows; continuing the offered case comes first, and they show next start.
pub fn after_resume_offer(model: &mut Model) {
    if model.ui.overlay.is_none() && model.followups.shown().is_some() {
        model.ui.overlay = Some(Overlay::FollowUpDue);
    }
}

/// The shell acted on the follow-up shown: the next one shows, or the
/// panel closes.
pub fn acted(model: &mut Model, done: bool) {
    let f = &mut model.followups;
    if done && !f.due.is_empty() {
        f.due.remove(0);
        f.checked = None;
    }
    f.pasting = false;
    f.bill.clear();
    if f.due.is_empty() && model.ui.overlay == Some(Overlay::FollowUpDue) {
        model.ui.overlay = None;
    }
}

/// The footer hints while the panel is open.
pub fn hints(model: &Model) -> Vec<Hint> {
    keymap::hints(KEYS, &model.followups, &model.state)
}

/// Keys while the panel is open.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    let f = &mut model.followups;
    match keymap::resolve(KEYS, f, &model.state, &key)? {
        Intent::Bill => {
            f.pasting = true;
            f.checked = None;
            None
        }
        Intent::Complaint => Some(Action::FollowUp(FollowUpAction::Complaint)),
        Intent::Done => Some(Action::FollowUp(FollowUpAction::Done)),
        Intent::Later => {
            model.ui.overlay = None;
            None
        }
        Intent::Check if f.bill.trim().is_empty() => None,
        Intent::Check => {
            f.pasting = false;
            Some(Action::FollowUp(FollowUpAction::CheckBill(f.bill.clone())))
        }
        Intent::StopPasting => {
            f.pasting = false;
            None
        }
        Intent::Erase => {
            f.bill.pop();
            None
        }
        Intent::Type => {
            if let KeyCode::Char(c) = key.code {
                type_into(f, &c.to_string());
            }
            None
        }
    }
}

/// A paste while the paste area is open: taken whole, line breaks kept
/// (a bill's lines are the evidence).
pub fn on_paste(model: &mut Model, pasted: &str) -> bool {
    if model.ui.overlay != Some(Overlay::FollowUpDue) || !model.followups.pasting {
        return false;
    }
    let kept: String = pasted
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    type_into(&mut model.followups, &kept);
    true
}

fn type_into(f: &mut FollowUps, more: &str) {
    let room = MAX_BILL.saturating_sub(f.bill.chars().count());
    f.bill.extend(more.chars().take(room));
}

/// The panel's lines: what is due, then the paste area or the answer.
fn lines(model: &Model, shown: &DueFollowUp, cols: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let f = &model.followups;
    let mut out = text::wrapped(&shown.title, cols, theme.title());
    out.push(Line::from(vec![
        Span::styled(model.t("followup_due.due"), theme.dim()),
        Span::styled(date(shown.due), theme.figure()),
        Span::styled(
            model.tr("followup_due.order", &[("order", shown.order.as_str())]),
            theme.dim(),
        ),
    ]));
    if f.due.len() > 1 {
        let more = model.tr("followup_due.more", &[("n", (f.due.len() - 1).to_string())]);
        out.push(Line::styled(more, theme.dim()));
    }
    out.push(Line::raw(""));
    match (&f.checked, f.pasting) {
        (_, true) => {
            out.extend(text::wrapped(
                &model.t("followup_due.paste"),
                cols,
                theme.text(),
            ));
            let typed: Vec<Line> = f
                .bill
                .lines()
                .flat_map(|l| text::hanging("> ", l, cols, theme.focus()))
                .collect();
            let keep = typed.len().saturating_sub(4);
            out.extend(typed.into_iter().skip(keep));
            out.push(Line::styled("> ▏", theme.focus()));
        }
        (Some(Some(line)), false) => out.extend(text::wrapped(
            &model.tr("followup_due.still_charged", &[("line", line.as_str())]),
            cols,
            theme.warn(),
        )),
        (Some(None), false) => {
            out.extend(text::wrapped(
                &model.t("followup_due.clean"),
                cols,
                theme.ok(),
            ));
        }
        (None, false) => {
            for hint in hints(model) {
                out.push(Line::from(vec![
                    Span::styled(pad(hint.keys, 6), theme.key()),
                    Span::raw(model.t(hint.does)),
                ]));
            }
        }
    }
    out
}

/// Draws the panel over the body.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let Some(shown) = model.followups.shown() else {
        return;
    };
    let theme = model.theme();
    const WIDTH: u16 = 72;
    let block = panel(model.t("followup_due.title"), theme.warn());
    let cols = WIDTH.min(area.width).saturating_sub(4);
    let body = lines(model, shown, cols);
    crate::ui::overlay::centred_panel(frame, area, WIDTH, block, body);
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_hint_names_its_keys() {
        let checks = [
            crate::ui::keymap::hints_name_their_keys(super::KEYS),
            crate::ui::keymap::hints_name_their_keys(crate::ui::screens::submit::dates::KEYS),
        ];
        for check in checks {
            assert_eq!(check, Ok(()));
        }
    }
}
