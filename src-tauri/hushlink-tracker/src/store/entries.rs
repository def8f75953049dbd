//! Tracked secrets: insert, read, list with filters, state transitions, forget.

use rusqlite::{params, OptionalExtension, Row};
use zeroize::Zeroizing;

use super::Store;
use crate::crypto::random_id;
use crate::error::{Result, TrackerError};
use crate::model::{
    Entry, EntryDetail, HistoryKind, ListFilter, SecretState, SortKey, StateChange,
};

/// What the tracker records after a successful share.
#[derive(Debug)]
pub struct NewEntry<'a> {
    /// The user's label.
    pub label: &'a str,
    /// Profile shared through.
    pub profile_id: &'a str,
    /// Who it is for.
    pub recipient: Option<&'a str>,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Expires (Unix ms).
    pub expires_at: i64,
    /// A passphrase was set.
    pub has_passphrase: bool,
    /// Encrypted end to end.
    pub end_to_end: bool,
    /// Notify for this one.
    pub notify: bool,
    /// The link the recipient opens (with its `#fragment` in end-to-end mode). Sealed.
    pub share_link: &'a str,
    /// The receipt (metadata) key. Sealed.
    pub receipt_key: &'a str,
    /// First status check (Unix ms).
    pub next_check_at: i64,
}

/// What the poller needs to know about an active entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollTarget {
    /// Entry id.
    pub id: String,
    /// Profile to ask.
    pub profile_id: String,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Expires (Unix ms).
    pub expires_at: i64,
    /// Scheduled check (Unix ms).
    pub next_check_at: i64,
}

const ENTRY_COLUMNS: &str =
    "id, label, profile_id, recipient, created_at, expires_at, has_passphrase, \
     end_to_end, notify, state, state_changed_at, last_checked_at";

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<Entry> {
    let state: String = row.get(9)?;
    Ok(Entry {
        id: row.get(0)?,
        label: row.get(1)?,
        profile_id: row.get(2)?,
        recipient: row.get(3)?,
        created_at: row.get(4)?,
        expires_at: row.get(5)?,
        has_passphrase: row.get(6)?,
        end_to_end: row.get(7)?,
        notify: row.get(8)?,
        // Only this module writes `state`, always from `SecretState::as_str`.
        state: SecretState::parse(&state).unwrap_or(SecretState::Orphaned),
        state_changed_at: row.get(10)?,
        last_checked_at: row.get(11)?,
    })
}

impl Store {
    /// Records a newly shared secret (state Unread) and logs it.
    pub fn insert(&self, new: &NewEntry<'_>) -> Result<Entry> {
        let id = random_id();
        let link = self
            .key
            .seal(&format!("{id}/share_link"), new.share_link.as_bytes());
        let receipt = self
            .key
            .seal(&format!("{id}/receipt_key"), new.receipt_key.as_bytes());
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO entries (id, label, profile_id, recipient, created_at, expires_at, has_passphrase,
                 end_to_end, notify, state, state_changed_at, next_check_at, share_link_enc, receipt_key_enc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'unread', ?5, ?10, ?11, ?12)",
            params![
                id,
                new.label,
                new.profile_id,
                new.recipient,
                new.created_at,
                new.expires_at,
                new.has_passphrase,
                new.end_to_end,
                new.notify,
                new.next_check_at,
                link,
                receipt
            ],
        )?;
        tx.execute(
            "INSERT INTO state_history (entry_id, state, at) VALUES (?1, 'unread', ?2)",
            params![id, new.created_at],
        )?;
        super::history::append_in(
            &tx,
            new.created_at,
            HistoryKind::Created,
            Some(&id),
            Some(new.label),
            Some(new.profile_id),
            None,
        )?;
        let entry = tx.query_row(
            &format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?1"),
            [&id],
            entry_from_row,
        )?;
        tx.commit()?;
        Ok(entry)
    }

    /// One entry.
    pub fn get(&self, id: &str) -> Result<Entry> {
        self.conn()
            .query_row(
                &format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?1"),
                [id],
                entry_from_row,
            )
            .optional()?
            .ok_or(TrackerError::EntryNotFound)
    }

    /// One entry and its state history.
    pub fn detail(&self, id: &str) -> Result<EntryDetail> {
        let entry = self.get(id)?;
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT state, at FROM state_history WHERE entry_id = ?1 ORDER BY at, rowid",
        )?;
        let history = stmt
            .query_map([id], |row| {
                let state: String = row.get(0)?;
                Ok(StateChange {
                    state: SecretState::parse(&state).unwrap_or(SecretState::Orphaned),
                    at: row.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(EntryDetail { entry, history })
    }

    /// The share link, decrypted.
    pub fn share_link(&self, id: &str) -> Result<Zeroizing<String>> {
        self.sealed(id, "share_link")
    }

    /// The receipt key, decrypted. The tracker never hands it to the UI: the user never
    /// handles the receipt link.
    pub fn receipt_key(&self, id: &str) -> Result<Zeroizing<String>> {
        self.sealed(id, "receipt_key")
    }

    fn sealed(&self, id: &str, field: &'static str) -> Result<Zeroizing<String>> {
        let column = match field {
            "share_link" => "share_link_enc",
            _ => "receipt_key_enc",
        };
        let blob: Vec<u8> = self
            .conn()
            .query_row(
                &format!("SELECT {column} FROM entries WHERE id = ?1"),
                [id],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(TrackerError::EntryNotFound)?;
        self.key.open_text(&format!("{id}/{field}"), &blob)
    }

    /// Entries matching `filter`, sorted.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<Entry>> {
        let mut sql = format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE 1 = 1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if !filter.states.is_empty() {
            let marks = vec!["?"; filter.states.len()].join(", ");
            sql.push_str(&format!(" AND state IN ({marks})"));
            args.extend(filter.states.iter().map(|s| s.as_str().to_owned().into()));
        }
        if let Some(profile) = &filter.profile_id {
            sql.push_str(" AND profile_id = ?");
            args.push(profile.clone().into());
        }
        if let Some(search) = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            // instr() over lower(): no LIKE wildcards to escape in what the user typed.
            sql.push_str(" AND (instr(lower(label), lower(?)) > 0 OR instr(lower(coalesce(recipient, '')), lower(?)) > 0)");
            args.push(search.to_owned().into());
            args.push(search.to_owned().into());
        }
        let (column, natural_desc) = match filter.sort {
            SortKey::CreatedAt => ("created_at", true),
            SortKey::ExpiresAt => ("expires_at", false),
            SortKey::Label => ("label COLLATE NOCASE", false),
            SortKey::StateChangedAt => ("state_changed_at", true),
        };
        let desc = natural_desc != filter.reverse;
        let dir = if desc { "DESC" } else { "ASC" };
        sql.push_str(&format!(" ORDER BY {column} {dir}, id {dir}"));
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), entry_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Unread entries whose check is due at `now` (all of them when `now` is `i64::MAX`),
    /// most overdue first.
    pub fn due(&self, now: i64, limit: usize) -> Result<Vec<PollTarget>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, profile_id, created_at, expires_at, next_check_at FROM entries
             WHERE state = 'unread' AND next_check_at <= ?1 ORDER BY next_check_at LIMIT ?2",
        )?;
        let rows = stmt.query_map(
            params![now, i64::try_from(limit).unwrap_or(i64::MAX)],
            |row| {
                Ok(PollTarget {
                    id: row.get(0)?,
                    profile_id: row.get(1)?,
                    created_at: row.get(2)?,
                    expires_at: row.get(3)?,
                    next_check_at: row.get(4)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The earliest scheduled check among unread entries, if any.
    pub fn next_due(&self) -> Result<Option<i64>> {
        Ok(self.conn().query_row(
            "SELECT min(next_check_at) FROM entries WHERE state = 'unread'",
            [],
            |row| row.get(0),
        )?)
    }

    /// The earliest scheduled check after `now` among unread entries, if any.
    pub fn next_due_after(&self, now: i64) -> Result<Option<i64>> {
        Ok(self.conn().query_row(
            "SELECT min(next_check_at) FROM entries WHERE state = 'unread' AND next_check_at > ?1",
            [now],
            |row| row.get(0),
        )?)
    }

    /// Number of entries still being watched.
    pub fn active_count(&self) -> Result<usize> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM entries WHERE state = 'unread'",
            [],
            |row| row.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Makes every unread entry due at `now` (used at start: whatever happened while the
    /// app was closed is learned first thing).
    pub fn make_all_due(&self, now: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE entries SET next_check_at = ?1 WHERE state = 'unread' AND next_check_at > ?1",
            [now],
        )?;
        Ok(())
    }

    /// Makes the unread entries of one profile due at `now` (its settings changed, or the
    /// local relay came back: checks postponed while it was unusable should not wait).
    pub fn make_profile_due(&self, profile_id: &str, now: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE entries SET next_check_at = ?1
             WHERE state = 'unread' AND profile_id = ?2 AND next_check_at > ?1",
            params![now, profile_id],
        )?;
        Ok(())
    }

    /// Schedules the next check of `id`; `checked_at` is set when a check succeeded.
    pub fn reschedule(&self, id: &str, checked_at: Option<i64>, next_check_at: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE entries SET next_check_at = ?2, last_checked_at = coalesce(?3, last_checked_at) WHERE id = ?1",
            params![id, next_check_at, checked_at],
        )?;
        Ok(())
    }

    /// Moves an unread `id` into `state` at `at`, appending to its state history and to the
    /// activity log. Returns the updated entry, or `None` when it was no longer unread:
    /// terminal states are final, and a transition is reported exactly once even if two
    /// checks race.
    pub fn transition(&self, id: &str, state: SecretState, at: i64) -> Result<Option<Entry>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        // One conditional UPDATE decides who records the transition.
        let changed = tx.execute(
            "UPDATE entries SET state = ?2, state_changed_at = ?3, last_checked_at = ?3
             WHERE id = ?1 AND state = 'unread' AND ?2 <> 'unread'",
            params![id, state.as_str(), at],
        )?;
        if changed == 0 {
            return Ok(None);
        }
        tx.execute(
            "INSERT INTO state_history (entry_id, state, at) VALUES (?1, ?2, ?3)",
            params![id, state.as_str(), at],
        )?;
        let entry = tx.query_row(
            &format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?1"),
            [id],
            entry_from_row,
        )?;
        if let Some(kind) = HistoryKind::for_state(state) {
            super::history::append_in(
                &tx,
                at,
                kind,
                Some(id),
                Some(&entry.label),
                Some(&entry.profile_id),
                None,
            )?;
        }
        tx.commit()?;
        Ok(Some(entry))
    }

    /// Turns notifications for one entry on or off.
    pub fn set_notify(&self, id: &str, notify: bool) -> Result<Entry> {
        let changed = self.conn().execute(
            "UPDATE entries SET notify = ?2 WHERE id = ?1",
            params![id, notify],
        )?;
        if changed == 0 {
            return Err(TrackerError::EntryNotFound);
        }
        self.get(id)
    }

    /// Removes an entry (its sealed link and receipt key with it); the history log keeps a
    /// `forgotten` row and everything logged before.
    pub fn forget(&self, id: &str, at: i64) -> Result<()> {
        let entry = self.get(id)?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM entries WHERE id = ?1", [id])?;
        super::history::append_in(
            &tx,
            at,
            HistoryKind::Forgotten,
            Some(id),
            Some(&entry.label),
            Some(&entry.profile_id),
            None,
        )?;
        tx.commit()?;
        Ok(())
    }
}
