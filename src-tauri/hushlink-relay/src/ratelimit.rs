//! Per-IP fixed-window rate limits on creates, reveals and wrong passphrases.
//!
//! In memory only: a restart forgets the counts, which is acceptable for limits meant to
//! stop guessing and flooding, not to bill. The map is pruned by the sweeper, and bounded:
//! if it still grows past `MAX_TRACKED` entries (an address-spraying flood), the oldest
//! windows are dropped first.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::access::canonical;
use crate::config::RateLimits;

/// Most (bucket, IP) windows tracked at once.
const MAX_TRACKED: usize = 100_000;

/// What is being counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// Creates (share, generate, conceal).
    Create,
    /// Reveals, receipt reads and burns.
    Reveal,
    /// Wrong passphrases.
    PassphraseFailure,
}

#[derive(Clone, Copy)]
struct Window {
    start: i64,
    count: u32,
}

/// The limiter; cheap to clone.
#[derive(Clone)]
pub struct RateLimiter {
    limits: RateLimits,
    // std Mutex: a counter bump, never held across an await.
    windows: Arc<Mutex<HashMap<(Bucket, IpAddr), Window>>>,
}

impl RateLimiter {
    /// A limiter with these limits.
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            windows: Arc::default(),
        }
    }

    fn limit(&self, bucket: Bucket) -> u32 {
        match bucket {
            Bucket::Create => self.limits.creates,
            Bucket::Reveal => self.limits.reveals,
            Bucket::PassphraseFailure => self.limits.passphrase_failures,
        }
    }

    fn exempt(&self, ip: IpAddr) -> bool {
        self.limits.exempt_loopback && canonical(ip).is_loopback()
    }

    fn window_len(&self) -> i64 {
        i64::try_from(self.limits.window_secs).unwrap_or(i64::MAX)
    }

    /// Counts one event; `Err(retry_after_secs)` if the limit was already reached.
    pub fn hit(&self, bucket: Bucket, ip: IpAddr, now: i64) -> Result<(), u64> {
        self.check(bucket, ip, now, true)
    }

    /// Whether the limit is reached, without counting (checked before costly work).
    pub fn peek(&self, bucket: Bucket, ip: IpAddr, now: i64) -> Result<(), u64> {
        self.check(bucket, ip, now, false)
    }

    fn check(&self, bucket: Bucket, ip: IpAddr, now: i64, count: bool) -> Result<(), u64> {
        if self.exempt(ip) {
            return Ok(());
        }
        let len = self.window_len();
        let limit = self.limit(bucket);
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() >= MAX_TRACKED {
            prune(&mut windows, now, len);
        }
        let window = windows.entry((bucket, canonical(ip))).or_insert(Window {
            start: now,
            count: 0,
        });
        if now.saturating_sub(window.start) >= len {
            *window = Window {
                start: now,
                count: 0,
            };
        }
        if window.count >= limit {
            let retry = window.start.saturating_add(len).saturating_sub(now).max(1);
            return Err(u64::try_from(retry).unwrap_or(1));
        }
        if count {
            window.count += 1;
        }
        Ok(())
    }

    /// Drops windows that have ended (called by the sweeper).
    pub fn prune(&self, now: i64) {
        let len = self.window_len();
        prune(
            &mut self.windows.lock().unwrap_or_else(|p| p.into_inner()),
            now,
            len,
        );
    }
}

fn prune(windows: &mut HashMap<(Bucket, IpAddr), Window>, now: i64, len: i64) {
    windows.retain(|_, w| now.saturating_sub(w.start) < len);
    if windows.len() >= MAX_TRACKED {
        // Still full of live windows: forget the oldest half rather than grow without bound.
        let mut starts: Vec<i64> = windows.values().map(|w| w.start).collect();
        starts.sort_unstable();
        let cutoff = starts[starts.len() / 2];
        windows.retain(|_, w| w.start > cutoff);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> RateLimits {
        RateLimits {
            window_secs: 60,
            creates: 2,
            reveals: 5,
            passphrase_failures: 1,
            exempt_loopback: true,
        }
    }

    #[test]
    fn limit_applies_per_ip_and_window() {
        let limiter = RateLimiter::new(limits());
        let a: IpAddr = "192.168.1.2".parse().unwrap();
        let b: IpAddr = "192.168.1.3".parse().unwrap();
        assert!(limiter.hit(Bucket::Create, a, 1000).is_ok());
        assert!(limiter.hit(Bucket::Create, a, 1001).is_ok());
        assert_eq!(
            limiter.hit(Bucket::Create, a, 1010),
            Err(50),
            "third create waits for the window"
        );
        assert!(
            limiter.hit(Bucket::Create, b, 1010).is_ok(),
            "other IPs are unaffected"
        );
        assert!(
            limiter.hit(Bucket::Reveal, a, 1010).is_ok(),
            "other buckets are unaffected"
        );
        assert!(
            limiter.hit(Bucket::Create, a, 1060).is_ok(),
            "a new window starts"
        );
    }

    #[test]
    fn loopback_is_exempt_and_peek_does_not_count() {
        let limiter = RateLimiter::new(limits());
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        for t in 0..10 {
            assert!(limiter.hit(Bucket::Create, lo, t).is_ok());
        }
        let lan: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(limiter.peek(Bucket::PassphraseFailure, lan, 0).is_ok());
        assert!(
            limiter.peek(Bucket::PassphraseFailure, lan, 0).is_ok(),
            "peek does not count"
        );
        assert!(limiter.hit(Bucket::PassphraseFailure, lan, 0).is_ok());
        assert!(limiter.peek(Bucket::PassphraseFailure, lan, 0).is_err());
    }
}
