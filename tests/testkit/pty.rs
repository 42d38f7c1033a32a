//! A pseudo-terminal harness: runs the real binary in a pty of a given size,
//! keeps draining its output into a vt100 screen (so the child can never
//! block on a full pipe), and lets a test wait for text, type keys and read
//! the screen as a person would.

#![allow(dead_code)] // each test binary uses a different part of it

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

/// Keys as the terminal sends them.
pub mod keys {
    pub const ENTER: &str = "\r";
    pub const TAB: &str = "\t";
    pub const BACKTAB: &str = "\x1b[Z";
    pub const ESC: &str = "\x1b";
    pub const UP: &str = "\x1b[A";
    pub const DOWN: &str = "\x1b[B";
    pub const RIGHT: &str = "\x1b[C";
    pub const LEFT: &str = "\x1b[D";
    pub const BACKSPACE: &str = "\x7f";
    pub const CTRL_C: &str = "\x03";
}

/// The binary under test.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_unsubscribe-wizard")
}

/// The environment of a wizard with a private home and the given locale.
pub fn wizard_env(home: &Path, lang: &str) -> Vec<(&'static str, String)> {
    vec![
        ("XDG_DATA_HOME", home.join("data").display().to_string()),
        ("XDG_CONFIG_HOME", home.join("config").display().to_string()),
        ("HOME", home.display().to_string()),
        ("LANG", lang.to_owned()),
        ("TERM", "xterm-256color".to_owned()),
    ]
}

/// A command for the wizard with a private home and locale. Without a
/// `--mode` of its own it practises on the sandbox (`--mode sandbox`), so
/// the first screen is the login and not the mode question.
pub fn wizard_command(home: &Path, lang: &str, args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(binary());
    if !args.contains(&"--mode") {
        cmd.args(["--mode", "sandbox"]);
    }
    cmd.args(args);
    for (k, v) in wizard_env(home, lang) {
        cmd.env(k, v);
    }
    cmd.env_remove("LC_ALL");
    cmd.env_remove("LC_MESSAGES");
    cmd.env_remove("NO_COLOR");
    cmd
}

/// A running program in a pseudo-terminal.
pub struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Pty {
    /// Starts `cmd` in a `cols`×`rows` pty.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let child = pair.slave.spawn_command(cmd).expect("spawn in the pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            parser,
            raw,
            writer,
            child,
            _master: pair.master,
        }
    }

    /// The screen's text, row by row.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The text of a column band of the screen (`width` cells from `col`),
    /// row by row — wide characters counted by the cells they take.
    pub fn region(&self, col: u16, width: u16) -> String {
        let parser = self.parser.lock().unwrap();
        parser
            .screen()
            .rows(col, width)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Everything the program wrote so far.
    pub fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Whether the program has the alternate screen active.
    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Waits (bounded) until the screen satisfies `pred`; panics with the
    /// screen if it never does.
    pub fn wait_until(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Waits (bounded) for `text` to appear on screen.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?}"), timeout, |s| s.contains(text))
    }

    /// Waits until the screen stops changing for `quiet` (bounded by `timeout`).
    pub fn wait_stable(&self, quiet: Duration, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        let mut last = self.screen();
        let mut since = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(30));
            let now = self.screen();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet || Instant::now() > deadline {
                return last;
            }
        }
    }

    /// Types text or key sequences.
    pub fn send(&mut self, text: &str) {
        self.writer
            .write_all(text.as_bytes())
            .expect("write to the pty");
        self.writer.flush().expect("flush the pty");
        // Let the program see keys one batch at a time, as a person types.
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Waits (bounded) for the program to exit; its exit code if it did.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<u32> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status.exit_code());
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        None
    }

    /// Resizes the window, as a terminal emulator does (the program gets
    /// SIGWINCH). The screen model follows down to 80×24 only: vt100 panics
    /// on output drawn for tiny windows, and that would be the harness
    /// failing, not the program.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self._master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows.max(24), cols.max(80));
    }

    /// Writes raw bytes (not necessarily UTF-8) to the program's input.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
        std::thread::sleep(Duration::from_millis(60));
    }

    /// The program's process id, to send it signals.
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Kills the program (SIGKILL-like, as the pty library does it).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
