//! The build-time checker on the real files and on broken copies of them:
//! each broken copy must be refused with a message naming the file, the step
//! and what is wrong (that message is what `build.rs` panics with).

use super::compile::{ChannelFileError, check, is_date};
use super::generate::generate;
use super::{Channel, Kind, guide, official_numbers};
use crate::core::model::CarrierId;

const OFFICIAL: &str = include_str!("../../../assets/channels/official-numbers.toml");
const MOBILE: &str = include_str!("../../../assets/channels/china_mobile.toml");
const UNICOM: &str = include_str!("../../../assets/channels/china_unicom.toml");
const TELECOM: &str = include_str!("../../../assets/channels/china_telecom.toml");

/// The three files with `mobile` in place of China Mobile's.
fn files(mobile: &str) -> Vec<(&'static str, String)> {
    vec![
        ("china_mobile.toml", mobile.to_owned()),
        ("china_unicom.toml", UNICOM.to_owned()),
        ("china_telecom.toml", TELECOM.to_owned()),
    ]
}

fn check_mobile(mobile: &str) -> Result<super::compile::Checked, ChannelFileError> {
    let owned = files(mobile);
    let borrowed: Vec<(&str, &str)> = owned.iter().map(|(f, t)| (*f, t.as_str())).collect();
    check(OFFICIAL, &borrowed)
}

/// China Mobile's file with the first `from` replaced by `to`.
fn broken(from: &str, to: &str) -> String {
    assert!(
        MOBILE.contains(from),
        "fixture text {from:?} not in the file"
    );
    MOBILE.replacen(from, to, 1)
}

fn refusal(mobile: &str) -> String {
    match check_mobile(mobile) {
        Ok(_) => panic!("a broken file was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_real_files_pass_and_match_the_compiled_statics() {
    let checked = check_mobile(MOBILE).unwrap();
    assert_eq!(checked.official.len(), official_numbers().len());
    let cm = &checked.carriers[0];
    let steps = cm.data_pack.sms.steps.len();
    assert!(steps > 0, "same_as resolved into real steps");
    assert_eq!(
        guide(CarrierId::ChinaMobile, Kind::DataPack)
            .steps(Channel::Sms)
            .len(),
        steps
    );
    assert!(generate(&checked).contains("static GUIDES"));
}

#[test]
fn a_number_not_on_the_official_list_fails_naming_file_step_and_number() {
    let msg = refusal(&broken("number = \"10086977\"", "number = \"4008123123\""));
    assert!(msg.contains("assets/channels/china_mobile.toml"), "{msg}");
    assert!(msg.contains("value_added.sms step 2"), "{msg}");
    assert!(msg.contains("4008123123"), "{msg}");
}

#[test]
fn another_carriers_number_is_refused_too() {
    let msg = refusal(&broken("number = \"10086\"", "number = \"10010\""));
    assert!(
        msg.contains("10010") && msg.contains("not an official number of this carrier"),
        "{msg}"
    );
}

#[test]
fn a_number_written_into_the_text_is_checked_like_a_recipient() {
    let msg = refusal(&broken("拨打 10086。", "拨打 95555888。"));
    assert!(
        msg.contains("95555888") && msg.contains("cannot 2"),
        "{msg}"
    );
}

#[test]
fn a_step_without_source_checked_or_reliability_fails() {
    let first_source =
        "source = \"China Mobile Hainan CRM (github.com/woyaofuwu/origin personserv.xml";
    let msg = refusal(&broken(first_source, "sauce_removed = \"x"));
    // An unknown field is a shape error (naming the line); a missing one is named.
    assert!(msg.contains("china_mobile.toml"), "{msg}");
    let no_source = broken(first_source, "# source removed \"");
    let msg = refusal(&no_source);
    assert!(
        msg.contains("value_added.sms step 1 has no source"),
        "{msg}"
    );
    let msg = refusal(&broken("reliability = \"official\"", ""));
    assert!(msg.contains("has no reliability"), "{msg}");
    let msg = refusal(&broken("checked = \"2026-12-03\"", ""));
    assert!(msg.contains("has no checked date"), "{msg}");
}

#[test]
fn a_malformed_date_fails() {
    for bad in [
        "2026-13-01",
        "2026-02-30",
        "26-12-03",
        "2026/12/03",
        "yesterday",
    ] {
        let msg = refusal(&broken(
            "checked = \"2026-12-03\"",
            &format!("checked = \"{bad}\""),
        ));
        assert!(msg.contains(bad) && msg.contains("YYYY-MM-DD"), "{msg}");
    }
    assert!(is_date("2028-02-29") && !is_date("2026-02-29"));
}

#[test]
fn an_unknown_carrier_kind_channel_or_reliability_fails() {
    for (from, to, named) in [
        (
            "carrier = \"china_mobile\"",
            "carrier = \"china_mobil\"",
            "china_mobil",
        ),
        ("[value_added]", "[value_add]", "value_add"),
        (
            "[[value_added.app.steps]]",
            "[[value_added.web.steps]]",
            "web",
        ),
        ("recommended = \"sms\"", "recommended = \"fax\"", "fax"),
        ("reliability = \"low\"", "reliability = \"so-so\"", "so-so"),
    ] {
        let msg = refusal(&broken(from, to));
        assert!(
            msg.contains("china_mobile.toml") && msg.contains(named),
            "{msg}"
        );
    }
}

#[test]
fn a_recommended_channel_without_steps_fails() {
    let msg = refusal(&broken(
        "[broadband]\nrecommended = \"hall\"",
        "[broadband]\nrecommended = \"app\"",
    ));
    assert!(
        msg.contains("broadband.app is recommended but has no steps"),
        "{msg}"
    );
}

#[test]
fn a_carrier_missing_or_twice_fails() {
    let twice = vec![("a.toml", MOBILE), ("b.toml", MOBILE), ("c.toml", UNICOM)];
    assert!(check(OFFICIAL, &twice).is_err());
    let missing = vec![("a.toml", MOBILE), ("b.toml", UNICOM)];
    let msg = check(OFFICIAL, &missing).unwrap_err().to_string();
    assert!(msg.contains("ChinaTelecom"), "{msg}");
}

#[test]
fn a_bad_official_list_fails() {
    let owned = files(MOBILE);
    let borrowed: Vec<(&str, &str)> = owned.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let doubled = format!(
        "{OFFICIAL}\n[[number]]\nnumber = \"10086\"\nowner = \"miit\"\nrole = {{ zh = \"x\", en = \"x\" }}\nsource = \"x\"\nchecked = \"2026-12-03\"\n"
    );
    let msg = check(&doubled, &borrowed).unwrap_err().to_string();
    assert!(msg.contains("10086 is listed twice"), "{msg}");
    let letters = OFFICIAL.replacen("number = \"10086\"", "number = \"1OO86\"", 1);
    assert!(check(&letters, &borrowed).is_err());
}

#[test]
fn a_limit_with_a_recipient_or_alternatives_fails() {
    let msg = refusal(&broken(
        "[[value_added.sms.cannot]]\n",
        "[[value_added.sms.cannot]]\nnumber = \"10086\"\n",
    ));
    assert!(
        msg.contains("value_added.sms cannot 1: a limit has only"),
        "{msg}"
    );
}
