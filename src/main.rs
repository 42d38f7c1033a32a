//! The binary's edge: parse the command line, dispatch, turn errors into a
//! message and an exit code.

use std::process::ExitCode;

use clap::Parser;
use unsubscribe_wizard::cli::{Cli, Command};

/// Exit code for "cannot do that here" (not a terminal, not yet available).
const EXIT_UNAVAILABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => not_yet("the interactive wizard", "the terminal-wizard issue"),
        Some(Command::Sandbox { addr, world }) => sandbox::run(addr, world.as_deref()),
        Some(Command::Receipts { .. }) => not_yet("`receipts`", "the evidence-vault issue"),
        Some(Command::Status { .. }) => not_yet("`status`", "the evidence-vault issue"),
    }
}

mod sandbox {
    //! `unsubscribe-wizard sandbox`: the embedded carrier as a standalone server.

    use std::io::Write;
    use std::net::SocketAddr;
    use std::path::Path;
    use std::process::ExitCode;

    use unsubscribe_wizard::sandbox::{Sandbox, World};

    /// Loads the world, serves it until Ctrl-C or SIGTERM, and stops cleanly.
    /// The first stdout line is `sandbox listening on http://…`; logs only
    /// when `RUST_LOG` asks for them, on stderr.
    pub fn run(addr: SocketAddr, world: Option<&Path>) -> ExitCode {
        if std::env::var_os("RUST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_writer(std::io::stderr)
                .try_init();
        }
        let world = match world {
            Some(path) => match World::load(path) {
                Ok(world) => world,
                Err(e) => {
                    eprintln!("unsubscribe-wizard sandbox: the world file is not usable: {e}");
                    return ExitCode::FAILURE;
                }
            },
            None => World::builtin(),
        };
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                eprintln!("unsubscribe-wizard sandbox: cannot start the async runtime: {e}");
                return ExitCode::FAILURE;
            }
        };
        runtime.block_on(serve(addr, world))
    }

    async fn serve(addr: SocketAddr, world: World) -> ExitCode {
        let sandbox = match Sandbox::start(addr, world).await {
            Ok(sandbox) => sandbox,
            Err(e) => {
                eprintln!(
                    "unsubscribe-wizard sandbox: cannot listen on {addr}: {e} (is another sandbox running? try --addr 127.0.0.1:0)"
                );
                return ExitCode::FAILURE;
            }
        };
        let mut stdout = std::io::stdout();
        let _ = writeln!(stdout, "sandbox listening on {}", sandbox.base_url());
        let _ = stdout.flush();
        stop_signal().await;
        sandbox.shutdown().await;
        ExitCode::SUCCESS
    }

    /// Ctrl-C, or SIGTERM on Unix.
    async fn stop_signal() {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = term.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn not_yet(what: &str, when: &str) -> ExitCode {
    eprintln!(
        "unsubscribe-wizard: {what} is not yet available in this build (it arrives with {when})."
    );
    ExitCode::from(EXIT_UNAVAILABLE)
}
