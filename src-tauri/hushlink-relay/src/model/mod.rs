//! The values operations take and return, independent of any wire format.

use hushlink_protocol::SecretText;

mod errors;
mod receipt;
pub mod token;

pub use errors::{BurnError, CreateError, Quota, RevealError, Unavailable};
pub use receipt::{
    BurnReason, Receipt, ReceiptState, RecentReceipt, SecretKind, StoredReceipt, StoredState,
};
pub use token::TokenIdentity;

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

/// What the recipient's page shows before anything is revealed.
#[derive(Debug)]
pub struct PageInfo {
    /// What the relay knows about the secret.
    pub info: SecretInfo,
    /// The sender's note for the recipient (Hushlink extension `sender_note`), unsealed with
    /// the link's key; redacted in `Debug`.
    pub sender_note: Option<SecretText>,
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
