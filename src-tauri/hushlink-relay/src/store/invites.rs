//! SQL for invites (table `invites`, schema migration 5).
//!
//! A row holds the hash of the invite key, the id of the token it grants, the sealed payload
//! (ciphertext only; emptied once the invite is finished), times and a state. Each change
//! that decides an outcome is one conditional statement, so two concurrent accepts cannot
//! both pass (STYLE §4); the token revocations of withdraw and expiry commit in the same job.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::invites::InviteState;
use crate::keys::RowId;

/// An invite as stored, joined with its token's name.
#[derive(Clone, Debug)]
pub struct InviteRow {
    /// Public id (hex), to withdraw it by.
    pub id: String,
    /// The token it grants.
    pub token_id: String,
    /// The token's name (from `tokens`).
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub expires_at: i64,
    /// As stored (`pending` past its expiry reads as expired in `InviteSummary`).
    pub state: InviteState,
    /// When it was accepted, withdrawn or expired.
    pub finished_at: Option<i64>,
    /// The address that accepted it.
    pub accepted_from: Option<String>,
}

/// A new invite.
pub struct NewRow<'a> {
    pub id: &'a str,
    pub key_hash: RowId,
    pub token_id: &'a str,
    pub sealed: &'a [u8],
    pub created_at: i64,
    pub expires_at: i64,
}

pub fn insert(conn: &Connection, row: &NewRow<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO invites (public_id, invite_id, token_id, sealed, state, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6)",
    )?
    .execute(params![
        row.id,
        row.key_hash,
        row.token_id,
        row.sealed,
        row.created_at,
        row.expires_at
    ])?;
    Ok(())
}

/// Why an accept found nothing to take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    Used,
    Withdrawn,
    Expired,
}

/// What an accept took.
pub struct Taken {
    /// The sealed payload (ciphertext).
    pub sealed: Vec<u8>,
    /// The invite's public id.
    pub id: String,
    /// The token it granted.
    pub token_id: String,
}

/// Takes the sealed payload of a pending, unexpired invite whose token is still live, marks
/// it accepted and empties it: one conditional `UPDATE` decides, so exactly one caller wins.
/// Returns what it took, or why there was nothing to take.
pub fn accept(
    conn: &Connection,
    key_hash: &RowId,
    now: i64,
    from: &str,
) -> Result<Result<Taken, Refusal>> {
    let taken: Option<(i64, Vec<u8>, String, String)> = conn
        .prepare_cached(
            "UPDATE invites SET state = 'accepted', finished_at = ?2, accepted_from = ?3
             WHERE invite_id = ?1 AND state = 'pending' AND expires_at > ?2
               AND token_id IN (SELECT id FROM tokens WHERE revoked_at IS NULL)
             RETURNING id, sealed, public_id, token_id",
        )?
        .query_row(params![key_hash, now, from], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    if let Some((row, sealed, id, token_id)) = taken {
        conn.prepare_cached("UPDATE invites SET sealed = x'' WHERE id = ?1")?
            .execute([row])?;
        return Ok(Ok(Taken {
            sealed,
            id,
            token_id,
        }));
    }
    let found: Option<(String, i64, bool)> = conn
        .prepare_cached(
            "SELECT state, expires_at,
                EXISTS (SELECT 1 FROM tokens WHERE id = token_id AND revoked_at IS NULL)
             FROM invites WHERE invite_id = ?1",
        )?
        .query_row([key_hash], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(Err(match found {
        None => Refusal::NotFound,
        Some((state, expires_at, token_live)) => match InviteState::parse(&state) {
            InviteState::Accepted => Refusal::Used,
            InviteState::Withdrawn => Refusal::Withdrawn,
            InviteState::Expired => Refusal::Expired,
            InviteState::Pending if expires_at <= now => Refusal::Expired,
            InviteState::Pending if !token_live => Refusal::Withdrawn,
            // Not reachable: the update would have taken it.
            InviteState::Pending => Refusal::NotFound,
        },
    }))
}

/// Whether a pending, unexpired invite has this key hash (the browser page's question).
pub fn is_pending(conn: &Connection, key_hash: &RowId, now: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM invites WHERE invite_id = ?1 AND state = 'pending' AND expires_at > ?2",
        )?
        .query_row(params![key_hash, now], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Withdraws a pending invite by public id and revokes its token in the same job; returns
/// the token's id, or `None` if no pending invite has this id.
pub fn withdraw(conn: &Connection, id: &str, now: i64) -> Result<Option<String>> {
    let token_id: Option<String> = conn
        .prepare_cached(
            "UPDATE invites SET state = 'withdrawn', finished_at = ?2, sealed = x''
             WHERE public_id = ?1 AND state = 'pending' RETURNING token_id",
        )?
        .query_row(params![id, now], |r| r.get(0))
        .optional()?;
    if let Some(token_id) = &token_id {
        crate::store::revoke_token(conn, token_id, now)?;
    }
    Ok(token_id)
}

/// Marks pending invites past their expiry as expired (withdrawn, if their token was revoked
/// meanwhile), revokes their tokens in the same job, and deletes finished rows older than
/// `forget_before`. Returns the ids of the tokens of the invites it finished.
pub fn expire(conn: &Connection, now: i64, forget_before: i64) -> Result<Vec<String>> {
    let token_ids: Vec<String> = {
        let mut stmt = conn.prepare_cached(
            "UPDATE invites SET sealed = x'',
                state = CASE WHEN EXISTS (SELECT 1 FROM tokens
                    WHERE id = token_id AND revoked_at IS NOT NULL)
                    THEN 'withdrawn' ELSE 'expired' END,
                finished_at = coalesce((SELECT revoked_at FROM tokens WHERE id = token_id),
                    expires_at)
             WHERE state = 'pending' AND expires_at <= ?1 RETURNING token_id",
        )?;
        let rows = stmt.query_map([now], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for token_id in &token_ids {
        crate::store::revoke_token(conn, token_id, now)?;
    }
    conn.prepare_cached("DELETE FROM invites WHERE state != 'pending' AND finished_at < ?1")?
        .execute([forget_before])?;
    Ok(token_ids)
}

/// Every invite the relay still keeps, oldest first, with its token's name.
pub fn list(conn: &Connection) -> Result<Vec<InviteRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.public_id, i.token_id, coalesce(t.name, ''), i.created_at, i.expires_at,
            i.state, i.finished_at, i.accepted_from, t.revoked_at
         FROM invites i LEFT JOIN tokens t ON t.id = i.token_id ORDER BY i.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let state = InviteState::parse(&r.get::<_, String>(5)?);
        let revoked_at: Option<i64> = r.get(8)?;
        // `token revoke NAME` on a pending invite's token withdraws the invite in effect.
        let (state, finished_at) = match (state, revoked_at) {
            (InviteState::Pending, Some(at)) => (InviteState::Withdrawn, Some(at)),
            (state, _) => (state, r.get(6)?),
        };
        Ok(InviteRow {
            id: r.get(0)?,
            token_id: r.get(1)?,
            name: r.get(2)?,
            created_at: r.get(3)?,
            expires_at: r.get(4)?,
            state,
            finished_at,
            accepted_from: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
