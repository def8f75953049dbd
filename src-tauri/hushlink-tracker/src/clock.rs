//! Injected time. The tracker never calls `SystemTime::now()` itself, so tests move a
//! [`ManualClock`] forward (a week in a microsecond) instead of sleeping.
//!
//! The time unit and the source of "now" are the workspace's one definition,
//! [`hushlink_protocol::time`]; this module adds what only an async crate needs, waiting for
//! a time ([`Clock::sleep_until`]). Times are Unix milliseconds (`i64`, read with
//! [`Clock::now_ms`]) everywhere in this crate: they go into SQLite and to the UI as plain
//! numbers.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use hushlink_protocol::time::{self, Clock as _, UnixMillis};
use tokio::sync::Notify;

pub use hushlink_protocol::time::SystemClock;

/// A boxed future, so that `Clock` stays object-safe.
pub type Sleep<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Wall-clock time ([`time::Clock`]) and waiting for it.
pub trait Clock: time::Clock + 'static {
    /// Now, in Unix milliseconds.
    fn now_ms(&self) -> i64 {
        self.now().as_millis()
    }

    /// Resolves at or after `deadline_ms` by this clock (possibly earlier for a system clock
    /// after a suspend; callers re-check the time and loop).
    fn sleep_until(&self, deadline_ms: i64) -> Sleep<'_>;
}

/// A system clock sleeps at most this long in one go, so a laptop waking from suspend
/// (whose monotonic timers stood still) catches up within a minute.
const MAX_SLEEP: Duration = Duration::from_secs(60);

impl Clock for SystemClock {
    fn sleep_until(&self, deadline_ms: i64) -> Sleep<'_> {
        let wait = UnixMillis::from_millis(deadline_ms).saturating_since(self.now());
        Box::pin(tokio::time::sleep(wait.min(MAX_SLEEP)))
    }
}

/// A clock that moves only when told to ([`time::ManualClock`]); sleepers wake when it
/// passes their deadline.
pub struct ManualClock {
    time: time::ManualClock,
    moved: Notify,
}

impl ManualClock {
    /// A clock standing at `start_ms`.
    pub fn new(start_ms: i64) -> Self {
        Self {
            time: time::ManualClock::new(UnixMillis::from_millis(start_ms)),
            moved: Notify::new(),
        }
    }

    /// Moves the clock forward and wakes every sleeper.
    pub fn advance(&self, by: Duration) {
        self.time.advance(by);
        self.moved.notify_waiters();
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualClock")
            .field("now_ms", &self.now_ms())
            .finish()
    }
}

impl time::Clock for ManualClock {
    fn now(&self) -> UnixMillis {
        self.time.now()
    }
}

impl Clock for ManualClock {
    fn sleep_until(&self, deadline_ms: i64) -> Sleep<'_> {
        Box::pin(async move {
            loop {
                // Register for the wake-up before reading the time, so an `advance` between
                // the two cannot be missed.
                let moved = self.moved.notified();
                tokio::pin!(moved);
                moved.as_mut().enable();
                if self.now_ms() >= deadline_ms {
                    return;
                }
                moved.await;
            }
        })
    }
}

/// Formats a Unix-millisecond time as local `HH:MM` for notifications.
pub fn local_hhmm(at_ms: i64) -> String {
    use chrono::TimeZone as _;
    match chrono::Local.timestamp_millis_opt(at_ms) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.format("%H:%M").to_string()
        }
        chrono::LocalResult::None => "an unknown time".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn manual_clock_wakes_sleepers_only_past_their_deadline() {
        let clock = Arc::new(ManualClock::new(1_000));
        let sleeper = {
            let clock = Arc::clone(&clock);
            tokio::spawn(async move { clock.sleep_until(5_000).await })
        };
        clock.advance(Duration::from_millis(1_000));
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished(), "woke at 2,000 for a 5,000 deadline");
        clock.advance(Duration::from_millis(3_000));
        tokio::time::timeout(Duration::from_secs(5), sleeper)
            .await
            .expect("woke after the deadline passed")
            .expect("task ran");
        assert_eq!(clock.now_ms(), 5_000);
    }

    #[test]
    fn local_time_is_hours_and_minutes() {
        let text = local_hhmm(1_700_000_000_000);
        assert_eq!(text.len(), 5, "{text}");
        assert_eq!(&text[2..3], ":");
    }
}
