//! Live secrets and their stored bytes, per creating token and in all: what the quotas
//! (`RelayConfig::quotas`) are checked against on every create.
//!
//! Counted by the writer thread itself, in memory, not by a query per create (a count over
//! 10,000 live rows per create would cost more than the create) and not by SQL triggers (a
//! trigger's upsert into a counter table cost 9-15 us of the writer's CPU per create→reveal
//! cycle, docs/benchmarks.md). Every write goes through the writer thread, and exactly four
//! statements insert or delete a value (`rows`: the create's insert; the reveal's take; the
//! burn, passphrase and expiry paths' `drop_value`; the receipt sweep, which drops values
//! before their rows): each reports what it changed with [`added`] or [`removed`], from the
//! rows the statement itself returned. The counters change with the rows' transaction: each
//! change is journaled until its group commit succeeds ([`commit`]) and undone when it is
//! rolled back ([`undo_since`]: a job's savepoint, or the whole batch), and a crash loses
//! nothing, since they are counted again from the live rows when the store opens.
//!
//! A value deleted any other way (by hand, or the foreign key's cascade) would leave the
//! counters too high: a quota refuses early, it is never exceeded. Additions have one path.
//!
//! Bytes are those of the sealed values (the value plus 28 bytes of nonce and tag), the
//! space a secret actually takes. Expired secrets count until the sweeper removes them
//! (within `sweep_interval_secs`).

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::error::Result;

/// Live secrets and their sealed bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Secrets not yet revealed, burned or swept.
    pub secrets: u64,
    /// Bytes of their sealed values.
    pub bytes: u64,
}

/// The counters of one writer connection: all secrets, and each token's.
#[derive(Debug, Default)]
pub struct Ledger {
    total: Usage,
    by_owner: HashMap<String, Usage>,
    /// Changes not yet committed, oldest first, to undo on a rollback.
    journal: Vec<Change>,
}

/// One value added or removed.
#[derive(Debug)]
struct Change {
    owner: Option<String>,
    bytes: u64,
    added: bool,
}

impl Ledger {
    /// Counts the live rows of the database on `conn`.
    pub fn count(conn: &Connection) -> Result<Self> {
        let mut ledger = Self::default();
        let total: (i64, i64) = conn.query_row(
            "SELECT count(*), coalesce(sum(length(value)), 0) FROM secret_values",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        ledger.total = usage_of(total);
        let mut stmt = conn.prepare(
            "SELECT s.owner, count(*), sum(length(v.value))
             FROM secret_values v JOIN secrets s ON s.id = v.id
             WHERE s.owner IS NOT NULL GROUP BY s.owner",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?;
        for row in rows {
            let (owner, secrets, bytes) = row?;
            ledger.by_owner.insert(owner, usage_of((secrets, bytes)));
        }
        Ok(ledger)
    }

    fn apply(&mut self, change: &Change, forward: bool) {
        let grow = change.added == forward;
        let counters = std::iter::once(&mut self.total).chain(
            change
                .owner
                .as_ref()
                .map(|owner| self.by_owner.entry(owner.clone()).or_default()),
        );
        for usage in counters {
            if grow {
                usage.secrets += 1;
                usage.bytes = usage.bytes.saturating_add(change.bytes);
            } else {
                usage.secrets = usage.secrets.saturating_sub(1);
                usage.bytes = usage.bytes.saturating_sub(change.bytes);
            }
        }
        if let Some(owner) = &change.owner {
            if self.by_owner.get(owner) == Some(&Usage::default()) {
                self.by_owner.remove(owner);
            }
        }
    }

    fn record(&mut self, change: Change) {
        self.apply(&change, true);
        self.journal.push(change);
    }
}

fn usage_of((secrets, bytes): (i64, i64)) -> Usage {
    Usage {
        secrets: u64::try_from(secrets).unwrap_or(0),
        bytes: u64::try_from(bytes).unwrap_or(0),
    }
}

thread_local! {
    /// The writer thread's counters ([`adopt`]); none on other threads.
    static LEDGER: RefCell<Option<Ledger>> = const { RefCell::new(None) };
}

/// Makes `ledger` this thread's counters: the writer's, at its start.
pub fn adopt(ledger: Ledger) {
    LEDGER.with(|cell| *cell.borrow_mut() = Some(ledger));
}

/// Counts the live rows on `conn` and makes them this thread's counters (tests that write
/// on a connection of their own, as the writer thread does).
#[cfg(test)]
pub fn install(conn: &Connection) -> Result<()> {
    adopt(Ledger::count(conn)?);
    Ok(())
}

fn record(change: Change) {
    LEDGER.with(|cell| {
        if let Some(ledger) = cell.borrow_mut().as_mut() {
            ledger.record(change);
        }
    });
}

/// A value of `bytes` sealed bytes was inserted for `owner`.
pub(super) fn added(owner: Option<&str>, bytes: usize) {
    record(Change {
        owner: owner.map(str::to_owned),
        bytes: u64::try_from(bytes).unwrap_or(u64::MAX),
        added: true,
    });
}

/// A value of `bytes` sealed bytes of `owner`'s was deleted.
pub(super) fn removed(owner: Option<String>, bytes: i64) {
    record(Change {
        owner,
        bytes: u64::try_from(bytes).unwrap_or(0),
        added: false,
    });
}

/// How many changes the current batch has made so far (a mark to roll back to).
pub(crate) fn uncommitted_mark() -> usize {
    LEDGER.with(|cell| cell.borrow().as_ref().map_or(0, |l| l.journal.len()))
}

/// Undoes the changes made since `mark` (a job's savepoint rolled back; 0: the whole batch).
pub(crate) fn undo_since(mark: usize) {
    LEDGER.with(|cell| {
        if let Some(ledger) = cell.borrow_mut().as_mut() {
            let undone = ledger.journal.split_off(mark.min(ledger.journal.len()));
            for change in undone.iter().rev() {
                ledger.apply(change, false);
            }
        }
    });
}

/// The batch committed: its changes stay.
pub(crate) fn commit() {
    LEDGER.with(|cell| {
        if let Some(ledger) = cell.borrow_mut().as_mut() {
            ledger.journal.clear();
        }
    });
}

/// The usage of `owner` (a token id), or of all secrets with `None`. On a thread without
/// counters (not the writer) it is counted from the rows.
pub fn usage(conn: &Connection, owner: Option<&str>) -> Result<Usage> {
    let kept = LEDGER.with(|cell| {
        cell.borrow().as_ref().map(|ledger| match owner {
            None => ledger.total,
            Some(owner) => ledger.by_owner.get(owner).copied().unwrap_or_default(),
        })
    });
    if let Some(usage) = kept {
        return Ok(usage);
    }
    let counted: (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(length(v.value)), 0) FROM secret_values v
         JOIN secrets s ON s.id = v.id WHERE ?1 IS NULL OR s.owner = ?1",
        params![owner],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(usage_of(counted))
}

#[cfg(test)]
#[path = "usage_tests.rs"]
mod tests;
