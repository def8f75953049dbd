//! Wall-clock time in Unix seconds, injectable so tests can make secrets expire without
//! waiting (`Clock::manual` + [`Clock::advance`]).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// The relay's source of "now", in Unix seconds.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that stands still at `start` until [`Clock::advance`] moves it.
    pub fn manual(start: i64) -> Self {
        Self(Some(Arc::new(AtomicI64::new(start))))
    }

    /// Moves a manual clock forward; does nothing to the system clock.
    pub fn advance(&self, secs: i64) {
        if let Some(now) = &self.0 {
            now.fetch_add(secs, Ordering::SeqCst);
        }
    }

    /// The current time in Unix seconds.
    pub fn now(&self) -> i64 {
        match &self.0 {
            Some(now) => now.load(Ordering::SeqCst),
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let clock = Clock::manual(1_000);
        assert_eq!(clock.now(), 1_000);
        clock.advance(61);
        assert_eq!(clock.now(), 1_061, "advance adds seconds");
        assert!(
            Clock::system().now() > 1_700_000_000,
            "system clock is real time"
        );
    }
}
