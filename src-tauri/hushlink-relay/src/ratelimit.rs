//! Per-client fixed-window rate limits on creates, reveals and wrong passphrases.
//!
//! A client is an IPv4 address, or an IPv6 /64: one host (or one subnet) gets a whole /64
//! and can draw a fresh address from it for every request, so counting full IPv6 addresses
//! would give it unlimited identities. Every host of one IPv6 LAN segment shares a limit,
//! the price of that rule.
//!
//! Loopback is counted like any other address: behind a reverse proxy or a tunnel on the
//! relay's host it is every remote client at once. Only the app itself, calling in process,
//! is not limited (its creates skip the limiter), and `rate_limit = "off"` turns every limit
//! off, for benchmarks.
//!
//! In memory only: a restart forgets the counts, which is acceptable for limits meant to
//! stop guessing and flooding, not to bill. The map is pruned by the sweeper, and bounded:
//! if it still grows past `MAX_TRACKED` entries (an address-spraying flood), the oldest
//! windows still under their limit are dropped. A window at its limit is never dropped
//! before it ends: that would hand a blocked guesser a fresh budget, and spraying
//! addresses would be the way to earn one.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex};

use crate::config::RateLimits;
use crate::policy::RateLimit;

/// Most (bucket, client) windows tracked before the table is pruned.
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
    /// Recipient-page GETs (`/secret/KEY`, `/receipt/KEY`, `/private/KEY`).
    PageView,
}

#[derive(Clone, Copy)]
struct Window {
    start: i64,
    count: u32,
}

/// The windows, keyed by bucket and client (see [`client_of`]).
#[derive(Default)]
struct Table {
    windows: HashMap<(Bucket, IpAddr), Window>,
    /// Size at which the next insert prunes. Raised when a prune cannot get below
    /// `MAX_TRACKED` (every window left is at its limit), so a full table is not sorted
    /// again on every request.
    prune_at: usize,
}

/// The limiter; cheap to clone.
#[derive(Clone)]
pub struct RateLimiter {
    limits: RateLimits,
    /// `false` with `rate_limit = "off"`: every check passes and nothing is counted.
    enabled: bool,
    // std Mutex: a counter bump, never held across an await.
    table: Arc<Mutex<Table>>,
}

impl RateLimiter {
    /// A limiter with these limits, or one that limits nothing (`RateLimit::Off`).
    pub fn new(limits: RateLimits, switch: RateLimit) -> Self {
        Self {
            limits,
            enabled: switch == RateLimit::On,
            table: Arc::new(Mutex::new(Table {
                windows: HashMap::new(),
                prune_at: MAX_TRACKED,
            })),
        }
    }

    fn limit(&self, bucket: Bucket) -> u32 {
        limit_of(&self.limits, bucket)
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

    /// Gives back one event counted by [`RateLimiter::hit`] that turned out not to count
    /// (a passphrase reserved as a failure before its check, then found right). Within the
    /// same window only: a window that ended has nothing to give back.
    pub fn refund(&self, bucket: Bucket, ip: IpAddr, now: i64) {
        if !self.enabled {
            return;
        }
        let len = self.window_len();
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(window) = table.windows.get_mut(&(bucket, client_of(ip))) {
            if now.saturating_sub(window.start) < len {
                window.count = window.count.saturating_sub(1);
            }
        }
    }

    fn check(&self, bucket: Bucket, ip: IpAddr, now: i64, count: bool) -> Result<(), u64> {
        if !self.enabled {
            return Ok(());
        }
        let len = self.window_len();
        let limit = self.limit(bucket);
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        if table.windows.len() >= table.prune_at {
            self.prune_table(&mut table, now);
        }
        let window = table
            .windows
            .entry((bucket, client_of(ip)))
            .or_insert(Window {
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
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        self.prune_table(&mut table, now);
    }

    /// Drops ended windows; if the table is still full, the oldest windows still under
    /// their limit, down to half of `MAX_TRACKED`. Windows at their limit stay until they
    /// end, so the table may stay above `MAX_TRACKED`; it then prunes again only after
    /// growing by another half, which keeps the cost per request constant. The growth is
    /// bounded by the requests it takes to fill windows to their limits.
    fn prune_table(&self, table: &mut Table, now: i64) {
        let len = self.window_len();
        let windows = &mut table.windows;
        windows.retain(|_, w| now.saturating_sub(w.start) < len);
        if windows.len() >= MAX_TRACKED {
            let mut under: Vec<(i64, (Bucket, IpAddr))> = windows
                .iter()
                .filter(|((bucket, _), w)| w.count < limit_of(&self.limits, *bucket))
                .map(|(key, w)| (w.start, *key))
                .collect();
            under.sort_unstable_by_key(|(start, _)| *start);
            let excess = windows.len() - MAX_TRACKED / 2;
            for (_, key) in under.into_iter().take(excess) {
                windows.remove(&key);
            }
        }
        table.prune_at = MAX_TRACKED.max(windows.len() + MAX_TRACKED / 2);
    }
}

fn limit_of(limits: &RateLimits, bucket: Bucket) -> u32 {
    match bucket {
        Bucket::Create => limits.creates,
        Bucket::Reveal => limits.reveals,
        Bucket::PassphraseFailure => limits.passphrase_failures,
        Bucket::PageView => limits.page_views,
    }
}

/// The client a request counts against: its IPv4 address (IPv4-mapped IPv6 included), or
/// the /64 of its IPv6 address.
pub(crate) fn client_of(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        v4 => v4,
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
            page_views: 3,
        }
    }

    #[test]
    fn limit_applies_per_ip_and_window() {
        let limiter = RateLimiter::new(limits(), RateLimit::On);
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
    fn ipv6_addresses_count_per_64() {
        let limiter = RateLimiter::new(limits(), RateLimit::On);
        // One host drawing fresh addresses from its /64.
        assert!(limiter.hit(Bucket::Create, ip("fd00:1:2:3::1"), 0).is_ok());
        assert!(limiter
            .hit(Bucket::Create, ip("fd00:1:2:3:a:b:c:d"), 0)
            .is_ok());
        assert!(
            limiter
                .hit(Bucket::Create, ip("fd00:1:2:3:ffff::9"), 0)
                .is_err(),
            "a third address of the same /64 is the same client"
        );
        assert!(
            limiter.hit(Bucket::Create, ip("fd00:1:2:4::1"), 0).is_ok(),
            "the next /64 is another client"
        );
        assert!(
            limiter
                .hit(Bucket::Create, ip("::ffff:10.0.0.1"), 0)
                .is_ok()
                && limiter.hit(Bucket::Create, ip("10.0.0.1"), 0).is_ok()
                && limiter.hit(Bucket::Create, ip("10.0.0.2"), 0).is_ok(),
            "IPv4 counts per address, mapped or not"
        );
        assert!(limiter.hit(Bucket::Create, ip("10.0.0.1"), 0).is_err());
    }

    #[test]
    fn spraying_addresses_never_resets_a_window_at_its_limit() {
        let limiter = RateLimiter::new(limits(), RateLimit::On);
        let guesser = ip("192.168.7.7");
        assert!(limiter.hit(Bucket::PassphraseFailure, guesser, 0).is_ok());
        assert!(limiter.hit(Bucket::PassphraseFailure, guesser, 0).is_err());
        // Fill the table twice over with fresh addresses, one hit each, later in the window.
        for n in 0..(2 * MAX_TRACKED as u32) {
            let sprayed = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + n));
            assert!(limiter.hit(Bucket::Reveal, sprayed, 1).is_ok());
        }
        assert!(
            limiter.hit(Bucket::PassphraseFailure, guesser, 2).is_err(),
            "the guesser's window survived every eviction"
        );
        assert!(
            limiter.table.lock().unwrap().windows.len() <= MAX_TRACKED + MAX_TRACKED / 2,
            "the table stays bounded"
        );
        assert!(
            limiter.hit(Bucket::PassphraseFailure, guesser, 60).is_ok(),
            "and ends with its window, like any other"
        );
    }

    #[test]
    fn a_refund_gives_back_one_hit_of_the_current_window() {
        let limiter = RateLimiter::new(limits(), RateLimit::On);
        let lan = ip("10.0.0.1");
        assert!(limiter.hit(Bucket::PassphraseFailure, lan, 0).is_ok());
        limiter.refund(Bucket::PassphraseFailure, lan, 1);
        assert!(
            limiter.hit(Bucket::PassphraseFailure, lan, 2).is_ok(),
            "the refunded hit is free again"
        );
        assert!(limiter.hit(Bucket::PassphraseFailure, lan, 3).is_err());
        limiter.refund(Bucket::PassphraseFailure, lan, 70);
        assert!(
            limiter.peek(Bucket::PassphraseFailure, lan, 59).is_err(),
            "a refund after the window ended gives nothing back"
        );
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn loopback_is_limited_like_any_address() {
        let limiter = RateLimiter::new(limits(), RateLimit::On);
        for lo in ["127.0.0.1", "::1", "::ffff:127.0.0.1"] {
            let limiter = limiter.clone();
            assert!(limiter.hit(Bucket::Create, ip(lo), 0).is_ok());
            assert!(limiter.hit(Bucket::Create, ip(lo), 0).is_ok());
            assert!(
                limiter.hit(Bucket::Create, ip(lo), 0).is_err(),
                "{lo} gets the same two creates as everyone"
            );
            limiter.table.lock().unwrap().windows.clear();
        }
    }

    #[test]
    fn switched_off_nothing_is_limited_or_counted() {
        let limiter = RateLimiter::new(limits(), RateLimit::Off);
        for t in 0..100 {
            assert!(limiter.hit(Bucket::Create, ip("10.0.0.1"), t).is_ok());
            assert!(limiter
                .hit(Bucket::PassphraseFailure, ip("127.0.0.1"), t)
                .is_ok());
        }
        assert!(
            limiter.table.lock().unwrap().windows.is_empty(),
            "no window is even kept"
        );
    }

    #[test]
    fn peek_does_not_count() {
        let limiter = RateLimiter::new(limits(), RateLimit::On);
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
