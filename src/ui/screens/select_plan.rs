//! Step 2, Select plan: the account's packages as a table (name, kind,
//! monthly fee, status, contract end). A package that cannot be cancelled now
//! says why and what to do first; when none can, the screen says so and gives
//! the carrier's official hotline — never a dead end.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::core::flow::{CallKind, Event, Step};
use crate::core::model::{Plan, PlanKind, PlanStatus};
use crate::ui::format::{date, fit, pad, pad_left, width};
use crate::ui::screens::{key, problem_text};
use crate::ui::widgets::{spinner, text};
use crate::ui::{Action, Model};

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

fn plans(model: &Model) -> &[Plan] {
    model
        .state
        .facts
        .choice
        .account
        .as_ref()
        .map(|a| a.plans.as_slice())
        .unwrap_or(&[])
}

/// The index of the first plan that can be cancelled (0 if none).
pub fn first_cancellable(model: &Model) -> usize {
    plans(model)
        .iter()
        .position(Plan::is_cancellable)
        .unwrap_or(0)
}

fn selected(model: &Model) -> Option<&Plan> {
    let list = plans(model);
    list.get(model.ui.plans.selected.min(list.len().saturating_sub(1)))
}

/// Footer keys.
pub fn keys(model: &Model) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if plans(model).len() > 1 {
        out.push(key(model, "↑↓", "key.choose"));
    }
    if selected(model).is_some_and(Plan::is_cancellable) && model.state.pending.is_none() {
        out.push(key(model, "Enter", "key.cancel_this"));
    }
    out.push(key(model, "Esc", "key.back"));
    out
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
    // Column widths: the name takes what the others leave (the row marker
    // and the spaces between columns come off first).
    let cols = usize::from(table_area.width.saturating_sub(2)).saturating_sub(2);
    let (kind_w, fee_w, status_w, end_w, mark_w) = (10, 9, 8, 10, 7);
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
    let chosen = model
        .ui
        .plans
        .selected
        .min(account.plans.len().saturating_sub(1));
    for (i, plan) in account.plans.iter().enumerate() {
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
    let w = below.width;
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
    if !account.plans.iter().any(Plan::is_cancellable) {
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
    if let Some(plan) = account.plans.get(chosen) {
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
                out.extend(text::hanging(
                    &model.t("plans.todo"),
                    &model.tr(reason.remedy_key(), &args),
                    w,
                    theme.text(),
                ));
            }
        }
    }
    text::draw(frame, below, out);
}

/// Keys on the Select-plan screen.
pub fn on_key(model: &mut Model, key: KeyEvent) -> Option<Action> {
    let count = plans(model).len();
    match key.code {
        KeyCode::Down | KeyCode::Tab if count > 0 => {
            model.ui.plans.selected = (model.ui.plans.selected + 1).min(count - 1);
            None
        }
        KeyCode::Up | KeyCode::BackTab => {
            model.ui.plans.selected = model.ui.plans.selected.saturating_sub(1);
            None
        }
        KeyCode::Enter if model.state.pending.is_none() => {
            let plan = selected(model).filter(|p| p.is_cancellable())?;
            Some(Action::Core(Event::ChoosePlan {
                plan_id: plan.id.clone(),
            }))
        }
        KeyCode::Esc => Some(Action::Core(Event::Back)),
        _ => None,
    }
}
