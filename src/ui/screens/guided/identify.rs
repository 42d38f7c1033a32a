//! Guided step 1, identify: the number, the carrier (the prefix suggests it;
//! the person confirms — numbers move between carriers, 携号转网), the kind
//! of package, and the channel: the recommended one preselected with why,
//! the ones that cannot do it shown with what they cannot do. No code and
//! no password are asked for: in guided mode they belong to the carrier
//! alone, and the screen says so.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::core::channels::{self, Channel, Kind as PackageKind};
use crate::core::flow::{Event, State};
use crate::core::model::CarrierId;
use crate::core::validate;
use crate::ui::keymap::{self, Binding, Key};
use crate::ui::screens::login::{chosen_carrier, suggested_carrier};
use crate::ui::screens::next_in;
use crate::ui::state::{IdentifyFocus, UiState};
use crate::ui::widgets::field::{Field, Validity};
use crate::ui::widgets::input::Masking;
use crate::ui::widgets::text;
use crate::ui::{Action, Lang, Model};

use super::{BOX, Intent, LABEL, Table, channel_name, draw_form, inner, kind_name};

/// The guided Identify screen's keys.
pub const KEYS: Table = &[
    Binding::new(&[Key::Code(KeyCode::Enter)], Intent::Go)
        .when(ready)
        .hint("Enter", "key.g_start"),
    Binding::new(&[Key::Code(KeyCode::Left)], Intent::Change(false))
        .when(on_choice)
        .hint("←→", "key.g_change"),
    Binding::new(&[Key::Code(KeyCode::Right)], Intent::Change(true)).when(on_choice),
    Binding::new(keymap::NEXT_FIELD, Intent::Field(true)).hint("Tab", "key.next_field"),
    Binding::new(keymap::PREV_FIELD, Intent::Field(false)),
    Binding::new(&[Key::Any], Intent::Type).when(in_text_field),
];

fn on_choice(ui: &UiState, _: &State) -> bool {
    ui.guided.focus != IdentifyFocus::Number
}

/// Whether the cursor is in the number field.
pub fn in_text_field(ui: &UiState, _: &State) -> bool {
    ui.guided.focus == IdentifyFocus::Number
}

/// The channel in force: the person's pick, else the recommended one.
pub fn channel(ui: &UiState) -> Option<Channel> {
    let carrier = chosen_carrier(&ui.login)?;
    Some(
        ui.guided
            .channel
            .unwrap_or_else(|| channels::guide(carrier, ui.guided.kind).recommended()),
    )
}

/// The event Enter sends, when number, carrier and channel are usable.
fn identify(ui: &UiState) -> Option<Event> {
    let msisdn = validate::contact_phone(ui.login.number.value()).ok()?;
    let carrier = chosen_carrier(&ui.login)?;
    let channel = channel(ui)?;
    let kind = ui.guided.kind;
    if channels::guide(carrier, kind).steps(channel).is_empty() {
        return None;
    }
    Some(Event::Identify {
        msisdn,
        carrier,
        kind,
        channel,
    })
}

fn ready(ui: &UiState, _: &State) -> bool {
    identify(ui).is_some()
}

/// Keys of the screen (the shared guided keys are handled before).
pub(super) fn on_key(model: &mut Model, intent: Intent, key: &KeyEvent) -> Option<Action> {
    let ui = &mut model.ui;
    match intent {
        Intent::Go => return identify(ui).map(Action::Core),
        Intent::Field(forward) => {
            ui.guided.focus = next_in(&IdentifyFocus::ALL, ui.guided.focus, forward);
        }
        Intent::Change(forward) => change(ui, forward),
        Intent::Type => {
            ui.login.number.handle(key);
        }
        _ => {}
    }
    None
}

/// ←→ on a choice row.
fn change(ui: &mut UiState, forward: bool) {
    match ui.guided.focus {
        IdentifyFocus::Number => {}
        IdentifyFocus::Carrier => {
            let now = chosen_carrier(&ui.login).unwrap_or(CarrierId::ChinaMobile);
            let next = next_in(&CarrierId::ALL, now, forward);
            ui.login.carrier = (suggested_carrier(&ui.login) != Some(next)).then_some(next);
            ui.guided.channel = None;
        }
        IdentifyFocus::Kind => {
            ui.guided.kind = next_in(&PackageKind::ALL, ui.guided.kind, forward);
            ui.guided.channel = None;
        }
        IdentifyFocus::Channel => {
            if let Some(now) = channel(ui) {
                ui.guided.channel = Some(next_in(&Channel::ALL, now, forward));
            }
        }
    }
}

fn carrier_name(lang: Lang, c: CarrierId) -> &'static str {
    match lang {
        Lang::Zh => c.name_zh(),
        Lang::En => c.name_en(),
    }
}

/// Draws the guided Identify screen.
pub fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme();
    let area = inner(area);
    let w = area.width;
    let mut lines: Vec<Line> = text::wrapped(&model.t("guided.identify.intro"), w, theme.text());
    lines.push(Line::raw(""));
    draw_form(
        frame,
        area,
        lines,
        &fields(model),
        explain_lines(model, w),
        theme,
    );
}

/// The four rows: number, carrier, kind, channel.
fn fields(model: &Model) -> Vec<Field> {
    let ui = &model.ui;
    let g = &ui.guided;
    let choice = |focus: IdentifyFocus, label: &str, shown: String, validity| Field {
        label: model.t(label),
        shown: format!("‹ {shown} ›"),
        placeholder: String::new(),
        focused: g.focus == focus,
        editable: false,
        validity,
        label_width: LABEL,
        box_width: BOX,
    };
    let number_validity = match validate::contact_phone(ui.login.number.value()) {
        _ if ui.login.number.is_empty() => Validity::Blank,
        Ok(_) => Validity::Valid,
        Err(_) => Validity::Invalid,
    };
    let carrier = chosen_carrier(&ui.login);
    let channel_shown = match (carrier, channel(ui)) {
        (Some(c), Some(ch)) => {
            let guide = channels::guide(c, g.kind);
            let mut name = channel_name(model.lang, ch);
            if guide.recommended() == ch {
                name = model.tr("guided.identify.recommended", &[("channel", name)]);
            }
            name
        }
        _ => model.t("guided.identify.number_first"),
    };
    let channel_ok = match (carrier, channel(ui)) {
        (Some(c), Some(ch)) if channels::guide(c, g.kind).steps(ch).is_empty() => Validity::Invalid,
        _ => Validity::Unchecked,
    };
    vec![
        Field {
            label: model.t("login.number"),
            shown: ui.login.number.shown(Masking::Clear),
            placeholder: model.t("login.number_placeholder"),
            focused: g.focus == IdentifyFocus::Number,
            editable: true,
            validity: number_validity,
            label_width: LABEL,
            box_width: BOX,
        },
        choice(
            IdentifyFocus::Carrier,
            "login.carrier",
            carrier.map_or_else(
                || model.t("login.choose_carrier"),
                |c| carrier_name(model.lang, c).to_owned(),
            ),
            Validity::Unchecked,
        ),
        choice(
            IdentifyFocus::Kind,
            "guided.identify.kind",
            kind_name(model.lang, g.kind),
            Validity::Unchecked,
        ),
        choice(
            IdentifyFocus::Channel,
            "guided.identify.channel",
            channel_shown,
            channel_ok,
        ),
    ]
}

/// Below the rows: why the carrier is only a guess, why this channel (or
/// what it cannot do), the other channels, and the anti-fraud rule.
fn explain_lines(model: &Model, w: u16) -> Vec<Line<'static>> {
    let theme = model.theme();
    let ui = &model.ui;
    let mut lines = vec![Line::raw("")];
    lines.extend(text::wrapped_at_most(
        &model.t("guided.identify.porting"),
        w,
        2,
        theme.dim(),
    ));
    if let (Some(carrier), Some(ch)) = (chosen_carrier(&ui.login), channel(ui)) {
        let guide = channels::guide(carrier, ui.guided.kind);
        if guide.steps(ch).is_empty() {
            let why: Vec<&str> = guide
                .cannot(ch)
                .iter()
                .map(|l| l.text(model.lang))
                .collect();
            let cannot = model.tr(
                "guided.identify.cannot",
                &[
                    ("channel", channel_name(model.lang, ch)),
                    ("why", why.join(" ")),
                ],
            );
            lines.extend(text::wrapped_at_most(
                &format!("✗ {cannot}"),
                w,
                4,
                theme.error(),
            ));
        } else {
            let rec = channel_name(model.lang, guide.recommended());
            lines.extend(text::hanging_at_most(
                &model.tr("guided.identify.why", &[("channel", rec)]),
                guide.reason(model.lang),
                w,
                4,
                theme.text(),
            ));
        }
        lines.push(Line::styled(availability(model, carrier), theme.dim()));
    }
    lines.push(Line::raw(""));
    lines.extend(text::wrapped(
        &format!("⚠ {}", model.t("guided.identify.no_secrets")),
        w,
        theme.warn(),
    ));
    lines
}

/// "Can do it: SMS · App · Hotline — cannot: Hall".
fn availability(model: &Model, carrier: CarrierId) -> String {
    let guide = channels::guide(carrier, model.ui.guided.kind);
    let (can, cannot): (Vec<Channel>, Vec<Channel>) = Channel::ALL
        .into_iter()
        .partition(|c| !guide.steps(*c).is_empty());
    let names = |list: Vec<Channel>| {
        list.into_iter()
            .map(|c| channel_name(model.lang, c))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let mut out = model.tr("guided.identify.can", &[("channels", names(can))]);
    if !cannot.is_empty() {
        out.push_str(&model.tr(
            "guided.identify.cannot_list",
            &[("channels", names(cannot))],
        ));
    }
    out
}
