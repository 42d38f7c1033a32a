//! Lines from standard input, read on their own thread so that the driver
//! can wait for a carrier call and a line at once; secrets without echo when
//! standard input is a terminal.

use std::io::{BufRead, IsTerminal};

use tokio::sync::mpsc;

/// Standard input, line by line.
pub struct Input {
    rx: mpsc::UnboundedReceiver<String>,
    ended: bool,
    /// Standard input is a terminal (then secrets are read without echo).
    pub tty: bool,
}

impl Input {
    /// Starts reading standard input.
    pub fn stdin() -> Input {
        let (tx, rx) = mpsc::unbounded_channel();
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut line = String::new();
            loop {
                line.clear();
                match stdin.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let text = line.trim_end_matches(['\n', '\r']).to_owned();
                        if tx.send(text).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Input {
            rx,
            ended: false,
            tty: std::io::stdin().is_terminal(),
        }
    }

    /// The next line; `None` at the end of input.
    pub async fn line(&mut self) -> Option<String> {
        let line = self.rx.recv().await;
        self.ended = line.is_none();
        line
    }

    /// Whether the input has ended.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Echo off on the terminal until the guard is dropped (nothing when
    /// standard input is not a terminal: a piped secret is not shown anyway).
    pub fn no_echo(&self) -> NoEcho {
        NoEcho::new(self.tty)
    }
}

/// Turns the terminal's echo off while it lives.
pub struct NoEcho {
    #[cfg(unix)]
    saved: Option<rustix::termios::Termios>,
}

impl NoEcho {
    #[cfg(unix)]
    fn new(tty: bool) -> NoEcho {
        use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
        let stdin = std::io::stdin();
        let saved = tty.then(|| tcgetattr(&stdin).ok()).flatten();
        if let Some(saved) = &saved {
            let mut quiet = saved.clone();
            quiet.local_modes -= LocalModes::ECHO;
            if let Err(e) = tcsetattr(&stdin, OptionalActions::Now, &quiet) {
                tracing::warn!(error = %e, "echo could not be turned off");
            }
        }
        NoEcho { saved }
    }

    #[cfg(not(unix))]
    fn new(_tty: bool) -> NoEcho {
        NoEcho {}
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            let stdin = std::io::stdin();
            let _ =
                rustix::termios::tcsetattr(&stdin, rustix::termios::OptionalActions::Now, saved);
        }
    }
}
