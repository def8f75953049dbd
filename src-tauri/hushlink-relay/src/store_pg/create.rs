//! A create on PostgreSQL, with the quotas, without making every create on every instance
//! wait for the others (issue 18; the reasoning is in `docs/postgres.md`, "Quotas").
//!
//! Each quota scope (the token's, the relay's) has an advisory lock. A create takes it
//! SHARED while the committed usage leaves room for itself and for every create that may be
//! in flight (at most `max_connections - 1` other transactions, each one secret and at
//! most [`FAST_BYTES`]): then no interleaving can exceed the quota, and shared holders do
//! not wait for each other. Otherwise (near the quota, or a value larger than
//! [`FAST_BYTES`]) it takes that scope's lock EXCLUSIVELY, which waits for the creates in
//! flight to commit, and checks exactly. So a quota is never exceeded, and far from the
//! quotas creates on all instances proceed side by side, leaving PostgreSQL's commit flush
//! (which it groups) as their only serial step.
//!
//! One attempt is one transaction sent as one pipeline (`BEGIN`, the locks, [`sql::CREATE`]
//! which checks and inserts in one statement, `COMMIT`): one round trip once the statements
//! are prepared on the connection. An attempt that finds a scope near its quota commits
//! nothing and the next takes that scope's lock exclusively: at most three attempts.

use futures_util::future::join5;
use tokio_postgres::types::ToSql;

use super::rows::{kind_text, seal_number};
use super::{sql, PgError, PgStore};
use crate::config::Quotas;
use crate::model::{Quota, StoredReceipt};
use crate::store::{LogLine, NewRow};

type Result<T> = std::result::Result<T, PgError>;

/// Sealed values up to this size may pass the quota check under the shared lock; larger
/// ones (rare: secrets are mostly passwords and keys) check under the exclusive lock. It
/// bounds what each create in flight may add, so it sets the byte margin kept free of
/// unlocked creates: `(max_connections - 1) x FAST_BYTES`.
pub(super) const FAST_BYTES: usize = 16 * 1024;

/// Which scopes' locks an attempt takes exclusively.
#[derive(Clone, Copy, Debug)]
struct Alone {
    token: bool,
    relay: bool,
}

/// What [`sql::CREATE`] found for one scope.
#[derive(Clone, Copy, Debug)]
struct Room {
    /// The committed usage alone leaves no room for this secret.
    secrets_over: bool,
    /// The committed usage alone leaves no room for these bytes.
    bytes_over: bool,
    /// Creates in flight might fill the room: check again alone.
    near: bool,
}

/// What one attempt should lead to.
#[derive(Debug, PartialEq)]
enum Next {
    Created,
    Refused(Quota),
    Retry,
}

impl PgStore {
    /// Inserts a secret, its value and its `create` line, unless a quota would be exceeded
    /// (the token's first, then the relay's, as on SQLite): then nothing is written.
    pub(super) async fn create(
        &self,
        row: NewRow,
        line: LogLine,
        quotas: Quotas,
    ) -> Result<std::result::Result<StoredReceipt, Quota>> {
        let large = row.value.len() > FAST_BYTES;
        let mut alone = Alone {
            token: large,
            relay: large,
        };
        loop {
            let (created, token, relay) = self.attempt(&row, &line, &quotas, alone).await?;
            let has_owner = row.owner.is_some();
            match next(
                created,
                has_owner.then_some(token),
                relay,
                &quotas,
                &mut alone,
            ) {
                Some(Next::Created) => break,
                Some(Next::Refused(quota)) => return Ok(Err(quota)),
                Some(Next::Retry) => {}
                // Refused though no scope lacked room: the statement and `next` disagree.
                None => return Err(PgError::Corrupt),
            }
        }
        self.announce([line.entry(line.token_name().map(str::to_owned))]);
        Ok(Ok(row.receipt()))
    }

    /// One transaction, pipelined: whether it created the secret, and each scope's room.
    async fn attempt(
        &self,
        row: &NewRow,
        line: &LogLine,
        quotas: &Quotas,
        alone: Alone,
    ) -> Result<(bool, Room, Room)> {
        let client = self.client().await?;
        let relay_lock = client
            .prepare_cached(if alone.relay {
                sql::LOCK
            } else {
                sql::LOCK_SHARED
            })
            .await?;
        let owner_lock = client
            .prepare_cached(if alone.token {
                sql::OWNER_LOCK
            } else {
                sql::OWNER_LOCK_SHARED
            })
            .await?;
        let create = client.prepare_cached(sql::CREATE).await?;
        let limit = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let fast = i64::try_from(FAST_BYTES).unwrap_or(i64::MAX);
        let (kind, seal) = (kind_text(row.kind), seal_number(row.seal));
        let (secret_expires_at, expires_at) = (row.secret_expires_at(), row.receipt_expires_at());
        let limits = [
            limit(quotas.live_secrets_per_token),
            limit(quotas.live_bytes_per_token),
            limit(quotas.live_secrets),
            limit(quotas.live_bytes),
        ];
        let params: [&(dyn ToSql + Sync); 25] = [
            &row.secret_id.as_slice(),
            &row.receipt_id.as_slice(),
            &row.sealed_secret_key,
            &row.passphrase,
            &row.owner,
            &kind,
            &row.e2e,
            &row.ttl,
            &row.now,
            &secret_expires_at,
            &expires_at,
            &row.value,
            &seal,
            &line.key_id(),
            &line.client_ip(),
            &line.user_agent(),
            &line.token_name(),
            &row.note,
            &limits[0],
            &limits[1],
            &limits[2],
            &limits[3],
            &alone.token,
            &alone.relay,
            &fast,
        ];
        let owner_locked = async {
            match &row.owner {
                Some(owner) => client
                    .execute(&owner_lock, &[&sql::OWNER_LOCK_CLASS, owner])
                    .await
                    .map(drop),
                None => Ok(()),
            }
        };
        // `join5` polls in order, and each call sends its statement when first polled, so
        // the five go out in this order in one write; PostgreSQL runs them one after the
        // other, so `CREATE` reads the usage only once the locks are held. If any fails,
        // the transaction is aborted and `COMMIT` ends it as a rollback: the connection
        // goes back to the pool outside a transaction either way.
        let (begun, locked, owner_locked, created, committed) = join5(
            client.batch_execute("BEGIN"),
            client.execute(&relay_lock, &[&sql::QUOTA_LOCK]),
            owner_locked,
            client.query_one(&create, &params),
            client.batch_execute("COMMIT"),
        )
        .await;
        begun?;
        locked?;
        owner_locked?;
        let r = created?;
        committed?;
        let room = |at: usize| -> Result<Room> {
            Ok(Room {
                secrets_over: r.try_get(at)?,
                bytes_over: r.try_get(at + 1)?,
                near: r.try_get(at + 2)?,
            })
        };
        Ok((r.try_get(0)?, room(1)?, room(4)?))
    }
}

/// What follows an attempt: the token's scope is decided before the relay's (so the
/// refusal names the same quota as on SQLite), and a scope near its quota is checked again
/// alone before anything is refused for the next one. `None`: not created, yet no scope
/// said why.
fn next(
    created: bool,
    token: Option<Room>,
    relay: Room,
    quotas: &Quotas,
    alone: &mut Alone,
) -> Option<Next> {
    if created {
        return Some(Next::Created);
    }
    if let Some(token) = token {
        if token.secrets_over {
            return Some(Next::Refused(Quota::TokenSecrets(
                quotas.live_secrets_per_token,
            )));
        }
        if token.bytes_over {
            return Some(Next::Refused(Quota::TokenBytes(
                quotas.live_bytes_per_token,
            )));
        }
        if token.near && !alone.token {
            alone.token = true;
            return Some(Next::Retry);
        }
    }
    if relay.secrets_over {
        return Some(Next::Refused(Quota::RelaySecrets(quotas.live_secrets)));
    }
    if relay.bytes_over {
        return Some(Next::Refused(Quota::RelayBytes(quotas.live_bytes)));
    }
    if relay.near && !alone.relay {
        alone.relay = true;
        return Some(Next::Retry);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOM: Room = Room {
        secrets_over: false,
        bytes_over: false,
        near: false,
    };

    #[test]
    fn the_token_scope_is_settled_before_the_relay_is_refused() {
        let quotas = Quotas::default();
        let near = Room { near: true, ..ROOM };
        let full = Room {
            secrets_over: true,
            ..ROOM
        };
        let mut alone = Alone {
            token: false,
            relay: false,
        };
        assert_eq!(
            next(false, Some(near), full, &quotas, &mut alone),
            Some(Next::Retry)
        );
        assert!(alone.token && !alone.relay, "the token's lock, exclusively");
        assert_eq!(
            next(false, Some(ROOM), full, &quotas, &mut alone),
            Some(Next::Refused(Quota::RelaySecrets(quotas.live_secrets)))
        );
        let bytes = Room {
            bytes_over: true,
            ..ROOM
        };
        assert_eq!(
            next(false, Some(bytes), full, &quotas, &mut alone),
            Some(Next::Refused(Quota::TokenBytes(
                quotas.live_bytes_per_token
            )))
        );
        assert_eq!(
            next(false, None, near, &quotas, &mut alone),
            Some(Next::Retry)
        );
        assert!(alone.relay);
        assert_eq!(next(false, None, near, &quotas, &mut alone), None);
        assert_eq!(
            next(true, None, ROOM, &quotas, &mut alone),
            Some(Next::Created)
        );
    }
}
