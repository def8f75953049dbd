//! Invite operations: create, list, withdraw, accept and expire one-time invites (see
//! [`crate::invites`] for the design).

use hushlink_protocol::invite::{InviteLink, InvitePayload};
use sha2::{Digest, Sha256};

use super::Relay;
use crate::access_log::Client;
use crate::config::RelayConfig;
use crate::error::{Error, Result};
use crate::invites::sealing;
use crate::invites::{
    AcceptError, CreatedInvite, InviteAddress, InviteState, InviteSummary, DEFAULT_TTL_SECS,
    MAX_TTL_SECS, MIN_TTL_SECS,
};
use crate::keys::{Key, KeyKind};
use crate::ratelimit::Bucket;
use crate::store::invites as rows;
use crate::store::{NewInvite, Storage};
use crate::tokens::Tokens;

impl Relay {
    /// Issues a token named `name` and an invite that carries it with this relay's name and
    /// `address`, valid for `ttl_secs` (default [`DEFAULT_TTL_SECS`], clamped to
    /// [[`MIN_TTL_SECS`], [`MAX_TTL_SECS`]]). The relay does not know where it is served
    /// (the app and the binary bind the listeners), so the caller says.
    ///
    /// Fails like [`crate::Tokens::issue`] for a bad or taken name, and with
    /// [`Error::Config`] for an origin that is not `http(s)://HOST[:PORT]`.
    pub async fn create_invite(
        &self,
        name: &str,
        ttl_secs: Option<u64>,
        address: &InviteAddress,
    ) -> Result<CreatedInvite> {
        let origin = checked_origin(&address.origin)?;
        let issued = self.tokens().issue(name).await?;
        let made = self.seal_invite(&issued, origin, ttl_secs, address).await;
        if made.is_err() {
            // Nobody can receive this token now; it must not stay live.
            let _ = self.tokens().revoke(&issued.summary.id).await;
        }
        made
    }

    async fn seal_invite(
        &self,
        issued: &crate::IssuedToken,
        origin: String,
        ttl_secs: Option<u64>,
        address: &InviteAddress,
    ) -> Result<CreatedInvite> {
        let payload = InvitePayload {
            name: self.display_name(),
            origin: origin.clone(),
            https_port: address.https_port,
            fingerprint: address.fingerprint.clone(),
            token_name: issued.summary.name.clone(),
            token: issued.token.clone(),
        };
        let sealed = sealing::seal(&payload)?;
        let key = Key::generate()?;
        let key_hash = key.row_id(KeyKind::Invite);
        let id = hex::encode(
            &Sha256::digest([b"hushlink-relay/v1/invite-id\0".as_slice(), &key_hash].concat())[..6],
        );
        let ttl = ttl_secs
            .unwrap_or(DEFAULT_TTL_SECS)
            .clamp(MIN_TTL_SECS, MAX_TTL_SECS);
        let created_at = self.clock().now();
        let expires_at = created_at.saturating_add(i64::try_from(ttl).unwrap_or(i64::MAX));
        let (row_id, token_id, bytes) = (id.clone(), issued.summary.id.clone(), sealed.bytes);
        self.inner
            .store
            .insert_invite(NewInvite {
                id: row_id,
                key_hash,
                token_id,
                sealed: bytes,
                created_at,
                expires_at,
            })
            .await?;
        let link = InviteLink::parse(&format!(
            "{origin}/{}/{}#{}",
            hushlink_protocol::invite::PATH,
            key.expose(),
            sealed.fragment.expose()
        ))
        .map_err(|e| Error::Config(format!("invite origin: {e}")))?;
        tracing::info!(invite = %id, token = %issued.summary.name, expires_at, "invite created");
        Ok(CreatedInvite {
            summary: InviteSummary {
                id,
                name: issued.summary.name.clone(),
                token_id: issued.summary.id.clone(),
                created_at,
                expires_at,
                state: InviteState::Pending,
                finished_at: None,
                accepted_from: None,
            },
            link,
        })
    }

    /// Every invite the relay keeps (finished ones until the access-log retention ends),
    /// oldest first.
    pub async fn list_invites(&self) -> Result<Vec<InviteSummary>> {
        let now = self.clock().now();
        let rows = self.inner.store.list_invites().await?;
        Ok(rows
            .into_iter()
            .map(|row| InviteSummary {
                state: match row.state {
                    InviteState::Pending if row.expires_at <= now => InviteState::Expired,
                    state => state,
                },
                id: row.id,
                name: row.name,
                token_id: row.token_id,
                created_at: row.created_at,
                expires_at: row.expires_at,
                finished_at: row.finished_at,
                accepted_from: row.accepted_from,
            })
            .collect())
    }

    /// Withdraws the pending invite with this id and revokes its token (both at once);
    /// `false` if no pending invite has it (already used, withdrawn, expired, unknown).
    pub async fn withdraw_invite(&self, id: &str) -> Result<bool> {
        let now = self.clock().now();
        let target = id.to_owned();
        let token = self.inner.store.withdraw_invite(target, now).await?;
        let Some(token_id) = token else {
            return Ok(false);
        };
        // Already revoked in the store; this drops it from the live table too.
        self.tokens().revoke(&token_id).await?;
        tracing::info!(invite = %id, "invite withdrawn; its token was revoked");
        Ok(true)
    }

    /// Hands out the sealed payload of the invite `key`, once. The caller gets only
    /// ciphertext: the fragment that opens it never reaches the relay.
    pub async fn accept_invite(&self, key: &Key, client: &Client) -> Result<Vec<u8>, AcceptError> {
        let now = self.clock().now();
        // Guessing a 256-bit key is hopeless, but every try costs a write: limit them as
        // reveals are limited.
        self.inner
            .limiter
            .hit(Bucket::Reveal, client.ip, now)
            .map_err(|retry_after_secs| AcceptError::RateLimited { retry_after_secs })?;
        let hash = key.row_id(KeyKind::Invite);
        let from = client.ip.to_string();
        let taken = self.inner.store.accept_invite(hash, now, from).await?;
        match taken {
            Ok(rows::Taken {
                sealed,
                id,
                token_id,
            }) => {
                let name = self
                    .tokens()
                    .list()
                    .await
                    .ok()
                    .and_then(|all| all.into_iter().find(|t| t.id == token_id))
                    .map(|t| t.name)
                    .unwrap_or_default();
                tracing::info!(invite = %id, token = %name, client = %client.ip, "invite accepted");
                Ok(sealed)
            }
            Err(rows::Refusal::NotFound) => Err(AcceptError::NotFound),
            Err(rows::Refusal::Used) => Err(AcceptError::Used),
            Err(rows::Refusal::Withdrawn) => Err(AcceptError::Withdrawn),
            Err(rows::Refusal::Expired) => Err(AcceptError::Expired),
        }
    }

    /// Whether `key` names an invite that can still be accepted (the browser page asks,
    /// without using it up).
    pub async fn invite_is_pending(&self, key: &Key) -> Result<bool> {
        let hash = key.row_id(KeyKind::Invite);
        let now = self.clock().now();
        self.inner.store.invite_is_pending(hash, now).await
    }

    /// Marks invites past their expiry as expired and revokes their tokens; forgets finished
    /// invites after the access-log retention. The sweeper runs it; returns how many expired.
    pub async fn expire_invites(&self) -> Result<usize> {
        expire(
            self.inner.store.as_ref(),
            self.tokens(),
            self.clock().now(),
            self.config(),
        )
        .await
    }

    /// The name an invite gives the relay: its configured name, else the host name (as
    /// mDNS announces it, so the app can match a found relay with an invite).
    fn display_name(&self) -> String {
        crate::discovery::display_name(self.config().name.as_deref())
    }
}

/// [`Relay::expire_invites`], for the sweeper (which holds the relay's parts, not the relay).
pub(crate) async fn expire(
    store: &dyn Storage,
    tokens: &Tokens,
    now: i64,
    config: &RelayConfig,
) -> Result<usize> {
    let retention = i64::from(config.access_log_retention_days) * 86_400;
    let forget_before = now.saturating_sub(retention);
    let revoked = store.expire_invites(now, forget_before).await?;
    for token_id in &revoked {
        // Already revoked in the store; this drops it from the live table too.
        tokens.revoke(token_id).await?;
    }
    if !revoked.is_empty() {
        tracing::info!(
            count = revoked.len(),
            "invites expired unused; their tokens were revoked"
        );
    }
    Ok(revoked.len())
}

/// `scheme://host[:port]` without a trailing slash, or [`Error::Config`].
fn checked_origin(origin: &str) -> Result<String> {
    let trimmed = origin.trim().trim_end_matches('/');
    let probe = format!("{trimmed}/invite/{}#x", "0".repeat(50));
    match InviteLink::parse(&probe) {
        Ok(link) if link.base.path() == "/" && !trimmed.contains('@') => {
            Ok(link.base.as_str().trim_end_matches('/').to_owned())
        }
        _ => Err(Error::Config(format!(
            "the invite's origin must be http://HOST:PORT or https://HOST:PORT, not {trimmed:?}"
        ))),
    }
}

#[cfg(test)]
#[path = "invites_tests.rs"]
mod tests;
