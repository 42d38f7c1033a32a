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
}
