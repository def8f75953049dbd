//! Importing a colleague's relay from a one-time invite, in one step: the invite is used up
//! once, its relay becomes a pinned profile, its token goes straight to the keyring, and the
//! profile becomes the default.
//!
//! The token never reaches a file, a log or the UI, and it is only ever sent over the relay's
//! HTTPS port with the certificate the invite named ([`crate::profiles`]). An invite for a
//! relay without HTTPS is refused ([`TrackerError::InviteWithoutTls`]) rather than turned
//! into a profile that would send its token in clear.

use hushlink_client::invite::{accept_invite_with, Invite};
use hushlink_client::CertPin;
use url::Url;

use crate::error::{Result, TrackerError};
use crate::profiles::{InvitedRelay, Profile};
use crate::shared::lock;
use crate::tracker::Tracker;

impl Tracker {
    /// Imports the invite at `link` (the whole `…/invite/KEY#FRAGMENT` address): uses it up,
    /// creates (or, for a relay already known at the same address, updates) its pinned
    /// profile, stores its token in the keyring and makes the profile the default.
    ///
    /// Errors, by code: `invite_link_invalid`, `invite_not_found`, `invite_used`,
    /// `invite_withdrawn`, `invite_expired`, `invite_undecryptable`, `invite_without_tls`,
    /// `invite_fingerprint_invalid` (both after the invite is used up), `server_unreachable` (and the client's other transport codes), `keyring_unavailable`
    /// (checked first, so an invite is never spent on a token that could not be kept).
    #[tracing::instrument(skip_all)]
    pub async fn import_invite(&self, link: &str) -> Result<Profile> {
        if let Some(reason) = &self.inner.keyring_problem {
            return Err(TrackerError::KeyringUnavailable {
                reason: reason.clone(),
            });
        }
        let invite = accept_invite_with(link, self.inner.client_options.clone()).await?;
        let relay = invited_relay(&invite)?;
        let id = {
            let mut profiles = lock(&self.inner.profiles);
            let (profile, created) = profiles.import(&relay)?;
            if let Err(error) = profiles.set_token(&profile.id, Some(invite.token.expose())) {
                // A new profile without its token would only fail later; take it back.
                if created {
                    if let Err(cleanup) = profiles.remove(&profile.id) {
                        tracing::warn!(%cleanup, "could not remove the half-imported profile");
                    }
                }
                return Err(error);
            }
            profile.id
        };
        self.profile_changed(&id);
        self.set_default_profile(&id)?;
        tracing::info!(profile = %id, "invite imported");
        let default = self.settings().default_profile;
        lock(&self.inner.profiles).get(&id, &default)
    }
}

/// Where the invite says the relay is: its HTTPS API (pinned) and its plain-HTTP origin.
fn invited_relay(invite: &Invite) -> Result<InvitedRelay> {
    let (Some(https_port), Some(fingerprint)) = (invite.https_port, &invite.fingerprint) else {
        return Err(TrackerError::InviteWithoutTls);
    };
    let pin: CertPin = fingerprint
        .parse()
        .map_err(|_| TrackerError::InviteFingerprintInvalid)?;
    let link_base =
        Url::parse(&invite.origin).map_err(|e| TrackerError::InvalidUrl(e.to_string()))?;
    let mut base_url = link_base.clone();
    base_url
        .set_scheme("https")
        .and_then(|()| base_url.set_port(Some(https_port)))
        .map_err(|()| TrackerError::InvalidUrl(format!("{} has no host", invite.origin)))?;
    Ok(InvitedRelay {
        name: invite.name.clone(),
        base_url,
        link_base,
        pin,
        token_name: invite.token_name.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hushlink_client::SecretText;

    fn invite(https_port: Option<u16>, fingerprint: Option<&str>) -> Invite {
        Invite {
            name: "Front office".into(),
            origin: "http://10.0.0.5:7143".into(),
            https_port,
            fingerprint: fingerprint.map(str::to_owned),
            token_name: "alice".into(),
            token: SecretText::new("the-token"),
        }
    }

    #[test]
    fn the_api_goes_to_the_https_port_and_links_keep_the_plain_origin() {
        let hex = "ab".repeat(32);
        let relay = invited_relay(&invite(Some(7144), Some(&hex))).expect("complete invite");
        assert_eq!(relay.base_url.as_str(), "https://10.0.0.5:7144/");
        assert_eq!(relay.link_base.as_str(), "http://10.0.0.5:7143/");
        assert_eq!(relay.pin.to_hex(), hex);
    }

    #[test]
    fn an_invite_without_https_or_fingerprint_is_refused() {
        let hex = "ab".repeat(32);
        for partial in [
            invite(None, None),
            invite(Some(7144), None),
            invite(None, Some(&hex)),
        ] {
            let err = invited_relay(&partial).expect_err("no pinned HTTPS");
            assert_eq!(err.code(), "invite_without_tls");
        }
    }

    #[test]
    fn an_invite_with_a_damaged_fingerprint_is_refused_with_its_own_code() {
        let short = "ab".repeat(31);
        for damaged in ["not hex at all", short.as_str()] {
            let err = invited_relay(&invite(Some(7144), Some(damaged))).expect_err("no pin");
            assert_eq!(err.code(), "invite_fingerprint_invalid", "{damaged:?}");
        }
    }
}
