//! Columns to the relay's types, and back: the same values SQLite stores.

use tokio_postgres::Row;

use super::PgError;
use crate::keys::RowId;
use crate::model::{BurnReason, SecretKind, StoredReceipt, StoredState};
use crate::seal::ValueSeal;

/// A 32-byte row id from a `bytea` column.
pub(super) fn row_id(bytes: &[u8]) -> Result<RowId, PgError> {
    bytes.try_into().map_err(|_| PgError::Corrupt)
}

/// How a value is sealed, from its `smallint` column.
pub(super) fn seal(n: i16) -> Result<ValueSeal, PgError> {
    ValueSeal::from_db(i64::from(n)).map_err(|_| PgError::Corrupt)
}

/// The `smallint` a seal is stored as.
pub(super) fn seal_number(seal: ValueSeal) -> i16 {
    i16::try_from(seal.to_db()).unwrap_or(i16::MAX)
}

/// The `kind` column's text.
pub(super) fn kind_text(kind: SecretKind) -> &'static str {
    match kind {
        SecretKind::Conceal => "conceal",
        SecretKind::Generate => "generate",
    }
}

/// A receipt from the columns every receipt reader returns (see [`super::sql::RECEIPT`]),
/// in that order, from column 0.
pub(super) fn receipt(r: &Row) -> Result<StoredReceipt, PgError> {
    let state: &str = r.try_get(4)?;
    let reason: Option<&str> = r.try_get(5)?;
    Ok(StoredReceipt {
        secret_id: row_id(r.try_get(0)?)?,
        sealed_secret_key: r.try_get(1)?,
        owner: r.try_get(2)?,
        kind: if r.try_get::<_, &str>(3)? == "generate" {
            SecretKind::Generate
        } else {
            SecretKind::Conceal
        },
        state: StoredState::parse(state).map_err(|_| PgError::Corrupt)?,
        burn_reason: match reason {
            Some("sender") => Some(BurnReason::Sender),
            Some("passphrase_attempts") => Some(BurnReason::PassphraseAttempts),
            _ => None,
        },
        has_passphrase: r.try_get(6)?,
        e2e: r.try_get(7)?,
        ttl: r.try_get(8)?,
        created_at: r.try_get(9)?,
        updated_at: r.try_get(10)?,
        received_at: r.try_get(11)?,
        received_ip: r.try_get(12)?,
        burned_at: r.try_get(13)?,
        secret_expires_at: r.try_get(14)?,
        expires_at: r.try_get(15)?,
        id: row_id(r.try_get(16)?)?,
    })
}
