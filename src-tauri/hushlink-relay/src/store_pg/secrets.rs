//! Secrets on PostgreSQL: peek, reveal, burn, receipts, passphrase attempts and sweeps
//! (create, with the quotas, is `create`). Each is one statement, or one short transaction
//! where a lock must come first (sweep); `sql` says what each statement guarantees.

use super::rows::{receipt, row_id, seal};
use super::{sql, PgError, PgStore};
use crate::access_log::{AccessAction, AccessLogEntry};
use crate::keys::{key_id, RowId};
use crate::model::StoredReceipt;
use crate::store::{Attempt, LogLine, Reservation, Sealed, SecretRow, Swept, Take, Taken};

type Result<T> = std::result::Result<T, PgError>;

impl PgStore {
    pub(super) async fn peek(&self, id: RowId, now: i64) -> Result<Option<SecretRow>> {
        let row = self.opt(sql::PEEK, &[&id.as_slice(), &now]).await?;
        row.map(|r| {
            Ok(SecretRow {
                passphrase: r.try_get(0)?,
                e2e: r.try_get(1)?,
                created_at: r.try_get(2)?,
                expires_at: r.try_get(3)?,
                note: r.try_get(4)?,
            })
        })
        .transpose()
    }

    pub(super) async fn peek_sealed(&self, id: RowId, now: i64) -> Result<Option<Sealed>> {
        let row = self.opt(sql::PEEK_SEALED, &[&id.as_slice(), &now]).await?;
        row.map(|r| {
            Ok(Sealed {
                passphrase: r.try_get(0)?,
                seal: seal(r.try_get(1)?)?,
                value: r.try_get(2)?,
            })
        })
        .transpose()
    }

    /// The exactly-once step of a reveal ([`sql::TAKE`]); when nothing was taken, whether a
    /// passphrase was missing.
    pub(super) async fn take(
        &self,
        id: RowId,
        now: i64,
        passphrase_checked: bool,
        client_ip: String,
        line: LogLine,
    ) -> Result<Take> {
        let taken = self
            .opt(
                sql::TAKE,
                &[
                    &id.as_slice(),
                    &now,
                    &passphrase_checked,
                    &client_ip,
                    &line.key_id(),
                    &line.user_agent(),
                    &line.client_ip(),
                ],
            )
            .await?;
        if let Some(r) = taken {
            self.announce([line.entry(r.try_get(3)?)]);
            return Ok(Take::Taken(Taken {
                value: r.try_get(0)?,
                seal: seal(r.try_get(1)?)?,
                e2e: r.try_get(2)?,
            }));
        }
        let needs_passphrase = self
            .peek(id, now)
            .await?
            .is_some_and(|row| row.passphrase.is_some());
        Ok(if needs_passphrase {
            Take::NeedsPassphrase
        } else {
            Take::Gone
        })
    }

    pub(super) async fn burn(
        &self,
        receipt_id: RowId,
        now: i64,
        line: LogLine,
    ) -> Result<Option<StoredReceipt>> {
        let row = self
            .opt(
                sql::BURN,
                &[
                    &receipt_id.as_slice(),
                    &now,
                    &line.client_ip(),
                    &line.user_agent(),
                    &line.key_id(),
                ],
            )
            .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        self.announce([line.entry(r.try_get(17)?)]);
        Ok(Some(receipt(&r)?))
    }

    pub(super) async fn receipt(&self, id: RowId, now: i64) -> Result<Option<StoredReceipt>> {
        let row = self.opt(sql::RECEIPT, &[&id.as_slice(), &now]).await?;
        row.as_ref().map(receipt).transpose()
    }

    /// The receipt of each secret, in the order asked (one statement for all).
    pub(super) async fn receipts_of_secrets(
        &self,
        ids: Vec<RowId>,
        now: i64,
    ) -> Result<Vec<Option<StoredReceipt>>> {
        let keys: Vec<&[u8]> = ids.iter().map(|id| id.as_slice()).collect();
        let found = self
            .all(sql::RECEIPTS_FOR_SECRETS, &[&keys, &now])
            .await?
            .iter()
            .map(receipt)
            .collect::<Result<Vec<_>>>()?;
        Ok(ids
            .iter()
            .map(|id| found.iter().find(|r| &r.secret_id == id).cloned())
            .collect())
    }

    pub(super) async fn recent(
        &self,
        owner: String,
        since: i64,
        now: i64,
    ) -> Result<Vec<StoredReceipt>> {
        self.all(sql::RECENT, &[&owner, &since, &now])
            .await?
            .iter()
            .map(receipt)
            .collect()
    }

    pub(super) async fn counts(&self, now: i64) -> Result<(i64, i64)> {
        let row = self
            .opt(sql::COUNTS, &[&now])
            .await?
            .ok_or(PgError::Corrupt)?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    pub(super) async fn reserve_attempt(
        &self,
        id: RowId,
        now: i64,
        max: u32,
    ) -> Result<Reservation> {
        let max = i32::try_from(max).unwrap_or(i32::MAX);
        let reserved = self
            .opt(sql::RESERVE_ATTEMPT, &[&id.as_slice(), &now, &max])
            .await?;
        if let Some(r) = reserved {
            let n: i32 = r.try_get(0)?;
            return Ok(Reservation::Reserved(u32::try_from(n).unwrap_or(0)));
        }
        let live = self.peek(id, now).await?;
        Ok(if live.is_some_and(|row| row.passphrase.is_some()) {
            Reservation::Exhausted
        } else {
            Reservation::Gone
        })
    }

    pub(super) async fn release_attempt(&self, id: RowId) -> Result<()> {
        self.exec(sql::RELEASE_ATTEMPT, &[&id.as_slice()]).await?;
        Ok(())
    }

    /// Settles a wrong passphrase: counted below the last allowed, else the secret burns
    /// ([`sql::BURN_AFTER_ATTEMPTS`] claims its value, as a reveal would).
    pub(super) async fn fail_attempt(
        &self,
        id: RowId,
        now: i64,
        (reserved, max): (u32, u32),
        failed: LogLine,
        burned: LogLine,
    ) -> Result<Attempt> {
        let params = |line: &LogLine| {
            (
                line.key_id().map(str::to_owned),
                line.client_ip().map(str::to_owned),
                line.user_agent().map(str::to_owned),
            )
        };
        let (key, ip, agent) = params(&failed);
        let statement = if reserved < max {
            sql::FAILED_ATTEMPT
        } else {
            sql::BURN_AFTER_ATTEMPTS
        };
        let row = self
            .opt(statement, &[&id.as_slice(), &now, &key, &ip, &agent])
            .await?;
        let Some(r) = row else {
            return Ok(Attempt::Gone);
        };
        let token_name: Option<String> = r.try_get(0)?;
        if reserved < max {
            self.announce([failed.entry(token_name)]);
            return Ok(Attempt::Counted(reserved));
        }
        self.announce([failed.entry(token_name.clone()), burned.entry(token_name)]);
        Ok(Attempt::Burned)
    }

    /// One sweep turn; nothing when another instance is sweeping now (it will do the work).
    pub(super) async fn sweep(&self, now: i64, log_before: i64, limit: usize) -> Result<Swept> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let turn: bool = tx
            .query_one(sql::TRY_LOCK, &[&sql::SWEEP_LOCK])
            .await?
            .try_get(0)?;
        if !turn {
            return Ok(Swept::default());
        }
        let expired = tx.query(sql::EXPIRE_SECRETS, &[&now, &limit]).await?;
        let keys = expired
            .iter()
            .map(|r| Ok(key_id(&row_id(r.try_get(1)?)?)))
            .collect::<Result<Vec<String>>>()?;
        let lines = tx.query(sql::LOG_EXPIRED, &[&now, &keys]).await?;
        let receipts = tx.execute(sql::DELETE_RECEIPTS, &[&now, &limit]).await?;
        let log_lines = tx.execute(sql::DELETE_LOG, &[&log_before, &limit]).await?;
        tx.commit().await?;
        let entries = lines
            .iter()
            .map(|r| {
                Ok(AccessLogEntry {
                    at: now,
                    action: AccessAction::Expire,
                    key_id: r.try_get(0)?,
                    client_ip: None,
                    user_agent: None,
                    token_name: r.try_get(1)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.announce(entries);
        Ok(Swept {
            secrets: expired.len(),
            receipts: usize::try_from(receipts).unwrap_or(usize::MAX),
            log_lines: usize::try_from(log_lines).unwrap_or(usize::MAX),
        })
    }
}
