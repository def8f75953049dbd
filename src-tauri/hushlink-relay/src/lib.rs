//! The Hushlink relay: an Onetime Secret-compatible server for LAN-only and air-gapped
//! sharing, embedded in the app (one switch in the tray) and runnable headless
//! (`hushlink-relay` binary).
//!
//! Real Onetime clients work against it unchanged (v1 at `/api/v1`, v2 at `/api/v2`); the
//! database alone reveals nothing (rows found by key hashes, values sealed under keys derived
//! from the links); every secret is revealed at most once, even across crashes.
//!
//! ```no_run
//! # async fn run() -> hushlink_relay::Result<()> {
//! use hushlink_relay::{Relay, RelayConfig};
//! let relay = Relay::open(RelayConfig::with_data_dir("/tmp/relay")).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! hushlink_relay::serve(listener, relay, std::future::pending()).await?;
//! # Ok(()) }
//! ```
//!
//! Module map:
//! - [`relay`]: [`Relay`], the cheap-to-clone handle (store, limits, tokens, access log,
//!   sweeper), and [`RelayStatus`].
//! - [`ops`]: the operations (create, peek, reveal, receipt, burn, status, recent) with
//!   typed outcomes; [`model`] holds their inputs and outputs.
//! - [`config`]: [`RelayConfig`] and its documented defaults.
//! - [`store`]: SQLite with one group-committing writer thread and pooled readers.
//! - [`keys`], [`seal`]: key minting and hashing; HKDF + AES-256-GCM sealing, Argon2id.
//! - [`connections`]: caps on open connections and the deadlines of slow clients.
//! - [`access`]: the LAN-only peer filter; [`ratelimit`]: per-IP limits; [`policy`]: who
//!   may create without a token, and the switch that turns rate limits off.
//! - [`tokens`]: API tokens (issue, list, revoke, verify); [`access_log`]: the content-free
//!   log and its query.
//! - [`http`]: the axum router (v1, v2, security headers, peer filter, the cross-site rule,
//!   the `Host` check against DNS rebinding); [`mod@serve`]: running it on a listener, with
//!   optional TLS, refusing peers and connections over the caps at accept and cutting slow
//!   clients off.
//! - [`tls_identity`]: the relay's own self-signed certificate for colleagues' apps (made once,
//!   kept in the data directory); [`fingerprint`]: its SHA-256 [`Fingerprint`], which they pin.
//! - [`discovery`]: DNS-SD over mDNS: the [`discovery::Announcer`] of a relay on a LAN
//!   address and [`discovery::browse`] for "Add a server".
//! - [`web`]: the recipient pages (`/secret/KEY`, `/receipt/KEY`), built on [`ops`].
//! - [`headless`]: the binary's layered configuration (file, `HUSHLINK_*`, flags) and its
//!   command line (`token create|list|revoke`, `tls fingerprint`).
//! - `admin` (unix): the local admin socket ([`admin::serve_admin`]), its client, the data
//!   directory's lock, and the token commands.
//! - [`invites`]: one-time invites (a token and the relay's address, sealed under a key only
//!   the link's fragment carries), their accept route and page.
//! - [`clock`]: injectable time.

pub mod access;
pub mod access_log;
#[cfg(unix)]
pub mod admin;
pub mod clock;
pub mod config;
pub mod connections;
pub mod discovery;
pub mod error;
pub mod fingerprint;
pub mod headless;
pub mod http;
pub mod invites;
pub mod keys;
pub mod model;
pub mod ops;
pub mod policy;
pub mod ratelimit;
pub mod relay;
pub mod seal;
pub mod serve;
pub mod store;
pub mod tls_identity;
pub mod tokens;
pub mod web;

pub use access_log::{AccessAction, AccessLog, AccessLogEntry, AccessLogFilter, Client};
pub use clock::Clock;
pub use config::{Connections, PassphraseHashing, Quotas, RateLimits, RelayConfig};
pub use error::{Error, Result};
pub use fingerprint::{Fingerprint, FingerprintError};
pub use hushlink_protocol::SecretText;
pub use invites::{AcceptError, CreatedInvite, InviteAddress, InviteState, InviteSummary};
pub use keys::{Key, KeyError};
pub use model::BurnReason;
pub use model::{
    BurnError, Burned, CreateError, Created, Credentials, NewSecret, Receipt, ReceiptState,
    RecentReceipt, RevealError, Revealed, SecretInfo, SecretStatus,
};
pub use policy::{AnonymousCreate, RateLimit};
pub use relay::{Relay, RelayStatus};
pub use serve::{serve, serve_tls, TlsFiles};
pub use store::Durability;
pub use tls_identity::TlsIdentity;
pub use tokens::{IssuedToken, TokenIdentity, TokenSummary, Tokens};
