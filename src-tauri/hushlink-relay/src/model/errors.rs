//! Why an operation gave no result.

use crate::error::Error;

/// What may stop any operation, whichever it is: the client is over a rate limit, or the
/// relay failed. Shared by [`CreateError`], [`RevealError`] and [`BurnError`], so each
/// adapter (v1, v2, pages) answers it in one place.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Unavailable {
    /// Too many requests from this client; nothing happened.
    #[error("{}", hushlink_protocol::errors::RATE_LIMITED)]
    RateLimited {
        /// Seconds until the window ends.
        retry_after_secs: u64,
    },
    /// A relay fault; nothing happened (a secret was not consumed).
    #[error(transparent)]
    Fault(#[from] Error),
}

impl Unavailable {
    /// Over a rate limit for `retry_after_secs` more seconds.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::RateLimited { retry_after_secs }
    }
}

impl From<Error> for CreateError {
    fn from(err: Error) -> Self {
        Self::Unavailable(Unavailable::Fault(err))
    }
}

impl From<Error> for RevealError {
    fn from(err: Error) -> Self {
        Self::Unavailable(Unavailable::Fault(err))
    }
}

impl From<Error> for BurnError {
    fn from(err: Error) -> Self {
        Self::Unavailable(Unavailable::Fault(err))
    }
}

/// Why a create was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CreateError {
    /// No valid API token, and `anonymous_create` does not admit the client's address (or
    /// the request came through a proxy).
    #[error("creating secrets needs an API token")]
    NotAuthorized,
    /// No value (share).
    #[error("{}", hushlink_protocol::errors::NOTHING_TO_SHARE)]
    Empty,
    /// The value exceeds `max_secret_bytes`.
    #[error("{}", hushlink_protocol::errors::secret_too_large(*max_bytes))]
    TooLarge {
        /// The limit.
        max_bytes: usize,
    },
    /// The passphrase is shorter than allowed.
    #[error("{}", hushlink_protocol::errors::passphrase_too_short(*min_chars))]
    PassphraseTooShort {
        /// The limit.
        min_chars: usize,
    },
    /// The passphrase is longer than allowed.
    #[error("{}", hushlink_protocol::errors::passphrase_too_long(*max_chars))]
    PassphraseTooLong {
        /// The limit.
        max_chars: usize,
    },
    /// `length` above 128 on generate.
    #[error("{}", hushlink_protocol::errors::GENERATE_LENGTH_TOO_LONG)]
    GenerateLengthTooLong,
    /// The sender's note breaks [`hushlink_protocol::note`]'s rule (too long, not one line).
    #[error(transparent)]
    SenderNote(#[from] hushlink_protocol::note::NoteError),
    /// A quota of `RelayConfig::quotas` is used up; nothing was created.
    #[error("{0}")]
    QuotaExceeded(#[from] Quota),
    /// Too many creates from this address, or a relay fault; nothing was created.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

/// The quota a create would have exceeded, with its limit. The texts say what to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Quota {
    /// The token already has this many live secrets.
    #[error("This API token already has {0} live secrets, its limit. Wait until some are revealed, burned or expire.")]
    TokenSecrets(u64),
    /// The token's live secrets would take more than this many bytes.
    #[error("This API token's live secrets would exceed its limit of {0} bytes. Wait until some are revealed, burned or expire.")]
    TokenBytes(u64),
    /// The relay already holds this many live secrets.
    #[error("The relay holds its maximum of {0} live secrets. Try again when some are revealed, burned or expire.")]
    RelaySecrets(u64),
    /// The relay's live secrets would take more than this many bytes.
    #[error("The relay's live secrets would exceed its limit of {0} bytes. Try again when some are revealed, burned or expire.")]
    RelayBytes(u64),
}

impl Quota {
    /// The status Onetime-style answers mean: 403 for the caller's own allowance, 507
    /// (Insufficient Storage) when the relay as a whole is full.
    pub fn status(self) -> u16 {
        match self {
            Self::TokenSecrets(_) | Self::TokenBytes(_) => 403,
            Self::RelaySecrets(_) | Self::RelayBytes(_) => 507,
        }
    }
}

/// Why a reveal gave no value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RevealError {
    /// Unknown, already revealed, burned or expired: deliberately one answer.
    #[error("{}", hushlink_protocol::errors::UNKNOWN_SECRET)]
    Unknown,
    /// The secret has a passphrase and none was given (not counted as an attempt).
    #[error("{}", hushlink_protocol::errors::INCORRECT_PASSPHRASE)]
    PassphraseRequired,
    /// Wrong passphrase; the secret survives `attempts_left` more wrong tries.
    #[error("{}", hushlink_protocol::errors::INCORRECT_PASSPHRASE)]
    WrongPassphrase {
        /// Wrong tries left before the secret is burned.
        attempts_left: u32,
    },
    /// That wrong passphrase was the last one allowed: the secret is burned.
    #[error("{}", hushlink_protocol::errors::UNKNOWN_SECRET)]
    BurnedAfterAttempts,
    /// Too many reveals or wrong passphrases from this address, or a relay fault; the
    /// secret was not consumed.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

/// Why a burn did not happen.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BurnError {
    /// Unknown receipt, or the secret is already gone.
    #[error("{}", hushlink_protocol::errors::UNKNOWN_SECRET)]
    Unknown,
    /// A passphrase was given and it is wrong (counted like a reveal attempt).
    #[error("{}", hushlink_protocol::errors::DOUBLE_CHECK_PASSPHRASE)]
    WrongPassphrase {
        /// Wrong tries left before the secret is burned anyway.
        attempts_left: u32,
    },
    /// Too many requests from this address, or a relay fault; nothing changed.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}
