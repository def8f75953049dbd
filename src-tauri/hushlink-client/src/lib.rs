//! Async client for any Onetime Secret-compatible server: onetimesecret.com and its regions,
//! self-hosted and custom-domain instances, and Hushlink relays.
//!
//! One [`Client`] per server profile ([`ServerConfig`]: base URL, optional username and API
//! token). Every call of the v1 API is here ([`Client::status`], [`Client::authcheck`],
//! [`Client::share`], [`Client::generate`], [`Client::reveal`], [`Client::receipt`],
//! [`Client::burn`], [`Client::recent`]) plus v2 batch status
//! ([`Client::secret_status_batch`]). Failures are typed ([`Error`], with a stable
//! [`Error::code`]), decided from Onetime's documented message texts rather than the HTTP
//! status, which v1 sets to 404 for nearly everything.
//!
//! Transport rules: HTTPS except for LAN hosts ([`config`]), connect and total timeouts,
//! user agent `hushlink/<version>`, the system proxy only for HTTPS to internet hosts
//! (never for plain HTTP or the LAN), redirects never followed (reported as
//! [`Error::Redirected`]), rustls with the `ring` provider and the platform verifier, or
//! exactly one certificate when the profile pins one ([`ServerConfig::pinned_cert`]).
//!
//! Module map:
//! - [`config`]: [`ServerConfig`], [`Options`], and the plain-HTTP rule.
//! - [`error`]: [`Error`] and its codes.
//! - `client`: [`Client`] and [`Shared`]; `client::generation`: [`Generation`], the server
//!   generation from `/api/v2/version`, asked once per client.
//! - `transport`: TLS settings, proxy rule, transport failures → [`Error`].
//! - `answer`: HTTP answer → value or [`Error`] (the mapping table of `docs/protocol.md`).
//! - [`in_process`]: [`InProcess`], a server in this process (the app's own relay).
//! - [`pin`]: [`CertPin`], a certificate pinned by its SHA-256 fingerprint (a colleague's
//!   relay over HTTPS), and the rustls verifier that enforces it.
//! - [`e2e`]: end-to-end encryption for relay links (`hushlink-e2e:v1:`).
//! - [`invite`]: [`invite::accept_invite`], importing a relay's one-time invite.
//! - `conformance` (feature `conformance`): scenarios that check a live server.
//!
//! Its tests run against the real relay and the recorded answers of a real Onetime release,
//! both from the dev-only `hushlink-testkit` crate.

mod answer;
mod client;
pub mod config;
pub mod e2e;
pub mod error;
pub mod in_process;
pub mod invite;
pub mod pin;
mod transport;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use client::{Client, Generation, Shared, USER_AGENT};
pub use config::{Options, ServerConfig};
pub use error::{Error, ErrorCode, Result};
pub use hushlink_protocol::{
    self as protocol, v1::GenerateRequest, v1::ShareRequest, Link, LinkKind, SecretText, State,
};
pub use in_process::InProcess;
pub use pin::{CertPin, CertPinError};
