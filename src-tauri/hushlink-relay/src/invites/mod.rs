//! One-time invites: how a colleague's Hushlink gets a token and the relay's details without
//! the token ever crossing the network or resting on the relay's disk in clear.
//!
//! [`crate::Relay::create_invite`] issues a token (through [`crate::Tokens`], so it is an ordinary
//! token from then on), seals it with the relay's name and address under a fresh 256-bit key
//! (`sealing`), and stores only the sealed bytes, the SHA-256 of a new invite key, the
//! token's id, an expiry and a state. The link is `ORIGIN/invite/KEY#FRAGMENT`, the fragment
//! being the sealing key: browsers and clients never send it, so the relay cannot open what
//! it stores, and a passive reader of the network sees only ciphertext
//! (format: [`hushlink_protocol::invite`]).
//!
//! - `GET /invite/KEY` (a page, `web::invite`) says how to import it and uses nothing up.
//! - `POST /api/v2/invite/KEY/accept` (`http::invites`) hands out the sealed bytes exactly
//!   once: one conditional update decides (`store::invites::accept`); later calls learn whether the invite
//!   was used, withdrawn or expired.
//! - [`crate::Relay::withdraw_invite`], and expiry (the relay's sweeper calls
//!   [`crate::Relay::expire_invites`]), revoke the invite's token in the same commit: a token nobody
//!   received must not outlive its only way out.
//!
//! What it does not protect: whoever holds the whole link (key and fragment) gets the token,
//! once. The link is the credential until it is used.
//!
//! This module holds what an invite is (the domain) and `sealing` (the fresh key and
//! nonce); the operations are in `operations::invites`, the SQL in `store::invites`, the
//! accept route in `http::invites` and the page in `web::invite`.

pub(crate) mod sealing;

use hushlink_protocol::invite::InviteLink;
use serde::{Deserialize, Serialize};

use crate::error::Error;

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
    pub(crate) fn parse(text: &str) -> Self {
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
