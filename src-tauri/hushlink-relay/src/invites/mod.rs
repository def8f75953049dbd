//! One-time invites: how a colleague's Hushlink gets a token and the relay's details without
//! the token ever crossing the network or resting on the relay's disk in clear.
//!
//! [`Relay::create_invite`] issues a token (through [`crate::Tokens`], so it is an ordinary
//! token from then on), seals it with the relay's name and address under a fresh 256-bit key
//! ([`sealing`]), and stores only the sealed bytes, the SHA-256 of a new invite key, the
//! token's id, an expiry and a state. The link is `ORIGIN/invite/KEY#FRAGMENT`, the fragment
//! being the sealing key: browsers and clients never send it, so the relay cannot open what
//! it stores, and a passive reader of the network sees only ciphertext
//! (format: [`hushlink_protocol::invite`]).
//!
//! - `GET /invite/KEY` (a page, `web::invite`) says how to import it and uses nothing up.
//! - `POST /api/v2/invite/KEY/accept` ([`http`]) hands out the sealed bytes exactly once:
//!   one conditional update decides (`rows::accept`); later calls learn whether the invite
//!   was used, withdrawn or expired.
//! - [`Relay::withdraw_invite`], and expiry (the relay's sweeper calls
//!   [`Relay::expire_invites`]), revoke the invite's token in the same commit: a token nobody
//!   received must not outlive its only way out.
//!
//! What it does not protect: whoever holds the whole link (key and fragment) gets the token,
//! once. The link is the credential until it is used.
//!
//! Module map: `sealing` (seal and open the payload), `rows` (SQL), [`http`] (the accept
//! route).

pub mod http;
mod rows;
pub mod sealing;

use hushlink_protocol::invite::{InviteLink, InvitePayload};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::access_log::Client;
use crate::config::RelayConfig;
use crate::error::{Error, Result};
use crate::keys::{Key, KeyKind};
use crate::ratelimit::Bucket;
use crate::relay::Relay;
use crate::store::Store;
use crate::tokens::Tokens;

/// How long an invite waits for its colleague unless told otherwise: 24 hours.
pub const DEFAULT_TTL_SECS: u64 = 86_400;
/// Shortest invite lifetime (a minute: time to paste it).
pub const MIN_TTL_SECS: u64 = 60;
/// Longest invite lifetime (14 days, as the longest secret).
pub const MAX_TTL_SECS: u64 = 14 * 86_400;

/// Where colleagues reach this relay: what an invite tells their Hushlink besides the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteAddress {
    /// The plain-HTTP origin links use, `http://HOST:PORT` (also the invite link's origin).
    pub origin: String,
    /// The HTTPS port on the same host, when the relay serves one.
    pub https_port: Option<u16>,
    /// SHA-256 of its TLS certificate, 64 lowercase hex digits, for the app to pin.
    pub fingerprint: Option<String>,
}

impl InviteAddress {
    /// Plain HTTP only (no TLS listener yet).
    pub fn plain(origin: impl Into<String>) -> Self {
        Self {
            origin: origin.into(),
            https_port: None,
            fingerprint: None,
        }
    }
}

/// Where an invite stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteState {
    /// Waiting for its colleague.
    Pending,
    /// Accepted once; its token is the colleague's now.
    Accepted,
    /// Withdrawn before use; its token was revoked.
    Withdrawn,
    /// Not accepted in time; its token was (or is about to be) revoked.
    Expired,
}

impl InviteState {
    fn parse(text: &str) -> Self {
        match text {
            "accepted" => Self::Accepted,
            "withdrawn" => Self::Withdrawn,
            "expired" => Self::Expired,
            _ => Self::Pending,
        }
    }
}

/// What the relay panel and `invite list` show about an invite (nothing secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteSummary {
    /// Public id, to withdraw it by.
    pub id: String,
    /// The name of the token it grants (the colleague).
    pub name: String,
    /// That token's id.
    pub token_id: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub expires_at: i64,
    /// Where it stands now (a pending invite past its expiry reads as expired).
    pub state: InviteState,
    /// When it was accepted, withdrawn or expired (Unix seconds).
    pub finished_at: Option<i64>,
    /// The address that accepted it.
    pub accepted_from: Option<String>,
}

/// A new invite: the only time its link exists outside the colleague's hands.
#[derive(Debug)]
pub struct CreatedInvite {
    /// Its summary.
    pub summary: InviteSummary,
    /// The link (`Debug` hides the fragment; [`InviteLink::expose`] gives the text).
    pub link: InviteLink,
}

/// Why an accept handed nothing out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AcceptError {
    /// No invite has this key.
    #[error("no such invite: check that the whole link was pasted")]
    NotFound,
    /// It was accepted before.
    #[error("this invite was already used; ask for a new one")]
    Used,
    /// Its owner withdrew it (or revoked its token).
    #[error("this invite was withdrawn; ask for a new one")]
    Withdrawn,
    /// Its time ran out.
    #[error("this invite has expired; ask for a new one")]
    Expired,
    /// Too many requests from this address (counted with reveals).
    #[error("too many requests; try again in {retry_after_secs} s")]
    RateLimited {
        /// When to try again.
        retry_after_secs: u64,
    },
    /// The relay failed; nothing was handed out.
    #[error(transparent)]
    Fault(#[from] Error),
}

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
            .write(move |conn| {
                rows::insert(
                    conn,
                    &rows::NewRow {
                        id: &row_id,
                        key_hash,
                        token_id: &token_id,
                        sealed: &bytes,
                        created_at,
                        expires_at,
                    },
                )
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
        let rows = self.inner.store.read(rows::list).await?;
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
        let token = self
            .inner
            .store
            .write(move |conn| rows::withdraw(conn, &target, now))
            .await?;
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
        let taken = self
            .inner
            .store
            .write(move |conn| rows::accept(conn, &hash, now, &from))
            .await?;
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
        self.inner
            .store
            .read(move |conn| rows::is_pending(conn, &hash, now))
            .await
    }

    /// Marks invites past their expiry as expired and revokes their tokens; forgets finished
    /// invites after the access-log retention. The sweeper runs it; returns how many expired.
    pub async fn expire_invites(&self) -> Result<usize> {
        expire(
            &self.inner.store,
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
    store: &Store,
    tokens: &Tokens,
    now: i64,
    config: &RelayConfig,
) -> Result<usize> {
    let retention = i64::from(config.access_log_retention_days) * 86_400;
    let forget_before = now.saturating_sub(retention);
    let revoked = store
        .write(move |conn| rows::expire(conn, now, forget_before))
        .await?;
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
#[path = "tests.rs"]
mod tests;
