//! Invites and tokens as the relay panel shows them: typed for the UI (`ts-rs`), with the
//! relay's address filled in from where the switch serves.
//!
//! The relay (`hushlink_relay::invites`) makes the invite; it cannot know where it is
//! reached, so [`RelaySwitch::invite_address`] tells it: the plain-HTTP origin links use,
//! the HTTPS port and the fingerprint colleagues' apps pin. The link is returned once, with
//! a QR code, and never kept by the app.

use hushlink_relay::{InviteAddress, InviteState, InviteSummary, Relay, TokenSummary};
use serde::Serialize;
use ts_rs::TS;

use super::{unix_ms, RelaySwitch};

/// Where an invite stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum InviteStatus {
    /// Waiting for the colleague; can be withdrawn.
    Pending,
    /// Used once; its token is the colleague's now (see the token list).
    Accepted,
    /// Withdrawn before use; its token was revoked.
    Withdrawn,
    /// Not used in time; its token was revoked.
    Expired,
}

impl From<InviteState> for InviteStatus {
    fn from(state: InviteState) -> Self {
        match state {
            InviteState::Pending => Self::Pending,
            InviteState::Accepted => Self::Accepted,
            InviteState::Withdrawn => Self::Withdrawn,
            InviteState::Expired => Self::Expired,
        }
    }
}

/// An invite in the panel's list (nothing secret: the link is never kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RelayInvite {
    /// Public id, to withdraw it by.
    pub id: String,
    /// The colleague: the name of the token it grants.
    pub name: String,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created_at: i64,
    /// Unix milliseconds; after this it can no longer be used.
    #[ts(type = "number")]
    pub expires_at: i64,
    /// Where it stands now.
    pub status: InviteStatus,
    /// When it was used, withdrawn or expired (Unix milliseconds).
    #[ts(type = "number | null")]
    pub finished_at: Option<i64>,
    /// The address that used it.
    pub accepted_from: Option<String>,
}

impl From<InviteSummary> for RelayInvite {
    fn from(summary: InviteSummary) -> Self {
        Self {
            id: summary.id,
            name: summary.name,
            created_at: unix_ms(summary.created_at),
            expires_at: unix_ms(summary.expires_at),
            status: summary.state.into(),
            finished_at: summary.finished_at.map(unix_ms),
            accepted_from: summary.accepted_from,
        }
    }
}

/// A new invite: the only time its link is shown.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewInvite {
    /// The invite as the list shows it.
    pub invite: RelayInvite,
    /// `http://HOST:PORT/invite/KEY#FRAGMENT`: whoever holds it gets the token, once.
    pub link: String,
    /// QR code of `link` as an SVG document (for a colleague's phone or a second screen).
    pub qr_svg: Option<String>,
}

/// A colleague's token in the panel's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RelayToken {
    /// Public id, to revoke it by.
    pub id: String,
    /// Who it is for (the HTTP Basic user name).
    pub name: String,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created_at: i64,
    /// Unix milliseconds, once revoked.
    #[ts(type = "number | null")]
    pub revoked_at: Option<i64>,
    /// When it last created a secret the relay still keeps a receipt of (Unix milliseconds);
    /// `null`: not in that time, or never.
    #[ts(type = "number | null")]
    pub last_used_at: Option<i64>,
}

/// The relay's tokens with when each was last used.
pub async fn tokens(relay: &Relay) -> hushlink_relay::Result<Vec<RelayToken>> {
    let tokens = relay.tokens();
    let last_used = tokens.last_used().await?;
    Ok(tokens
        .list()
        .await?
        .into_iter()
        .map(|t: TokenSummary| RelayToken {
            last_used_at: last_used.get(&t.id).copied().map(unix_ms),
            id: t.id,
            name: t.name,
            created_at: unix_ms(t.created_at),
            revoked_at: t.revoked_at.map(unix_ms),
        })
        .collect())
}

impl RelaySwitch {
    /// The running relay and where colleagues reach it, for an invite; `None` when off.
    pub async fn invite_address(&self) -> Option<(Relay, InviteAddress)> {
        let inner = self.inner.lock().await;
        let running = inner.running.as_ref()?;
        let plain = std::net::SocketAddr::new(running.endpoint.ip, running.endpoint.port);
        Some((
            running.relay.clone(),
            InviteAddress {
                origin: format!("http://{plain}"),
                https_port: Some(running.endpoint.https_port),
                fingerprint: Some(running.fingerprint.to_hex()),
            },
        ))
    }
}
