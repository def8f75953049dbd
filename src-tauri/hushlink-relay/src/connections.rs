//! Limits on connections, so slow or half-open clients cannot hold the relay (issue 14,
//! item 6): [`Connections`] (a [`crate::RelayConfig`] field) and the [`ConnectionCounter`]
//! that [`crate::serve()`] consults at accept, before TLS and before reading a byte.
//!
//! A client is an IPv4 address or an IPv6 /64, as for the rate limits: one host draws fresh
//! IPv6 addresses from its /64 at will.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

pub use crate::config::Connections;
use crate::ratelimit::client_of;

/// Open connections, in all and per client. Cloned into the accept loop; a [`Slot`] gives
/// its place back when the connection ends.
#[derive(Clone, Debug)]
pub struct ConnectionCounter {
    limits: Connections,
    // std Mutex: held for a map update, never across an await.
    open: Arc<Mutex<Open>>,
}

#[derive(Debug, Default)]
struct Open {
    total: u32,
    per_client: HashMap<IpAddr, u32>,
}

/// One open connection's place in the [`ConnectionCounter`], released on drop.
#[derive(Debug)]
pub struct Slot {
    client: IpAddr,
    open: Arc<Mutex<Open>>,
}

/// Why a connection was refused at accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// [`Connections::max`] connections are open.
    Total,
    /// [`Connections::max_per_client`] connections of this client are open.
    PerClient,
}

impl ConnectionCounter {
    /// A counter enforcing `limits`.
    pub fn new(limits: Connections) -> Self {
        Self {
            limits,
            open: Arc::default(),
        }
    }

    /// Takes a place for a connection from `ip`, or says which cap it would exceed.
    pub fn acquire(&self, ip: IpAddr) -> Result<Slot, Refusal> {
        let client = client_of(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.total >= self.limits.max {
            return Err(Refusal::Total);
        }
        let count = open.per_client.entry(client).or_insert(0);
        if *count >= self.limits.max_per_client {
            return Err(Refusal::PerClient);
        }
        *count += 1;
        open.total += 1;
        Ok(Slot {
            client,
            open: self.open.clone(),
        })
    }

    /// Connections open now.
    pub fn open(&self) -> u32 {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(count) = open.per_client.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                open.per_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(max: u32, max_per_client: u32) -> ConnectionCounter {
        ConnectionCounter::new(Connections {
            max,
            max_per_client,
            ..Connections::default()
        })
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_client_gets_its_cap_and_its_places_back() {
        let counter = counter(10, 2);
        let first = counter.acquire(ip("192.168.1.5")).unwrap();
        let _second = counter.acquire(ip("192.168.1.5")).unwrap();
        assert_eq!(
            counter.acquire(ip("192.168.1.5")).unwrap_err(),
            Refusal::PerClient
        );
        assert!(
            counter.acquire(ip("192.168.1.6")).is_ok(),
            "another client still connects"
        );
        drop(first);
        assert!(counter.acquire(ip("192.168.1.5")).is_ok(), "a place freed");
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        let counter = counter(10, 1);
        let _held = counter.acquire(ip("fd00:1:2:3::1")).unwrap();
        assert_eq!(
            counter.acquire(ip("fd00:1:2:3:ffff::9")).unwrap_err(),
            Refusal::PerClient,
            "same /64, same client"
        );
        assert!(counter.acquire(ip("fd00:1:2:4::1")).is_ok(), "next /64");
        let _v4 = counter.acquire(ip("10.0.0.1")).unwrap();
        assert_eq!(
            counter.acquire(ip("::ffff:10.0.0.1")).unwrap_err(),
            Refusal::PerClient
        );
    }

    #[test]
    fn the_total_cap_holds_across_clients() {
        let counter = counter(2, 5);
        let _a = counter.acquire(ip("10.0.0.1")).unwrap();
        let _b = counter.acquire(ip("10.0.0.2")).unwrap();
        assert_eq!(counter.acquire(ip("10.0.0.3")).unwrap_err(), Refusal::Total);
        assert_eq!(counter.open(), 2);
    }

    #[test]
    fn zero_limits_are_named() {
        let limits = Connections {
            idle_timeout_ms: 0,
            ..Connections::default()
        };
        assert_eq!(limits.zero_field(), Some("connections.idle_timeout_ms"));
        assert_eq!(Connections::default().zero_field(), None);
    }
}
