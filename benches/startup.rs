//! The work on the path from `main` to the first frame, piece by piece, warm
//! (criterion repeats it, so caches are hot; the cold figures of real starts
//! are in docs/BENCHMARKS.md). Each piece is what `main` and `shell::run`
//! do before the first `draw`:
//!
//! - `startup/cli_parse`: clap parsing an empty command line;
//! - `startup/config_builtin`: the built-in configuration (TOML) parsed;
//! - `startup/i18n_lookup/<lang>`: looking up every word of the strings file
//!   in the tables `build.rs` compiled (what `t()` does; nothing is parsed
//!   at run time any more);
//! - `startup/i18n_parse_at_runtime/<lang>`: for comparison, what parsing a
//!   strings file cost the first `t()` call before the tables were compiled in;
//! - `startup/log_filter`: the tracing `EnvFilter` built (`init_log`, after
//!   the first frame);
//! - `startup/first_frame_login/80x24`: a fresh model and a fresh 80×24
//!   terminal, one draw of the login screen (buffers allocated, full diff).
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches run fixed data

use std::hint::black_box;

use chrono::Utc;
use clap::Parser;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unsubscribe_wizard::cli::Cli;
use unsubscribe_wizard::config::Config;
use unsubscribe_wizard::core::flow::State;
use unsubscribe_wizard::core::model::KeySeed;
use unsubscribe_wizard::ui::i18n::{SOURCES, parse_catalog, t};
use unsubscribe_wizard::ui::{Model, render};

fn startup(c: &mut Criterion) {
    c.bench_function("startup/cli_parse", |b| {
        b.iter(|| black_box(Cli::try_parse_from(black_box(["unsubscribe-wizard"]))))
    });
    c.bench_function("startup/config_builtin", |b| {
        b.iter(|| black_box(Config::builtin()))
    });
    for (lang, text) in SOURCES {
        let catalog = parse_catalog(text).expect("the strings files parse");
        let keys: Vec<&str> = catalog.keys().map(String::as_str).collect();
        c.bench_function(&format!("startup/i18n_lookup/{lang:?}"), |b| {
            b.iter(|| {
                for key in &keys {
                    black_box(t(lang, black_box(key)));
                }
            })
        });
        c.bench_function(&format!("startup/i18n_parse_at_runtime/{lang:?}"), |b| {
            b.iter(|| black_box(parse_catalog(black_box(text))))
        });
    }
    c.bench_function("startup/log_filter", |b| {
        b.iter(|| black_box(tracing_subscriber::EnvFilter::new(black_box("info"))))
    });
    for (lang, _) in SOURCES {
        c.bench_function(&format!("startup/first_frame_login/80x24/{lang:?}"), |b| {
            b.iter(|| {
                let now = Utc::now();
                let model = Model::new(State::new(KeySeed([7; 16]), now), lang, now);
                let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
                terminal
                    .draw(|f| render(f, black_box(&model)))
                    .expect("draw");
                black_box(terminal);
            })
        });
    }
}

criterion_group!(benches, startup);
criterion_main!(benches);
