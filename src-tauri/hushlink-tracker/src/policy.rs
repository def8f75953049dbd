//! How often the poller may ask a server: adaptive intervals, a request budget per server,
//! and backoff. Pure arithmetic on Unix milliseconds, so it is tested without a server.
//!
//! Intervals grow with a secret's age (`age / 10`, clamped): a fresh secret is usually read
//! within minutes, so it is checked every 15 s at first; a day-old one every 15 minutes. The
//! check at the expiry moment is always scheduled, so "expired unread" is reported on time.
//! On top, each server has a token bucket (requests per minute) and a cap on requests in
//! flight, so that even 1,000 tracked secrets never look like abuse to a hosted service.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Tunables of the status poller. The defaults are what the app ships with; `docs/tracker.md`
/// states the resulting request budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PollPolicy {
    /// Shortest interval between checks of one secret.
    pub min_interval: Duration,
    /// Longest interval between checks of one secret.
    pub max_interval: Duration,
    /// Check this long after the expiry moment (servers flip to `expired` lazily).
    pub expiry_grace: Duration,
    /// Requests per minute to one server, batch requests included.
    pub requests_per_minute: u32,
    /// Requests in flight to one server at once.
    pub max_in_flight: usize,
    /// Secret keys per batch-status request, where the server offers one.
    pub batch_size: usize,
    /// First backoff after a failure; doubles per consecutive failure.
    pub backoff_initial: Duration,
    /// Longest backoff.
    pub backoff_max: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            min_interval: Duration::from_secs(15),
            max_interval: Duration::from_secs(15 * 60),
            expiry_grace: Duration::from_secs(5),
            requests_per_minute: 30,
            max_in_flight: 4,
            batch_size: 100,
            backoff_initial: Duration::from_secs(30),
            backoff_max: Duration::from_secs(15 * 60),
        }
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl PollPolicy {
    /// Interval for a secret of age `age_ms`.
    pub fn interval_ms(&self, age_ms: i64) -> i64 {
        (age_ms.max(0) / 10).clamp(ms(self.min_interval), ms(self.max_interval))
    }

    /// When to check a still-unread secret next, after a check at `now`.
    pub fn next_check(&self, now: i64, created_at: i64, expires_at: i64) -> i64 {
        let regular = now.saturating_add(self.interval_ms(now - created_at));
        let at_expiry = expires_at.saturating_add(ms(self.expiry_grace));
        if at_expiry > now {
            regular.min(at_expiry)
        } else {
            regular
        }
    }

    /// The wait after `failures` consecutive failures (1 = first), or what the server asked.
    pub fn backoff_ms(&self, failures: u32, retry_after: Option<Duration>) -> i64 {
        if let Some(asked) = retry_after {
            // Honour the server, but never hammer (at least the initial backoff) and never
            // go silent for more than the longest backoff.
            return ms(asked).clamp(
                ms(self.backoff_initial),
                ms(self.backoff_max).max(ms(asked)),
            );
        }
        let doublings = failures.saturating_sub(1).min(16);
        ms(self.backoff_initial)
            .saturating_mul(1 << doublings)
            .min(ms(self.backoff_max))
    }
}

/// A token bucket: `rate` requests per minute, bursting up to a quarter minute's worth.
#[derive(Debug, Clone)]
pub struct Budget {
    tokens: f64,
    capacity: f64,
    per_ms: f64,
    updated: i64,
}

impl Budget {
    /// A full bucket at `now`.
    pub fn new(requests_per_minute: u32, now: i64) -> Self {
        let rate = f64::from(requests_per_minute.max(1));
        let capacity = (rate / 4.0).max(1.0);
        Self {
            tokens: capacity,
            capacity,
            per_ms: rate / 60_000.0,
            updated: now,
        }
    }

    fn refill(&mut self, now: i64) {
        let elapsed = (now - self.updated).max(0) as f64;
        self.tokens = (self.tokens + elapsed * self.per_ms).min(self.capacity);
        self.updated = self.updated.max(now);
    }

    /// Takes one request's worth if available.
    pub fn try_take(&mut self, now: i64) -> bool {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// When the next token will be there.
    pub fn next_token_at(&mut self, now: i64) -> i64 {
        self.refill(now);
        if self.tokens >= 1.0 {
            now
        } else {
            now + ((1.0 - self.tokens) / self.per_ms).ceil() as i64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn young_secrets_are_checked_often_and_old_ones_rarely() {
        let p = PollPolicy::default();
        assert_eq!(p.interval_ms(0), 15_000);
        assert_eq!(p.interval_ms(10 * MIN), MIN);
        assert_eq!(p.interval_ms(60 * MIN), 6 * MIN);
        assert_eq!(p.interval_ms(24 * 60 * MIN), 15 * MIN);
    }

    #[test]
    fn the_expiry_moment_is_always_checked() {
        let p = PollPolicy::default();
        let created = 0;
        let expires = 24 * 60 * MIN;
        // Ten minutes before expiry the regular interval (15 min) would overshoot it.
        let now = expires - 10 * MIN;
        assert_eq!(p.next_check(now, created, expires), expires + 5_000);
        // After the expiry check failed to settle it, checks go on at the regular pace.
        let later = expires + 10_000;
        assert_eq!(p.next_check(later, created, expires), later + 15 * MIN);
    }

    #[test]
    fn backoff_doubles_caps_and_honours_retry_after() {
        let p = PollPolicy::default();
        assert_eq!(p.backoff_ms(1, None), 30_000);
        assert_eq!(p.backoff_ms(2, None), 60_000);
        assert_eq!(p.backoff_ms(10, None), 15 * MIN);
        assert_eq!(p.backoff_ms(1, Some(Duration::from_secs(120))), 120_000);
        assert_eq!(
            p.backoff_ms(1, Some(Duration::from_secs(1))),
            30_000,
            "at least the initial backoff"
        );
        assert_eq!(
            p.backoff_ms(1, Some(Duration::from_secs(3600))),
            60 * MIN,
            "a long Retry-After is obeyed"
        );
    }

    #[test]
    fn budget_allows_a_burst_then_the_rate() {
        let mut b = Budget::new(60, 0);
        let burst = (0..100).take_while(|_| b.try_take(0)).count();
        assert_eq!(burst, 15, "a quarter minute's worth");
        assert_eq!(b.next_token_at(0), 1_000, "one per second after that");
        let mut taken = 0;
        for t in (0..60_000).step_by(100) {
            taken += usize::from(b.try_take(t));
        }
        assert!((59..=61).contains(&taken), "60 per minute, got {taken}");
    }
}
