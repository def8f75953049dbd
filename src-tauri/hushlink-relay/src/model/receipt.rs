//! Receipts: what the relay keeps about a secret for its sender, as stored and as reported.

use crate::error::{Error, Result};
use crate::keys::{Key, RowId};

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
        row: StoredReceipt,
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
            generated: row.kind == SecretKind::Generate,
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
    pub(crate) fn from_row(row: &StoredReceipt, now: i64) -> Self {
        let state = ReceiptState::from(row.state_at(now));
        Self {
            key_id: crate::keys::key_id(&row.secret_id),
            state,
            burn_reason: row.burn_reason,
            generated: row.kind == SecretKind::Generate,
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

/// A receipt's state as stored. `viewed` never occurs (Onetime stopped setting it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoredState {
    /// Waiting to be revealed.
    New,
    /// Revealed; the secret is gone.
    Received,
    /// Burned by the sender, or after too many wrong passphrases.
    Burned,
    /// The secret's TTL passed.
    Expired,
}

impl StoredState {
    pub(crate) fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "new" => Self::New,
            "received" => Self::Received,
            "burned" => Self::Burned,
            "expired" => Self::Expired,
            _ => return Err(Error::Corrupt),
        })
    }
}

/// How the secret was made: from a value, or a password the relay generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretKind {
    /// `share` / `conceal`.
    Conceal,
    /// `generate`.
    Generate,
}

/// Why a receipt says `burned`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BurnReason {
    /// The sender burned it with the receipt key.
    Sender,
    /// Someone with the link tried too many wrong passphrases; burned to stop guessing.
    PassphraseAttempts,
}

/// A receipt as stored (by any storage engine).
#[derive(Clone, Debug)]
pub struct StoredReceipt {
    /// Its own row id ([`crate::keys::Key::row_id`] of the receipt key).
    pub id: RowId,
    /// Row id of the secret it describes.
    pub secret_id: RowId,
    /// The secret key sealed under the receipt key; empty once the secret is gone.
    pub sealed_secret_key: Vec<u8>,
    /// Id of the creating API token.
    pub owner: Option<String>,
    /// Share or generate.
    pub kind: SecretKind,
    /// Stored state; `New` past `secret_expires_at` reads as expired.
    pub state: StoredState,
    /// Why it was burned.
    pub burn_reason: Option<BurnReason>,
    /// A passphrase was set.
    pub has_passphrase: bool,
    /// Marked end-to-end.
    pub e2e: bool,
    /// Granted lifetime of the secret.
    pub ttl: i64,
    /// Times, Unix seconds.
    pub created_at: i64,
    /// Last state change.
    pub updated_at: i64,
    /// When it was revealed.
    pub received_at: Option<i64>,
    /// From which address it was revealed.
    pub received_ip: Option<String>,
    /// When it was burned.
    pub burned_at: Option<i64>,
    /// When the secret expires.
    pub secret_expires_at: i64,
    /// When the receipt itself is deleted.
    pub expires_at: i64,
}

impl StoredReceipt {
    /// The state as of `now`: a new receipt whose secret's TTL has passed reads as expired
    /// at once, before the sweeper gets to it.
    pub fn state_at(&self, now: i64) -> StoredState {
        if self.state == StoredState::New && now >= self.secret_expires_at {
            StoredState::Expired
        } else {
            self.state
        }
    }
}
