//! `unsubscribe-wizard sandbox`: the embedded carrier as a standalone server.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use crate::sandbox::{Sandbox, World};

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
    // Listen for the stop signals before announcing the address, so a
    // SIGTERM sent right after the announcement is never missed.
    let stop = StopSignals::listen();
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "sandbox listening on {}", sandbox.base_url());
    let _ = stdout.flush();
    stop.wait().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

/// Ctrl-C, and SIGTERM on Unix, registered as soon as this is made.
struct StopSignals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
}

#[cfg(unix)]
async fn recv(signal: Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(mut s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

impl StopSignals {
    fn listen() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            StopSignals {
                term: signal(SignalKind::terminate()).ok(),
                interrupt: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    async fn wait(self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = recv(self.term) => {}
                _ = recv(self.interrupt) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
