//! SQL for API tokens (stored as hashes only).

use rusqlite::{params, Connection};

use crate::error::Result;

/// A token as stored.
#[derive(Clone, Debug)]
pub struct TokenRow {
    /// Public id.
    pub id: String,
    /// Who it is for; the HTTP Basic user name.
    pub name: String,
    /// SHA-256 of the token.
    pub hash: [u8; 32],
    /// Unix seconds.
    pub created_at: i64,
    /// Set once revoked.
    pub revoked_at: Option<i64>,
}

/// Stores a new token unless a live token already has its name; `false` then. One
/// conditional statement, so two concurrent issues of one name cannot both pass a check.
pub fn insert(conn: &Connection, row: &TokenRow) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "INSERT INTO tokens (id, name, hash, created_at) SELECT ?1, ?2, ?3, ?4 \
             WHERE NOT EXISTS (SELECT 1 FROM tokens WHERE name = ?2 AND revoked_at IS NULL)",
        )?
        .execute(params![row.id, row.name, row.hash, row.created_at])?;
    Ok(changed == 1)
}

/// Every token, revoked ones included, oldest first.
pub fn list(conn: &Connection) -> Result<Vec<TokenRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, hash, created_at, revoked_at FROM tokens ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TokenRow {
            id: r.get(0)?,
            name: r.get(1)?,
            hash: r.get(2)?,
            created_at: r.get(3)?,
            revoked_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Revokes a token; `false` if there was no live token with this id.
pub fn revoke(conn: &Connection, id: &str, now: i64) -> Result<bool> {
    let changed = conn
        .prepare_cached("UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")?
        .execute(params![id, now])?;
    Ok(changed == 1)
}

/// Revokes every live token named `name` (normally one: names are unique among live tokens,
/// but a database from before that rule may hold two); returns the ids revoked.
pub fn revoke_by_name(conn: &Connection, name: &str, now: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL RETURNING id",
    )?;
    let ids = stmt.query_map(params![name, now], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// When each token last created a secret the store still keeps (receipts live 2 x TTL), as
/// `(token id, unix seconds)`; tokens with no such secret are absent. One indexed lookup per
/// token (`secrets_by_owner`).
pub fn last_used(conn: &Connection, ids: &[String]) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached("SELECT max(created_at) FROM secrets WHERE owner = ?1")?;
    let mut out = Vec::new();
    for id in ids {
        let at: Option<i64> = stmt.query_row([id], |r| r.get(0))?;
        if let Some(at) = at {
            out.push((id.clone(), at));
        }
    }
    Ok(out)
}
