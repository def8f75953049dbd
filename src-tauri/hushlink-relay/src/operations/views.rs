//! Which recipient-page views were already logged: a repeated view of one secret from one
//! client within a rate-limit window is logged once (issue 14, item 7), so reloading a page,
//! or a flood of GETs, adds no access-log rows and no live events after the first.
//!
//! In memory, like the rate limits: a restart may log one view again, which is harmless.
//! Bounded: ended entries are dropped whenever the table reaches [`MAX_TRACKED`]; if it is
//! still full (views of that many distinct secrets or clients within one window), the oldest
//! half goes, and such views may be logged a second time. Every view costs its client a
//! page-view hit first, so filling the table takes that many requests within the limits.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use crate::keys::RowId;

/// Most (secret, client) pairs remembered.
const MAX_TRACKED: usize = 100_000;

/// The first-view table.
pub(crate) struct LoggedViews {
    /// Window length in seconds (the rate limits').
    window_secs: i64,
    // std Mutex: a map lookup, never held across an await.
    seen: Mutex<HashMap<(RowId, IpAddr), i64>>,
}

impl LoggedViews {
    pub(crate) fn new(window_secs: u64) -> Self {
        Self {
            window_secs: i64::try_from(window_secs).unwrap_or(i64::MAX),
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Whether this view should be logged: the first of `secret` by `client` in a window.
    /// `client` is the rate limiter's client (an IPv4 address or an IPv6 /64).
    pub(crate) fn first(&self, secret: RowId, client: IpAddr, now: i64) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(&at) = seen.get(&(secret, client)) {
            if now.saturating_sub(at) < self.window_secs {
                return false;
            }
        }
        if seen.len() >= MAX_TRACKED {
            let window = self.window_secs;
            seen.retain(|_, at| now.saturating_sub(*at) < window);
            if seen.len() >= MAX_TRACKED {
                let mut times: Vec<i64> = seen.values().copied().collect();
                times.sort_unstable();
                let cut = times[times.len() / 2];
                seen.retain(|_, at| *at > cut);
            }
        }
        seen.insert((secret, client), now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_is_logged_once_per_secret_client_and_window() {
        let views = LoggedViews::new(600);
        let lan: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(views.first([1; 32], lan, 1_000));
        assert!(!views.first([1; 32], lan, 1_500), "a reload is not logged");
        assert!(views.first([2; 32], lan, 1_500), "another secret is");
        assert!(views.first([1; 32], other, 1_500), "another client is");
        assert!(
            views.first([1; 32], lan, 1_600),
            "and so is a view in the next window"
        );
    }

    #[test]
    fn the_table_stays_bounded() {
        let views = LoggedViews::new(600);
        let lan: IpAddr = "10.0.0.1".parse().unwrap();
        for n in 0..(MAX_TRACKED as u32 + 10) {
            let mut id = [0u8; 32];
            id[..4].copy_from_slice(&n.to_be_bytes());
            assert!(views.first(id, lan, i64::from(n)));
        }
        assert!(views.seen.lock().unwrap().len() <= MAX_TRACKED);
    }
}
