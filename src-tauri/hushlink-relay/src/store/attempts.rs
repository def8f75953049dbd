//! SQL for passphrase attempts: a check is reserved before the Argon2id work runs, then
//! settled. Counting only after the check let every request in flight pass the limit: 40
//! concurrent guesses ran 40 checks against a secret that allows 5.
//!
//! `failed_attempts` counts checks that failed or are still running. A right passphrase
//! takes or burns the secret, so its reservation needs no settling; a check that could not
//! run gives its reservation back ([`release_attempt`]). A crash between reserving and
//! settling leaves the attempt counted, the safe side: if it was the last one, the secret
//! can no longer be tried and stays until it expires, as if burned.

use rusqlite::{params, Connection, OptionalExtension};

use super::rows::mark_burned;
use crate::error::Result;
use crate::keys::RowId;
use crate::model::BurnReason;

/// What asking to check a passphrase found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reservation {
    /// Check number `n` (from 1) of the allowed ones is reserved for this caller.
    Reserved(u32),
    /// Every remaining check is reserved by a request still running; once they settle the
    /// secret is revealed or burned, or (after a fault) a check is free again.
    Exhausted,
    /// The secret is gone, or has no passphrase.
    Gone,
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

/// Reserves one passphrase check of a live secret, if fewer than `max` are used. One
/// conditional statement, so concurrent callers never get more than `max` between them.
pub fn reserve_attempt(conn: &Connection, id: &RowId, now: i64, max: u32) -> Result<Reservation> {
    let reserved = conn
        .prepare_cached(
            "UPDATE secrets SET failed_attempts = failed_attempts + 1
             WHERE secret_id = ?1 AND state = 'new' AND secret_expires_at > ?2
               AND passphrase IS NOT NULL AND failed_attempts < ?3
             RETURNING failed_attempts",
        )?
        .query_row(params![id, now, max], |r| r.get::<_, u32>(0))
        .optional()?;
    if let Some(n) = reserved {
        return Ok(Reservation::Reserved(n));
    }
    let live = super::rows::peek_secret(conn, id, now)?;
    Ok(if live.is_some_and(|row| row.passphrase.is_some()) {
        Reservation::Exhausted
    } else {
        Reservation::Gone
    })
}

/// Settles reservation `reserved` whose check found the passphrase wrong: it stays
/// counted, and the last allowed one burns the secret and records why.
pub fn fail_attempt(
    conn: &Connection,
    id: &RowId,
    now: i64,
    reserved: u32,
    max: u32,
) -> Result<Attempt> {
    let row = conn
        .prepare_cached(
            "SELECT id FROM secrets
             WHERE secret_id = ?1 AND state = 'new' AND secret_expires_at > ?2",
        )?
        .query_row(params![id, now], |r| r.get::<_, i64>(0))
        .optional()?;
    let Some(row) = row else {
        return Ok(Attempt::Gone);
    };
    if reserved < max {
        return Ok(Attempt::Counted(reserved));
    }
    mark_burned(conn, row, now, BurnReason::PassphraseAttempts)?;
    Ok(Attempt::Burned)
}

/// Gives back a reservation whose check could not run (a fault), so the secret does not
/// lose an attempt nobody made.
pub fn release_attempt(conn: &Connection, id: &RowId) -> Result<()> {
    conn.prepare_cached(
        "UPDATE secrets SET failed_attempts = failed_attempts - 1
         WHERE secret_id = ?1 AND state = 'new' AND failed_attempts > 0",
    )?
    .execute(params![id])?;
    Ok(())
}
