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
//! Layers, bottom up; each uses only the ones below it:
//!
//! 1. **Domain** (no I/O): [`model`] (what operations take and return: secrets, receipts,
//!    their states, the errors), `keys` (links' keys and their row ids: [`Key`],
//!    [`key_id`]), [`config`] ([`RelayConfig`] and its documented defaults), [`access_log`] (the log's lines and
//!    [`Client`]), [`invites`] (what an invite is), [`clock`] (injectable time),
//!    [`peer_filter`] (LAN peers plus the allow-list), [`policy`] (who may create without a
//!    token; whether rate limits apply), [`error`].
//! 2. **Storage** (private to the crate): `store` (the `Storage` trait, everything the
//!    operations ask of storage as async methods, and its SQLite engine with one
//!    group-committing writer thread and pooled readers), `seal` (HKDF + AES-256-GCM
//!    sealing, Argon2id).
//! 3. **Operations**: [`operations`] ([`Relay`], the cheap-to-clone handle, and create,
//!    peek, reveal, receipt, burn, status, recent, invites, sweeps), with [`tokens`] (API
//!    tokens), [`ratelimit`] (per-client limits).
//! 4. **HTTP**: [`mod@router`] (the one list of routes), [`http`] (the API handlers, the
//!    request's [`http::Call`], security headers, peer filter, the cross-site rule, the
//!    `Host` check), [`web`] (the recipient pages), [`mod@serve`] (running the router on a
//!    listener, with optional TLS, refusing peers and connections over the caps at accept),
//!    [`connections`] (those caps and the deadlines of slow clients).
//!
//! Beside them: [`tls_identity`] (the relay's own self-signed certificate) and
//! [`fingerprint`] (its SHA-256 [`Fingerprint`], which colleagues' apps pin);
//! [`discovery`] (DNS-SD over mDNS: [`discovery::Announcer`], [`discovery::browse`]);
//! [`headless`] (the binary's layered configuration and command line); `admin` (unix: the
//! local admin socket [`admin::serve_admin`], its client, the data directory's lock, the
//! token and invite commands); [`bulk`] (filling a data directory fast, for benchmarks).
//!
//! A new route, bottom up: its inputs, outputs and errors in [`model`]; what it needs stored
//! as a method of the `Storage` trait (`store/storage.rs`) with its SQL in `store/`; the
//! operation as a method of [`Relay`] in [`operations`]; the v1 and v2 handlers in [`http`]
//! (and a page in [`web`] if browsers use it); one line per path in [`router()`].

pub mod access_log;
#[cfg(unix)]
pub mod admin;
pub mod bulk;
pub mod clock;
pub mod config;
pub mod connections;
pub mod discovery;
pub mod error;
pub mod fingerprint;
pub mod headless;
pub mod http;
pub mod invites;
pub(crate) mod keys;
pub mod model;
pub mod operations;
pub mod peer_filter;
pub mod policy;
pub mod ratelimit;
pub mod router;
pub(crate) mod seal;
pub mod serve;
pub(crate) mod store;
pub(crate) mod store_pg;
pub mod tls_identity;
pub mod tokens;
pub mod web;

pub use access_log::{AccessAction, AccessLogEntry, AccessLogFilter, Client};
pub use clock::Clock;
pub use config::Durability;
pub use config::{Connections, PassphraseHashing, Quotas, RateLimits, RelayConfig};
pub use error::{Error, Result};
pub use fingerprint::{Fingerprint, FingerprintError};
pub use hushlink_protocol::SecretText;
pub use invites::{AcceptError, CreatedInvite, InviteAddress, InviteState, InviteSummary};
pub use keys::{key_id, Key, KeyError, KeyKind};
pub use model::BurnReason;
pub use model::{
    BurnError, Burned, CreateError, Created, Credentials, NewSecret, PageInfo, Receipt,
    ReceiptState, RecentReceipt, RevealError, Revealed, SecretInfo, SecretStatus, Unavailable,
};
pub use operations::{AccessLog, Relay, RelayStatus};
pub use peer_filter::PeerFilter;
pub use policy::{AnonymousCreate, RateLimit};
pub use router::{router, router_on};
pub use serve::{serve, serve_tls, TlsFiles};
pub use store::Swept;
pub use tls_identity::TlsIdentity;
pub use tokens::{IssuedToken, TokenIdentity, TokenSummary, Tokens};
