//! Channel knowledge as compiled into the wizard (`assets/channels`, checked
//! by build.rs): every carrier × package kind can be guided, every number is
//! official, every step says where it comes from, and the repo's official
//! list agrees with `../shared/CHANNELS.md` where that file exists.

use std::path::Path;

use unsubscribe_wizard::core::channels::{
    self, Channel, Kind, Lang, Limit, Owner, Reliability, Step, guide, is_official,
    official_numbers,
};
use unsubscribe_wizard::core::model::CarrierId;

/// Every (carrier, kind) pair.
fn all_guides() -> impl Iterator<Item = &'static channels::Guide> {
    CarrierId::ALL
        .into_iter()
        .flat_map(|c| Kind::ALL.into_iter().map(move |k| guide(c, k)))
}

/// Every step of every guide, with its alternatives, and the carrier.
fn all_steps() -> Vec<(CarrierId, &'static Step)> {
    let mut out = Vec::new();
    for g in all_guides() {
        for channel in Channel::ALL {
            for step in g.steps(channel) {
                out.push((g.carrier(), step));
                out.extend(step.alternatives().iter().map(|a| (g.carrier(), a)));
            }
        }
    }
    out
}

fn all_limits() -> Vec<&'static Limit> {
    all_guides()
        .flat_map(|g| Channel::ALL.into_iter().flat_map(|c| g.cannot(c)))
        .collect()
}

fn is_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10
}

#[test]
fn every_carrier_and_kind_has_a_recommended_channel_with_steps_and_a_reason() {
    for g in all_guides() {
        assert!(
            !g.steps(g.recommended()).is_empty(),
            "{:?} {:?}: the recommended channel {:?} has no steps",
            g.carrier(),
            g.kind(),
            g.recommended()
        );
        for lang in [Lang::Zh, Lang::En] {
            assert!(!g.reason(lang).trim().is_empty());
        }
    }
    assert_eq!(all_guides().count(), 12);
}

#[test]
fn guide_answers_for_the_carrier_and_kind_asked() {
    for c in CarrierId::ALL {
        for k in Kind::ALL {
            assert_eq!((guide(c, k).carrier(), guide(c, k).kind()), (c, k));
        }
    }
}

#[test]
fn every_number_is_official_and_belongs_to_the_carrier_or_miit() {
    for (carrier, step) in all_steps() {
        let Some(number) = step.number() else {
            continue;
        };
        let official = is_official(number)
            .unwrap_or_else(|| panic!("{number} in {:?} is not official", step.text(Lang::En)));
        assert!(
            matches!(official.owner(), Owner::Miit) || official.owner() == Owner::Carrier(carrier),
            "{number} is {:?}'s, used for {carrier:?}",
            official.owner()
        );
    }
}

#[test]
fn every_step_and_limit_has_texts_a_source_a_date_and_a_reliability() {
    let facts = all_steps()
        .into_iter()
        .map(|(_, s)| {
            (
                s.text(Lang::Zh),
                s.text(Lang::En),
                s.origin().source(),
                s.origin().checked(),
            )
        })
        .chain(all_limits().into_iter().map(|l| {
            (
                l.text(Lang::Zh),
                l.text(Lang::En),
                l.origin().source(),
                l.origin().checked(),
            )
        }));
    for (zh, en, source, checked) in facts {
        assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{en}");
        assert!(!source.trim().is_empty(), "{en}: no source");
        assert!(is_date(checked), "{en}: checked {checked:?}");
    }
}

#[test]
fn disagreeing_sources_are_shown_with_a_note_and_the_alternative() {
    // China Mobile's app menu: 已订业务 vs 已办业务 (CHANNELS.md §1).
    let app = guide(CarrierId::ChinaMobile, Kind::ValueAdded).steps(Channel::App);
    let menu = app
        .iter()
        .find(|s| !s.alternatives().is_empty())
        .expect("the app step with two menu names");
    assert!(menu.command().unwrap_or_default().contains("已订业务"));
    assert!(
        menu.alternatives()[0]
            .command()
            .unwrap_or_default()
            .contains("已办业务")
    );
    let note = menu
        .note(Lang::Zh)
        .expect("a note saying the sources differ");
    assert!(
        note.contains("已订业务") && note.contains("已办业务"),
        "{note}"
    );
    assert_eq!(menu.origin().reliability(), Reliability::Low);
}

#[test]
fn china_mobile_data_pack_by_sms_is_0000_to_10086_then_a_reply_to_10086977() {
    let g = guide(CarrierId::ChinaMobile, Kind::DataPack);
    assert_eq!(g.recommended(), Channel::Sms);
    let steps = g.steps(Channel::Sms);
    assert_eq!(
        (steps[0].number(), steps[0].command()),
        (Some("10086"), Some("0000"))
    );
    assert!(steps.iter().any(|s| s.number() == Some("10086977")));
    assert!(steps.iter().any(|s| s.command() == Some("Y")));
    let cannot: Vec<&str> = g
        .cannot(Channel::Sms)
        .iter()
        .map(|l| l.text(Lang::En))
        .collect();
    assert!(
        cannot.iter().any(|t| t.contains("everything at once")),
        "{cannot:?}"
    );
}

#[test]
fn broadband_and_contract_products_go_to_the_hall_or_hotline() {
    for c in CarrierId::ALL {
        let g = guide(c, Kind::Broadband);
        assert_eq!(g.recommended(), Channel::Hall, "{c:?}");
        assert!(g.steps(Channel::Sms).is_empty() && !g.cannot(Channel::Sms).is_empty());
        assert!(!g.steps(Channel::Hotline).is_empty());
        assert!(matches!(
            guide(c, Kind::MainPlan).recommended(),
            Channel::Hall | Channel::Hotline
        ));
    }
}

#[test]
fn is_official_knows_the_list_and_nothing_else() {
    let miit = is_official("12300").expect("12300");
    assert_eq!(miit.owner(), Owner::Miit);
    assert_eq!(
        is_official("10086977").map(|o| o.owner()),
        Some(Owner::Carrier(CarrierId::ChinaMobile))
    );
    assert_eq!(
        is_official("+86 10010").map(|o| o.owner()),
        Some(Owner::Carrier(CarrierId::ChinaUnicom))
    );
    assert!(is_official("10000").is_some() && is_official("10001").is_some());
    for fake in [
        "",
        "1008",
        "100869770",
        "4008123123",
        "95555",
        "10086 977 1",
        "abc",
    ] {
        assert!(is_official(fake).is_none(), "{fake}");
    }
    for o in official_numbers() {
        assert_eq!(
            is_official(o.number()).map(|f| f.number()),
            Some(o.number())
        );
        assert!(!o.source().is_empty() && is_date(o.checked()) && !o.role(Lang::En).is_empty());
    }
}

/// Whether `number` occurs in `text` as a whole number (not inside a longer
/// run of digits: 10086 inside 10086977 does not count).
fn mentions(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

#[test]
fn the_official_list_agrees_with_shared_channels_md_when_present() {
    // In CI the repository's parent holds shared/; a plain clone has no
    // ../shared, and then the repo's own list stands alone.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/CHANNELS.md");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let missing: Vec<&str> = official_numbers()
        .iter()
        .map(|o| o.number())
        .filter(|n| !mentions(&text, n))
        .collect();
    assert!(
        missing.is_empty(),
        "numbers in assets/channels/official-numbers.toml that {} does not name: {missing:?}",
        path.display()
    );
}

#[test]
fn mentions_counts_whole_numbers_only() {
    assert!(mentions("call 10086 now", "10086"));
    assert!(mentions("10086977 sends", "10086977"));
    assert!(!mentions("10086977 sends", "10086"));
    assert!(!mentions("010-123001", "12300"));
}
