//! Everything a call can fail with, told apart the way a person needs to act on it, and
//! [`ErrorCode`], the machine codes front ends branch on.
//!
//! v1 answers nearly every error with HTTP 404, so kinds are decided from the documented
//! message texts (`hushlink_protocol::errors`), not from the status alone; see
//! `docs/protocol.md` for the full mapping table. Messages never contain a secret, a
//! passphrase, a token or a full key.
//!
//! Left out on purpose: a separate "not found" for unknown keys (Onetime cannot tell unknown
//! from consumed from expired, so all are [`Error::SecretGone`]), and a "server down" apart
//! from [`Error::Unreachable`] (the network cannot tell them apart either).

use std::time::Duration;

mod code;

pub use code::ErrorCode;

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a call to an Onetime server failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server URL or link cannot be used (bad syntax, wrong scheme, credentials in it).
    #[error("invalid server address: {reason}")]
    InvalidUrl {
        /// What is wrong with it.
        reason: String,
    },
    /// Plain `http://` to a host that may be on the internet; only LAN hosts may skip HTTPS.
    #[error("refusing plain http:// to {host}: use https://, or a relay on your own network")]
    InsecureUrl {
        /// The host that was refused.
        host: String,
    },
    /// A key is not a key (empty, too long, characters keys never have).
    #[error("invalid key: {reason}")]
    InvalidKey {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The profile is incomplete (for example a token without a username).
    #[error("invalid settings: {reason}")]
    InvalidConfig {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// No connection: DNS failure, refused, reset or closed before an answer.
    #[error("cannot reach the server: {reason}")]
    Unreachable {
        /// The network error, without the URL.
        reason: String,
    },
    /// Connecting or the whole call took longer than allowed.
    #[error("the server did not answer in time")]
    Timeout,
    /// TLS failed: untrusted or expired certificate, wrong host name, no common protocol.
    #[error("secure connection failed: {reason}")]
    Tls {
        /// The TLS error.
        reason: String,
    },
    /// The server presented another certificate than the pinned one: someone on the network
    /// may be intercepting the connection, or the relay's certificate was replaced. Nothing
    /// was sent (the handshake failed before any request).
    #[error("the server's certificate does not match the pinned fingerprint: someone may be intercepting the connection, or the relay's certificate was replaced; ask the relay's owner for its fingerprint (it presented {presented})")]
    PinMismatch {
        /// The fingerprint of the certificate the server presented (`AB:CD:…`).
        presented: String,
    },
    /// The server answered with a redirect, which is never followed (it could send the
    /// credentials or the secret elsewhere).
    #[error("the server redirected (HTTP {status}) to {location}; use that address as the server if you trust it")]
    Redirected {
        /// The 3xx status.
        status: u16,
        /// Origin of the `Location` target (scheme, host, port; never its path), or
        /// `"nowhere"` when absent.
        location: String,
    },
    /// Credentials were sent and refused (`Not authorized`, v2 401).
    #[error("the server refused the username or API token")]
    BadCredentials,
    /// The call needs an account (`Not authorized` with no credentials sent).
    #[error("this needs an account: set a username and API token for this server")]
    CredentialsRequired,
    /// Credentials were sent to a server with accounts switched off (`... is not available`).
    #[error("this server has accounts switched off: remove the username and token")]
    AuthDisabled,
    /// The secret was revealed, burned, expired or never existed.
    #[error("the secret is gone: already viewed, burned, expired, or never existed")]
    SecretGone,
    /// The receipt no longer exists (receipts live twice the secret's TTL) or never did.
    #[error("the receipt is gone: it expired or never existed")]
    ReceiptGone,
    /// The passphrase was wrong (the server said so explicitly: burn, or a confirmed reveal).
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// Reveal without a passphrase of a secret that needs one (confirmed by the server).
    #[error("this secret needs a passphrase")]
    PassphraseRequired,
    /// Reveal failed with v1's `Unknown secret`, which Onetime also sends for a wrong or
    /// missing passphrase, and the server offered no way to tell which.
    #[error("the secret is gone, or the passphrase is wrong or missing")]
    SecretGoneOrWrongPassphrase,
    /// Too many requests; retry after the given time if the server said.
    #[error("rate limited by the server{}", retry_hint(.retry_after))]
    RateLimited {
        /// From `Retry-After` (or v2 `retry_after`), when sent.
        retry_after: Option<Duration>,
    },
    /// The server refused the input and said why (a validation text such as
    /// `You did not provide anything to share`).
    #[error("the server refused: {message}")]
    Rejected {
        /// The server's message, shown as is.
        message: String,
    },
    /// The server failed internally (`An unexpected error occurred :[`, HTTP 5xx).
    #[error("the server had an internal error (HTTP {status})")]
    ServerError {
        /// HTTP status (v1 faults arrive as 404).
        status: u16,
    },
    /// The server has a route for recent secrets but cannot list them: Onetime v0.23.6
    /// answers `An unexpected error occurred :[` to every `recent` (a bug in that release).
    /// Unlike [`Error::ServerError`], retrying does not help.
    #[error("this server cannot list recent secrets (a known defect of some Onetime releases); check each secret by its receipt link instead")]
    RecentUnavailable,
    /// The server does not offer this call (unknown route, API switched off, no v2).
    #[error("this server does not support {call}")]
    Unsupported {
        /// The call, e.g. `"batch status"`.
        call: &'static str,
    },
    /// The answer is not Onetime's protocol (HTML page, unexpected JSON, wrong status).
    #[error("the server does not speak the Onetime protocol (HTTP {status}): {excerpt}")]
    NotOnetime {
        /// HTTP status.
        status: u16,
        /// Start of the body, truncated, with anything we sent redacted.
        excerpt: String,
    },
    /// An end-to-end secret could not be decrypted (wrong or missing link fragment).
    #[error("cannot decrypt the secret: {0}")]
    Decrypt(#[from] crate::e2e::E2eError),
    /// The HTTP client could not be built (TLS setup).
    #[error("cannot set up the connection: {reason}")]
    Setup {
        /// The builder's error.
        reason: String,
    },
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!("; try again in {} s", d.as_secs()),
        None => "; try again later".into(),
    }
}

impl Error {
    /// The stable machine code of this failure; the desktop UI and the CLI's `--json`
    /// branch on it (see [`ErrorCode`]).
    pub fn code(&self) -> ErrorCode {
        ErrorCode::from(self)
    }

    /// Whether retrying the same call later may succeed (network, timeout, rate limit,
    /// server fault). A poller uses it to back off instead of giving up.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Unreachable { .. }
                | Self::Timeout
                | Self::RateLimited { .. }
                | Self::ServerError { .. }
        )
    }
}
