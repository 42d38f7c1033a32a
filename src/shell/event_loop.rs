//! The terminal wizard's event loop: terminal in, frames out, the core
//! deciding in between and the [`Runner`] carrying out what it decides.
//!
//! One `tokio::select!` loop over terminal events, finished carrier calls,
//! signals and a tick that runs only while something on screen moves (a call
//! in flight, a countdown). Carrier calls are spawned, never awaited in the
//! loop, and come back as messages tagged with their request id, so a reply
//! the core no longer waits for is dropped. Frames are drawn only when
//! something changed, inside synchronized updates.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{self as term, Event as TermEvent, KeyEventKind};
use ratatui::crossterm::queue;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use tokio::sync::mpsc;
use tokio::time::{Interval, MissedTickBehavior};

use super::link::{Link, SandboxSide, now_with, read_inbox, sandbox_client};
use super::runner::{Applied, CallDone, Runner, Store, flow_id};
use super::terminal::{self, Tui};
use super::words;
use crate::commands::followups;
use crate::config::Config;
use crate::core::flow::{Call, Event, Mode, State, Step};
use crate::core::followup::FollowUpKind;
use crate::core::model::KeySeed;
use crate::store::journal::{Journal, JournalError};
use crate::store::vault::{Vault, VaultError};
use crate::ui::followup::{DueFollowUp, FollowUpAction};
use crate::ui::{Action, Lang, Model, PhoneMessage};

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
    pub after_first_frame: Box<dyn FnOnce(&Path)>,
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
    /// The journal could not be opened.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The receipts vault could not be opened.
    #[error(transparent)]
    Receipts(#[from] VaultError),
}

/// What the loop reacts to besides keys.
enum Msg {
    Term(TermEvent),
    Done(CallDone),
    Phone(Vec<PhoneMessage>),
}

/// Frames per second of the spinner while a call is in flight (≤ 10 Hz).
const SPINNER_TICK: Duration = Duration::from_millis(100);
/// Countdowns and elapsed-time displays move once a second.
const CLOCK_TICK: Duration = Duration::from_secs(1);
/// How often the sandbox phone's inbox is read while a message is expected.
const PHONE_POLL: Duration = Duration::from_secs(1);

/// Runs the wizard until the person quits. The terminal is restored on every
/// way out: normal exit, error, panic (the hook in `terminal::init`), and
/// every catchable signal that would end it (see `Signals`).
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
    let mut state = State::new(KeySeed(rand::random()), now);
    let mode = options.config.wizard.mode;
    if let Some(mode) = mode {
        state.mode = mode;
    }
    let mut model = Model::new(state, options.lang, now);
    model.ask_mode = mode.is_none();
    // The embedded sandbox has a simulated phone from the start: the header
    // says "sandbox practice", not "API", before its first message.
    let carriers = &options.config.carriers;
    let embedded = [
        &carriers.china_mobile,
        &carriers.china_unicom,
        &carriers.china_telecom,
    ]
    .iter()
    .all(|c| c.base_url == crate::config::Endpoint::Embedded);
    if embedded {
        model.phone = Some(Vec::new());
    }
    model.no_color = options.no_color;
    let receipts_dir = options.data_dir.join("receipts");
    model.receipts_dir = receipts_dir.display().to_string();
    let size = terminal.size()?;
    model.set_viewport(size.width, size.height);
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

/// The wizard while it runs: what is on screen, and the runner behind it.
struct Shell {
    model: Model,
    runner: Runner,
    tx: mpsc::UnboundedSender<Msg>,
    /// Built on first use: nothing network-related on the path to the first frame.
    phone_client: Option<reqwest::Client>,
    /// An OSC 52 copy to send with the next frame.
    pending_copy: Option<Vec<u8>>,
}

/// The loop's clocks; each ticks only while its condition holds.
struct Timers {
    spinner: Interval,
    clock: Interval,
    phone: Interval,
}

impl Timers {
    fn new() -> Timers {
        let mut timers = Timers {
            spinner: tokio::time::interval(SPINNER_TICK),
            clock: tokio::time::interval(CLOCK_TICK),
            phone: tokio::time::interval(PHONE_POLL),
        };
        for timer in [&mut timers.spinner, &mut timers.clock, &mut timers.phone] {
            timer.set_missed_tick_behavior(MissedTickBehavior::Skip);
        }
        timers
    }
}

/// Every catchable signal whose default would end the process ends the
/// wizard like a quit instead, so the terminal is given back: TERM, HUP,
/// INT and QUIT (in raw mode their keys send no signal, but `kill` does),
/// USR1, USR2, ALRM and IO. PIPE is already ignored by the Rust
/// runtime; KILL and STOP cannot be caught.
struct Signals {
    #[cfg(unix)]
    all: Vec<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let kinds = [
                SignalKind::terminate(),
                SignalKind::hangup(),
                SignalKind::interrupt(),
                SignalKind::quit(),
                SignalKind::user_defined1(),
                SignalKind::user_defined2(),
                SignalKind::alarm(),
                SignalKind::io(),
            ];
            Ok(Signals {
                all: kinds.into_iter().map(signal).collect::<io::Result<_>>()?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// Waits for any of them.
    async fn recv(&mut self) {
        #[cfg(unix)]
        std::future::poll_fn(|cx| {
            for signal in &mut self.all {
                if signal.poll_recv(cx).is_ready() {
                    return std::task::Poll::Ready(());
                }
            }
            std::task::Poll::Pending
        })
        .await;
        #[cfg(not(unix))]
        std::future::pending::<()>().await;
    }
}

/// What one turn of the loop asks for.
#[derive(Default)]
struct Turn {
    dirty: bool,
    quit: bool,
}

async fn event_loop(
    terminal: &mut Tui,
    model: Model,
    config: Config,
    data_dir: &Path,
) -> Result<(), AppError> {
    let store = Store {
        journal: Journal::open(crate::store::paths::journal_dir(data_dir))?,
        vault: Vault::open(data_dir.join("receipts"))?,
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    spawn_terminal_reader(tx.clone());

    let link = Arc::new(Link::new(config));
    {
        // Connect (start the embedded sandbox, or check the endpoints) in the
        // background; the first carrier call waits for it if it must.
        let link = Arc::clone(&link);
        tokio::spawn(async move {
            let _ = link.connect().await;
        });
    }
    let runner = Runner::new(link, Some(store), flow_id(&model.state));
    let mut shell = Shell {
        model,
        runner,
        tx,
        phone_client: None,
        pending_copy: None,
    };
    // An unfinished cancellation is offered before anything else; a
    // follow-up due comes next.
    let offered = shell.offer_unfinished();
    if shell.offer_due_followups() || offered {
        draw(terminal, &shell.model)?;
    }

    let mut signals = Signals::new()?;
    let mut timers = Timers::new();

    if std::env::var_os("UNSUBSCRIBE_WIZARD_TEST_PANIC").is_some() {
        // Test hook: proves the panic path restores the terminal.
        panic!("test panic requested by UNSUBSCRIBE_WIZARD_TEST_PANIC");
    }

    loop {
        let turn = shell.turn(&mut rx, &mut timers, &mut signals).await;
        if turn.quit {
            break;
        }
        if let Some(bytes) = shell.pending_copy.take() {
            terminal::queue_raw(terminal, &bytes);
        }
        if turn.dirty {
            shell.model.now = shell.now();
            draw(terminal, &shell.model)?;
        }
    }
    Ok(())
}
#[derive(PartialEq, Eq)]
enum Handled {
    Redraw,
    Quiet,
    Quit,
}

impl Shell {
    /// Offers the journal's newest unfinished flow, if it is worth it;
    /// whether the screen changed.
    fn offer_unfinished(&mut self) -> bool {
        let Some(store) = self.runner.store() else {
            return false;
        };
        let offered = match store.journal.unfinished() {
            Ok(Some((_, journalled))) if resumable(&journalled) => {
                self.model.offer_resume(journalled);
                true
            }
            Ok(_) => false,
            Err(e) => {
                self.model.notice = Some(words::journal_unreadable(&self.model, &e));
                return false;
            }
        };
        // A journal that cannot be read may be an order awaiting payment:
        // never passed over in silence (`status` lists it too).
        match store.journal.set_aside() {
            Ok(files) => {
                if let Some(words) = words::set_aside(&self.model, &files) {
                    self.model.notice = Some(words);
                    return true;
                }
            }
            Err(e) => tracing::warn!(error = %e, "the journal folder could not be looked at"),
        }
        offered
    }

    /// Waits for the next thing to react to, and reacts.
    async fn turn(
        &mut self,
        rx: &mut mpsc::UnboundedReceiver<Msg>,
        timers: &mut Timers,
        signals: &mut Signals,
    ) -> Turn {
        let in_flight = self.model.state.pending.is_some();
        let counting = self.has_countdown();
        let waiting_for_sms = self.expects_sms();
        let mut turn = Turn::default();
        tokio::select! {
            msg = rx.recv() => {
                let Some(first) = msg else {
                    turn.quit = true;
                    return turn;
                };
                // Coalesce a burst (a paste, a resize storm, replies arriving
                // together) into one frame.
                let mut batch = vec![first];
                while let Ok(more) = rx.try_recv() {
                    batch.push(more);
                }
                for msg in batch {
                    match self.handle(msg) {
                        Handled::Redraw => turn.dirty = true,
                        Handled::Quiet => {}
                        Handled::Quit => turn.quit = true,
                    }
                }
            }
            _ = timers.spinner.tick(), if in_flight => {
                self.model.spinner = self.model.spinner.wrapping_add(1);
                turn.dirty = true;
            }
            _ = timers.clock.tick(), if counting && !in_flight => turn.dirty = true,
            _ = timers.phone.tick(), if waiting_for_sms => self.poll_phone(),
            () = signals.recv() => turn.quit = true,
        }
        turn
    }

    /// The wizard's clock: the local clock, or the embedded sandbox's
    /// simulated one when on the sandbox, so quote expiry, code cooldowns and
    /// stall detection agree with the carrier the person is talking to.
    fn now(&self) -> DateTime<Utc> {
        now_with(self.sandbox().map(|s| s.clock_offset))
    }

    /// The sandbox behind the current carrier, if it is one. A guided case
    /// has none: it lives on the real clock, with the real carrier.
    fn sandbox(&self) -> Option<&SandboxSide> {
        if self.model.state.mode == Mode::Guided {
            return None;
        }
        self.runner.link().sandbox(self.model.state.carrier()?)
    }

    fn handle(&mut self, msg: Msg) -> Handled {
        match msg {
            Msg::Term(TermEvent::Key(key)) if key.kind == KeyEventKind::Press => {
                self.model.now = self.now();
                self.model.notice = None;
                match crate::ui::on_key(&mut self.model, key) {
                    Some(action) => self.act(action),
                    None => Handled::Redraw,
                }
            }
            Msg::Term(TermEvent::Resize(cols, rows)) => {
                // Keys act only on what the person sees (the size screen
                // hides the step behind it).
                self.model.set_viewport(cols, rows);
                Handled::Redraw
            }
            Msg::Term(TermEvent::Paste(text)) => {
                // Bracketed paste arrives as one event: a guided paste area
                // takes it whole, any other field as typed characters.
                self.model.now = self.now();
                self.model.notice = None;
                for action in crate::ui::on_paste(&mut self.model, &text) {
                    if self.act(action) == Handled::Quit {
                        return Handled::Quit;
                    }
                }
                Handled::Redraw
            }
            Msg::Term(_) => Handled::Quiet,
            Msg::Done(done) => {
                let event = self.runner.accept(done);
                self.apply(event);
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

    /// Carries out what a key or a paste asked for.
    fn act(&mut self, action: Action) -> Handled {
        match action {
            Action::Quit | Action::ForceQuit => return Handled::Quit,
            Action::Resume => self.resume(),
            Action::Complaint => self.write_complaint(),
            Action::Calendar => self.write_calendar(),
            Action::FollowUp(what) => self.follow_up(what),
            Action::Copy(text) => self.copy(&text),
            Action::Core(event) => self.apply(event),
        }
        Handled::Redraw
    }

    /// Puts `text` on the clipboard of the terminal the person sits at
    /// (OSC 52: works over SSH and in tmux with `set-clipboard on`), and says
    /// so — terminals that ignore OSC 52 leave the text on screen to copy.
    fn copy(&mut self, text: &str) {
        self.pending_copy = Some(super::terminal::osc52(text));
        self.model.notice = Some(self.model.tr(
            "copy.sent",
            &[("text", crate::text::sanitize(text).into_owned())],
        ));
    }

    /// Continues the journalled flow the person chose to resume: the same
    /// state, journal file, receipts chain and idempotency keys; only the
    /// login is new, since tokens are never kept.
    fn resume(&mut self) {
        let Some(journalled) = self.model.resume.take() else {
            return;
        };
        self.runner.switch_flow(flow_id(&journalled));
        // The journal says which mode the case is in.
        self.model.ask_mode = false;
        self.model.set_state(journalled);
        self.apply(Event::Resume);
    }

    /// Drafts a complaint from this order's receipts, next to them.
    fn write_complaint(&mut self) {
        let (Some(order), Some(store)) = (order_id(&self.model.state), self.runner.store()) else {
            return;
        };
        let written = crate::commands::write_complaint(&store.vault, &order);
        self.model.notice = Some(match written {
            Ok(path) => self
                .model
                .tr("complaint.written", &[("path", path.display().to_string())]),
            Err(error) => self
                .model
                .tr("complaint.failed", &[("error", error.to_string())]),
        });
    }

    /// Reads the receipts for follow-ups due today (reminders without a
    /// daemon) and shows the first; whether there is one.
    fn offer_due_followups(&mut self) -> bool {
        let Some(store) = self.runner.store() else {
            return false;
        };
        let lang = self.model.lang;
        let due: Vec<DueFollowUp> = followups::due(&store.vault, followups::today(), lang)
            .into_iter()
            .map(|d| DueFollowUp {
                order: d.order,
                kind: d.kind,
                due: d.due,
                title: d.title,
            })
            .collect();
        let any = !due.is_empty();
        crate::ui::followup::offer(&mut self.model, due);
        any
    }

    /// Acts on the follow-up due shown: marks it done, checks a bill, or
    /// drafts the complaint — each a receipt or a file, said in the notice.
    fn follow_up(&mut self, what: FollowUpAction) {
        let (Some(shown), Some(store)) =
            (self.model.followups.shown().cloned(), self.runner.store())
        else {
            return;
        };
        let order = shown.order.as_str();
        let (said, done) = match what {
            FollowUpAction::Done => match followups::mark_done(&store.vault, order, shown.kind) {
                Ok(()) => (
                    self.model.tr(
                        "followup_due.marked_done",
                        &[("title", shown.title.as_str())],
                    ),
                    true,
                ),
                Err(error) => (
                    self.model.tr("followup_due.failed", &[("error", error)]),
                    false,
                ),
            },
            FollowUpAction::CheckBill(text) => {
                match followups::check_bill(&store.vault, order, text) {
                    Ok(found) => {
                        let words = followups::bill_words(&found, order, self.model.lang);
                        let clean = found.is_none();
                        if clean {
                            // A clean bill is the bill check done, whichever
                            // follow-up it was pasted for.
                            self.model.followups.due.retain(|d| {
                                d == &shown
                                    || d.order != shown.order
                                    || d.kind != FollowUpKind::CheckFirstBill
                            });
                        }
                        self.model.followups.checked = Some(found);
                        (words, clean && shown.kind == FollowUpKind::CheckFirstBill)
                    }
                    Err(error) => (
                        self.model.tr("followup_due.failed", &[("error", error)]),
                        false,
                    ),
                }
            }
            FollowUpAction::Complaint => {
                match crate::commands::write_complaint(&store.vault, order) {
                    Ok(path) => (
                        self.model
                            .tr("complaint.written", &[("path", path.display().to_string())]),
                        false,
                    ),
                    Err(error) => (
                        self.model
                            .tr("complaint.failed", &[("error", error.to_string())]),
                        false,
                    ),
                }
            }
        };
        crate::ui::followup::acted(&mut self.model, done);
        self.model.notice = Some(said);
    }

    /// Writes this order's follow-ups as a calendar beside its receipts,
    /// and names the file.
    fn write_calendar(&mut self) {
        let (Some(order), Some(store)) = (order_id(&self.model.state), self.runner.store()) else {
            return;
        };
        let written = crate::commands::calendar::write_calendar(
            &store.vault,
            &order,
            self.model.lang,
            Utc::now(),
        );
        self.model.notice = Some(match written {
            Ok(path) => {
                let file = path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.model.tr(
                    "calendar_key.written",
                    &[("file", file), ("path", path.display().to_string())],
                )
            }
            Err(error) => self
                .model
                .tr("calendar_key.failed", &[("error", error.to_string())]),
        });
    }

    /// Steps the core through the runner, shows what came of it, and sends
    /// the calls it asked for on their way.
    fn apply(&mut self, event: Event) {
        match self.runner.apply(&self.model.state, event, self.now()) {
            Ok(Applied {
                state,
                calls,
                receipts,
                failures,
                withheld,
            }) => {
                self.model.set_state(state);
                if let Some(chain) = receipts {
                    // Point the person at this order's own folder.
                    self.model.receipts_dir = chain.display().to_string();
                }
                if let Some(cause) = &withheld {
                    self.model.notice = Some(words::money_withheld(&self.model, cause));
                } else if let Some(failure) = failures.last() {
                    self.model.notice = Some(words::effect_failed(&self.model, failure));
                }
                for call in calls {
                    self.spawn_call(call);
                }
            }
            Err(refused) => {
                tracing::debug!(%refused, "event refused");
                // A stale reply has no words: nobody waits for it any more.
                if let Some(words) = crate::ui::refusal(self.model.lang, &refused) {
                    self.model.notice = Some(words);
                }
            }
        }
    }

    /// Runs one carrier call on its own task; its end comes back as a message.
    fn spawn_call(&self, call: Call) {
        let done = self.runner.execute(call);
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(Msg::Done(done.await));
        });
    }

    /// True while something on screen counts: a code cooldown, a quote's
    /// expiry, the time spent waiting for confirmation.
    fn has_countdown(&self) -> bool {
        let now = self.now();
        let state = &self.model.state;
        match &state.step {
            Step::Login { .. } => crate::ui::screens::login::cooldown_left(state, now) > 0,
            Step::Submit { .. } => quote_expires_at(state).is_some_and(|at| at > now),
            Step::Await { .. } | Step::Pay { .. } => true,
            _ => false,
        }
    }

    /// True while a text message is likely to arrive on the sandbox phone.
    fn expects_sms(&self) -> bool {
        self.sandbox().is_some()
            && msisdn(&self.model.state).is_some()
            && matches!(
                self.model.state.step,
                Step::Login { .. }
                    | Step::Pay { .. }
                    | Step::Await { .. }
                    | Step::Terminated { .. }
            )
    }

    fn poll_phone(&mut self) {
        let (Some(side), Some(msisdn)) = (self.sandbox(), msisdn(&self.model.state)) else {
            return;
        };
        let base = side.base.clone();
        if self.phone_client.is_none() {
            self.phone_client = sandbox_client();
        }
        let Some(client) = self.phone_client.clone() else {
            return;
        };
        let tx = self.tx.clone();
        tokio::spawn(async move {
            if let Some(messages) = read_inbox(&client, &base, &msisdn).await {
                let _ = tx.send(Msg::Phone(messages));
            }
        });
    }
}

/// Whether a journalled flow is worth offering: unfinished, and past the
/// first login (before that there is nothing to continue).
fn resumable(state: &State) -> bool {
    // An account with nothing cancellable ended with its guidance: there is
    // nothing to continue (`status` reports it done, too).
    !state.is_finished()
        && !matches!(state.step, Step::Login { then: None, .. })
        && crate::commands::status::nothing_cancellable(&state.facts).is_none()
}

// What the loop reads of the core's facts, in one place (their grouping may
// change; only these three lines follow).

/// The number logged in with.
fn msisdn(state: &State) -> Option<String> {
    state.facts.msisdn().map(|m| m.as_str().to_owned())
}

/// The order number, once the carrier gave one.
fn order_id(state: &State) -> Option<String> {
    state.facts.case_id().map(str::to_owned)
}

/// When the quote being acted on expires.
fn quote_expires_at(state: &State) -> Option<DateTime<Utc>> {
    state
        .facts
        .choice
        .quote
        .as_ref()
        .map(|q| q.expires_at.to_utc())
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
    terminal.draw(|frame| crate::ui::render(frame, model))?;
    queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    terminal::send(terminal)
}
