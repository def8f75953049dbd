//! One time unit and one clock for every crate: [`UnixMillis`], read from a [`Clock`].
//!
//! Times are Unix milliseconds everywhere in Hushlink's own code. Onetime's API counts
//! seconds (`created`, `ttl`, ...), so the places that store or send such fields say so with
//! [`UnixMillis::as_secs`] / [`UnixMillis::from_secs`] at the boundary, never by dividing by
//! hand. Code that needs "now" takes a [`Clock`] instead of calling `SystemTime::now()`, so
//! its tests move a [`ManualClock`] forward (a week in a microsecond) instead of sleeping.
//! Waiting for a time (sleeping) belongs to the async crates that need it; this crate
//! only reads the time.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time: milliseconds since 1970-01-01T00:00:00Z (negative before it).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixMillis(i64);

impl UnixMillis {
    /// 1970-01-01T00:00:00Z.
    pub const EPOCH: Self = Self(0);

    /// The time `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: i64) -> Self {
        Self(ms)
    }

    /// The time `secs` seconds after the epoch (saturating far outside any real date).
    pub const fn from_secs(secs: i64) -> Self {
        Self(secs.saturating_mul(1000))
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// Whole seconds since the epoch, rounded down (a time within a second reads as that
    /// second, as Onetime's integer seconds do).
    pub const fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// `self + by`, saturating at the end of time.
    pub fn saturating_add(self, by: Duration) -> Self {
        Self(self.0.saturating_add(millis(by)))
    }

    /// `self - by`, saturating at the start of time.
    pub fn saturating_sub(self, by: Duration) -> Self {
        Self(self.0.saturating_sub(millis(by)))
    }

    /// How long after `earlier` this is; zero if it is not after it.
    pub fn saturating_since(self, earlier: Self) -> Duration {
        Duration::from_millis(u64::try_from(self.0.saturating_sub(earlier.0)).unwrap_or(0))
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// A source of "now".
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> UnixMillis;
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> UnixMillis {
        (**self).now()
    }
}

/// The operating system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UnixMillis {
        // Before 1970 only on a broken clock; the epoch is as good an answer as any there.
        UnixMillis(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, millis),
        )
    }
}

/// A clock that stands still until [`ManualClock::advance`] moves it: for tests.
#[derive(Debug)]
pub struct ManualClock {
    now: AtomicI64,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: UnixMillis) -> Self {
        Self {
            now: AtomicI64::new(start.0),
        }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.now.fetch_add(millis(by), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> UnixMillis {
        UnixMillis(self.now.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_whole_and_rounded_down() {
        let t = UnixMillis::from_millis(1_700_000_000_999);
        assert_eq!(t.as_secs(), 1_700_000_000);
        assert_eq!(
            UnixMillis::from_secs(1_700_000_000).as_millis(),
            1_700_000_000_000
        );
        assert_eq!(
            UnixMillis::from_millis(-1).as_secs(),
            -1,
            "floor, not towards zero"
        );
        assert_eq!(UnixMillis::from_secs(i64::MAX).as_millis(), i64::MAX);
    }

    #[test]
    fn arithmetic_saturates_instead_of_wrapping() {
        let t = UnixMillis::from_secs(100);
        assert_eq!(
            t.saturating_add(Duration::from_secs(60)),
            UnixMillis::from_secs(160)
        );
        assert_eq!(
            t.saturating_sub(Duration::from_millis(1)).as_millis(),
            99_999
        );
        assert_eq!(
            UnixMillis::from_millis(i64::MAX)
                .saturating_add(Duration::MAX)
                .as_millis(),
            i64::MAX
        );
        assert_eq!(
            UnixMillis::from_secs(160).saturating_since(t),
            Duration::from_secs(60)
        );
        assert_eq!(
            t.saturating_since(UnixMillis::from_secs(160)),
            Duration::ZERO
        );
    }

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_the_system_clock_is_real() {
        let clock = Arc::new(ManualClock::new(UnixMillis::from_secs(1_000)));
        assert_eq!(clock.now(), UnixMillis::from_secs(1_000));
        clock.advance(Duration::from_secs(61));
        assert_eq!(clock.now().as_secs(), 1_061, "through the Arc too");
        assert!(SystemClock.now() > UnixMillis::from_secs(1_700_000_000));
    }
}
