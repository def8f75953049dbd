//! The nested sections of [`super::RelayConfig`]: durability, rate limits, quotas and
//! passphrase hashing, each with its documented defaults.

use serde::{Deserialize, Serialize};

/// How hard a commit tries to reach the disk before the create or reveal is acknowledged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Durability {
    /// The WAL is flushed (`fdatasync`) after every group commit before any of its requests
    /// is answered; an acknowledged create or reveal survives a power loss. Concurrent
    /// requests share one commit (group commit), so this costs one flush per batch, not per
    /// request.
    #[default]
    Full,
    /// No flush per commit (`synchronous=NORMAL`): survives the relay being killed, not the
    /// machine losing power.
    Normal,
}

/// Per-client limits over a fixed window (a client is an IPv4 address or an IPv6 /64).
/// Loopback is limited like any other address: behind a local proxy or tunnel it is
/// everyone. Only the app itself, in process, is not limited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimits {
    /// Window length in seconds. Default 600.
    pub window_secs: u64,
    /// Creates per IP per window. Default 300.
    pub creates: u32,
    /// Reveal attempts (and receipt reads and burns) per IP per window. Default 600.
    pub reveals: u32,
    /// Wrong passphrases per IP per window, across all secrets. Default 20.
    pub passphrase_failures: u32,
    /// Recipient-page GETs (`/secret/KEY`, `/receipt/KEY`, `/private/KEY`, together) per IP
    /// per window. Default 600, as many as reveals: opening a link is a GET, then a POST.
    pub page_views: u32,
}

/// Caps on live secrets (not yet revealed, burned or swept) and on the bytes their sealed
/// values take, so no token, and no flood of anonymous creates, can fill the relay's disk
/// or memory. Checked on every create against counters the writer keeps (`store::usage`).
/// There is no "unlimited": every field must be positive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Quotas {
    /// Live secrets in all. Default 10,000.
    pub live_secrets: u64,
    /// Bytes of all live secrets (sealed: the value plus 28). Default 256 MiB.
    pub live_bytes: u64,
    /// Live secrets created with one API token. Default 1,000.
    pub live_secrets_per_token: u64,
    /// Bytes of the live secrets created with one API token. Default 64 MiB.
    pub live_bytes_per_token: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Self {
            live_secrets: 10_000,
            live_bytes: 256 * 1024 * 1024,
            live_secrets_per_token: 1_000,
            live_bytes_per_token: 64 * 1024 * 1024,
        }
    }
}

impl Quotas {
    /// The first field that is 0, which would refuse every create.
    pub(super) fn zero_field(&self) -> Option<&'static str> {
        [
            (self.live_secrets, "quotas.live_secrets"),
            (self.live_bytes, "quotas.live_bytes"),
            (self.live_secrets_per_token, "quotas.live_secrets_per_token"),
            (self.live_bytes_per_token, "quotas.live_bytes_per_token"),
        ]
        .into_iter()
        .find_map(|(value, name)| (value == 0).then_some(name))
    }
}

/// Argon2id parameters for new passphrase hashes (existing hashes keep the parameters
/// stored in their PHC string, so changing these never locks a secret out).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PassphraseHashing {
    /// Memory per hash in KiB. Default 19456 (19 MiB, the OWASP baseline).
    pub memory_kib: u32,
    /// Passes over the memory. Default 2.
    pub iterations: u32,
}

impl Default for PassphraseHashing {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
        }
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            window_secs: 600,
            creates: 300,
            reveals: 600,
            passphrase_failures: 20,
            page_views: 600,
        }
    }
}
