//! [`Connections`]: caps on open connections and the deadlines of slow clients (issue 14,
//! item 6); `crate::connections` enforces them.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Caps on open connections and the time a connection may spend on each phase of a request.
/// Every field must be positive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Connections {
    /// Open connections in all; more are closed at accept. Default 512 (below the usual
    /// 1,024 open files a process may have).
    pub max: u32,
    /// Open connections per client (IPv4 address or IPv6 /64); more are closed at accept.
    /// Default 128: a browser opens about 6, and the benchmark 64 from one address. Raise it
    /// behind a reverse proxy, which is one client for everyone.
    pub max_per_client: u32,
    /// Milliseconds a client has, from accepting its connection or from the first byte of a
    /// later request, to complete the TLS handshake and the request head. Default 10,000.
    pub header_timeout_ms: u64,
    /// Milliseconds a client has to send a whole request body, from the end of its head.
    /// Default 60,000 (a 4 MiB body at 70 KB/s).
    pub body_timeout_ms: u64,
    /// Milliseconds a kept-alive connection may wait for its next request (or for the client
    /// to read an answer). Default 60,000.
    pub idle_timeout_ms: u64,
}

impl Default for Connections {
    fn default() -> Self {
        Self {
            max: 512,
            max_per_client: 128,
            header_timeout_ms: 10_000,
            body_timeout_ms: 60_000,
            idle_timeout_ms: 60_000,
        }
    }
}

impl Connections {
    /// The first field that is 0, which would refuse or cut every connection.
    pub(crate) fn zero_field(&self) -> Option<&'static str> {
        [
            (u64::from(self.max), "connections.max"),
            (u64::from(self.max_per_client), "connections.max_per_client"),
            (self.header_timeout_ms, "connections.header_timeout_ms"),
            (self.body_timeout_ms, "connections.body_timeout_ms"),
            (self.idle_timeout_ms, "connections.idle_timeout_ms"),
        ]
        .into_iter()
        .find_map(|(value, name)| (value == 0).then_some(name))
    }

    /// The head (and TLS handshake) deadline.
    pub fn header_timeout(&self) -> Duration {
        Duration::from_millis(self.header_timeout_ms)
    }

    /// The body deadline.
    pub fn body_timeout(&self) -> Duration {
        Duration::from_millis(self.body_timeout_ms)
    }

    /// The keep-alive deadline.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_millis(self.idle_timeout_ms)
    }
}
