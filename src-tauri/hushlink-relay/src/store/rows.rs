//! SQL for secrets and receipts. Every function runs on a connection handed to it by
//! [`super::Store::write`] or [`super::Store::read`], so several of them compose into one
//! atomic job.

use rusqlite::{params, Connection, OptionalExtension};

use super::receipts::{receipt, ReceiptRow};

use super::log::{self, LogLine};
use crate::error::{Error, Result};
use crate::keys::{key_id, RowId};
use crate::AccessAction;

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
    pub(super) fn parse(text: &str) -> Result<Self> {
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
pub enum Kind {
    /// `share` / `conceal`.
    Conceal,
    /// `generate`.
    Generate,
}

/// Why a receipt says `burned`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BurnReason {
    /// The sender burned it with the receipt key.
    Sender,
    /// Someone with the link tried too many wrong passphrases; burned to stop guessing.
    PassphraseAttempts,
}

/// Everything one create writes.
pub struct NewRow {
    /// Row id of the secret key.
    pub secret_id: RowId,
    /// Row id of the receipt key.
    pub receipt_id: RowId,
    /// The value, sealed under the secret key.
    pub value: Vec<u8>,
    /// Argon2id PHC string of the passphrase.
    pub passphrase: Option<String>,
    /// The value is end-to-end ciphertext (the relay cannot tell; the creator says so).
    pub e2e: bool,
    /// Share or generate.
    pub kind: Kind,
    /// Id of the API token that created it.
    pub owner: Option<String>,
    /// The receipt key sealed under the owner's token.
    pub owner_receipt_key: Option<Vec<u8>>,
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
    pub fn receipt(&self) -> ReceiptRow {
        ReceiptRow {
            id: self.receipt_id,
            secret_id: self.secret_id,
            sealed_secret_key: self.sealed_secret_key.clone(),
            owner: self.owner.clone(),
            owner_receipt_key: self.owner_receipt_key.clone(),
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

/// Inserts a secret and its receipt (the receipt lives twice as long).
pub fn insert_secret(conn: &Connection, row: &NewRow) -> Result<()> {
    let secret_expires = row.secret_expires_at();
    let receipt_expires = row.receipt_expires_at();
    conn.prepare_cached(
        "INSERT INTO secrets (id, receipt_id, value, passphrase, e2e, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        row.secret_id,
        row.receipt_id,
        row.value,
        row.passphrase,
        row.e2e,
        row.now,
        secret_expires
    ])?;
    conn.prepare_cached(
        "INSERT INTO receipts (id, secret_id, secret_key, owner, owner_receipt_key, kind, state,
            has_passphrase, e2e, ttl, created_at, updated_at, secret_expires_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'new', ?7, ?8, ?9, ?10, ?10, ?11, ?12)",
    )?
    .execute(params![
        row.receipt_id,
        row.secret_id,
        row.sealed_secret_key,
        row.owner,
        row.owner_receipt_key,
        match row.kind {
            Kind::Conceal => "conceal",
            Kind::Generate => "generate",
        },
        row.passphrase.is_some(),
        row.e2e,
        row.ttl,
        row.now,
        secret_expires,
        receipt_expires,
    ])?;
    Ok(())
}

/// A live secret, without its value.
#[derive(Clone, Debug)]
pub struct SecretRow {
    /// Its receipt.
    pub receipt_id: RowId,
    /// Argon2id PHC string of the passphrase, if one was set.
    pub passphrase: Option<String>,
    /// Marked end-to-end by its creator.
    pub e2e: bool,
    /// Creation time.
    pub created_at: i64,
    /// When it stops being readable.
    pub expires_at: i64,
}

/// The secret if it exists and has not expired.
pub fn peek_secret(conn: &Connection, id: &RowId, now: i64) -> Result<Option<SecretRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT receipt_id, passphrase, e2e, created_at, expires_at FROM secrets
             WHERE id = ?1 AND expires_at > ?2",
        )?
        .query_row(params![id, now], |r| {
            Ok(SecretRow {
                receipt_id: r.get(0)?,
                passphrase: r.get(1)?,
                e2e: r.get(2)?,
                created_at: r.get(3)?,
                expires_at: r.get(4)?,
            })
        })
        .optional()?)
}

/// A value taken out of the store by a reveal.
pub struct Taken {
    /// The sealed value.
    pub value: Vec<u8>,
    /// Marked end-to-end by its creator.
    pub e2e: bool,
}

/// The exactly-once step of a reveal: deletes the live secret and returns its value in ONE
/// statement, so of any number of concurrent callers exactly one gets a row. A secret with
/// a passphrase is only taken when `passphrase_checked` (the caller verified it). Marks the
/// receipt received in the same job.
pub fn take_secret(
    conn: &Connection,
    id: &RowId,
    now: i64,
    passphrase_checked: bool,
    client_ip: Option<&str>,
) -> Result<Option<Taken>> {
    let taken = conn
        .prepare_cached(
            "DELETE FROM secrets WHERE id = ?1 AND expires_at > ?2 AND (?3 OR passphrase IS NULL)
             RETURNING receipt_id, value, e2e",
        )?
        .query_row(params![id, now, passphrase_checked], |r| {
            Ok((
                r.get::<_, RowId>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })
        .optional()?;
    let Some((receipt_id, value, e2e)) = taken else {
        return Ok(None);
    };
    conn.prepare_cached(
        "UPDATE receipts SET state = 'received', received_at = ?2, received_ip = ?3, updated_at = ?2,
            secret_key = x'' WHERE id = ?1 AND state = 'new'",
    )?
    .execute(params![receipt_id, now, client_ip])?;
    Ok(Some(Taken { value, e2e }))
}

/// What a wrong passphrase did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Counted; this many wrong attempts so far.
    Counted(u32),
    /// That was the last allowed attempt: the secret is burned.
    Burned,
    /// The secret was already gone.
    Gone,
}

/// Counts a wrong passphrase; at `max` wrong attempts burns the secret and records why.
pub fn fail_attempt(conn: &Connection, id: &RowId, now: i64, max: u32) -> Result<Attempt> {
    let counted = conn
        .prepare_cached(
            "UPDATE secrets SET failed_attempts = failed_attempts + 1 WHERE id = ?1 AND expires_at > ?2
             RETURNING failed_attempts, receipt_id",
        )?
        .query_row(params![id, now], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, RowId>(1)?)))
        .optional()?;
    let Some((failed, receipt_id)) = counted else {
        return Ok(Attempt::Gone);
    };
    if failed < max {
        return Ok(Attempt::Counted(failed));
    }
    conn.prepare_cached("DELETE FROM secrets WHERE id = ?1")?
        .execute(params![id])?;
    mark_burned(conn, &receipt_id, now, BurnReason::PassphraseAttempts)?;
    Ok(Attempt::Burned)
}

fn mark_burned(conn: &Connection, receipt_id: &RowId, now: i64, reason: BurnReason) -> Result<()> {
    let reason = match reason {
        BurnReason::Sender => "sender",
        BurnReason::PassphraseAttempts => "passphrase_attempts",
    };
    conn.prepare_cached(
        "UPDATE receipts SET state = 'burned', burn_reason = ?3, burned_at = ?2, updated_at = ?2,
            secret_key = x'' WHERE id = ?1 AND state = 'new'",
    )?
    .execute(params![receipt_id, now, reason])?;
    Ok(())
}

/// Burns the live secret behind a receipt; `None` when there is nothing left to burn.
pub fn burn(conn: &Connection, receipt_id: &RowId, now: i64) -> Result<Option<ReceiptRow>> {
    let burned = conn
        .prepare_cached(
            "DELETE FROM secrets WHERE receipt_id = ?1 AND expires_at > ?2
             AND id = (SELECT secret_id FROM receipts WHERE id = ?1 AND state = 'new')",
        )?
        .execute(params![receipt_id, now])?;
    if burned == 0 {
        return Ok(None);
    }
    mark_burned(conn, receipt_id, now, BurnReason::Sender)?;
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

/// Deletes expired secrets (logging an `expire` line for each, marking receipts expired),
/// receipts past their own expiry and access-log lines older than `log_before`. At most
/// `limit` of each per call keep one job short; [`Swept::is_partial`] says whether to call
/// again.
pub fn sweep(conn: &Connection, now: i64, log_before: i64, limit: usize) -> Result<Swept> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let expired: Vec<(RowId, RowId)> = {
        let mut stmt = conn.prepare_cached(
            "DELETE FROM secrets WHERE id IN (SELECT id FROM secrets WHERE expires_at <= ?1 LIMIT ?2)
             RETURNING id, receipt_id",
        )?;
        let rows = stmt.query_map(params![now, limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (secret_id, receipt_id) in &expired {
        conn.prepare_cached(
            "UPDATE receipts SET state = 'expired', updated_at = ?2, secret_key = x''
             WHERE id = ?1 AND state = 'new'",
        )?
        .execute(params![receipt_id, now])?;
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
    // later) or a retention change must not hold the writer for one long job either.
    let receipts = conn
        .prepare_cached(
            "DELETE FROM receipts WHERE id IN
                (SELECT id FROM receipts WHERE expires_at <= ?1 LIMIT ?2)",
        )?
        .execute(params![now, limit])?;
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
