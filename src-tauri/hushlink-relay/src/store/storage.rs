//! [`Storage`]: everything the operations ask of storage, as one async interface, and SQLite's
//! implementation of it over the store's writer thread and reader pool.
//!
//! The operations (`crate::operations`, `crate::tokens`) hold an `Arc<dyn Storage>` and never
//! see a connection or SQL. A second engine (PostgreSQL, issue 18) implements this trait and
//! must keep what each method's doc promises; the promises that matter most:
//! - [`Storage::take_secret`] hands a value out exactly once under any concurrency (one
//!   conditional delete), and commits the log line with it;
//! - every method that changes state is durable before its future resolves;
//! - [`Storage::create_secret`] checks the quotas and inserts atomically, so concurrent
//!   creates cannot both pass the last free place;
//! - attempts are counted in storage ([`Storage::reserve_attempt`]), so a limit holds
//!   however many processes check passphrases.
//!
//! Methods return boxed futures so the trait is object safe (`Arc<dyn Storage>`).

use std::future::Future;
use std::pin::Pin;

use tokio::sync::broadcast;

use super::invites::{self as invite_rows, InviteRow};
use super::{
    attempts, log, quota, receipts, rows, tokens, Attempt, LogLine, NewRow, Reservation, Sealed,
    SecretRow, Store, Swept, Taken, TokenRow,
};
use crate::access_log::{AccessLogEntry, AccessLogFilter};
use crate::config::Quotas;
use crate::error::Result;
use crate::keys::RowId;
use crate::model::{Quota, StoredReceipt};

/// What a storage method returns: a future of its result, borrowing the storage.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// The outcome of [`Storage::take_secret`].
pub enum Take {
    /// The value, now deleted; the receipt says received.
    Taken(Taken),
    /// A live secret with a passphrase, asked for without a checked one: nothing changed.
    NeedsPassphrase,
    /// Unknown, already revealed, burned or expired.
    Gone,
}

/// A new invite, as stored.
pub struct NewInvite {
    /// Its public id (what the admin sees and withdraws by).
    pub id: String,
    /// The row id of its key.
    pub key_hash: RowId,
    /// The token it grants.
    pub token_id: String,
    /// The sealed payload.
    pub sealed: Vec<u8>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub expires_at: i64,
}

/// Everything the relay's operations ask of storage. Times are Unix seconds.
pub trait Storage: Send + Sync {
    /// Inserts a secret with its receipt and its `create` log line, unless a quota would be
    /// exceeded (the token's first, then the relay's): then nothing is written.
    fn create_secret(
        &self,
        row: NewRow,
        line: LogLine,
        quotas: Quotas,
    ) -> StoreFuture<'_, std::result::Result<StoredReceipt, Quota>>;
    /// A live secret without its value.
    fn peek_secret(&self, id: RowId, now: i64) -> StoreFuture<'_, Option<SecretRow>>;
    /// A live secret's passphrase column and sealed value.
    fn peek_sealed(&self, id: RowId, now: i64) -> StoreFuture<'_, Option<Sealed>>;
    /// The exactly-once step of a reveal: takes the value (only when `passphrase_checked`
    /// for a secret with a passphrase), marks the receipt received from `client_ip` and
    /// logs `line`, all in one commit.
    fn take_secret(
        &self,
        id: RowId,
        now: i64,
        passphrase_checked: bool,
        client_ip: String,
        line: LogLine,
    ) -> StoreFuture<'_, Take>;
    /// The receipt with this row id, unless it has outlived its 2 × TTL.
    fn receipt(&self, receipt_id: RowId, now: i64) -> StoreFuture<'_, Option<StoredReceipt>>;
    /// The receipt of each secret row id, in order.
    fn receipts_of_secrets(
        &self,
        secret_ids: Vec<RowId>,
        now: i64,
    ) -> StoreFuture<'_, Vec<Option<StoredReceipt>>>;
    /// Receipts created by `owner` since `since`, oldest first.
    fn recent(&self, owner: String, since: i64, now: i64) -> StoreFuture<'_, Vec<StoredReceipt>>;
    /// Burns the live secret behind a receipt and logs `line`; `None` when nothing is left.
    fn burn(
        &self,
        receipt_id: RowId,
        now: i64,
        line: LogLine,
    ) -> StoreFuture<'_, Option<StoredReceipt>>;
    /// Live secrets and kept receipts, as of `now`.
    fn counts(&self, now: i64) -> StoreFuture<'_, (i64, i64)>;
    /// Whether the storage answers, cheaply (the status endpoint's health check). SQLite has
    /// no connection to lose: it answers unless its writer stopped for good.
    fn ping(&self) -> StoreFuture<'_, ()>;

    /// Reserves one passphrase check of a live secret (at most `max` wrong ones in all).
    fn reserve_attempt(&self, id: RowId, now: i64, max: u32) -> StoreFuture<'_, Reservation>;
    /// Gives a reservation back (the check could not run).
    fn release_attempt(&self, id: RowId) -> StoreFuture<'_, ()>;
    /// Settles a reservation whose check found the passphrase wrong, logging `failed`, and
    /// `burned` when it was the last allowed.
    fn fail_attempt(
        &self,
        id: RowId,
        now: i64,
        reserved: u32,
        max: u32,
        failed: LogLine,
        burned: LogLine,
    ) -> StoreFuture<'_, Attempt>;

    /// Logs `line` without waiting for its commit (read-only requests' lines).
    fn log_detached(&self, line: LogLine);
    /// Log lines matching `filter`, newest first.
    fn query_log(&self, filter: AccessLogFilter) -> StoreFuture<'_, Vec<AccessLogEntry>>;
    /// Log lines from now on, each once its commit is durable.
    fn subscribe_log(&self) -> broadcast::Receiver<AccessLogEntry>;
    /// Deletes expired values (logging each), receipts past their expiry and log lines
    /// before `log_before`, at most `limit` of each.
    fn sweep(&self, now: i64, log_before: i64, limit: usize) -> StoreFuture<'_, Swept>;

    /// Stores a token unless a live one has its name; `false` then.
    fn insert_token(&self, row: TokenRow) -> StoreFuture<'_, bool>;
    /// Every token, revoked ones included, oldest first.
    fn list_tokens(&self) -> StoreFuture<'_, Vec<TokenRow>>;
    /// Revokes a token by id; `false` if none was live.
    fn revoke_token(&self, id: String, now: i64) -> StoreFuture<'_, bool>;
    /// Revokes the live tokens named `name`; their ids.
    fn revoke_tokens_named(&self, name: String, now: i64) -> StoreFuture<'_, Vec<String>>;
    /// When each of `ids` last created a secret whose receipt is kept.
    fn tokens_last_used(&self, ids: Vec<String>) -> StoreFuture<'_, Vec<(String, i64)>>;

    /// Stores a pending invite.
    fn insert_invite(&self, invite: NewInvite) -> StoreFuture<'_, ()>;
    /// Every invite kept, oldest first.
    fn list_invites(&self) -> StoreFuture<'_, Vec<InviteRow>>;
    /// Withdraws a pending invite and revokes its token; the token's id.
    fn withdraw_invite(&self, id: String, now: i64) -> StoreFuture<'_, Option<String>>;
    /// Takes a pending invite's sealed payload, once.
    fn accept_invite(
        &self,
        key_hash: RowId,
        now: i64,
        from: String,
    ) -> StoreFuture<'_, std::result::Result<invite_rows::Taken, invite_rows::Refusal>>;
    /// Whether an invite can still be accepted.
    fn invite_is_pending(&self, key_hash: RowId, now: i64) -> StoreFuture<'_, bool>;
    /// Expires invites past their time (revoking their tokens) and forgets finished ones
    /// before `forget_before`; the revoked tokens' ids.
    fn expire_invites(&self, now: i64, forget_before: i64) -> StoreFuture<'_, Vec<String>>;
}

impl Storage for Store {
    fn create_secret(
        &self,
        row: NewRow,
        line: LogLine,
        quotas: Quotas,
    ) -> StoreFuture<'_, std::result::Result<StoredReceipt, Quota>> {
        // Unguarded (no savepoint): every step is SQL that fails only with the database.
        Box::pin(self.write_unguarded(move |conn| {
            if let Some(quota) =
                quota::exceeded(conn, &quotas, row.owner.as_deref(), row.value.len())?
            {
                return Ok(Err(quota));
            }
            rows::insert_secret(conn, &row)?;
            log::insert(conn, &line)?;
            Ok(Ok(row.receipt()))
        }))
    }

    fn peek_secret(&self, id: RowId, now: i64) -> StoreFuture<'_, Option<SecretRow>> {
        Box::pin(self.read(move |conn| rows::peek_secret(conn, &id, now)))
    }

    fn peek_sealed(&self, id: RowId, now: i64) -> StoreFuture<'_, Option<Sealed>> {
        Box::pin(self.read(move |conn| rows::peek_sealed(conn, &id, now)))
    }

    fn take_secret(
        &self,
        id: RowId,
        now: i64,
        passphrase_checked: bool,
        client_ip: String,
        line: LogLine,
    ) -> StoreFuture<'_, Take> {
        // Unguarded, as a create: the reveal's one write path, SQL only.
        Box::pin(self.write_unguarded(move |conn| {
            if let Some(row) =
                rows::take_secret(conn, &id, now, passphrase_checked, Some(&client_ip))?
            {
                // A secret no token created has no token name to find for its line.
                let line = if row.owned {
                    line
                } else {
                    line.without_token()
                };
                log::insert(conn, &line)?;
                return Ok(Take::Taken(row.taken));
            }
            // Nothing taken: gone, or a passphrase secret asked for without one. Asked here,
            // on the writer's connection, so a thousand losers of a race cost no extra round
            // trips to the reader pool.
            let needs_passphrase =
                rows::peek_secret(conn, &id, now)?.is_some_and(|row| row.passphrase.is_some());
            Ok(if needs_passphrase {
                Take::NeedsPassphrase
            } else {
                Take::Gone
            })
        }))
    }

    fn receipt(&self, receipt_id: RowId, now: i64) -> StoreFuture<'_, Option<StoredReceipt>> {
        Box::pin(self.read(move |conn| receipts::receipt(conn, &receipt_id, now)))
    }

    fn receipts_of_secrets(
        &self,
        secret_ids: Vec<RowId>,
        now: i64,
    ) -> StoreFuture<'_, Vec<Option<StoredReceipt>>> {
        Box::pin(self.read(move |conn| {
            secret_ids
                .iter()
                .map(|id| receipts::receipt_for_secret(conn, id, now))
                .collect::<Result<Vec<_>>>()
        }))
    }

    fn recent(&self, owner: String, since: i64, now: i64) -> StoreFuture<'_, Vec<StoredReceipt>> {
        Box::pin(self.read(move |conn| receipts::recent(conn, &owner, since, now)))
    }

    fn burn(
        &self,
        receipt_id: RowId,
        now: i64,
        line: LogLine,
    ) -> StoreFuture<'_, Option<StoredReceipt>> {
        Box::pin(self.write(move |conn| {
            let burned = rows::burn(conn, &receipt_id, now)?;
            if burned.is_some() {
                log::insert(conn, &line)?;
            }
            Ok(burned)
        }))
    }

    /// No I/O: a writer that stopped (after a failed commit or flush, every later write
    /// fails until a restart) or is gone is what SQLite can tell without asking the disk.
    fn ping(&self) -> StoreFuture<'_, ()> {
        let stopped = self
            .writes_stopped
            .load(std::sync::atomic::Ordering::Acquire)
            || self.jobs.is_closed();
        Box::pin(std::future::ready(if stopped {
            Err(crate::error::Error::StoreClosed)
        } else {
            Ok(())
        }))
    }

    fn counts(&self, now: i64) -> StoreFuture<'_, (i64, i64)> {
        Box::pin(self.read(move |conn| {
            let secrets = conn.query_row(
                "SELECT count(*) FROM secrets WHERE state = 'new' AND secret_expires_at > ?1",
                [now],
                |r| r.get(0),
            )?;
            let receipts = conn.query_row(
                "SELECT count(*) FROM secrets WHERE expires_at > ?1",
                [now],
                |r| r.get(0),
            )?;
            Ok((secrets, receipts))
        }))
    }

    fn reserve_attempt(&self, id: RowId, now: i64, max: u32) -> StoreFuture<'_, Reservation> {
        Box::pin(self.write(move |conn| attempts::reserve_attempt(conn, &id, now, max)))
    }

    fn release_attempt(&self, id: RowId) -> StoreFuture<'_, ()> {
        Box::pin(self.write(move |conn| attempts::release_attempt(conn, &id)))
    }

    fn fail_attempt(
        &self,
        id: RowId,
        now: i64,
        reserved: u32,
        max: u32,
        failed: LogLine,
        burned: LogLine,
    ) -> StoreFuture<'_, Attempt> {
        Box::pin(self.write(move |conn| {
            let attempt = attempts::fail_attempt(conn, &id, now, reserved, max)?;
            if attempt != Attempt::Gone {
                log::insert(conn, &failed)?;
            }
            if attempt == Attempt::Burned {
                log::insert(conn, &burned)?;
            }
            Ok(attempt)
        }))
    }

    fn log_detached(&self, line: LogLine) {
        self.write_detached(move |conn| log::insert(conn, &line));
    }

    fn query_log(&self, filter: AccessLogFilter) -> StoreFuture<'_, Vec<AccessLogEntry>> {
        Box::pin(self.read(move |conn| log::query(conn, &filter)))
    }

    fn subscribe_log(&self) -> broadcast::Receiver<AccessLogEntry> {
        Store::subscribe_log(self)
    }

    fn sweep(&self, now: i64, log_before: i64, limit: usize) -> StoreFuture<'_, Swept> {
        Box::pin(self.write(move |conn| rows::sweep(conn, now, log_before, limit)))
    }

    fn insert_token(&self, row: TokenRow) -> StoreFuture<'_, bool> {
        Box::pin(self.write(move |conn| tokens::insert(conn, &row)))
    }

    fn list_tokens(&self) -> StoreFuture<'_, Vec<TokenRow>> {
        Box::pin(self.read(tokens::list))
    }

    fn revoke_token(&self, id: String, now: i64) -> StoreFuture<'_, bool> {
        Box::pin(self.write(move |conn| tokens::revoke(conn, &id, now)))
    }

    fn revoke_tokens_named(&self, name: String, now: i64) -> StoreFuture<'_, Vec<String>> {
        Box::pin(self.write(move |conn| tokens::revoke_by_name(conn, &name, now)))
    }

    fn tokens_last_used(&self, ids: Vec<String>) -> StoreFuture<'_, Vec<(String, i64)>> {
        Box::pin(self.read(move |conn| tokens::last_used(conn, &ids)))
    }

    fn insert_invite(&self, invite: NewInvite) -> StoreFuture<'_, ()> {
        Box::pin(self.write(move |conn| {
            invite_rows::insert(
                conn,
                &invite_rows::NewRow {
                    id: &invite.id,
                    key_hash: invite.key_hash,
                    token_id: &invite.token_id,
                    sealed: &invite.sealed,
                    created_at: invite.created_at,
                    expires_at: invite.expires_at,
                },
            )
        }))
    }

    fn list_invites(&self) -> StoreFuture<'_, Vec<InviteRow>> {
        Box::pin(self.read(invite_rows::list))
    }

    fn withdraw_invite(&self, id: String, now: i64) -> StoreFuture<'_, Option<String>> {
        Box::pin(self.write(move |conn| invite_rows::withdraw(conn, &id, now)))
    }

    fn accept_invite(
        &self,
        key_hash: RowId,
        now: i64,
        from: String,
    ) -> StoreFuture<'_, std::result::Result<invite_rows::Taken, invite_rows::Refusal>> {
        Box::pin(self.write(move |conn| invite_rows::accept(conn, &key_hash, now, &from)))
    }

    fn invite_is_pending(&self, key_hash: RowId, now: i64) -> StoreFuture<'_, bool> {
        Box::pin(self.read(move |conn| invite_rows::is_pending(conn, &key_hash, now)))
    }

    fn expire_invites(&self, now: i64, forget_before: i64) -> StoreFuture<'_, Vec<String>> {
        Box::pin(self.write(move |conn| invite_rows::expire(conn, now, forget_before)))
    }
}
