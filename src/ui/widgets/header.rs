//! The step header: the wizard's name, the carrier and number, and the six
//! steps — done ones ticked, the current one highlighted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::core::flow::{Step, StepName};
use crate::ui::Model;
use crate::ui::format::width;

/// Lines the header takes: title, steps, rule.
pub const HEIGHT: u16 = 3;

/// The i18n key of a step's short label in `mode`: guided mode names the
/// steps for what the person does (identify, package, act, fees) — there
/// is no login and no payment in it.
pub fn mode_step_key(mode: crate::core::flow::Mode, step: StepName) -> &'static str {
    match (mode, step) {
        (crate::core::flow::Mode::Guided, StepName::Login) => "step.guided_login",
        (crate::core::flow::Mode::Guided, StepName::SelectPlan) => "step.guided_select_plan",
        (crate::core::flow::Mode::Guided, StepName::Submit) => "step.guided_submit",
        (crate::core::flow::Mode::Guided, StepName::Pay) => "step.guided_pay",
        _ => step_key(step),
    }
}

/// The i18n key of a step's short label.
pub fn step_key(step: StepName) -> &'static str {
    match step {
        StepName::Login => "step.login",
        StepName::SelectPlan => "step.select_plan",
        StepName::Submit => "step.submit",
        StepName::Pay => "step.pay",
        StepName::Await => "step.await",
        StepName::Terminated => "step.terminated",
    }
}

/// The i18n key of the mode the header shows: guided, practice on the
/// embedded sandbox, or a configured carrier API; none while it is asked.
pub fn mode_key(model: &Model) -> Option<&'static str> {
    if model.ask_mode {
        return None;
    }
    Some(match model.state.mode {
        crate::core::flow::Mode::Guided => "header.mode_guided",
        crate::core::flow::Mode::Api if model.phone.is_some() => "header.mode_sandbox",
        crate::core::flow::Mode::Api => "header.mode_api",
    })
}

/// Draws the header into `area` (three lines).
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let mut title = vec![Span::styled(
        format!(" {}", model.t("app.title")),
        theme.title(),
    )];
    if let Some(mode) = mode_key(model) {
        title.push(Span::styled(format!(" · {}", model.t(mode)), theme.key()));
    }
    if let Some(carrier) = model.carrier() {
        let name = match model.lang {
            crate::ui::Lang::Zh => carrier.name_zh(),
            crate::ui::Lang::En => carrier.name_en(),
        };
        title.push(Span::raw("  ·  "));
        title.push(Span::styled(name.to_owned(), theme.title()));
        if let Some(msisdn) = model.state.facts.msisdn() {
            title.push(Span::raw(format!("  {}", msisdn.masked())));
        }
        let right = model.tr("header.hotline", &[("hotline", carrier.hotline())]);
        let used: usize = title.iter().map(|s| width(&s.content)).sum();
        // The hotline is the first thing to go on a narrow terminal.
        if let Some(room) = usize::from(area.width).checked_sub(used + width(&right) + 1) {
            title.push(Span::raw(" ".repeat(room)));
            title.push(Span::styled(right, theme.dim()));
        }
    }

    let current = model.current_step();
    // Logging in again mid-flow: the steps before the one it returns to
    // stay done.
    let reached = match &model.state.step {
        Step::Login {
            then: Some(target), ..
        } => target.name().unwrap_or(current),
        _ => current,
    };
    let blocked = matches!(model.state.step, Step::Blocked { .. });
    let mut steps = vec![Span::raw(" ")];
    for (i, step) in StepName::ALL.into_iter().enumerate() {
        if i > 0 {
            steps.push(Span::styled(" › ", theme.dim()));
        }
        let label = format!(
            "{} {}",
            i + 1,
            model.t(mode_step_key(model.state.mode, step))
        );
        if step == current {
            let mark = if blocked { "✗" } else { "●" };
            let style = if blocked {
                theme
                    .error()
                    .add_modifier(ratatui::style::Modifier::REVERSED)
            } else {
                theme.focus()
            };
            steps.push(Span::styled(format!("{mark}{label}"), style));
        } else if step < current || (step < reached && step != current) {
            steps.push(Span::styled(format!("✓{label}"), theme.ok()));
        } else {
            steps.push(Span::styled(format!(" {label}"), theme.dim()));
        }
    }
    let rule = "─".repeat(usize::from(area.width));
    let lines = vec![
        Line::from(title),
        Line::from(steps),
        Line::from(Span::styled(rule, theme.border())),
    ];
    super::text::draw(frame, area, lines);
}
