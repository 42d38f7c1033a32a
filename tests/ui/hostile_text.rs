//! Issue 13 item 6 (TUI): carrier text with terminal controls — ESC[2J,
//! OSC 0 (title), OSC 52 (clipboard), C1 controls, bidi overrides — reaches
//! no cell of any frame: every frame passes through one sanitiser
//! (`ui::format::display_safe`).

use unsubscribe_wizard::core::model::Notice;
use unsubscribe_wizard::ui::Lang;

use crate::testkit::ui::*;

const HOSTILE: &str = "A\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]52;c;aGk=\u{7}\u{9b}31m\u{202e}evil\u{2066}\u{feff}\u{2028}Z";

/// Format characters that reorder or hide text.
const HIDDEN: &[char] = &[
    '\u{061c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{2028}', '\u{2029}', '\u{feff}',
];

fn assert_clean(text_of: &str, terminal: &ratatui::Terminal<ratatui::backend::TestBackend>) {
    for cell in &terminal.backend().buffer().content {
        let bad: Vec<char> = cell
            .symbol()
            .chars()
            .filter(|c| c.is_control() || HIDDEN.contains(c))
            .collect();
        assert!(bad.is_empty(), "{text_of}: {bad:?} reached a cell");
    }
}

#[test]
fn hostile_carrier_text_reaches_no_cell() {
    // The plan name (header of many screens), the retention text, a notice.
    let mut sc = at_review(Scenario::UnicomBroadband);
    sc.state.facts.choice.plan.as_mut().unwrap().name = HOSTILE.into();
    let quote = sc.state.facts.choice.quote.as_mut().unwrap();
    quote.retention.as_mut().unwrap().description = HOSTILE.into();
    quote.items[0].label = HOSTILE.into();
    for lang in [Lang::Zh, Lang::En] {
        assert_clean("review", &draw80(&model(&sc, lang)));
    }
    let mut sc = at_await(Scenario::MobileBroadband);
    sc.state.facts.progress.notices.push(Notice {
        id: "x".into(),
        sent_at: at(150),
        text: HOSTILE.into(),
    });
    sc.state.facts.choice.plan.as_mut().unwrap().name = HOSTILE.into();
    for lang in [Lang::Zh, Lang::En] {
        assert_clean("await", &draw80(&model(&sc, lang)));
    }
    let mut sc = at_done(Scenario::MobileBroadband, true);
    sc.state.facts.choice.plan.as_mut().unwrap().name = HOSTILE.into();
    for lang in [Lang::Zh, Lang::En] {
        assert_clean("done", &draw80(&model(&sc, lang)));
    }
}
