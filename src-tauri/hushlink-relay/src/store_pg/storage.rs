//! [`Storage`] for [`PgStore`]: each method delegates to `secrets` or `admin` and turns a
//! [`PgError`](super::PgError) into the relay's [`Error`](crate::Error).

use tokio::sync::broadcast;

use super::PgStore;
use crate::access_log::{AccessLogEntry, AccessLogFilter};
use crate::config::Quotas;
use crate::keys::RowId;
use crate::model::{Quota, StoredReceipt};
use crate::store::invites::{InviteRow, Refusal, Taken as TakenInvite};
use crate::store::{
    Attempt, LogLine, NewInvite, NewRow, Reservation, Sealed, SecretRow, Storage, StoreFuture,
    Swept, Take, TokenRow,
};

/// Boxes `$call` (a `PgStore` future) with its error converted.
macro_rules! boxed {
    ($call:expr) => {
        Box::pin(async move { Ok($call.await?) })
    };
}

impl Storage for PgStore {
    fn create_secret(
        &self,
        row: NewRow,
        line: LogLine,
        quotas: Quotas,
    ) -> StoreFuture<'_, std::result::Result<StoredReceipt, Quota>> {
        boxed!(self.create(row, line, quotas))
    }

    fn peek_secret(&self, id: RowId, now: i64) -> StoreFuture<'_, Option<SecretRow>> {
        boxed!(self.peek(id, now))
    }

    fn peek_sealed(&self, id: RowId, now: i64) -> StoreFuture<'_, Option<Sealed>> {
        boxed!(PgStore::peek_sealed(self, id, now))
    }

    fn take_secret(
        &self,
        id: RowId,
        now: i64,
        passphrase_checked: bool,
        client_ip: String,
        line: LogLine,
    ) -> StoreFuture<'_, Take> {
        boxed!(self.take(id, now, passphrase_checked, client_ip, line))
    }

    fn receipt(&self, receipt_id: RowId, now: i64) -> StoreFuture<'_, Option<StoredReceipt>> {
        boxed!(PgStore::receipt(self, receipt_id, now))
    }

    fn receipts_of_secrets(
        &self,
        secret_ids: Vec<RowId>,
        now: i64,
    ) -> StoreFuture<'_, Vec<Option<StoredReceipt>>> {
        boxed!(PgStore::receipts_of_secrets(self, secret_ids, now))
    }

    fn recent(&self, owner: String, since: i64, now: i64) -> StoreFuture<'_, Vec<StoredReceipt>> {
        boxed!(PgStore::recent(self, owner, since, now))
    }

    fn burn(
        &self,
        receipt_id: RowId,
        now: i64,
        line: LogLine,
    ) -> StoreFuture<'_, Option<StoredReceipt>> {
        boxed!(PgStore::burn(self, receipt_id, now, line))
    }

    fn counts(&self, now: i64) -> StoreFuture<'_, (i64, i64)> {
        boxed!(PgStore::counts(self, now))
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        boxed!(PgStore::ping(self))
    }

    fn reserve_attempt(&self, id: RowId, now: i64, max: u32) -> StoreFuture<'_, Reservation> {
        boxed!(PgStore::reserve_attempt(self, id, now, max))
    }

    fn release_attempt(&self, id: RowId) -> StoreFuture<'_, ()> {
        boxed!(PgStore::release_attempt(self, id))
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
        boxed!(PgStore::fail_attempt(
            self,
            id,
            now,
            (reserved, max),
            failed,
            burned
        ))
    }

    fn log_detached(&self, line: LogLine) {
        PgStore::log_detached(self, line);
    }

    fn query_log(&self, filter: AccessLogFilter) -> StoreFuture<'_, Vec<AccessLogEntry>> {
        boxed!(PgStore::query_log(self, filter))
    }

    fn subscribe_log(&self) -> broadcast::Receiver<AccessLogEntry> {
        self.committed_log.subscribe()
    }

    fn sweep(&self, now: i64, log_before: i64, limit: usize) -> StoreFuture<'_, Swept> {
        boxed!(PgStore::sweep(self, now, log_before, limit))
    }

    fn insert_token(&self, row: TokenRow) -> StoreFuture<'_, bool> {
        boxed!(PgStore::insert_token(self, row))
    }

    fn list_tokens(&self) -> StoreFuture<'_, Vec<TokenRow>> {
        boxed!(PgStore::list_tokens(self))
    }

    fn revoke_token(&self, id: String, now: i64) -> StoreFuture<'_, bool> {
        boxed!(PgStore::revoke_token(self, id, now))
    }

    fn revoke_tokens_named(&self, name: String, now: i64) -> StoreFuture<'_, Vec<String>> {
        boxed!(PgStore::revoke_tokens_named(self, name, now))
    }

    fn tokens_last_used(&self, ids: Vec<String>) -> StoreFuture<'_, Vec<(String, i64)>> {
        boxed!(PgStore::tokens_last_used(self, ids))
    }

    fn insert_invite(&self, invite: NewInvite) -> StoreFuture<'_, ()> {
        boxed!(PgStore::insert_invite(self, invite))
    }

    fn list_invites(&self) -> StoreFuture<'_, Vec<InviteRow>> {
        boxed!(PgStore::list_invites(self))
    }

    fn withdraw_invite(&self, id: String, now: i64) -> StoreFuture<'_, Option<String>> {
        boxed!(PgStore::withdraw_invite(self, id, now))
    }

    fn accept_invite(
        &self,
        key_hash: RowId,
        now: i64,
        from: String,
    ) -> StoreFuture<'_, std::result::Result<TakenInvite, Refusal>> {
        boxed!(PgStore::accept_invite(self, key_hash, now, from))
    }

    fn invite_is_pending(&self, key_hash: RowId, now: i64) -> StoreFuture<'_, bool> {
        boxed!(PgStore::invite_is_pending(self, key_hash, now))
    }

    fn expire_invites(&self, now: i64, forget_before: i64) -> StoreFuture<'_, Vec<String>> {
        boxed!(PgStore::expire_invites(self, now, forget_before))
    }
}
