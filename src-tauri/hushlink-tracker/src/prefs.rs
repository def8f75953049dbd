//! Settings and profiles through the tracker, and "check connection".

use hushlink_client::Error as ClientError;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Result, TrackerError};
use crate::profiles::{Profile, ProfileInput};
use crate::remote::client_for;
use crate::settings::Settings;
use crate::shared::lock;
use crate::tracker::Tracker;

/// What "check connection" found, when the server answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionReport {
    /// The server answered `status` as an Onetime server.
    pub reachable: bool,
    /// Credentials were set and the server accepted them (`authcheck`); `false` when the
    /// profile is anonymous.
    pub authenticated: bool,
}

impl Tracker {
    /// The settings in force.
    pub fn settings(&self) -> Settings {
        lock(&self.inner.settings).get().clone()
    }

    /// Replaces the settings (saving only what differs from the defaults).
    pub fn set_settings(&self, settings: Settings) -> Result<Settings> {
        lock(&self.inner.profiles).get(&settings.default_profile, "")?;
        lock(&self.inner.settings).set(settings)?;
        Ok(self.settings())
    }

    /// Every profile, the default marked.
    pub fn profiles(&self) -> Vec<Profile> {
        let default = self.settings().default_profile;
        lock(&self.inner.profiles).list(&default)
    }

    /// Adds a custom profile.
    pub fn add_profile(&self, input: &ProfileInput) -> Result<Profile> {
        let profile = lock(&self.inner.profiles).add(input)?;
        Ok(profile)
    }

    /// Edits a custom profile.
    pub fn update_profile(&self, id: &str, input: &ProfileInput) -> Result<Profile> {
        let profile = lock(&self.inner.profiles).update(id, input)?;
        self.profile_changed(id);
        Ok(profile)
    }

    /// Removes a custom profile and its token; its secrets stay listed.
    pub fn remove_profile(&self, id: &str) -> Result<()> {
        lock(&self.inner.profiles).remove(id)?;
        self.profile_changed(id);
        if self.settings().default_profile == id {
            // There is always one usable default.
            self.set_default_profile(&crate::settings::Settings::default().default_profile)?;
        }
        Ok(())
    }

    /// Sets or clears the account e-mail of a profile.
    pub fn set_username(&self, id: &str, username: Option<&str>) -> Result<()> {
        lock(&self.inner.profiles).set_username(id, username)?;
        self.profile_changed(id);
        Ok(())
    }

    /// Stores (or with `None` removes) a profile's API token in the keyring.
    pub fn set_token(&self, id: &str, token: Option<&str>) -> Result<()> {
        lock(&self.inner.profiles).set_token(id, token)?;
        self.profile_changed(id);
        Ok(())
    }

    /// Makes a profile the default for new secrets.
    pub fn set_default_profile(&self, id: &str) -> Result<Settings> {
        let mut settings = self.settings();
        settings.default_profile = id.to_owned();
        self.set_settings(settings)
    }

    /// Tells the tracker where the app's own relay listens, or that it stopped.
    /// The relay is reached over HTTP at `url` (tests and benchmarks run it as a separate
    /// server); the app uses [`Tracker::set_local_relay_in_process`].
    pub fn set_local_relay(&self, url: Option<Url>) {
        lock(&self.inner.profiles).set_local_relay(url);
        self.profile_changed(crate::profiles::LOCAL_RELAY_ID);
    }

    /// Tells the tracker that the app's own relay runs in this process, its links on
    /// `origin`: create, status checks and burn for its profile call `server` directly, with
    /// no HTTP and no network address involved.
    pub fn set_local_relay_in_process(
        &self,
        origin: Url,
        server: std::sync::Arc<dyn hushlink_client::InProcess>,
    ) {
        lock(&self.inner.profiles).set_local_relay_in_process(origin, server);
        self.profile_changed(crate::profiles::LOCAL_RELAY_ID);
    }

    /// "Check connection": `status`, then `authcheck` when the profile has credentials.
    ///
    /// Errors keep the three cases the user must tell apart: `invalid_url` (or
    /// `insecure_url`) for an address that cannot work, `server_unreachable` / `tls_error` /
    /// `not_onetime` for a server that does not answer as Onetime, `bad_credentials` for a
    /// wrong username or token.
    pub async fn check_connection(&self, id: &str) -> Result<ConnectionReport> {
        let resolved = lock(&self.inner.profiles).resolve(id)?;
        let client = client_for(&resolved, &self.inner.client_options)?;
        let status = client.status().await;
        match status {
            Ok(answer) if answer.is_nominal() => {}
            Ok(answer) => {
                return Err(ClientError::NotOnetime {
                    status: 200,
                    excerpt: format!("status is {:?}, not \"nominal\"", answer.status),
                }
                .into());
            }
            Err(error) => return Err(error.into()),
        }
        let authenticated = if client.has_credentials() {
            client.authcheck().await.map_err(TrackerError::from)?;
            true
        } else {
            false
        };
        Ok(ConnectionReport {
            reachable: true,
            authenticated,
        })
    }

    /// Drops the cached client and backoff of a profile, so the next call uses the new
    /// settings, and lets the poller retry at once.
    pub(crate) fn profile_changed(&self, id: &str) {
        lock(&self.inner.servers).remove(id);
        let now = self.inner.clock.now_ms();
        if let Err(error) = self.inner.store.make_profile_due(id, now) {
            tracing::warn!(%error, "could not reschedule a profile's checks");
        }
        self.inner.wake.notify_one();
    }
}
