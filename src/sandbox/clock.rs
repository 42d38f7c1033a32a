//! The simulated clock: starts at the world's instant (or the system time),
//! runs on in real time, and can be moved forward to expire quotes, codes and
//! locks without waiting — never past the year 9999, so it always has an
//! RFC 3339 form and never overflows.
//!
//! Also the client's side of `GET /sandbox/clock`: [`offset_from_answer`]
//! turns a sandbox's answer into the offset the wizard adopts, refusing one
//! that is garbled or more than [`MAX_CLOCK_OFFSET`] away (a loopback server
//! answering `+262142-12-31` must not make the wizard's clock overflow).

use std::time::Instant;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

use super::world::ClockStart;

/// Beijing time, UTC+8: every time the carriers send is in it.
pub fn beijing() -> FixedOffset {
    crate::core::time::BEIJING
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

    /// Now, in Beijing time; at most [`latest`].
    pub fn now(&self) -> DateTime<FixedOffset> {
        let real = Duration::from_std(self.started.elapsed()).unwrap_or(Duration::zero());
        self.start
            .checked_add_signed(real)
            .and_then(|at| at.checked_add_signed(self.advanced))
            .map_or_else(latest, |at| at.min(latest()))
    }

    /// Today's date in Beijing.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Moves the clock forward (it stops at [`latest`]).
    pub fn advance(&mut self, seconds: u32) {
        let step = Duration::seconds(i64::from(seconds));
        // Beyond `latest` moving on changes nothing, so the sum stays small.
        if self.now() < latest() {
            self.advanced = self.advanced.checked_add(&step).unwrap_or(self.advanced);
        }
    }
}

/// The furthest the simulated clock goes: the last second of 9999 in
/// Beijing, the last instant RFC 3339's four-digit years can write.
pub fn latest() -> DateTime<FixedOffset> {
    NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|day| day.and_hms_opt(23, 59, 59))
        .and_then(|at| at.and_local_timezone(beijing()).single())
        .unwrap_or_else(|| DateTime::<Utc>::MAX_UTC.fixed_offset())
}

/// How far a sandbox's clock may be from ours and still be adopted: a
/// scenario moves it by days or months, never by a decade.
pub const MAX_CLOCK_OFFSET: Duration = Duration::days(3653);

/// The offset to adopt from a `GET /sandbox/clock` answer (`{"now":
/// RFC3339}`, other fields ignored), asked at `asked` on our clock: the
/// sandbox's time minus ours, or `None` when the answer is not a clock or is
/// more than [`MAX_CLOCK_OFFSET`] away.
pub fn offset_from_answer(body: &[u8], asked: DateTime<Utc>) -> Option<Duration> {
    #[derive(serde::Deserialize)]
    struct Clock {
        now: DateTime<FixedOffset>,
    }
    let clock: Clock = serde_json::from_slice(body).ok()?;
    offset_from(clock.now, asked)
}

/// `sandbox_now − asked`, or `None` when it is more than
/// [`MAX_CLOCK_OFFSET`] either way; then `asked` plus the offset is always
/// a time chrono can hold.
pub fn offset_from(sandbox_now: DateTime<FixedOffset>, asked: DateTime<Utc>) -> Option<Duration> {
    // Both instants lie within chrono's ±262,143 years, so their difference
    // (milliseconds in an i64 reach ±292 million years) cannot overflow.
    let offset = sandbox_now.to_utc().signed_duration_since(asked);
    let within = offset.abs() <= MAX_CLOCK_OFFSET;
    (within && asked.checked_add_signed(offset).is_some()).then_some(offset)
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
    fn a_clock_moved_past_the_year_9999_stops_there_without_panicking() {
        let at = DateTime::parse_from_rfc3339("2026-11-25T02:00:00Z").unwrap();
        let mut clock = SimClock::new(ClockStart::Pinned(at));
        // 136 years a move; 2,000 moves reach far past what chrono holds.
        for _ in 0..2_000 {
            clock.advance(u32::MAX);
        }
        let text = rfc3339(clock.now());
        assert!(text.starts_with("9999-12-31T23:59:59"), "{text}");
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn a_clock_answer_gives_the_offset_from_ours() {
        let asked = utc("2026-11-25T01:00:00Z");
        let answer = br#"{"now": "2026-11-25T10:00:00+08:00"}"#;
        assert_eq!(offset_from_answer(answer, asked), Some(Duration::hours(1)));
        let behind = br#"{"now": "2020-01-01T00:00:00+00:00", "extra": 1}"#;
        assert!(offset_from_answer(behind, asked).unwrap() < Duration::zero());
    }

    #[test]
    fn a_clock_answer_too_far_away_or_garbled_gives_no_offset() {
        let asked = utc("2026-11-25T01:00:00Z");
        for answer in [
            r#"{"now": "+262142-12-31T00:00:00+08:00"}"#,
            r#"{"now": "-262143-01-01T00:00:00+00:00"}"#,
            r#"{"now": "9999-12-31T23:59:59+08:00"}"#,
            r#"{"now": "1900-01-01T00:00:00+08:00"}"#,
            r#"{"now": "2036-11-26T01:00:00+00:00"}"#,
            r#"{"now": 1}"#,
            r#"{}"#,
            "not json",
        ] {
            assert_eq!(
                offset_from_answer(answer.as_bytes(), asked),
                None,
                "{answer}"
            );
        }
        // Just within ten years either way.
        let near = br#"{"now": "2036-11-20T01:00:00+00:00"}"#;
        assert!(offset_from_answer(near, asked).is_some());
    }

    #[test]
    fn an_offset_at_the_edge_of_time_is_refused_not_overflowed() {
        let latest = DateTime::<Utc>::MAX_UTC;
        let earliest = DateTime::<Utc>::MIN_UTC;
        assert_eq!(offset_from(latest.fixed_offset(), earliest), None);
        assert_eq!(offset_from(earliest.fixed_offset(), latest), None);
        assert_eq!(
            offset_from(latest.fixed_offset(), latest),
            Some(Duration::zero())
        );
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
