//! The simulated clock: starts at the world's instant (or the system time),
//! runs on in real time, and can be moved forward to expire quotes, codes and
//! locks without waiting.

use std::time::Instant;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Offset, Utc};

use super::world::ClockStart;

/// Beijing time, UTC+8: every time the carriers send is in it.
pub fn beijing() -> FixedOffset {
    // 8 hours is always a valid offset; the fallback is unreachable.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix())
}

/// The sandbox's notion of now.
#[derive(Debug, Clone)]
pub struct SimClock {
    start: DateTime<FixedOffset>,
    started: Instant,
    advanced: Duration,
}

impl SimClock {
    /// A clock starting as the world says.
    pub fn new(start: ClockStart) -> SimClock {
        let start = match start {
            ClockStart::System => Utc::now().with_timezone(&beijing()),
            ClockStart::Pinned(at) => at.with_timezone(&beijing()),
        };
        SimClock {
            start,
            started: Instant::now(),
            advanced: Duration::zero(),
        }
    }

    /// A clock going on from a saved instant, for a world starting as
    /// `start`: a pinned clock goes on from exactly there (time the sandbox
    /// was not running does not pass); a system clock never goes back
    /// behind the machine's clock, but keeps an earlier move forward.
    pub fn resume(start: ClockStart, saved: DateTime<FixedOffset>) -> SimClock {
        let from = match start {
            ClockStart::System => saved.max(Utc::now().fixed_offset()),
            ClockStart::Pinned(_) => saved,
        };
        SimClock {
            start: from.with_timezone(&beijing()),
            started: Instant::now(),
            advanced: Duration::zero(),
        }
    }

    /// What only a reset or a move changes: the start and the moves forward
    /// (not the running time), so a saver can tell whether the clock was
    /// set since it last looked.
    pub fn setting(&self) -> (DateTime<FixedOffset>, Duration) {
        (self.start, self.advanced)
    }

    /// Now, in Beijing time.
    pub fn now(&self) -> DateTime<FixedOffset> {
        let real = Duration::from_std(self.started.elapsed()).unwrap_or(Duration::zero());
        self.start + real + self.advanced
    }

    /// Today's date in Beijing.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, seconds: u32) {
        self.advanced += Duration::seconds(i64::from(seconds));
    }
}

/// Formats an instant as RFC 3339 with `+08:00` and whole seconds.
pub fn rfc3339(at: DateTime<FixedOffset>) -> String {
    at.with_timezone(&beijing())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_clock_starts_there_and_moves_forward() {
        let at = DateTime::parse_from_rfc3339("2026-11-25T02:00:00Z").unwrap();
        let mut clock = SimClock::new(ClockStart::Pinned(at));
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        assert!(rfc3339(clock.now()).starts_with("2026-11-25T10:00"));
        clock.advance(16 * 3600);
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
        );
    }

    #[test]
    fn a_resumed_pinned_clock_goes_on_from_the_saved_instant() {
        let pinned = DateTime::parse_from_rfc3339("2026-11-25T02:00:00Z").unwrap();
        let saved = DateTime::parse_from_rfc3339("2026-11-25T11:30:00+08:00").unwrap();
        let clock = SimClock::resume(ClockStart::Pinned(pinned), saved);
        let now = clock.now();
        assert!(now >= saved && now - saved < Duration::minutes(1), "{now}");
    }

    #[test]
    fn a_resumed_system_clock_never_lags_the_machine() {
        let long_ago = DateTime::parse_from_rfc3339("2001-01-01T00:00:00Z").unwrap();
        let clock = SimClock::resume(ClockStart::System, long_ago);
        assert!(clock.now() >= Utc::now() - Duration::minutes(1));
        let ahead = (Utc::now() + Duration::days(3)).fixed_offset();
        let clock = SimClock::resume(ClockStart::System, ahead);
        assert!(clock.now() >= ahead);
    }
}
