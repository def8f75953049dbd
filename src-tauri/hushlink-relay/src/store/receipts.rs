//! SQL for reading receipts (the receipt half of a `secrets` row).

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Result;
use crate::keys::RowId;
use crate::model::{BurnReason, SecretKind, StoredReceipt, StoredState};

const RECEIPT_COLUMNS: &str = "secret_id, secret_key, owner, kind, state, burn_reason,
    has_passphrase, e2e, ttl, created_at, updated_at, received_at, received_ip, burned_at,
    secret_expires_at, expires_at, receipt_id";

fn receipt_from(r: &Row<'_>) -> rusqlite::Result<(StoredReceipt, String, Option<String>)> {
    let row = StoredReceipt {
        id: r.get(16)?,
        secret_id: r.get(0)?,
        sealed_secret_key: r.get(1)?,
        owner: r.get(2)?,
        kind: if r.get_ref(3)?.as_str()? == "generate" {
            SecretKind::Generate
        } else {
            SecretKind::Conceal
        },
        state: StoredState::New,
        burn_reason: None,
        has_passphrase: r.get(6)?,
        e2e: r.get(7)?,
        ttl: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        received_at: r.get(11)?,
        received_ip: r.get(12)?,
        burned_at: r.get(13)?,
        secret_expires_at: r.get(14)?,
        expires_at: r.get(15)?,
    };
    Ok((row, r.get(4)?, r.get(5)?))
}

fn finish_receipt(
    (mut row, state, reason): (StoredReceipt, String, Option<String>),
) -> Result<StoredReceipt> {
    row.state = StoredState::parse(&state)?;
    row.burn_reason = match reason.as_deref() {
        Some("sender") => Some(BurnReason::Sender),
        Some("passphrase_attempts") => Some(BurnReason::PassphraseAttempts),
        _ => None,
    };
    Ok(row)
}

/// The receipt with this row id, unless it has outlived its 2 × TTL.
pub fn receipt(conn: &Connection, id: &RowId, now: i64) -> Result<Option<StoredReceipt>> {
    let sql =
        format!("SELECT {RECEIPT_COLUMNS} FROM secrets WHERE receipt_id = ?1 AND expires_at > ?2");
    conn.prepare_cached(&sql)?
        .query_row(params![id, now], receipt_from)
        .optional()?
        .map(finish_receipt)
        .transpose()
}

/// The receipt of the secret with this row id (what a secret's status shows after reveal).
pub fn receipt_for_secret(
    conn: &Connection,
    secret_id: &RowId,
    now: i64,
) -> Result<Option<StoredReceipt>> {
    let sql =
        format!("SELECT {RECEIPT_COLUMNS} FROM secrets WHERE secret_id = ?1 AND expires_at > ?2");
    conn.prepare_cached(&sql)?
        .query_row(params![secret_id, now], receipt_from)
        .optional()?
        .map(finish_receipt)
        .transpose()
}

/// Receipts created by `owner` since `since`, oldest first.
pub fn recent(conn: &Connection, owner: &str, since: i64, now: i64) -> Result<Vec<StoredReceipt>> {
    let sql = format!(
        "SELECT {RECEIPT_COLUMNS} FROM secrets WHERE owner = ?1 AND created_at >= ?2 AND expires_at > ?3
         ORDER BY created_at"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![owner, since, now], receipt_from)?;
    rows.map(|row| finish_receipt(row?)).collect()
}
