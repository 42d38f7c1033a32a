//! The terminal the wizard draws on: raw mode and the alternate screen, set
//! up and restored on every way out, with each frame sent to the terminal in
//! one write.
//!
//! ratatui's crossterm backend flushes its writer after every cursor command
//! and at the end of each draw, so on plain standard output one frame leaves
//! in several writes (five for the first login screen). [`FrameOut`] keeps
//! them and [`send`] writes the finished frame at once: the terminal gets it
//! sooner and whole, which is what the synchronized update around it asks
//! for anyway.

use std::io::{self, Stdout, Write};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::crossterm::{execute, queue};

/// The wizard's terminal.
pub type Tui = Terminal<CrosstermBackend<FrameOut>>;

/// Room for one frame before the buffer has to grow. Frames are a few KB
/// (the first login frame: 2.3 KB at 80×24, 2.7 KB at 200×60, in Chinese),
/// since ratatui writes only the cells that changed.
const FRAME_BYTES: usize = 16 * 1024;

/// Standard output that holds what is written until [`send`].
pub struct FrameOut {
    pending: Vec<u8>,
    out: Stdout,
}

impl Write for FrameOut {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    /// Keeps the bytes: the backend flushes mid-frame; [`send`] ends a frame.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl FrameOut {
    fn send(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut out = self.out.lock();
        out.write_all(&self.pending)?;
        out.flush()?;
        self.pending.clear();
        Ok(())
    }
}

impl Drop for FrameOut {
    fn drop(&mut self) {
        // Unwinding from a panic: the hook has restored the terminal, and
        // half a frame (maybe an unclosed synchronized update) must not
        // follow it out.
        if !std::thread::panicking() {
            let _ = self.send();
        }
    }
}

/// Sends what the backend holds: call once a frame is complete.
pub fn send(terminal: &mut Tui) -> io::Result<()> {
    terminal.backend_mut().writer_mut().send()
}

/// Raw mode, the alternate screen (sent with the first frame), and a panic
/// hook that restores the terminal before the panic message is printed.
pub fn init() -> io::Result<Tui> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_now();
        hook(info);
    }));
    enable_raw_mode()?;
    let mut out = FrameOut {
        pending: Vec::with_capacity(FRAME_BYTES),
        out: io::stdout(),
    };
    // Bracketed paste: a pasted SMS arrives whole, its newlines not Enter.
    let terminal = queue!(out, EnterAlternateScreen, EnableBracketedPaste)
        .and_then(|()| Terminal::new(CrosstermBackend::new(out)));
    if terminal.is_err() {
        // Not half set up: raw mode off again before the error is printed.
        restore_now();
    }
    terminal
}

/// Gives the terminal back as it was: what is pending is sent (the cursor
/// shown again), then raw mode and the alternate screen are left.
pub fn restore(terminal: Tui) {
    drop(terminal);
    restore_now();
}

/// Leaves raw mode and the alternate screen and shows the cursor, on
/// standard output directly (the panic hook has no [`Tui`] to hand).
fn restore_now() {
    let _ = execute!(io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    let _ = execute!(io::stdout(), Show);
}

/// The OSC 52 sequence that puts `text` on the clipboard of the terminal
/// the person sits at (also over SSH; tmux passes it on with
/// `set-clipboard on`). The text is base64, so nothing in it can escape.
pub fn osc52(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07").into_bytes()
}

/// Writes an OSC 52 sequence with the next frame.
pub fn queue_raw(terminal: &mut Tui, bytes: &[u8]) {
    terminal
        .backend_mut()
        .writer_mut()
        .pending
        .extend_from_slice(bytes);
}
