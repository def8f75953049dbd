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

/// Stores a new token.
pub fn insert(conn: &Connection, row: &TokenRow) -> Result<()> {
    conn.prepare_cached("INSERT INTO tokens (id, name, hash, created_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![row.id, row.name, row.hash, row.created_at])?;
    Ok(())
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
