//! Live secrets and their stored bytes, per creating token and in all: what the quotas
//! (`RelayConfig::quotas`) are checked against on every create.
//!
//! Counted by the writer connection itself, not by a query per create (a count over 10,000
//! live rows per create would cost more than the create): a TEMP table with one row per
//! owner (`''` for the total), kept current by TEMP triggers on `secret_values`, the table
//! that holds a value exactly while its secret is live. Every write goes through the writer
//! connection, so its triggers see every insert and delete: a reveal, a burn, an expiry by
//! the sweeper, a receipt deleted with its value. The counters change in the same
//! transaction (and savepoint) as the rows, so a rolled-back job leaves them right, and a
//! crash loses nothing: they are rebuilt from the live rows when the store opens. Being
//! TEMP, they live in memory and add no page to a commit (`temp_store = MEMORY`).
//!
//! Bytes are those of the sealed values (the value plus 28 bytes of nonce and tag), the
//! space a secret actually takes. Expired secrets count until the sweeper removes them
//! (within `sweep_interval_secs`).

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

const INSTALL: &str = "
    CREATE TEMP TABLE live_usage (
        owner TEXT PRIMARY KEY NOT NULL,       -- a token id, or '' for all secrets
        secrets INTEGER NOT NULL,
        bytes INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO temp.live_usage (owner, secrets, bytes)
        SELECT '', count(*), coalesce(sum(length(value)), 0) FROM main.secret_values;
    INSERT INTO temp.live_usage (owner, secrets, bytes)
        SELECT s.owner, count(*), sum(length(v.value))
        FROM main.secret_values v JOIN main.secrets s ON s.id = v.id
        WHERE s.owner IS NOT NULL GROUP BY s.owner;
    -- One statement per insert and per delete: the total's row and the owner's together.
    -- (Statements inside triggers may not name a schema; these names exist only once.)
    CREATE TEMP TRIGGER live_usage_add AFTER INSERT ON main.secret_values BEGIN
        INSERT INTO live_usage (owner, secrets, bytes)
            SELECT '', 1, length(NEW.value)
            UNION ALL
            SELECT owner, 1, length(NEW.value) FROM secrets
            WHERE id = NEW.id AND owner IS NOT NULL
            ON CONFLICT (owner) DO UPDATE SET secrets = secrets + 1,
                bytes = bytes + excluded.bytes;
    END;
    CREATE TEMP TRIGGER live_usage_remove AFTER DELETE ON main.secret_values BEGIN
        UPDATE live_usage SET secrets = secrets - 1, bytes = bytes - length(OLD.value)
            WHERE owner IN ('', (SELECT owner FROM secrets WHERE id = OLD.id));
    END;
    -- A receipt deleted while its value is still there (a sweep backlog) takes the value
    -- along; deleting it first keeps the secret's owner readable by the trigger above.
    CREATE TEMP TRIGGER live_usage_receipt_gone BEFORE DELETE ON main.secrets BEGIN
        DELETE FROM secret_values WHERE id = OLD.id;
    END;";

/// Creates the counters from the live rows and the triggers that keep them current. Run
/// once on the writer connection, after the migrations.
pub fn install(conn: &Connection) -> Result<()> {
    conn.execute_batch(INSTALL)?;
    Ok(())
}

/// Live secrets and their sealed bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Secrets not yet revealed, burned or swept.
    pub secrets: u64,
    /// Bytes of their sealed values.
    pub bytes: u64,
}

/// The usage of `owner` (a token id), or of all secrets with `None`.
pub fn usage(conn: &Connection, owner: Option<&str>) -> Result<Usage> {
    let row: Option<(i64, i64)> = conn
        .prepare_cached("SELECT secrets, bytes FROM temp.live_usage WHERE owner = ?1")?
        .query_row(params![owner.unwrap_or("")], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (secrets, bytes) = row.unwrap_or_default();
    Ok(Usage {
        secrets: u64::try_from(secrets).unwrap_or(0),
        bytes: u64::try_from(bytes).unwrap_or(0),
    })
}

#[cfg(test)]
#[path = "usage_tests.rs"]
mod tests;
