//! The log file, `<data>/logs/wizard.log` (owner-only). It must never reach
//! the terminal the wizard draws on: a write that fails (a full disk, a
//! removed folder) is counted and dropped, never reported on stderr, and
//! every line is escaped like any other output, since carrier text (plan
//! names, messages) is logged and a person may `cat` the file.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tracing_subscriber::fmt::MakeWriter;

use super::atomic;
use crate::text;

/// Log writes that failed since the process started.
static FAILED_WRITES: AtomicU64 = AtomicU64::new(0);

/// How many log writes have failed (and were dropped) so far, so the shell
/// can say the log is incomplete without the log ever writing to the
/// screen.
pub fn failed_writes() -> u64 {
    FAILED_WRITES.load(Ordering::Relaxed)
}

/// Starts logging to `<data>/logs/wizard.log`; does nothing if the file
/// cannot be opened (the wizard works the same without a log). The level
/// comes from `UNSUBSCRIBE_WIZARD_LOG` (default `info,carrier=debug`).
pub fn init(data_dir: &Path) {
    let dir = data_dir.join("logs");
    if atomic::create_private_dir(&dir).is_err() {
        return;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let Ok(file) = options.open(dir.join("wizard.log")) else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("UNSUBSCRIBE_WIZARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,carrier=debug"));
    let _ = tracing_subscriber::fmt()
        .with_writer(LogFile::new(file))
        .with_ansi(false)
        // tracing-subscriber prints its own errors on stderr by default:
        // that is the wizard's screen.
        .log_internal_errors(false)
        .with_env_filter(filter)
        .try_init();
}

/// A log destination whose writes never fail and never print: each event is
/// escaped ([`text::document`]) and written whole; a failed write is
/// counted in [`failed_writes`] and dropped.
#[derive(Debug)]
pub struct LogFile<W = File> {
    out: Mutex<W>,
}

impl<W: Write> LogFile<W> {
    /// Logs into `out`.
    pub fn new(out: W) -> LogFile<W> {
        LogFile {
            out: Mutex::new(out),
        }
    }

    /// Writes one event's bytes, escaped; never fails.
    fn put(&self, event: &[u8]) {
        let raw = String::from_utf8_lossy(event);
        let clean = text::document(&raw);
        let written = match self.out.lock() {
            Ok(mut out) => out.write_all(clean.as_bytes()).is_ok(),
            Err(_) => false,
        };
        if !written {
            FAILED_WRITES.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The destination, for tests.
    pub fn into_inner(self) -> Option<W> {
        self.out.into_inner().ok()
    }
}

/// One event's writer, handed out by [`LogFile`].
#[derive(Debug)]
pub struct LogWriter<'a, W> {
    file: &'a LogFile<W>,
}

impl<W: Write> Write for LogWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.put(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a, W: Write + 'a> MakeWriter<'a> for LogFile<W> {
    type Writer = LogWriter<'a, W>;

    fn make_writer(&'a self) -> Self::Writer {
        LogWriter { file: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::StorageFull))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::from(io::ErrorKind::StorageFull))
        }
    }

    #[test]
    fn a_full_disk_is_counted_not_reported() {
        let log = LogFile::new(Full);
        let before = failed_writes();
        let mut writer = log.make_writer();
        assert_eq!(writer.write(b"plan changed\n").unwrap(), 13);
        writer.flush().unwrap();
        assert!(failed_writes() > before);
    }

    #[test]
    fn carrier_text_is_escaped_in_the_log() {
        let log = LogFile::new(Vec::new());
        let mut writer = log.make_writer();
        writer
            .write_all("plan=\u{1b}]52;c;aGk=\u{7} \u{202e}x\u{9b}2J\n".as_bytes())
            .unwrap();
        let written = String::from_utf8(log.into_inner().unwrap()).unwrap();
        assert_eq!(written, "plan=\\x1b]52;c;aGk=\\x07 \\u{202e}x\\x9b2J\n");
    }
}
