//! The values operations take and return, independent of any wire format.

use hushlink_protocol::SecretText;

use crate::error::Error;
use crate::keys::Key;
use crate::store::{BurnReason, Kind, ReceiptRow, StoredState};
use crate::tokens::TokenIdentity;

/// A secret to create.
#[derive(Debug, Default)]
pub struct NewSecret {
    /// The value; `None` asks the relay to generate a password.
    pub value: Option<SecretText>,
    /// Requested lifetime; clamped to the configured range, default when `None`.
    pub ttl_secs: Option<u64>,
    /// Passphrase the recipient must give; `None` or empty for none.
    pub passphrase: Option<SecretText>,
    /// The value is end-to-end ciphertext (Hushlink extension `e2e`): the recipient page
    /// must decrypt it with the key in the link's fragment.
    pub e2e: bool,
    /// Length of a generated password (default 12, at most 128).
    pub generate_length: Option<usize>,
}

/// A caller proven by an API token. A token may create secrets and list the states of its
/// own receipts ([`RecentReceipt`]), nothing else: the relay stores nothing derived from
/// the token or the keys for it, so no token can read or burn what it created.
#[derive(Debug)]
pub struct Credentials {
    /// Who the token belongs to.
    pub identity: TokenIdentity,
    /// The token itself, for this request only; never stored or sealed into anything.
    pub token: SecretText,
}

/// A receipt's state, as the operations report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptState {
    /// Waiting to be revealed.
    New,
    /// Revealed; the secret is gone.
    Received,
    /// Burned (see [`Receipt::burn_reason`]).
    Burned,
    /// The TTL passed unrevealed.
    Expired,
}

impl From<StoredState> for ReceiptState {
    fn from(state: StoredState) -> Self {
        match state {
            StoredState::New => Self::New,
            StoredState::Received => Self::Received,
            StoredState::Burned => Self::Burned,
            StoredState::Expired => Self::Expired,
        }
    }
}

/// The sender's view of a secret.
#[derive(Clone, Debug)]
pub struct Receipt {
    /// The receipt key (`/receipt/KEY`).
    pub receipt_key: Key,
    /// The share key, while the secret is live.
    pub secret_key: Option<Key>,
    /// State as of [`Receipt::now`].
    pub state: ReceiptState,
    /// Why it was burned.
    pub burn_reason: Option<BurnReason>,
    /// Made by generate rather than share.
    pub generated: bool,
    /// A passphrase was set.
    pub has_passphrase: bool,
    /// Marked end-to-end.
    pub e2e: bool,
    /// Granted lifetime in seconds.
    pub ttl: u64,
    /// Unix seconds.
    pub created_at: i64,
    /// Last state change.
    pub updated_at: i64,
    /// When it was revealed.
    pub received_at: Option<i64>,
    /// The address it was revealed from.
    pub received_ip: Option<String>,
    /// When it was burned.
    pub burned_at: Option<i64>,
    /// When the secret expires.
    pub secret_expires_at: i64,
    /// When the receipt is deleted (2 × TTL after creation).
    pub expires_at: i64,
    /// The time this view was taken.
    pub now: i64,
}

impl Receipt {
    pub(crate) fn from_row(
        row: ReceiptRow,
        receipt_key: Key,
        secret_key: Option<Key>,
        now: i64,
    ) -> Self {
        let state = ReceiptState::from(row.state_at(now));
        Self {
            receipt_key,
            secret_key: if state == ReceiptState::New {
                secret_key
            } else {
                None
            },
            state,
            burn_reason: row.burn_reason,
            generated: row.kind == Kind::Generate,
            has_passphrase: row.has_passphrase,
            e2e: row.e2e,
            ttl: u64::try_from(row.ttl).unwrap_or(0),
            created_at: row.created_at,
            updated_at: row.updated_at,
            received_at: row.received_at,
            received_ip: row.received_ip,
            burned_at: row.burned_at,
            secret_expires_at: row.secret_expires_at,
            expires_at: row.expires_at,
            now,
        }
    }

    /// Seconds the secret still lives; `None` once it is gone.
    pub fn secret_ttl_remaining(&self) -> Option<u64> {
        (self.state == ReceiptState::New)
            .then(|| u64::try_from(self.secret_expires_at - self.now).unwrap_or(0))
    }

    /// Seconds until the receipt itself is deleted.
    pub fn receipt_ttl_remaining(&self) -> u64 {
        u64::try_from(self.expires_at - self.now).unwrap_or(0)
    }
}

/// One line of `recent`: what a token may know about a secret it created. No key, nothing
/// that leads to one: the relay keeps none for the token (issue 14, item 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentReceipt {
    /// The access log's id of the secret ([`crate::keys::key_id`]): the sender's app, which
    /// holds the share key, computes the same id; nobody else learns anything from it.
    pub key_id: String,
    /// State as of [`RecentReceipt::now`].
    pub state: ReceiptState,
    /// Why it was burned.
    pub burn_reason: Option<BurnReason>,
    /// Made by generate rather than share.
    pub generated: bool,
    /// A passphrase was set.
    pub has_passphrase: bool,
    /// Marked end-to-end.
    pub e2e: bool,
    /// Granted lifetime in seconds.
    pub ttl: u64,
    /// Unix seconds.
    pub created_at: i64,
    /// Last state change.
    pub updated_at: i64,
    /// When it was revealed.
    pub received_at: Option<i64>,
    /// When it was burned.
    pub burned_at: Option<i64>,
    /// When the secret expires (or expired).
    pub secret_expires_at: i64,
    /// When the receipt is deleted.
    pub expires_at: i64,
    /// The time this view was taken.
    pub now: i64,
}

impl RecentReceipt {
    pub(crate) fn from_row(row: &ReceiptRow, now: i64) -> Self {
        let state = ReceiptState::from(row.state_at(now));
        Self {
            key_id: crate::keys::key_id(&row.secret_id),
            state,
            burn_reason: row.burn_reason,
            generated: row.kind == Kind::Generate,
            has_passphrase: row.has_passphrase,
            e2e: row.e2e,
            ttl: u64::try_from(row.ttl).unwrap_or(0),
            created_at: row.created_at,
            updated_at: row.updated_at,
            received_at: row.received_at.filter(|_| state == ReceiptState::Received),
            burned_at: row.burned_at.filter(|_| state == ReceiptState::Burned),
            secret_expires_at: row.secret_expires_at,
            expires_at: row.expires_at,
            now,
        }
    }

    /// Seconds the secret still lives; `None` once it is gone.
    pub fn secret_ttl_remaining(&self) -> Option<u64> {
        (self.state == ReceiptState::New)
            .then(|| u64::try_from(self.secret_expires_at - self.now).unwrap_or(0))
    }

    /// Seconds until the receipt itself is deleted.
    pub fn receipt_ttl_remaining(&self) -> u64 {
        u64::try_from(self.expires_at - self.now).unwrap_or(0)
    }
}

/// A created secret.
#[derive(Debug)]
pub struct Created {
    /// Its receipt (state `new`, with both keys).
    pub receipt: Receipt,
    /// The generated password, for generate.
    pub generated: Option<SecretText>,
}

/// A revealed secret: the relay has already deleted it.
#[derive(Debug)]
pub struct Revealed {
    /// The value (end-to-end ciphertext when `e2e`).
    pub value: SecretText,
    /// Marked end-to-end by its creator.
    pub e2e: bool,
}

/// What a recipient page may know before revealing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecretInfo {
    /// A passphrase must be given.
    pub has_passphrase: bool,
    /// The value is end-to-end ciphertext.
    pub e2e: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// When it stops being readable.
    pub expires_at: i64,
}

/// What the batch status reports about one secret key, from its receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretStatus {
    /// State as of now.
    pub state: ReceiptState,
    /// A passphrase was set.
    pub has_passphrase: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// Last state change.
    pub updated_at: i64,
    /// Granted lifetime in seconds.
    pub ttl: u64,
    /// Seconds left while live.
    pub remaining_secs: Option<u64>,
    /// When it was revealed.
    pub received_at: Option<i64>,
}

/// A burned secret.
#[derive(Debug)]
pub struct Burned {
    /// The receipt after the burn (state `burned`).
    pub receipt: Receipt,
    /// First 8 characters of the secret key (v1 `secret_shortkey`).
    pub secret_shortkey: String,
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
    /// Too many creates from this address.
    #[error("{}", hushlink_protocol::errors::RATE_LIMITED)]
    RateLimited {
        /// Seconds until the window ends.
        retry_after_secs: u64,
    },
    /// A quota of `RelayConfig::quotas` is used up; nothing was created.
    #[error("{0}")]
    QuotaExceeded(#[from] Quota),
    /// A relay fault; nothing was created.
    #[error(transparent)]
    Fault(#[from] Error),
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
    /// Too many reveals or wrong passphrases from this address.
    #[error("{}", hushlink_protocol::errors::RATE_LIMITED)]
    RateLimited {
        /// Seconds until the window ends.
        retry_after_secs: u64,
    },
    /// A relay fault; the secret was not consumed.
    #[error(transparent)]
    Fault(#[from] Error),
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
    /// Too many requests from this address.
    #[error("{}", hushlink_protocol::errors::RATE_LIMITED)]
    RateLimited {
        /// Seconds until the window ends.
        retry_after_secs: u64,
    },
    /// A relay fault; nothing changed.
    #[error(transparent)]
    Fault(#[from] Error),
}
