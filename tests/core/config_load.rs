//! Loading the configuration: defaults, a user's file merged over them, and
//! every way a file can be wrong reported with the file, the key and what is
//! expected.

use std::time::Duration;

use unsubscribe_wizard::config::{Config, ConfigError, Endpoint, Language};
use unsubscribe_wizard::core::model::CarrierId;

fn load(text: &str) -> Result<Config, ConfigError> {
    Config::from_user_toml(text, "/home/me/.config/unsubscribe-wizard/config.toml")
}

#[test]
fn the_defaults_use_the_embedded_sandbox_and_sane_timeouts() {
    let config = Config::builtin().unwrap();
    for carrier in CarrierId::ALL {
        assert_eq!(config.endpoint(carrier), &Endpoint::Embedded);
    }
    assert_eq!(config.wizard.language, Language::Auto);
    assert_eq!(config.wizard.data_dir, None);
    let n = &config.network;
    assert!(n.connect_timeout <= n.request_timeout);
    assert!(n.max_attempts >= 2, "the defaults must retry at least once");
    assert!(n.backoff_base <= n.backoff_cap);
}

#[test]
fn a_user_key_overrides_only_that_key() {
    let config = load(
        r#"
        [network]
        request_timeout_ms = 800

        [carriers.china_unicom]
        base_url = "https://api.example.cn/"
        "#,
    )
    .unwrap();
    let defaults = Config::builtin().unwrap();
    assert_eq!(config.network.request_timeout, Duration::from_millis(800));
    assert_eq!(
        config.network.connect_timeout,
        defaults.network.connect_timeout
    );
    assert_eq!(config.endpoint(CarrierId::ChinaMobile), &Endpoint::Embedded);
    match config.endpoint(CarrierId::ChinaUnicom) {
        Endpoint::Url(url) => assert_eq!(url.as_str(), "https://api.example.cn/"),
        other => panic!("{other:?}"),
    }
    assert_eq!(config.wizard, defaults.wizard);
}

#[test]
fn wizard_settings_are_read() {
    let config = load("[wizard]\nlanguage = \"en\"\ndata_dir = \"/srv/wizard\"\n").unwrap();
    assert_eq!(config.wizard.language, Language::En);
    assert_eq!(
        config.wizard.data_dir.as_deref(),
        Some(std::path::Path::new("/srv/wizard"))
    );
}

#[test]
fn an_unknown_key_names_the_file_the_key_and_the_choices() {
    let err = load("[network]\nconect_timeout_ms = 100\n").unwrap_err();
    match &err {
        ConfigError::UnknownKey {
            file,
            key,
            expected,
        } => {
            assert!(file.ends_with("config.toml"));
            assert_eq!(key, "network.conect_timeout_ms");
            assert!(expected.contains("connect_timeout_ms"), "{expected}");
        }
        other => panic!("{other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("config.toml") && message.contains("network.conect_timeout_ms"),
        "{message}"
    );

    let err = load("[carriers.china_movil]\nbase_url = \"embedded\"\n").unwrap_err();
    assert!(
        matches!(&err, ConfigError::UnknownKey { key, .. } if key == "carriers.china_movil"),
        "{err:?}"
    );
    let err = load("colour = \"red\"\n").unwrap_err();
    assert!(matches!(&err, ConfigError::UnknownKey { key, .. } if key == "colour"));
}

#[test]
fn a_bad_timeout_says_what_is_expected() {
    for text in [
        "[network]\nrequest_timeout_ms = 0\n",
        "[network]\nrequest_timeout_ms = -5\n",
        "[network]\nrequest_timeout_ms = 99999999999\n",
        "[network]\nrequest_timeout_ms = \"fast\"\n",
        "[network]\nrequest_timeout_ms = 1.5\n",
    ] {
        let err = load(text).unwrap_err();
        match &err {
            ConfigError::Invalid { key, expected, .. } => {
                assert_eq!(key, "network.request_timeout_ms", "{text}");
                assert!(expected.contains("milliseconds"), "{expected}");
            }
            other => panic!("{text}: {other:?}"),
        }
        assert!(err.to_string().contains("config.toml"));
    }
}

#[test]
fn other_ranges_are_checked() {
    let key_of = |text: &str| match load(text).unwrap_err() {
        ConfigError::Invalid { key, .. } => key,
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(
        key_of("[network]\nmax_attempts = 0\n"),
        "network.max_attempts"
    );
    assert_eq!(
        key_of("[network]\nmax_attempts = 50\n"),
        "network.max_attempts"
    );
    assert_eq!(
        key_of("[network]\nbackoff_base_ms = 500\nbackoff_cap_ms = 100\n"),
        "network.backoff_cap_ms"
    );
    assert_eq!(key_of("[wizard]\nlanguage = \"fr\"\n"), "wizard.language");
    assert_eq!(key_of("network = 3\n"), "network");
}

#[test]
fn base_url_is_embedded_or_a_usable_url() {
    let url_of = |value: &str| {
        load(&format!(
            "[carriers.china_telecom]\nbase_url = \"{value}\"\n"
        ))
    };
    for ok in [
        "embedded",
        "https://ctcc.example.com",
        "https://10.0.0.1:8443/api",
        "http://127.0.0.1:7878",
        "http://localhost:7878",
        "http://[::1]:7878",
    ] {
        assert!(url_of(ok).is_ok(), "{ok}: {:?}", url_of(ok).err());
    }
    for bad in [
        "",
        "Embedded",
        "not a url",
        "ftp://example.com",
        "https://x.cn/?a=1",
    ] {
        match url_of(bad) {
            Err(ConfigError::Invalid { key, expected, .. }) => {
                assert_eq!(key, "carriers.china_telecom.base_url");
                assert!(expected.contains("embedded"));
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
}

#[test]
fn plain_http_to_another_host_is_refused_with_a_reason() {
    let err = load("[carriers.china_mobile]\nbase_url = \"http://api.10086.cn\"\n").unwrap_err();
    match &err {
        ConfigError::InsecureUrl { key, host, .. } => {
            assert_eq!(key, "carriers.china_mobile.base_url");
            assert_eq!(host, "api.10086.cn");
        }
        other => panic!("{other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("https://"), "{message}");
    assert!(load("[carriers.china_mobile]\nbase_url = \"http://10.1.2.3\"\n").is_err());
}

#[test]
fn a_toml_syntax_error_names_the_file() {
    let err = load("[network\nmax_attempts = 2\n").unwrap_err();
    assert!(matches!(err, ConfigError::Syntax { .. }), "{err:?}");
    assert!(err.to_string().contains("config.toml"));
}

#[test]
fn files_are_found_where_the_person_put_them() {
    let home = tempfile::tempdir().unwrap();
    // No file in the config home: the defaults.
    let config = Config::load_from(None, Some(home.path())).unwrap();
    assert_eq!(config, Config::builtin().unwrap());

    // The per-user file, when it exists.
    let dir = home.path().join("unsubscribe-wizard");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[network]\nmax_attempts = 2\n").unwrap();
    let config = Config::load_from(None, Some(home.path())).unwrap();
    assert_eq!(config.network.max_attempts, 2);

    // --config wins over it.
    let explicit = home.path().join("other.toml");
    std::fs::write(&explicit, "[network]\nmax_attempts = 3\n").unwrap();
    let config = Config::load_from(Some(&explicit), Some(home.path())).unwrap();
    assert_eq!(config.network.max_attempts, 3);

    // An error in a file names that file.
    std::fs::write(&explicit, "[network]\nmax_attempts = 0\n").unwrap();
    let err = Config::load_from(Some(&explicit), Some(home.path())).unwrap_err();
    assert!(err.to_string().contains("other.toml"), "{err}");

    // A --config that does not exist is an error, not a silent default.
    let missing = home.path().join("missing.toml");
    let err = Config::load_from(Some(&missing), None).unwrap_err();
    assert!(matches!(&err, ConfigError::Read { path, .. } if path == &missing));
    assert!(err.to_string().contains("missing.toml"));
}

#[test]
fn the_longest_carrier_given_wait_is_a_bounded_setting() {
    let config = Config::builtin().unwrap();
    assert_eq!(config.network.max_wait, Duration::from_secs(30));
    let config = load("[network]\nmax_wait_secs = 5\n").unwrap();
    assert_eq!(config.network.max_wait, Duration::from_secs(5));
    for bad in ["0", "601", "-1", "4294967295"] {
        let err = load(&format!("[network]\nmax_wait_secs = {bad}\n")).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("network.max_wait_secs") && text.contains("from 1 to 600"),
            "{text}"
        );
    }
}
