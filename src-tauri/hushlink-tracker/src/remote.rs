//! The seam to `hushlink-client`: building a client for a profile, and reading a receipt as
//! a tracker state (reference §6).

use hushlink_client::{Client, Options, SecretText, ServerConfig, State};
use hushlink_protocol::Phase;

use crate::error::Result;
use crate::model::SecretState;
use crate::profiles::Resolved;

/// A client for a resolved profile (with its credentials when it has both parts).
pub(crate) fn client_for(resolved: &Resolved, options: &Options) -> Result<Client> {
    if let Some(server) = &resolved.in_process {
        return Ok(Client::in_process(&resolved.base_url, server.clone())?);
    }
    let mut config = ServerConfig::new(resolved.base_url.clone());
    // A pinned profile (a colleague's relay, from an invite) talks to exactly one
    // certificate; its credentials below then travel over that connection only.
    if let Some(pin) = resolved.pin {
        config = config.with_pinned_cert(pin);
    }
    if let Some(link_base) = &resolved.link_base {
        config = config.with_link_base(link_base.clone());
    }
    if let Some((user, token)) = &resolved.credentials {
        config = config.with_credentials(user.clone(), SecretText::new(token.as_str()));
    }
    Ok(Client::with_options(config, options.clone())?)
}

/// What a receipt says about a secret, in tracker terms.
///
/// `new`/`viewed`/`shared`/`previewed` are unread (legacy `viewed` meant the *sender* looked
/// at the receipt); `received`/`revealed` mean the recipient read it; `burned`, `expired`,
/// `orphaned` are terminal. `None` for a state this build does not know: the entry stays
/// unread and is asked about again later, rather than guessing.
pub fn map_state(state: &State) -> Option<SecretState> {
    match state.phase() {
        Phase::Unread => Some(SecretState::Unread),
        Phase::Read => Some(SecretState::Opened),
        Phase::Gone => Some(match state {
            State::Burned => SecretState::Burned,
            State::Expired => SecretState::Expired,
            _ => SecretState::Orphaned,
        }),
        Phase::Unknown => None,
    }
}

/// The state of a secret whose receipt the server no longer has (HTTP 404 `Unknown secret`).
///
/// Receipts live twice the secret's TTL, so after the TTL a missing receipt means the secret
/// expired (we would have seen `received` while the receipt lived, had it been read). Before
/// the TTL, a missing receipt means the server lost it: orphaned.
pub fn gone_receipt_state(now_ms: i64, expires_at_ms: i64) -> SecretState {
    if now_ms >= expires_at_ms {
        SecretState::Expired
    } else {
        SecretState::Orphaned
    }
}

/// True when the client error says the receipt (or secret) no longer exists.
pub(crate) fn is_gone(error: &hushlink_client::Error) -> bool {
    matches!(
        error,
        hushlink_client::Error::ReceiptGone | hushlink_client::Error::SecretGone
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wire_state_maps_as_the_reference_says() {
        let table = [
            ("new", Some(SecretState::Unread)),
            ("viewed", Some(SecretState::Unread)),
            ("shared", Some(SecretState::Unread)),
            ("previewed", Some(SecretState::Unread)),
            ("received", Some(SecretState::Opened)),
            ("revealed", Some(SecretState::Opened)),
            ("burned", Some(SecretState::Burned)),
            ("expired", Some(SecretState::Expired)),
            ("orphaned", Some(SecretState::Orphaned)),
            ("something-new", None),
        ];
        for (wire, expected) in table {
            assert_eq!(map_state(&State::parse(wire)), expected, "{wire}");
        }
    }

    #[test]
    fn a_missing_receipt_is_expired_only_after_the_ttl() {
        assert_eq!(gone_receipt_state(2_000, 1_000), SecretState::Expired);
        assert_eq!(gone_receipt_state(1_000, 1_000), SecretState::Expired);
        assert_eq!(gone_receipt_state(999, 1_000), SecretState::Orphaned);
    }
}
