//! The work on the path from `main` to the first frame, piece by piece, warm
//! (criterion repeats it, so caches are hot; the cold figures of one real
//! start are in docs/BENCHMARKS.md). Each piece is what `main` and
//! `ui::app::run` do before the first `draw`:
//!
//! - `startup/cli_parse`: clap parsing an empty command line;
//! - `startup/config_builtin`: the built-in configuration (TOML) parsed;
//! - `startup/i18n_catalog/<lang>`: a strings file parsed into dotted keys
//!   (the first `t()` call does this once per language);
//! - `startup/toml_only/{value_table,de_table}`: the Chinese strings file
//!   through `toml::Table` (what `parse_catalog` uses) and through the
//!   borrowing `toml::de::DeTable`, to size a cheaper catalog parse;
//! - `startup/log_filter`: the tracing `EnvFilter` built (`init_log`);
//! - `startup/first_frame_login/80x24`: a fresh model and a fresh 80×24
//!   terminal, one draw of the login screen (buffers allocated, full diff).

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
use unsubscribe_wizard::ui::i18n::{SOURCES, parse_catalog};
use unsubscribe_wizard::ui::{Model, render};

fn startup(c: &mut Criterion) {
    c.bench_function("startup/cli_parse", |b| {
        b.iter(|| black_box(Cli::try_parse_from(black_box(["unsubscribe-wizard"]))))
    });
    c.bench_function("startup/config_builtin", |b| {
        b.iter(|| black_box(Config::builtin()))
    });
    for (lang, text) in SOURCES {
        assert!(parse_catalog(text).is_ok(), "{lang:?} strings must parse");
        c.bench_function(&format!("startup/i18n_catalog/{lang:?}"), |b| {
            b.iter(|| black_box(parse_catalog(black_box(text))))
        });
    }
    // What the catalog parse would cost with the borrowing parser (no
    // intermediate `toml::Value` tree of owned strings): the TOML step alone.
    let zh = SOURCES[0].1;
    c.bench_function("startup/toml_only/value_table", |b| {
        b.iter(|| black_box(black_box(zh).parse::<toml::Table>()))
    });
    c.bench_function("startup/toml_only/de_table", |b| {
        b.iter(|| black_box(toml::de::DeTable::parse(black_box(zh))))
    });
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
