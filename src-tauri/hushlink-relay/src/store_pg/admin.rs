//! Tokens, invites and the access log on PostgreSQL.

use deadpool_postgres::Pool;
use tokio::sync::{broadcast, mpsc};

use super::rows::row_id;
use super::{sql, PgError, PgStore};
use crate::access_log::{AccessAction, AccessLogEntry, AccessLogFilter};
use crate::invites::InviteState;
use crate::keys::RowId;
use crate::store::invites::{InviteRow, Refusal, Taken as TakenInvite};
use crate::store::{LogLine, NewInvite, TokenRow};

type Result<T> = std::result::Result<T, PgError>;

/// Largest page [`PgStore::query_log`] returns (as SQLite's).
const MAX_LINES: u32 = 1_000;

impl PgStore {
    /// One round trip on a pooled connection ([`PgError::Unavailable`] when the database
    /// is not there).
    pub(super) async fn ping(&self) -> Result<()> {
        self.opt("SELECT 1", &[]).await?;
        Ok(())
    }

    pub(super) async fn insert_token(&self, row: TokenRow) -> Result<bool> {
        let stored = self
            .opt(
                sql::INSERT_TOKEN,
                &[&row.id, &row.name, &row.hash.as_slice(), &row.created_at],
            )
            .await?;
        Ok(stored.is_some())
    }

    pub(super) async fn list_tokens(&self) -> Result<Vec<TokenRow>> {
        self.all(sql::LIST_TOKENS, &[])
            .await?
            .iter()
            .map(|r| {
                Ok(TokenRow {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    hash: row_id(r.try_get(2)?)?,
                    created_at: r.try_get(3)?,
                    revoked_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    pub(super) async fn revoke_token(&self, id: String, now: i64) -> Result<bool> {
        Ok(self.opt(sql::REVOKE_TOKEN, &[&id, &now]).await?.is_some())
    }

    pub(super) async fn revoke_tokens_named(&self, name: String, now: i64) -> Result<Vec<String>> {
        self.all(sql::REVOKE_TOKENS_NAMED, &[&name, &now])
            .await?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
    }

    /// When each token last created a kept secret, in the order of `ids` (absent if never).
    pub(super) async fn tokens_last_used(&self, ids: Vec<String>) -> Result<Vec<(String, i64)>> {
        let found = self
            .all(sql::TOKENS_LAST_USED, &[&ids])
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<_, String>(0)?, r.try_get::<_, i64>(1)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(ids
            .into_iter()
            .filter_map(|id| found.iter().find(|(owner, _)| *owner == id).cloned())
            .collect())
    }

    pub(super) async fn insert_invite(&self, invite: NewInvite) -> Result<()> {
        self.exec(
            sql::INSERT_INVITE,
            &[
                &invite.id,
                &invite.key_hash.as_slice(),
                &invite.token_id,
                &invite.sealed,
                &invite.created_at,
                &invite.expires_at,
            ],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn list_invites(&self) -> Result<Vec<InviteRow>> {
        self.all(sql::LIST_INVITES, &[])
            .await?
            .iter()
            .map(|r| {
                let state = InviteState::parse(r.try_get(5)?);
                let revoked_at: Option<i64> = r.try_get(8)?;
                // `token revoke NAME` on a pending invite's token withdraws it in effect.
                let (state, finished_at) = match (state, revoked_at) {
                    (InviteState::Pending, Some(at)) => (InviteState::Withdrawn, Some(at)),
                    (state, _) => (state, r.try_get(6)?),
                };
                Ok(InviteRow {
                    id: r.try_get(0)?,
                    token_id: r.try_get(1)?,
                    name: r.try_get(2)?,
                    created_at: r.try_get(3)?,
                    expires_at: r.try_get(4)?,
                    state,
                    finished_at,
                    accepted_from: r.try_get(7)?,
                })
            })
            .collect()
    }

    pub(super) async fn withdraw_invite(&self, id: String, now: i64) -> Result<Option<String>> {
        let row = self.opt(sql::WITHDRAW_INVITE, &[&id, &now]).await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Takes a pending invite's payload once; else why there was nothing to take.
    pub(super) async fn accept_invite(
        &self,
        key_hash: RowId,
        now: i64,
        from: String,
    ) -> Result<std::result::Result<TakenInvite, Refusal>> {
        let key = key_hash.as_slice();
        if let Some(r) = self.opt(sql::ACCEPT_INVITE, &[&key, &now, &from]).await? {
            return Ok(Ok(TakenInvite {
                sealed: r.try_get(0)?,
                id: r.try_get(1)?,
                token_id: r.try_get(2)?,
            }));
        }
        let Some(r) = self.opt(sql::INVITE_REFUSAL, &[&key]).await? else {
            return Ok(Err(Refusal::NotFound));
        };
        let expires_at: i64 = r.try_get(1)?;
        let token_live: bool = r.try_get(2)?;
        Ok(Err(match InviteState::parse(r.try_get(0)?) {
            InviteState::Accepted => Refusal::Used,
            InviteState::Withdrawn => Refusal::Withdrawn,
            InviteState::Expired => Refusal::Expired,
            InviteState::Pending if expires_at <= now => Refusal::Expired,
            InviteState::Pending if !token_live => Refusal::Withdrawn,
            // A concurrent accept took it between the two statements.
            InviteState::Pending => Refusal::Used,
        }))
    }

    pub(super) async fn invite_is_pending(&self, key_hash: RowId, now: i64) -> Result<bool> {
        let row = self
            .opt(sql::INVITE_IS_PENDING, &[&key_hash.as_slice(), &now])
            .await?;
        Ok(row.is_some())
    }

    /// Expires pending invites past their time (revoking their tokens) and forgets finished
    /// ones before `forget_before`, in one transaction; the revoked tokens' ids.
    pub(super) async fn expire_invites(&self, now: i64, forget_before: i64) -> Result<Vec<String>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let tokens = tx
            .query(sql::EXPIRE_INVITES, &[&now])
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<Vec<String>, _>>()?;
        tx.execute(sql::FORGET_INVITES, &[&forget_before]).await?;
        tx.commit().await?;
        Ok(tokens)
    }

    /// Queues a read-only request's line for the background writer; dropped with a warning
    /// when the queue is full (the database is slow or away).
    pub(super) fn log_detached(&self, line: LogLine) {
        if self.detached.try_send(line).is_err() {
            tracing::warn!("access-log queue full or closed; an access-log line was dropped");
        }
    }

    pub(super) async fn query_log(&self, filter: AccessLogFilter) -> Result<Vec<AccessLogEntry>> {
        let limit = i64::from(filter.limit.unwrap_or(MAX_LINES).min(MAX_LINES));
        let action = filter.action.map(AccessAction::as_str);
        let rows = self
            .all(
                sql::QUERY_LOG,
                &[&action, &filter.since, &filter.until, &limit],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            // A line with an action this build does not know (a newer relay wrote it) is
            // skipped, as on SQLite.
            let Some(action) = AccessAction::parse(r.try_get(1)?) else {
                continue;
            };
            out.push(AccessLogEntry {
                at: r.try_get(0)?,
                action,
                key_id: r.try_get(2)?,
                client_ip: r.try_get(3)?,
                user_agent: r.try_get(4)?,
                token_name: r.try_get(5)?,
            });
        }
        Ok(out)
    }
}

/// Writes queued lines one by one and announces each once committed. Ends when the store
/// is dropped (the sender goes) or the task is aborted.
pub(super) async fn write_detached(
    pool: Pool,
    mut lines: mpsc::Receiver<LogLine>,
    feed: broadcast::Sender<AccessLogEntry>,
) {
    while let Some(line) = lines.recv().await {
        match insert_log(&pool, &line).await {
            Ok(token_name) => {
                let _ = feed.send(line.entry(token_name));
            }
            Err(e) => tracing::warn!(error = %e, "an access-log line was not written"),
        }
    }
}

/// Inserts one line; the token name it was stored with.
async fn insert_log(pool: &Pool, line: &LogLine) -> Result<Option<String>> {
    let client = pool.get().await?;
    let statement = client.prepare_cached(sql::INSERT_LOG).await?;
    let row = client
        .query_one(
            &statement,
            &[
                &line.at(),
                &line.action().as_str(),
                &line.key_id(),
                &line.client_ip(),
                &line.user_agent(),
                &line.token_name(),
            ],
        )
        .await?;
    Ok(row.try_get(0)?)
}
