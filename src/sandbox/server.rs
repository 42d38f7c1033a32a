//! The running server: routes, the fault layer, and connections served one
//! by one with hyper so a fault can drop a socket without answering.

use std::future::pending;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use super::faults::{Call, FaultAction, FaultKind};
use super::persist::Persister;
pub use super::shared::Shared;
use super::state::Sim;
use super::world::World;
use super::{admin, cmcc, ctcc, cucc};

/// Largest request body the sandbox reads (no real call comes close).
pub const BODY_LIMIT: usize = 1 << 20;
/// How long shutdown waits for open connections to finish.
const DRAIN_FOR: Duration = Duration::from_secs(5);

/// Lets a request's handling tell its connection to drop the socket.
#[derive(Clone, Default)]
struct ConnControl {
    reset: Arc<Notify>,
}

/// A running sandbox carrier. Stop it with [`Sandbox::shutdown`]; dropping it
/// also stops it accepting connections, without waiting.
pub struct Sandbox {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    acceptor: tokio::task::JoinHandle<()>,
}

impl Sandbox {
    /// Binds `addr` (port 0 picks a free one) and serves `world`, in memory
    /// only: each start is a fresh world.
    pub async fn start(addr: SocketAddr, world: World) -> std::io::Result<Sandbox> {
        let sim = Sim::new(&world);
        Sandbox::serve(addr, Shared::new(world, sim, None)).await
    }

    /// Like [`Sandbox::start`], but the simulated state lives on in
    /// `state_file`, as a real carrier's does: restored from it if it was
    /// saved from this same world (the clock going on from the saved
    /// instant), saved to it after every request that changed it. A file
    /// that cannot be used is renamed aside (`.unreadable-<time>`) and the
    /// world starts fresh. Sessions and SMS codes are never saved (see
    /// `docs/SANDBOX.md`). Errors if `addr` cannot be bound, the file's
    /// folder cannot be created, or an unusable file cannot be set aside.
    pub async fn start_persistent(
        addr: SocketAddr,
        world: World,
        state_file: PathBuf,
    ) -> std::io::Result<Sandbox> {
        // Reading, and perhaps renaming, a file: off the async workers.
        let opened = tokio::task::spawn_blocking(move || {
            Persister::open(state_file, &world).map(|(persister, sim)| (persister, sim, world))
        })
        .await
        .map_err(std::io::Error::other)?;
        let (persister, sim, world) = opened?;
        Sandbox::serve(addr, Shared::new(world, sim, Some(persister))).await
    }

    async fn serve(addr: SocketAddr, shared: Shared) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let router = router(shared);
        let (stop, stopped) = watch::channel(false);
        let acceptor = tokio::spawn(accept_loop(listener, router, stopped));
        Ok(Sandbox {
            addr,
            stop,
            acceptor,
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets open requests finish (up to 5 s), then returns.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.acceptor.await;
    }
}

fn router(shared: Shared) -> Router {
    Router::new()
        .nest("/cmcc/v2", cmcc::routes())
        .nest("/cucc/mall", cucc::routes())
        .route("/ctcc/rpc", post(ctcc::rpc))
        .nest("/sandbox", admin::routes())
        // Inside the fault layer, so a request that commits and then loses
        // its connection is still saved.
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            persist_layer,
        ))
        .layer(middleware::from_fn_with_state(shared.clone(), fault_layer))
        .with_state(shared)
}

async fn accept_loop(listener: TcpListener, router: Router, mut stopped: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, router.clone(), stopped.clone()));
                }
                Err(e) => {
                    // Out of descriptors and the like: back off instead of spinning.
                    tracing::warn!("sandbox: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            _ = stopped.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(DRAIN_FOR, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.abort_all();
    }
}

async fn serve_connection(stream: TcpStream, router: Router, mut stopped: watch::Receiver<bool>) {
    // A second handle on the socket, so that a `reset` fault can set
    // SO_LINGER 0 after hyper has taken the stream: closing then sends RST.
    let (stream, twin) = match split_handle(stream) {
        Ok(pair) => pair,
        Err(e) => {
            tracing::warn!("sandbox: cannot prepare connection: {e}");
            return;
        }
    };
    let control = ConnControl::default();
    let tower = TowerToHyperService::new(router);
    let per_request = control.clone();
    let service =
        hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(per_request.clone());
            hyper::service::Service::call(&tower, req)
        });
    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let mut draining = *stopped.borrow();
    if draining {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            _ = control.reset.notified() => {
                if let Ok(twin) = TcpStream::from_std(twin) {
                    let _ = twin.set_zero_linger();
                }
                // Dropping the connection (and the twin) closes the socket
                // with RST and no response.
                break;
            }
            _ = stopped.changed(), if !draining => {
                draining = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

fn split_handle(stream: TcpStream) -> std::io::Result<(TcpStream, std::net::TcpStream)> {
    let std_stream = stream.into_std()?;
    let twin = std_stream.try_clone()?;
    Ok((TcpStream::from_std(std_stream)?, twin))
}

/// After each request, saves the simulated state if it is persistent and
/// changed. The answer waits for the save, so what a client was told is on
/// disk before it hears it.
async fn persist_layer(State(shared): State<Shared>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let Some(persister) = shared.persister() else {
        return response;
    };
    let sim = shared.sim_handle();
    // Serializing and fsyncing block: off the async workers. The saver's
    // lock is held from reading the state to writing it, so concurrent
    // saves land in order and an older state never overwrites a newer one.
    let saved = tokio::task::spawn_blocking(move || {
        let mut persister = persister.lock().unwrap_or_else(|p| p.into_inner());
        persister
            .save_if_changed(&sim)
            .map_err(|e| (persister.path().to_owned(), e))
    })
    .await;
    match saved {
        Ok(Ok(())) => {}
        Ok(Err((path, e))) => {
            tracing::warn!(path = %path.display(), "sandbox: cannot save the simulated state: {e}");
        }
        Err(e) => tracing::warn!("sandbox: saving the simulated state failed: {e}"),
    }
    response
}

/// Applies the first fault rule that fires for this call, if any.
async fn fault_layer(State(shared): State<Shared>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if path.starts_with("/sandbox") {
        return next.run(req).await;
    }
    let verb = req.method().clone();
    // Telecom calls are told apart by the RPC method inside the body.
    let (req, rpc) = if verb == Method::POST && path == "/ctcc/rpc" {
        let (parts, body) = req.into_parts();
        let bytes = to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
        let rpc = ctcc::peek(&bytes);
        (Request::from_parts(parts, Body::from(bytes)), Some(rpc))
    } else {
        (req, None)
    };
    let method_name = rpc.as_ref().and_then(|p| p.method.clone());
    let action = shared.faults().decide(Call {
        verb: verb.as_str(),
        path: &path,
        rpc: method_name.as_deref(),
    });
    let Some(action) = action else {
        return next.run(req).await;
    };
    tracing::debug!(?action, %path, "sandbox: fault fires");
    let control = req.extensions().get::<ConnControl>().cloned();
    match action.kind {
        FaultKind::Http500 => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "sandbox fault: internal server error",
        )
            .into_response(),
        FaultKind::Http429 => too_many_requests(action),
        FaultKind::Reset => drop_connection(control).await,
        FaultKind::CommitThenReset => {
            let _ = next.run(req).await;
            drop_connection(control).await
        }
        FaultKind::DelayMs => {
            tokio::time::sleep(Duration::from_millis(action.delay_ms)).await;
            next.run(req).await
        }
        FaultKind::MalformedBody => garble(next.run(req).await).await,
        FaultKind::Busy => {
            if path.starts_with("/cmcc") {
                cmcc::busy()
            } else if path.starts_with("/cucc") {
                cucc::busy()
            } else {
                ctcc::busy(rpc.map(|p| p.id).unwrap_or_default())
            }
        }
    }
}

fn too_many_requests(action: FaultAction) -> Response {
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        "sandbox fault: too many requests",
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(action.retry_after));
    response
}

/// Tells the connection to close without answering, and never answers.
async fn drop_connection(control: Option<ConnControl>) -> Response {
    match control {
        Some(control) => {
            control.reset.notify_one();
            pending().await
        }
        // Served without our connection loop (cannot happen in `Sandbox`):
        // the closest honest answer is a server error.
        None => (StatusCode::INTERNAL_SERVER_ERROR, "sandbox fault: reset").into_response(),
    }
}

/// The real answer cut in half and garbled, still with status 200.
async fn garble(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
    let mut cut = bytes[..bytes.len() / 2].to_vec();
    cut.extend_from_slice(b"\xff\xfe<!-- garbled");
    parts.status = StatusCode::OK;
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(Bytes::from(cut)))
}
