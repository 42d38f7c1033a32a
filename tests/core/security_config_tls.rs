//! Transport security: plain `http://` only to this computer, and TLS by
//! rustls alone (no OpenSSL anywhere in the dependency tree).

use std::process::Command;

use unsubscribe_wizard::config::{Config, ConfigError};

fn with_mobile_url(url: &str) -> Result<Config, ConfigError> {
    Config::from_user_toml(
        &format!("[carriers.china_mobile]\nbase_url = \"{url}\"\n"),
        "test.toml",
    )
}

#[test]
fn plain_http_to_a_host_that_is_not_this_computer_is_refused() {
    for url in [
        "http://example.cn",
        "http://api.10086.cn/cmcc",
        "http://10.0.0.1:8080",
        "http://192.168.1.1",
        "http://0.0.0.0:7878",
        "http://[2001:db8::1]:80",
        "http://127.0.0.1.example.cn",
        "http://localhost.example.cn",
        "HTTP://EXAMPLE.CN",
    ] {
        match with_mobile_url(url) {
            Err(ConfigError::InsecureUrl { key, host, .. }) => {
                assert_eq!(key, "carriers.china_mobile.base_url");
                assert!(!host.is_empty(), "{url}: the refusal names the host");
            }
            other => panic!("{url} was not refused as insecure: {other:?}"),
        }
    }
}

#[test]
fn plain_http_to_loopback_and_https_anywhere_are_accepted() {
    for url in [
        "http://127.0.0.1:7878",
        "http://localhost:7878",
        "http://[::1]:7878",
        "https://api.example.cn",
    ] {
        assert!(with_mobile_url(url).is_ok(), "{url} was refused");
    }
}

/// Runs `cargo tree` offline in this package; `None` when cargo cannot run
/// here (then the check is skipped with a note).
fn cargo_tree(args: &[&str]) -> Option<std::process::Output> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .arg("tree")
        .args(args)
        .arg("--offline")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    match output {
        Ok(output) => Some(output),
        Err(e) => {
            println!("note: cargo is not available ({e}); the TLS dependency check is skipped");
            None
        }
    }
}

#[test]
fn tls_is_rustls_only() {
    // The control: the tree can be read, and rustls is in it.
    let Some(rustls) = cargo_tree(&["-i", "rustls", "-e", "normal", "--target", "all"]) else {
        return;
    };
    if !rustls.status.success() {
        println!(
            "note: cargo tree could not read the dependency graph offline ({}); the TLS dependency check is skipped",
            String::from_utf8_lossy(&rustls.stderr).trim()
        );
        return;
    }
    let text = String::from_utf8_lossy(&rustls.stdout);
    assert!(text.contains("unsubscribe-wizard"), "{text}");
    for crate_name in ["openssl-sys", "openssl", "native-tls"] {
        let Some(out) = cargo_tree(&["-i", crate_name, "--target", "all"]) else {
            return;
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains("did not match any packages"),
            "{crate_name} is in the dependency tree:\n{stdout}{stderr}"
        );
    }
}
