//! The relay's "now": the protocol's one clock (`hushlink_protocol::time`, milliseconds),
//! read in Unix seconds, the unit the relay stores and Onetime's API sends. The conversion
//! happens here, at the edge, and nowhere else. Injectable so tests can make secrets expire
//! without waiting (`Clock::manual` + [`Clock::advance`]).

use std::sync::Arc;
use std::time::Duration;

use hushlink_protocol::time::{self, ManualClock, SystemClock, UnixMillis};

/// The relay's source of "now", read in Unix seconds.
#[derive(Clone, Debug)]
pub struct Clock {
    source: Arc<dyn time::Clock>,
    /// The same clock when it is manual, so [`Clock::advance`] can move it.
    manual: Option<Arc<ManualClock>>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::from_source(Arc::new(SystemClock))
    }

    /// A clock that stands still at `start` (Unix seconds) until [`Clock::advance`] moves it.
    pub fn manual(start: i64) -> Self {
        let manual = Arc::new(ManualClock::new(UnixMillis::from_secs(start)));
        Self {
            source: manual.clone(),
            manual: Some(manual),
        }
    }

    /// Any protocol clock, e.g. the one the app shares with the tracker.
    pub fn from_source(source: Arc<dyn time::Clock>) -> Self {
        Self {
            source,
            manual: None,
        }
    }

    /// Moves a manual clock forward by `secs`; does nothing to any other clock.
    pub fn advance(&self, secs: i64) {
        if let Some(manual) = &self.manual {
            manual.advance(Duration::from_secs(u64::try_from(secs).unwrap_or(0)));
        }
    }

    /// The current time in Unix seconds.
    pub fn now(&self) -> i64 {
        self.source.now().as_secs()
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
