//! The connection that hears another instance issue or revoke a token.
//!
//! The `tokens` table's trigger sends `NOTIFY hushlink_tokens` in the transaction that
//! changed it (delivered at commit). This task keeps one connection outside the pool
//! `LISTEN`ing and bumps a counter on each notification; the token cache reloads when the
//! counter changes, so a token revoked on one instance is refused by the others within a
//! round trip. Notifications sent while the connection was down are lost, so every
//! (re)connection bumps the counter too. If the database is away, it tries again every
//! [`RELISTEN`].

use std::time::Duration;

use futures_util::{stream, StreamExt};
use tokio::sync::watch;
use tokio_postgres::AsyncMessage;

use super::connect::Target;
use super::{schema, PgError};

/// Pause before listening again after the connection was lost.
const RELISTEN: Duration = Duration::from_secs(1);
/// Idle time after which TCP keepalives probe the listening connection, so a database that
/// vanished without closing it is noticed in seconds, not hours.
const KEEPALIVE: Duration = Duration::from_secs(10);

/// Listens until the task is aborted, reconnecting as needed.
pub(super) async fn tokens(target: Target, bump: watch::Sender<u64>) {
    loop {
        if let Err(e) = listen_once(&target, &bump).await {
            tracing::warn!(error = %e, "token change listener lost the database; retrying");
        }
        tokio::time::sleep(RELISTEN).await;
    }
}

/// One connection's life: `LISTEN`, bump once (changes may have been missed), then bump
/// on every notification until the connection ends.
async fn listen_once(target: &Target, bump: &watch::Sender<u64>) -> Result<(), PgError> {
    let mut config = target.config.clone();
    config.keepalives(true).keepalives_idle(KEEPALIVE);
    // Told apart from the pool's connections in `pg_stat_activity`.
    let name = format!(
        "{}-listen",
        config.get_application_name().unwrap_or_default()
    );
    config.application_name(&name);
    let (client, mut connection) = config.connect(target.tls()?).await?;
    let driver = async {
        let mut messages = stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            if let AsyncMessage::Notification(_) = message? {
                bump.send_modify(|n| *n = n.wrapping_add(1));
            }
        }
        Ok::<(), PgError>(())
    };
    let listen = async {
        client
            .batch_execute(&format!("LISTEN {}", schema::TOKENS_CHANNEL))
            .await?;
        bump.send_modify(|n| *n = n.wrapping_add(1));
        std::future::pending::<Result<(), PgError>>().await
    };
    tokio::select! {
        ended = driver => ended,
        failed = listen => failed,
    }
}
