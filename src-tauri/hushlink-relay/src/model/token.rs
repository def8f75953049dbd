//! What the relay knows and tells about API tokens (never a token's text after its issue).

use hushlink_protocol::SecretText;
use serde::{Deserialize, Serialize};

/// What the relay panel shows about a token (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSummary {
    /// Public id, used to revoke it.
    pub id: String,
    /// Who it is for; also the HTTP Basic user name.
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, once revoked.
    pub revoked_at: Option<i64>,
}

/// A freshly issued token: the only time its text exists outside the colleague's hands.
#[derive(Debug)]
pub struct IssuedToken {
    /// Its summary.
    pub summary: TokenSummary,
    /// The token (HTTP Basic password). Show it once; the relay cannot show it again.
    pub token: SecretText,
}

/// The identity a valid token proves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenIdentity {
    /// The token's id (owner of the secrets it creates).
    pub id: String,
    /// The token's name (the `custid` v1 reports).
    pub name: String,
}
