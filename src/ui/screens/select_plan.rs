//! Step 2, Select plan: the account's packages as a table (name, kind,
//! monthly fee, status, contract end). A package that cannot be cancelled now
//! says why and what to do first; when none can, the screen says so and gives
//! the carrier's official hotline — never a dead end.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::core::flow::{CallKind, Event, State, Step};
use crate::core::model::{BlockReason, Plan, PlanKind, PlanStatus};
use crate::ui::format::{date, fit, pad, pad_left, width};
use crate::ui::keymap::{self, Binding, Key};
use crate::ui::screens::problem_text;
use crate::ui::state::PlanPicker;
use crate::ui::widgets::{spinner, text};
use crate::ui::{Action, Model};

/// What a key asks of the Select-plan screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Highlight the next plan (`true`) or the previous one.
    Move(bool),
    /// Cancel the highlighted plan.
    Choose,
    /// Back to logging in.
    Back,
}

/// The Select-plan screen's keys.
pub const KEYS: &[Binding<PlanPicker, Intent>] = &[
    Binding::new(
        &[Key::Code(KeyCode::Up), Key::Code(KeyCode::BackTab)],
        Intent::Move(false),
    )
    .when(several)
    .hint("↑↓", "key.choose"),
    Binding::new(
        &[Key::Code(KeyCode::Down), Key::Code(KeyCode::Tab)],
        Intent::Move(true),
    )
    .when(several),
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Choose)
        .when(choosable)
        .hint("Enter", "key.cancel_this"),
    Binding::new(&[Key::Code(KeyCode::Esc)], Intent::Back).hint("Esc", "key.back"),
];

/// More than one plan to choose between.
fn several(_: &PlanPicker, state: &State) -> bool {
    plans(state).len() > 1
}

/// The highlighted plan can be cancelled, and nothing is in flight.
fn choosable(picker: &PlanPicker, state: &State) -> bool {
    selected(picker, state).is_some_and(Plan::is_cancellable) && state.pending.is_none()
}

/// The i18n key of a plan kind.
pub fn kind_key(kind: PlanKind) -> &'static str {
    match kind {
        PlanKind::Broadband => "plan.kind.broadband",
        PlanKind::DataPack => "plan.kind.data_pack",
        PlanKind::Bundle => "plan.kind.bundle",
    }
}

/// The i18n key of a plan status.
pub fn status_key(status: PlanStatus) -> &'static str {
    match status {
        PlanStatus::Active => "plan.status.active",
        PlanStatus::Expired => "plan.status.expired",
        PlanStatus::PendingCancel => "plan.status.pending_cancel",
    }
}

fn plans(state: &State) -> &[Plan] {
    state
        .facts
        .choice
        .account
        .as_ref()
        .map(|a| a.plans.as_slice())
        .unwrap_or(&[])
}

/// The index of the first plan that can be cancelled (0 if none).
pub fn first_cancellable(state: &State) -> usize {
    plans(state)
        .iter()
        .position(Plan::is_cancellable)
        .unwrap_or(0)
}

fn selected<'s>(picker: &PlanPicker, state: &'s State) -> Option<&'s Plan> {
    let list = plans(state);
    list.get(picker.selected.min(list.len().saturating_sub(1)))
}

/// Draws the plan table and, below it, what the highlighted plan needs.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let mut head = vec![Span::styled(model.t("plans.title"), theme.title())];
    if let Some(account) = &model.state.facts.choice.account {
        let balance = model.tr("plans.balance", &[("amount", account.balance.to_string())]);
        let used = width(&model.t("plans.title"));
        let room = usize::from(inner.width).saturating_sub(used + width(&balance));
        head.push(Span::raw(" ".repeat(room)));
        head.push(Span::styled(balance, theme.text()));
    }
    frame.render_widget(
        Paragraph::new(Line::from(head)),
        Rect { height: 1, ..inner },
    );

    let Some(account) = &model.state.facts.choice.account else {
        let msg = if model.state.pending.map(|p| p.kind) == Some(CallKind::FetchPlans) {
            format!("{} {}", spinner(model.spinner), model.t("plans.loading"))
        } else {
            model.t("plans.none_loaded")
        };
        let rest = Rect {
            y: inner.y + 2,
            height: inner.height.saturating_sub(2),
            ..inner
        };
        text::draw(frame, rest, text::wrapped(&msg, inner.width, theme.text()));
        return;
    };

    let table_h = (account.plans.len() as u16 + 3).min(inner.height.saturating_sub(1));
    let table_area = Rect {
        y: inner.y + 1,
        height: table_h,
        ..inner
    };
    render_table(frame, table_area, model, &account.plans);

    // Below the table: what the highlighted plan needs.
    let below_y = table_area.bottom() + 1;
    if below_y >= inner.bottom() {
        return;
    }
    let below = Rect {
        y: below_y,
        height: inner.bottom() - below_y,
        ..inner
    };
    text::draw(
        frame,
        below,
        below_table(model, &account.plans, below.width),
    );
}

/// The plan table, the highlighted row marked.
fn render_table(frame: &mut Frame, table_area: Rect, model: &Model, plans: &[Plan]) {
    let theme = model.theme();
    // Column widths: the name takes what the others leave (the row marker
    // and the spaces between columns come off first).
    let cols = usize::from(table_area.width.saturating_sub(2)).saturating_sub(2);
    // A fee is never cut: its column widens for the widest one.
    let fee_w = plans
        .iter()
        .map(|p| width(&p.monthly_fee.to_string()))
        .max()
        .unwrap_or(0)
        .max(9);
    let (kind_w, status_w, end_w, mark_w) = (10, 8, 10, 7);
    let name_w = cols.saturating_sub(kind_w + fee_w + status_w + end_w + mark_w + 5);
    let row_text = |name: &str, kind: &str, fee: &str, status: &str, end: &str, mark: &str| {
        format!(
            "{} {} {} {} {} {}",
            pad(&fit(name, name_w), name_w),
            pad(&fit(kind, kind_w), kind_w),
            pad_left(&fit(fee, fee_w), fee_w),
            pad(&fit(status, status_w), status_w),
            pad(&fit(end, end_w), end_w),
            pad(&fit(mark, mark_w), mark_w),
        )
    };
    let block = Block::bordered().border_style(theme.border());
    let table_inner = block.inner(table_area);
    frame.render_widget(block, table_area);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "  {}",
            row_text(
                &model.t("plans.col.name"),
                &model.t("plans.col.kind"),
                &model.t("plans.col.fee"),
                &model.t("plans.col.status"),
                &model.t("plans.col.end"),
                "",
            )
        ),
        theme.dim(),
    ))];
    let chosen = model.ui.plans.selected.min(plans.len().saturating_sub(1));
    for (i, plan) in plans.iter().enumerate() {
        let mark = if plan.is_cancellable() {
            model.t("plans.can_cancel")
        } else {
            model.t("plans.cannot_cancel")
        };
        let line = row_text(
            &plan.name,
            &model.t(kind_key(plan.kind)),
            &plan.monthly_fee.to_string(),
            &model.t(status_key(plan.status)),
            &plan
                .contract_end
                .map(date)
                .unwrap_or_else(|| model.t("plans.no_contract")),
            &mark,
        );
        let (marker, style) = if i == chosen {
            ("› ", theme.focus())
        } else if plan.is_cancellable() {
            ("  ", theme.text())
        } else {
            ("  ", theme.dim())
        };
        lines.push(Line::from(vec![
            Span::styled(marker, theme.key()),
            Span::styled(line, style),
        ]));
    }
    text::draw(frame, table_inner, lines);
}

/// What the highlighted plan needs (and, when no plan can be cancelled,
/// what to do instead), below the table.
fn below_table(model: &Model, plans: &[Plan], w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let chosen = model.ui.plans.selected.min(plans.len().saturating_sub(1));
    let mut out: Vec<Line> = Vec::new();
    let hotline = model.hotline().unwrap_or("");
    if let Step::SelectPlan {
        problem: Some(kind),
    } = &model.state.step
    {
        let (what, todo) = problem_text(model, kind);
        out.extend(text::wrapped(&format!("✗ {what}"), w, theme.error()));
        out.extend(text::wrapped(&todo, w, theme.text()));
    }
    if !plans.iter().any(Plan::is_cancellable) {
        out.extend(text::wrapped(
            &model.t("plans.nothing_cancellable"),
            w,
            theme.warn(),
        ));
        out.extend(text::wrapped(
            &model.tr("plans.nothing_cancellable_todo", &[("hotline", hotline)]),
            w,
            theme.text(),
        ));
        out.push(Line::raw(""));
    }
    if let Some(plan) = plans.get(chosen) {
        plan_needs(model, plan, w, &mut out);
    }
    out
}

/// What one plan needs: its contract, or why it cannot be cancelled and
/// what to do first.
fn plan_needs(model: &Model, plan: &Plan, w: u16, out: &mut Vec<Line<'static>>) {
    let theme = model.theme();
    let hotline = model.hotline().unwrap_or("");
    match plan.blocked {
        None => {
            let end = plan
                .contract_end
                .map(|d| model.tr("plans.contract_until", &[("date", date(d))]))
                .unwrap_or_else(|| model.t("plans.no_contract_note"));
            out.extend(text::wrapped(
                &model.tr(
                    "plans.selected_ok",
                    &[("name", plan.name.as_str()), ("end", end.as_str())],
                ),
                w,
                theme.text(),
            ));
        }
        Some(reason) => {
            let args = [("hotline", hotline), ("name", plan.name.as_str())];
            out.extend(text::hanging(
                &model.t("plans.why"),
                &model.tr(reason.message_key(), &args),
                w,
                theme.warn(),
            ));
            // An expired pack that does not renew ends by itself (the
            // carriers' own rule): say so before "renew it first", which is
            // the remedy only when the carrier's answer requires it.
            let todo = match reason {
                BlockReason::Expired => "plans.expired_todo",
                _ => reason.remedy_key(),
            };
            out.extend(text::hanging(
                &model.t("plans.todo"),
                &model.tr(todo, &args),
                w,
                theme.text(),
            ));
        }
    }
}

/// Keys on the Select-plan screen.
pub fn on_key(picker: &mut PlanPicker, state: &State, key: KeyEvent) -> Option<Action> {
    match keymap::resolve(KEYS, picker, state, &key)? {
        Intent::Move(true) => {
            let last = plans(state).len().saturating_sub(1);
            picker.selected = (picker.selected + 1).min(last);
            None
        }
        Intent::Move(false) => {
            picker.selected = picker.selected.saturating_sub(1);
            None
        }
        Intent::Choose => {
            let plan = selected(picker, state)?;
            Some(Action::Core(Event::ChoosePlan {
                plan_id: plan.id.clone(),
            }))
        }
        Intent::Back => Some(Action::Core(Event::Back)),
    }
}
