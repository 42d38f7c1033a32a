//! The imperative shell: terminal in, carrier calls out, the core deciding in
//! between.
//!
//! One `tokio::select!` loop over terminal events, command results, signals
//! and a tick that runs only while something on screen moves (a call in
//! flight, a countdown). Carrier calls from `core::flow::step` run on spawned
//! tasks through the `Carrier` trait and come back as events tagged with
//! their request id, so a reply the core no longer waits for is dropped.
//! Frames are drawn only when something changed, inside synchronized updates.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use ratatui::crossterm::event::{self as term, Event as TermEvent, KeyEventKind};
use ratatui::crossterm::queue;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use tokio::sync::{OnceCell, mpsc};

use super::link::{Link, SandboxSide, connected, read_inbox};
use super::terminal::{self, Tui};
use super::{Action, Lang, Model, PhoneMessage};
use crate::carrier::exec::call;
use crate::carrier::{CarrierError, ErrorKind, Session};
use crate::config::Config;
use crate::core::flow::{Call, Effect, Event, Reply, RequestId, State, Step, step};
use crate::core::model::KeySeed;
use crate::store::journal::Journal;
use crate::store::vault::Vault;

/// How the wizard was started.
pub struct Options {
    /// Interface language.
    pub lang: Lang,
    /// The loaded configuration.
    pub config: Config,
    /// Where the journal, receipts and log live.
    pub data_dir: PathBuf,
    /// `NO_COLOR` was set.
    pub no_color: bool,
    /// Runs once the first frame is on screen (the log's set-up), so it
    /// stays off the path to it.
    pub after_first_frame: Box<dyn FnOnce(&std::path::Path)>,
}

/// Why the wizard stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Standard input or output is not a terminal.
    #[error(
        "unsubscribe-wizard needs an interactive terminal (stdin and stdout must be a TTY). Run it directly in a terminal; for scripts use `unsubscribe-wizard status`."
    )]
    NotATerminal,
    /// The terminal could not be set up or drawn to.
    #[error("the terminal could not be used: {0}")]
    Terminal(#[from] io::Error),
    /// The journal or receipts could not be opened.
    #[error("{0}")]
    Store(String),
}

/// What the loop reacts to besides keys.
enum Msg {
    Term(TermEvent),
    Reply {
        req: RequestId,
        reply: Reply,
        session: Option<Session>,
    },
    Phone(Vec<PhoneMessage>),
}

/// Frames per second of the spinner while a call is in flight (≤ 10 Hz).
const SPINNER_TICK: Duration = Duration::from_millis(100);
/// Countdowns and elapsed-time displays move once a second.
const CLOCK_TICK: Duration = Duration::from_secs(1);
/// How often the sandbox phone's inbox is read while a message is expected.
const PHONE_POLL: Duration = Duration::from_secs(1);

/// Runs the wizard until the person quits. The terminal is restored on every
/// way out: normal exit, error, panic (the hook in `terminal::init`), SIGTERM
/// and SIGHUP.
pub fn run(options: Options) -> Result<(), AppError> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(AppError::NotATerminal);
    }
    let mut terminal = terminal::init()?;
    let result = start(&mut terminal, options);
    terminal::restore(terminal);
    result
}

/// The first frame, then everything else. Nothing slow comes before that
/// frame: the async runtime, the log, the sandbox, the journal and the
/// receipts are all set up after it is on screen (docs/BENCHMARKS.md).
fn start(terminal: &mut Tui, options: Options) -> Result<(), AppError> {
    let now = Utc::now();
    let state = State::new(KeySeed(rand::random()), now);
    let mut model = Model::new(state, options.lang, now);
    model.no_color = options.no_color;
    let receipts_dir = options.data_dir.join("receipts");
    model.receipts_dir = receipts_dir.display().to_string();
    draw(terminal, &model)?;
    (options.after_first_frame)(&options.data_dir);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(event_loop(
        terminal,
        model,
        options.config,
        &options.data_dir,
    ))
}

struct Shell {
    model: Model,
    journal: Journal,
    vault: Vault,
    flow_id: String,
    link: Link,
    config: Arc<Config>,
    session: Option<Session>,
    tx: mpsc::UnboundedSender<Msg>,
    /// Built on first use: nothing network-related on the path to the first frame.
    phone_client: Option<reqwest::Client>,
}

async fn event_loop(
    terminal: &mut Tui,
    mut model: Model,
    config: Config,
    data_dir: &std::path::Path,
) -> Result<(), AppError> {
    let journal = Journal::open(crate::store::paths::journal_dir(data_dir))
        .map_err(|e| AppError::Store(e.to_string()))?;
    let vault =
        Vault::open(data_dir.join("receipts")).map_err(|e| AppError::Store(e.to_string()))?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    spawn_terminal_reader(tx.clone());

    let config = Arc::new(config);
    let link: Link = Arc::new(OnceCell::new());
    {
        // Start the embedded sandbox (or check the endpoints) in the
        // background; the first carrier call waits for it if it must.
        let (link, config) = (link.clone(), config.clone());
        tokio::spawn(async move {
            connected(&link, &config).await;
        });
    }

    // An unfinished cancellation is offered before anything else.
    match journal.unfinished() {
        Ok(Some((_, journalled))) if resumable(&journalled) => {
            model.offer_resume(journalled);
            draw(terminal, &model)?;
        }
        Ok(_) => {}
        Err(e) => model.notice = Some(e.to_string()),
    }
    let flow_id = flow_id(&model.state);
    let mut shell = Shell {
        model,
        journal,
        vault,
        flow_id,
        link,
        config,
        session: None,
        tx,
        phone_client: None,
    };

    #[cfg(unix)]
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    #[cfg(unix)]
    let mut sighup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;

    let mut spinner = tokio::time::interval(SPINNER_TICK);
    let mut clock = tokio::time::interval(CLOCK_TICK);
    let mut phone = tokio::time::interval(PHONE_POLL);
    for timer in [&mut spinner, &mut clock, &mut phone] {
        timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    }

    if std::env::var_os("UNSUBSCRIBE_WIZARD_TEST_PANIC").is_some() {
        // Test hook: proves the panic path restores the terminal.
        panic!("test panic requested by UNSUBSCRIBE_WIZARD_TEST_PANIC");
    }

    loop {
        let in_flight = shell.model.state.pending.is_some();
        let counting = shell.has_countdown();
        let waiting_for_sms = shell.expects_sms();
        let mut dirty = false;
        let mut quit = false;

        #[cfg(unix)]
        let signal = async {
            tokio::select! {
                _ = sigterm.recv() => {}
                _ = sighup.recv() => {}
            }
        };
        #[cfg(not(unix))]
        let signal = std::future::pending::<()>();

        tokio::select! {
            msg = rx.recv() => {
                let Some(first) = msg else { break };
                // Coalesce a burst (a paste, a resize storm, replies arriving
                // together) into one frame.
                let mut batch = vec![first];
                while let Ok(more) = rx.try_recv() {
                    batch.push(more);
                }
                for msg in batch {
                    match shell.handle(msg) {
                        Handled::Redraw => dirty = true,
                        Handled::Quiet => {}
                        Handled::Quit => quit = true,
                    }
                }
            }
            _ = spinner.tick(), if in_flight => {
                shell.model.spinner = shell.model.spinner.wrapping_add(1);
                dirty = true;
            }
            _ = clock.tick(), if counting && !in_flight => dirty = true,
            _ = phone.tick(), if waiting_for_sms => shell.poll_phone(),
            _ = signal => quit = true,
        }
        if quit {
            break;
        }
        if dirty {
            shell.model.now = shell.now();
            draw(terminal, &shell.model)?;
        }
    }
    Ok(())
}

/// Names a flow's receipts chain until the carrier assigns an order number.
fn flow_id(state: &State) -> String {
    String::from(state.facts.key_seed)[..8].to_owned()
}

/// Whether a journalled flow is worth offering: unfinished, and past the
/// first login (before that there is nothing to continue).
fn resumable(state: &State) -> bool {
    !state.is_finished() && !matches!(state.step, Step::Login { then: None, .. })
}

enum Handled {
    Redraw,
    Quiet,
    Quit,
}

impl Shell {
    /// The wizard's clock: the local clock, or the embedded sandbox's
    /// simulated one when on the sandbox, so quote expiry, code cooldowns and
    /// stall detection agree with the carrier the person is talking to.
    fn now(&self) -> chrono::DateTime<Utc> {
        Utc::now()
            + self
                .sandbox()
                .map_or_else(chrono::Duration::zero, |s| s.clock_offset)
    }

    /// The sandbox behind the current carrier, if it is one.
    fn sandbox(&self) -> Option<&SandboxSide> {
        match self.link.get() {
            Some(Ok(c)) => c.sandbox(self.model.state.carrier()?),
            _ => None,
        }
    }

    fn handle(&mut self, msg: Msg) -> Handled {
        match msg {
            Msg::Term(TermEvent::Key(key)) if key.kind == KeyEventKind::Press => {
                self.model.now = self.now();
                self.model.notice = None;
                match super::on_key(&mut self.model, key) {
                    Some(Action::Quit | Action::ForceQuit) => Handled::Quit,
                    Some(Action::Resume) => {
                        self.resume();
                        Handled::Redraw
                    }
                    Some(Action::Complaint) => {
                        self.write_complaint();
                        Handled::Redraw
                    }
                    Some(Action::Core(event)) => {
                        self.apply(event);
                        Handled::Redraw
                    }
                    None => Handled::Redraw,
                }
            }
            Msg::Term(TermEvent::Resize(..)) => Handled::Redraw,
            Msg::Term(TermEvent::Paste(text)) => {
                // Bracketed paste arrives as one event: type it key by key.
                for c in text.chars().filter(|c| !c.is_control()) {
                    let key = term::KeyEvent::new(term::KeyCode::Char(c), term::KeyModifiers::NONE);
                    if let Some(Action::Core(event)) = super::on_key(&mut self.model, key) {
                        self.apply(event);
                    }
                }
                Handled::Redraw
            }
            Msg::Term(_) => Handled::Quiet,
            Msg::Reply {
                req,
                reply,
                session,
            } => {
                if let Some(session) = session {
                    self.session = Some(session);
                }
                self.apply(Event::Reply(req, reply));
                Handled::Redraw
            }
            Msg::Phone(messages) => {
                if self.model.phone.as_ref() == Some(&messages) {
                    Handled::Quiet
                } else {
                    self.model.phone = Some(messages);
                    Handled::Redraw
                }
            }
        }
    }

    /// Continues the journalled flow the person chose to resume: the same
    /// state, journal file, receipts chain and idempotency keys; only the
    /// login is new, since tokens are never kept.
    fn resume(&mut self) {
        let Some(journalled) = self.model.resume.take() else {
            return;
        };
        self.flow_id = flow_id(&journalled);
        self.session = None;
        self.model.set_state(journalled);
        self.apply(Event::Resume);
    }

    /// Drafts a complaint from this order's receipts, next to them.
    fn write_complaint(&mut self) {
        let Some(order) = self.model.state.facts.order().map(|o| o.id.clone()) else {
            return;
        };
        let written = crate::commands::write_complaint(&self.vault, &order);
        self.model.notice = Some(match written {
            Ok(path) => self
                .model
                .tr("complaint.written", &[("path", path.display().to_string())]),
            Err(error) => self.model.tr("complaint.failed", &[("error", error)]),
        });
    }

    /// Steps the core and carries out what it decided.
    fn apply(&mut self, event: Event) {
        let now = self.now();
        match step(&self.model.state, event, now) {
            Ok(transition) => {
                self.model.set_state(transition.state);
                for effect in transition.effects {
                    self.run(effect);
                }
            }
            Err(refused) => {
                tracing::debug!(%refused, "event refused");
                // A stale reply has no words: nobody waits for it any more.
                if let Some(words) = super::refusal(self.model.lang, &refused) {
                    self.model.notice = Some(words);
                }
            }
        }
    }

    fn run(&mut self, effect: Effect) {
        match effect {
            Effect::PersistJournal => {
                if let Err(e) = self.journal.save(&self.model.state) {
                    tracing::error!(error = %e, "journal write failed");
                    self.model.notice = Some(e.to_string());
                }
            }
            Effect::WriteReceipt(receipt) => match self.vault.append(&self.flow_id, &receipt) {
                // Point the person at this order's own folder.
                Ok(chain) => self.model.receipts_dir = chain.display().to_string(),
                Err(e) => {
                    tracing::error!(error = %e, "receipt write failed");
                    self.model.notice = Some(e.to_string());
                }
            },
            Effect::Call(c) => self.spawn_call(c),
        }
    }

    fn spawn_call(
        &self,
        Call {
            req,
            carrier,
            request,
        }: Call,
    ) {
        let link = self.link.clone();
        let config = self.config.clone();
        let session = self.session.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let outcome = match connected(&link, &config).await {
                Ok(connection) => {
                    call(
                        connection.registry.get(carrier).as_ref(),
                        session.as_ref(),
                        request,
                    )
                    .await
                }
                Err(detail) => {
                    let kind = ErrorKind::NetworkUnreachable {
                        detail: detail.clone(),
                    };
                    Err(CarrierError::new(carrier, kind))
                }
            };
            let (reply, session) = match outcome {
                Ok(pair) => pair,
                Err(error) => (Reply::Failed(error), None),
            };
            let _ = tx.send(Msg::Reply {
                req,
                reply,
                session,
            });
        });
    }

    /// True while something on screen counts: a code cooldown, a quote's
    /// expiry, the time spent waiting for confirmation.
    fn has_countdown(&self) -> bool {
        let now = self.now();
        match &self.model.state.step {
            Step::Login {
                code_sent_at: Some(sent),
                ..
            } => (now - *sent).num_seconds() < 61,
            Step::Submit { .. } => self
                .model
                .state
                .facts
                .choice
                .quote
                .as_ref()
                .is_some_and(|q| q.expires_at > now.fixed_offset()),
            Step::Await { .. } | Step::Pay { .. } => true,
            _ => false,
        }
    }

    /// True while a text message is likely to arrive on the sandbox phone.
    fn expects_sms(&self) -> bool {
        self.sandbox().is_some()
            && self.model.state.facts.msisdn().is_some()
            && matches!(
                self.model.state.step,
                Step::Login { .. }
                    | Step::Pay { .. }
                    | Step::Await { .. }
                    | Step::Terminated { .. }
            )
    }

    fn poll_phone(&mut self) {
        let (Some(side), Some(msisdn)) = (self.sandbox(), self.model.state.facts.msisdn().cloned())
        else {
            return;
        };
        let base = side.base.clone();
        if self.phone_client.is_none() {
            self.phone_client = super::link::sandbox_client();
        }
        let Some(client) = self.phone_client.clone() else {
            return;
        };
        let tx = self.tx.clone();
        tokio::spawn(async move {
            if let Some(messages) = read_inbox(&client, &base, msisdn.as_str()).await {
                let _ = tx.send(Msg::Phone(messages));
            }
        });
    }
}

/// Reads terminal events on their own thread (crossterm's reader blocks) and
/// forwards them; ends when the loop is gone. A read error (a garbled input
/// sequence) must not end keyboard input for good: it is logged and reading
/// goes on, unless errors keep coming with nothing readable in between (the
/// terminal itself is gone).
fn spawn_terminal_reader(tx: mpsc::UnboundedSender<Msg>) {
    const ERRORS_IN_A_ROW: u32 = 100;
    std::thread::spawn(move || {
        let mut failures = 0;
        loop {
            match term::read() {
                Ok(event) => {
                    failures = 0;
                    if tx.send(Msg::Term(event)).is_err() {
                        break;
                    }
                }
                Err(error) => {
                    failures += 1;
                    tracing::warn!(%error, failures, "terminal read failed");
                    if failures >= ERRORS_IN_A_ROW {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
    });
}

/// One frame, inside a synchronized update so it never flickers half-drawn,
/// sent to the terminal in one write.
fn draw(terminal: &mut Tui, model: &Model) -> io::Result<()> {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| super::render(frame, model))?;
    queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    terminal::send(terminal)
}
