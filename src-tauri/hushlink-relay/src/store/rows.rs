//! SQL for secrets and receipts. Every function runs on a connection handed to it by
//! [`super::Store::write`] or [`super::Store::read`], so several of them compose into one
//! atomic job.

use rusqlite::{params, Connection, OptionalExtension};

use super::receipts::receipt;

use super::log::{self, LogLine};
use super::usage;
use crate::error::Result;
use crate::keys::{key_id, RowId};
use crate::model::{BurnReason, SecretKind, StoredReceipt, StoredState};
use crate::seal::ValueSeal;
use crate::AccessAction;

/// Everything one create writes.
pub struct NewRow {
    /// Row id of the secret key.
    pub secret_id: RowId,
    /// Row id of the receipt key.
    pub receipt_id: RowId,
    /// The sealed value.
    pub value: Vec<u8>,
    /// How `value` is sealed.
    pub seal: ValueSeal,
    /// The sender's note for the recipient, sealed under the secret key
    /// (`seal::Purpose::SenderNote`); kept beside the value and deleted with it.
    pub note: Option<Vec<u8>>,
    /// With [`ValueSeal::LinkAndPassphrase`], the Argon2id salt and cost of the passphrase's
    /// key (a PHC string without hash); with [`ValueSeal::Link`], the passphrase's Argon2id
    /// PHC hash (rows of older relays only).
    pub passphrase: Option<String>,
    /// The value is end-to-end ciphertext (the relay cannot tell; the creator says so).
    pub e2e: bool,
    /// Share or generate.
    pub kind: SecretKind,
    /// Id of the API token that created it. Only the id: nothing derived from the token or
    /// the receipt key is kept for it (issue 14, item 1).
    pub owner: Option<String>,
    /// The secret key sealed under the receipt key.
    pub sealed_secret_key: Vec<u8>,
    /// Granted lifetime in seconds.
    pub ttl: i64,
    /// Creation time.
    pub now: i64,
}

impl NewRow {
    /// When the secret stops being readable.
    pub fn secret_expires_at(&self) -> i64 {
        self.now.saturating_add(self.ttl)
    }

    /// When the receipt is deleted: it lives twice as long as the secret.
    pub fn receipt_expires_at(&self) -> i64 {
        self.now.saturating_add(self.ttl.saturating_mul(2))
    }

    /// The receipt exactly as [`insert_secret`] stores it, without reading it back.
    pub fn receipt(&self) -> StoredReceipt {
        StoredReceipt {
            id: self.receipt_id,
            secret_id: self.secret_id,
            sealed_secret_key: self.sealed_secret_key.clone(),
            owner: self.owner.clone(),
            kind: self.kind,
            state: StoredState::New,
            burn_reason: None,
            has_passphrase: self.passphrase.is_some(),
            e2e: self.e2e,
            ttl: self.ttl,
            created_at: self.now,
            updated_at: self.now,
            received_at: None,
            received_ip: None,
            burned_at: None,
            secret_expires_at: self.secret_expires_at(),
            expires_at: self.receipt_expires_at(),
        }
    }
}

/// Inserts a secret with its receipt (the receipt lives twice as long): its row, then its
/// sealed value under the row's id.
pub fn insert_secret(conn: &Connection, row: &NewRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO secrets (secret_id, receipt_id, secret_key, passphrase, has_passphrase,
                owner, kind, state, e2e, ttl, created_at, updated_at, secret_expires_at,
                expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'new', ?8, ?9, ?10, ?10, ?11, ?12)",
    )?
    .execute(params![
        row.secret_id,
        row.receipt_id,
        row.sealed_secret_key,
        row.passphrase,
        row.passphrase.is_some(),
        row.owner,
        match row.kind {
            SecretKind::Conceal => "conceal",
            SecretKind::Generate => "generate",
        },
        row.e2e,
        row.ttl,
        row.now,
        row.secret_expires_at(),
        row.receipt_expires_at(),
    ])?;
    // The row id of that insert, without a RETURNING clause's temporary table.
    let id = conn.last_insert_rowid();
    conn.prepare_cached(
        "INSERT INTO secret_values (id, value, seal, note) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, row.value, row.seal.to_db(), row.note])?;
    usage::added(row.owner.as_deref(), row.value.len());
    Ok(())
}

/// A live secret, without its value.
#[derive(Clone, Debug)]
pub struct SecretRow {
    /// Argon2id PHC string of the passphrase, if one was set.
    pub passphrase: Option<String>,
    /// Marked end-to-end by its creator.
    pub e2e: bool,
    /// Creation time.
    pub created_at: i64,
    /// When it stops being readable.
    pub expires_at: i64,
    /// The sender's sealed note, if one was given ([`NewRow::note`]).
    pub note: Option<Vec<u8>>,
}

/// The secret if it exists and has not expired.
pub fn peek_secret(conn: &Connection, id: &RowId, now: i64) -> Result<Option<SecretRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.passphrase, s.e2e, s.created_at, s.secret_expires_at, v.note
             FROM secrets s LEFT JOIN secret_values v ON v.id = s.id
             WHERE s.secret_id = ?1 AND s.state = 'new' AND s.secret_expires_at > ?2",
        )?
        .query_row(params![id, now], |r| {
            Ok(SecretRow {
                passphrase: r.get(0)?,
                e2e: r.get(1)?,
                created_at: r.get(2)?,
                expires_at: r.get(3)?,
                note: r.get(4)?,
            })
        })
        .optional()?)
}

/// A live secret's passphrase column and sealed value: what checking a passphrase needs.
pub struct Sealed {
    /// See [`NewRow::passphrase`].
    pub passphrase: Option<String>,
    /// How `value` is sealed.
    pub seal: ValueSeal,
    /// The sealed value.
    pub value: Vec<u8>,
}

/// The passphrase column and sealed value of the live secret `id`, if it exists and has not
/// expired.
pub fn peek_sealed(conn: &Connection, id: &RowId, now: i64) -> Result<Option<Sealed>> {
    let row = conn
        .prepare_cached(
            "SELECT s.passphrase, v.seal, v.value FROM secrets s JOIN secret_values v
                ON v.id = s.id
             WHERE s.secret_id = ?1 AND s.state = 'new' AND s.secret_expires_at > ?2",
        )?
        .query_row(params![id, now], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    row.map(|(passphrase, seal, value)| {
        Ok(Sealed {
            passphrase,
            seal: ValueSeal::from_db(seal)?,
            value,
        })
    })
    .transpose()
}

/// A value taken out of the store by a reveal.
pub struct Taken {
    /// The sealed value.
    pub value: Vec<u8>,
    /// How it is sealed.
    pub seal: ValueSeal,
    /// Marked end-to-end by its creator.
    pub e2e: bool,
}

/// What [`take_secret`] took, and whether an API token had created it.
pub struct TakenRow {
    /// The value and how to open it.
    pub taken: Taken,
    /// An API token created the secret (its log lines may name the token).
    pub owned: bool,
}

/// The exactly-once step of a reveal: deletes the live secret's value and returns it in ONE
/// statement, so of any number of concurrent callers exactly one gets it. A secret with a
/// passphrase is only taken when `passphrase_checked` (the caller verified it). Marks the
/// receipt received in the same job.
pub fn take_secret(
    conn: &Connection,
    id: &RowId,
    now: i64,
    passphrase_checked: bool,
    client_ip: Option<&str>,
) -> Result<Option<TakenRow>> {
    let taken = conn
        .prepare_cached(
            "DELETE FROM secret_values WHERE id = (
                SELECT id FROM secrets WHERE secret_id = ?1 AND state = 'new'
                AND secret_expires_at > ?2 AND (?3 OR passphrase IS NULL))
             RETURNING id, value, seal",
        )?
        .query_row(params![id, now, passphrase_checked], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((row, value, seal)) = taken else {
        return Ok(None);
    };
    let (e2e, owner): (bool, Option<String>) = conn
        .prepare_cached(
            "UPDATE secrets SET state = 'received', received_at = ?2, received_ip = ?3,
                updated_at = ?2, secret_key = x'', passphrase = NULL
             WHERE id = ?1 RETURNING e2e, owner",
        )?
        .query_row(params![row, now, client_ip], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let owned = owner.is_some();
    usage::removed(owner, i64::try_from(value.len()).unwrap_or(i64::MAX));
    Ok(Some(TakenRow {
        taken: Taken {
            value,
            seal: ValueSeal::from_db(seal)?,
            e2e,
        },
        owned,
    }))
}

/// Marks the live row `row` burned and deletes its value.
pub(super) fn mark_burned(conn: &Connection, row: i64, now: i64, reason: BurnReason) -> Result<()> {
    let reason = match reason {
        BurnReason::Sender => "sender",
        BurnReason::PassphraseAttempts => "passphrase_attempts",
    };
    drop_value(conn, row)?;
    conn.prepare_cached(
        "UPDATE secrets SET state = 'burned', burn_reason = ?3, burned_at = ?2, updated_at = ?2,
            secret_key = x'', passphrase = NULL WHERE id = ?1 AND state = 'new'",
    )?
    .execute(params![row, now, reason])?;
    Ok(())
}

/// Deletes the sealed value of row `row` (burned, expired, or its receipt swept; a reveal
/// takes it instead), if it is still there.
fn drop_value(conn: &Connection, row: i64) -> Result<()> {
    let dropped: Option<(i64, Option<String>)> = conn
        .prepare_cached(
            "DELETE FROM secret_values WHERE id = ?1
             RETURNING length(value), (SELECT owner FROM secrets WHERE id = ?1)",
        )?
        .query_row(params![row], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((bytes, owner)) = dropped {
        usage::removed(owner, bytes);
    }
    Ok(())
}

/// Burns the live secret behind a receipt; `None` when there is nothing left to burn.
pub fn burn(conn: &Connection, receipt_id: &RowId, now: i64) -> Result<Option<StoredReceipt>> {
    let live: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM secrets WHERE receipt_id = ?1 AND state = 'new'
             AND secret_expires_at > ?2",
        )?
        .query_row(params![receipt_id, now], |r| r.get(0))
        .optional()?;
    let Some(row) = live else {
        return Ok(None);
    };
    mark_burned(conn, row, now, BurnReason::Sender)?;
    receipt(conn, receipt_id, now)
}

/// What one sweep removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct Swept {
    /// Secrets whose TTL had passed.
    pub secrets: usize,
    /// Receipts past 2 × TTL.
    pub receipts: usize,
    /// Access-log lines past retention.
    pub log_lines: usize,
}

/// Deletes expired secrets' values (logging an `expire` line for each, marking receipts
/// expired), receipts past their own expiry and access-log lines older than `log_before`. At
/// most `limit` of each per call keep one job short; [`Swept::is_partial`] says whether to
/// call again.
pub fn sweep(conn: &Connection, now: i64, log_before: i64, limit: usize) -> Result<Swept> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let expired: Vec<(i64, RowId)> = {
        let mut stmt = conn.prepare_cached(
            "UPDATE secrets SET state = 'expired', updated_at = ?1, secret_key = x'',
                passphrase = NULL
             WHERE id IN (SELECT id FROM secrets WHERE state = 'new' AND secret_expires_at <= ?1
                LIMIT ?2)
             RETURNING id, secret_id",
        )?;
        let rows = stmt.query_map(params![now, limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (row, secret_id) in &expired {
        drop_value(conn, *row)?;
        log::insert(
            conn,
            &LogLine::new(
                now,
                AccessAction::Expire,
                Some(key_id(secret_id)),
                None,
                None,
            ),
        )?;
    }
    // Receipts and log lines are bounded like secrets: a mass expiry's receipts (2 × TTL
    // later) or a retention change must not hold the writer for one long job either. A
    // value still beside its receipt's row (a sweep backlog) goes first, counted.
    let gone: Vec<i64> = {
        let mut stmt =
            conn.prepare_cached("SELECT id FROM secrets WHERE expires_at <= ?1 LIMIT ?2")?;
        let rows = stmt.query_map(params![now, limit], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for row in &gone {
        drop_value(conn, *row)?;
        conn.prepare_cached("DELETE FROM secrets WHERE id = ?1")?
            .execute(params![row])?;
    }
    let receipts = gone.len();
    let log_lines = conn
        .prepare_cached(
            "DELETE FROM access_log WHERE id IN
                (SELECT id FROM access_log WHERE at < ?1 LIMIT ?2)",
        )?
        .execute(params![log_before, limit])?;
    Ok(Swept {
        secrets: expired.len(),
        receipts,
        log_lines,
    })
}

impl Swept {
    /// Whether any kind reached `limit`, so more may be left to delete.
    pub fn is_partial(&self, limit: usize) -> bool {
        self.secrets >= limit || self.receipts >= limit || self.log_lines >= limit
    }
}
