//! A hostile or careless config file cannot reach the terminal raw (issue
//! 13 item 23): every part of a config error that comes from the file or
//! its path — an unknown key's name, the parser's quote of a line, a value,
//! the path itself — shows control and bidi characters escaped.

use std::path::Path;

use unsubscribe_wizard::config::{Config, ConfigError};

/// Characters that would move the cursor, set the title, write the
/// clipboard or reorder the text if printed raw.
const RAW: [char; 6] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{2066}', '\u{0}'];

fn assert_escaped(err: &ConfigError) {
    let text = err.to_string();
    for c in RAW {
        assert!(!text.contains(c), "raw {c:?} in: {text:?}");
    }
}

#[test]
fn an_unknown_key_with_control_and_bidi_characters_is_shown_escaped() {
    let file = "[network]\n\"x\\u001b[2J\\u001b]0;owned\\u0007\\u009b\\u202e\\u2066\" = 1\n";
    let err = Config::from_user_toml(file, "config.toml").unwrap_err();
    assert!(matches!(err, ConfigError::UnknownKey { .. }), "{err:?}");
    assert_escaped(&err);
    let text = err.to_string();
    assert!(text.contains("\\x1b[2J"), "the escape is visible: {text}");
    // The field keeps the key exactly as written.
    if let ConfigError::UnknownKey { key, .. } = &err {
        assert!(key.contains('\u{1b}'));
    }
}

#[test]
fn a_syntax_error_quoting_a_line_with_raw_controls_is_shown_escaped() {
    let file = "[network]\n\u{1b}[2J\u{202e}\u{9b}\u{7} = 1\n";
    let err = Config::from_user_toml(file, "config.toml").unwrap_err();
    assert!(matches!(err, ConfigError::Syntax { .. }), "{err:?}");
    assert_escaped(&err);
}

#[test]
fn a_value_and_a_path_with_controls_are_shown_escaped() {
    let err = Config::from_user_toml(
        "[wizard]\nlanguage = \"\\u001b]52;c;aGk=\\u0007\\u202e\"\n",
        "config.toml",
    )
    .unwrap_err();
    assert_escaped(&err);
    let err = Config::from_user_toml(
        "[carriers.china_mobile]\nbase_url = \"http://\\u202eexample.com\\u001b/\"\n",
        "config.toml",
    )
    .unwrap_err();
    assert_escaped(&err);
    let err = Config::from_user_toml(
        "[network]\nmax_attempts = 99\n",
        "dir\u{1b}[2J/\u{202e}c.toml",
    )
    .unwrap_err();
    assert_escaped(&err);
    let path = Path::new("/nonexistent-\u{1b}[2J-\u{202e}/config.toml");
    let err = Config::load_from(Some(path), None).unwrap_err();
    assert!(matches!(err, ConfigError::Read { .. }), "{err:?}");
    assert_escaped(&err);
}
