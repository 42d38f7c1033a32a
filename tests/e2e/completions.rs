//! Issue 16 items 3–5 in the real binary: the completion scripts parse in
//! their shells, the man page renders and documents every command, exit
//! code, file and variable, `--version` names the build's revision, and the
//! README and docs link only to files the repository has.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs `program args…`, which must succeed; its output.
fn run(program: &str, args: &[&str]) -> Output {
    let output = Command::new(program).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn wizard(args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_unsubscribe-wizard"), args)
}

/// Whether `tool` can be run here.
fn installed(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn every_shell_gets_a_script_and_each_available_shell_parses_it() {
    for (shell, checker) in [
        ("bash", Some("bash")),
        ("zsh", Some("zsh")),
        ("fish", Some("fish")),
        ("elvish", None),
        ("powershell", None),
    ] {
        let script = wizard(&["completions", shell]).stdout;
        let text = String::from_utf8(script.clone()).unwrap();
        assert!(text.contains("unsubscribe-wizard"), "{shell}:\n{text}");
        for command in ["sandbox", "receipts", "status", "sms", "completions", "man"] {
            assert!(text.contains(command), "{shell} lacks {command}:\n{text}");
        }
        let Some(checker) = checker else { continue };
        if !installed(checker) {
            println!("note: {checker} is not installed; its script was not parsed");
            continue;
        }
        // `-n`: read and parse, run nothing.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(format!("completion.{shell}"));
        std::fs::write(&file, &script).unwrap();
        let out = Command::new(checker).arg("-n").arg(&file).output().unwrap();
        assert!(
            out.status.success(),
            "{checker} -n refused the script: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// What bash offers for the last word of `words`, through the function the
/// script registers with `complete -F`.
fn bash_offers(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let probe = format!(
        "source '{}'; f=$(complete -p unsubscribe-wizard | sed 's/.*-F \\([^ ]*\\).*/\\1/'); \
         COMP_WORDS=({}); COMP_CWORD={cword}; \
         \"$f\" unsubscribe-wizard '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words[cword],
        words[cword - 1],
    );
    let out = run("bash", &["--norc", "-c", &probe]);
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(errors.is_empty(), "{errors}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The script for `shell` in a temporary folder (kept while the guard
/// lives), or `None`, with a note, when that shell is not installed.
fn script_for(shell: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    if !installed(shell) {
        println!("note: {shell} is not installed");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("uw.{shell}"));
    std::fs::write(&file, wizard(&["completions", shell]).stdout).unwrap();
    Some((dir, file))
}

#[test]
fn bash_completes_commands_and_their_options() {
    let Some((_dir, file)) = script_for("bash") else {
        return;
    };
    let offered = bash_offers(&file, &["unsubscribe-wizard", ""]);
    for command in ["sandbox", "receipts", "status", "sms", "completions", "man"] {
        assert!(
            offered.iter().any(|o| o == command),
            "{command}: {offered:?}"
        );
    }
    let offered = bash_offers(&file, &["unsubscribe-wizard", "receipts", ""]);
    for action in ["list", "show", "export", "verify", "complaint"] {
        assert!(offered.iter().any(|o| o == action), "{action}: {offered:?}");
    }
    // Two levels down (what clap-rs/clap#6421 breaks for hyphenated names).
    let offered = bash_offers(&file, &["unsubscribe-wizard", "receipts", "export", "--"]);
    for flag in ["--format", "--out"] {
        assert!(offered.iter().any(|o| o == flag), "{flag}: {offered:?}");
    }
    let offered = bash_offers(&file, &["unsubscribe-wizard", "completions", ""]);
    assert!(offered.iter().any(|o| o == "zsh"), "{offered:?}");
}

#[test]
fn fish_completes_options_two_levels_down() {
    let Some((_dir, file)) = script_for("fish") else {
        return;
    };
    let probe = format!(
        "source '{}'; complete -C 'unsubscribe-wizard receipts export --'",
        file.display()
    );
    let out = Command::new("fish").args(["-c", &probe]).output().unwrap();
    let offered = String::from_utf8_lossy(&out.stdout);
    for flag in ["--format", "--out"] {
        assert!(
            offered.lines().any(|l| l.split('\t').next() == Some(flag)),
            "{flag}: {offered}"
        );
    }
}

#[test]
fn the_man_page_documents_every_command_and_renders() {
    let page = wizard(&["man"]).stdout;
    let text = String::from_utf8(page.clone()).unwrap();
    assert!(text.starts_with(".ie") || text.contains(".TH"), "{text}");
    for heading in ["EXIT STATUS", "FILES", "ENVIRONMENT", "COMMANDS", "OPTIONS"] {
        assert!(text.contains(heading), "no {heading} section:\n{text}");
    }
    let mut command = <unsubscribe_wizard::cli::Cli as clap::CommandFactory>::command();
    command.build();
    for path in command_paths(&command, "unsubscribe-wizard") {
        assert!(
            text.contains(&format!(".SS \"{path}\"")),
            "`{path}` has no section:\n{text}"
        );
    }
    for code in ["0", "1", "2", "3", "4", "101"] {
        assert!(
            text.contains(&format!(".TP\n\\fB{code}\\fR")),
            "exit code {code} missing"
        );
    }
    for name in [
        "config.toml",
        "journal/",
        "receipts/",
        "keys/receipts.key",
        "logs/wizard.log",
        "wizard.lock",
        "NO_COLOR",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "LANG",
        "UNSUBSCRIBE_WIZARD_LOG",
        "RUST_LOG",
    ] {
        assert!(text.contains(name), "{name} missing from the man page");
    }
    render(&page);
}

/// Every command and subcommand, as `unsubscribe-wizard receipts export`.
fn command_paths(command: &clap::Command, parent: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for sub in command.get_subcommands().filter(|c| c.get_name() != "help") {
        let path = format!("{parent} {}", sub.get_name());
        paths.extend(command_paths(sub, &path));
        paths.push(path);
    }
    paths
}

/// Renders the page with `man -l -` and with `groff -man`, each where it is
/// installed, and checks each renders without warnings and shows the sections.
fn render(page: &[u8]) {
    let renderers: [(&str, &[&str]); 2] = [
        ("man", &["-l", "-"]),
        // `-k`: UTF-8 input, as man would preprocess it; `-ww`: every warning.
        ("groff", &["-k", "-man", "-Tutf8", "-ww"]),
    ];
    let mut rendered = 0;
    for (tool, args) in renderers {
        if !installed(tool) {
            println!("note: {tool} is not installed; the page was not rendered with it");
            continue;
        }
        let mut child = Command::new(tool)
            .args(args)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(page).unwrap();
        let out = child.wait_with_output().unwrap();
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{tool} failed: {warnings}");
        assert!(warnings.trim().is_empty(), "{tool} warned: {warnings}");
        // Rendered text may carry overstrike (bold) sequences; drop them.
        let plain = strip_overstrike(&String::from_utf8_lossy(&out.stdout));
        for heading in [
            "NAME",
            "SYNOPSIS",
            "COMMANDS",
            "EXIT STATUS",
            "FILES",
            "ENVIRONMENT",
        ] {
            assert!(
                plain.contains(heading),
                "{tool}: {heading} not rendered:\n{plain}"
            );
        }
        assert!(plain.contains("receipts export"), "{tool}:\n{plain}");
        rendered += 1;
    }
    if rendered == 0 {
        println!("note: neither man nor groff is installed; the page was not rendered");
    }
}

/// `a\x08a` (bold) and `_\x08a` (underline) as `a`.
fn strip_overstrike(text: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if chars.peek() == Some(&'\u{8}') {
            chars.next();
            continue;
        }
        out.push(c);
    }
    out.into_iter().collect()
}

#[test]
fn version_names_the_revision() {
    let out = wizard(&["--version"]);
    let line = String::from_utf8(out.stdout).unwrap();
    let expected = format!("unsubscribe-wizard {} (git ", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&expected), "{line}");
    let revision = line[expected.len()..]
        .split([',', ')', '-'])
        .next()
        .unwrap_or_default();
    assert!(
        revision == "unknown"
            || (revision.len() >= 7 && revision.chars().all(|c| c.is_ascii_hexdigit())),
        "no revision in {line:?}"
    );
    // In a checkout the build must have found it.
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join(".git").exists();
    if checkout && installed("git") {
        assert_ne!(revision, "unknown", "{line}");
    }
}

/// The repository's Markdown pages: README.md and docs/*.md.
fn markdown_pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    pages
}

/// Every `[text](target)` target in `text` (inline links only).
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        if let Some(end) = rest.find(')') {
            targets.push(rest[..end].trim().to_owned());
            rest = &rest[end..];
        }
    }
    targets
}

#[test]
fn every_relative_link_in_the_readme_and_docs_resolves_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .unwrap();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in markdown_pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let file = target.split('#').next().unwrap_or_default();
            let resolved = page.parent().unwrap().join(file);
            checked += 1;
            match resolved.canonicalize() {
                Ok(found) if found.starts_with(&root) => {}
                _ => broken.push(format!("{}: {target}", page.display())),
            }
        }
        // The contracts outside the repository are not linked, nor named.
        assert!(
            !text.contains("shared/"),
            "{} refers to shared/, which a clone does not have",
            page.display()
        );
    }
    assert!(broken.is_empty(), "links that do not resolve: {broken:#?}");
    assert!(
        checked > 3,
        "only {checked} links found: is the parser right?"
    );
}

#[test]
fn the_link_finder_finds_links() {
    assert_eq!(
        link_targets("see [a](docs/A.md) and [b](../B.md#x), not [c] (d)"),
        ["docs/A.md", "../B.md#x"]
    );
}
