//! A colleague joining someone's relay: "Add a server → paste an invite", and the relays
//! found nearby by DNS-SD.
//!
//! Being found grants nothing: an announcement says where a relay is, and anyone on the LAN
//! can announce anything, so the list only helps the person recognise the relay they were
//! invited to. The invite alone gives a token and the certificate to pin.

use std::path::PathBuf;
use std::time::Duration;

use hushlink_client::CertPin;
use hushlink_relay::discovery::{self, FoundRelay};
use hushlink_relay::TlsIdentity;
use hushlink_tracker::Profile;
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::relay::RelaySwitch;
use crate::startup::TrackerState;

/// How long one look for relays lasts: mDNS answers within a second on a LAN; the rest is
/// for slow Wi-Fi, while the person still waits for the list.
const BROWSE_FOR: Duration = Duration::from_secs(2);

/// A relay that announced itself on this network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NearbyRelay {
    /// Its DNS-SD instance name: stable while it announces, a key for the list.
    pub instance: String,
    /// Its display name (the relay's `--name`, else its computer's name).
    pub name: String,
    /// Its plain-HTTP address, `http://ADDR:PORT` (what invites point to and what a person
    /// would type by hand).
    pub address: String,
    /// The HTTPS port colleagues' apps use, when it has one.
    pub https_port: Option<u16>,
    /// The certificate fingerprint it announced, `AB:CD:…`: to compare with what its owner
    /// reads out, never trusted by itself (the invite's is what gets pinned).
    pub fingerprint: Option<String>,
}

/// Imports a relay invite: uses the link up, creates the pinned profile named after the
/// relay (or renews the one already there), puts the token in the keyring and makes the
/// profile the default. Codes: `invite_*`, `server_unreachable`, `tls_pin_mismatch`,
/// `keyring_unavailable` (see `Tracker::import_invite`).
#[tauri::command]
pub async fn import_invite(
    tracker: State<'_, TrackerState>,
    link: String,
) -> CommandResult<Profile> {
    Ok(tracker.get().await?.import_invite(&link).await?)
}

/// Looks for relays on this network for about two seconds (on a blocking thread: mDNS
/// runs its own daemon), leaving out this app's own relay while it runs.
#[tauri::command]
pub async fn find_relays(
    app: AppHandle,
    switch: State<'_, RelaySwitch>,
) -> CommandResult<Vec<NearbyRelay>> {
    // The app's relay keeps its certificate in its data directory (see `lib.rs` `setup`).
    let own_dir: Option<PathBuf> = match switch.relay().await {
        Some(_) => app.path().app_data_dir().ok().map(|dir| dir.join("relay")),
        None => None,
    };
    tauri::async_runtime::spawn_blocking(move || {
        let own = own_dir.as_deref().and_then(own_fingerprint);
        let found = discovery::browse(BROWSE_FOR).map_err(|error| {
            tracing::warn!(%error, "looking for relays failed");
            CommandError::new(
                ErrorCode::Internal,
                format!("Hushlink could not look for relays on this network ({error}). Paste an invite, or type the relay's address."),
            )
        })?;
        Ok(nearby(found, own.as_deref()))
    })
    .await
    .map_err(|error| {
        tracing::warn!(%error, "the relay search task failed");
        CommandError::new(
            ErrorCode::Internal,
            "Looking for relays stopped unexpectedly.",
        )
    })?
}

/// The running relay's fingerprint (64 lower-case hex digits, as announced), if readable.
fn own_fingerprint(data_dir: &std::path::Path) -> Option<String> {
    match TlsIdentity::load(data_dir) {
        Ok(identity) => identity.map(|id| id.fingerprint().to_hex()),
        Err(error) => {
            tracing::debug!(%error, "own relay certificate unreadable; not filtering");
            None
        }
    }
}

/// What the list shows: every relay with an address, except the one announcing `own`.
fn nearby(found: Vec<FoundRelay>, own: Option<&str>) -> Vec<NearbyRelay> {
    let mut list: Vec<NearbyRelay> = found
        .into_iter()
        .filter(|relay| {
            !matches!((own, relay.fingerprint.as_deref()), (Some(own), Some(theirs)) if own.eq_ignore_ascii_case(theirs))
        })
        .filter_map(|relay| {
            Some(NearbyRelay {
                address: relay.http_url()?,
                fingerprint: relay
                    .fingerprint
                    .as_deref()
                    .and_then(|hex| hex.parse::<CertPin>().ok())
                    .map(|pin| pin.to_string()),
                instance: relay.instance,
                name: relay.name,
                https_port: relay.https_port,
            })
        })
        .collect();
    list.sort_by_key(|relay| relay.name.to_lowercase());
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(name: &str, ip: &str, fingerprint: Option<&str>) -> FoundRelay {
        FoundRelay {
            instance: format!("{name}._hushlink._tcp.local."),
            name: name.into(),
            addresses: vec![ip.parse().expect("ip")],
            port: 7143,
            https_port: Some(7144),
            fingerprint: fingerprint.map(str::to_owned),
        }
    }

    #[test]
    fn the_apps_own_relay_is_left_out_and_others_are_listed_by_name() {
        let own = "ab".repeat(32);
        let other = "cd".repeat(32);
        let list = nearby(
            vec![
                found("Reception", "10.0.0.7", Some(&other)),
                found("This PC", "10.0.0.3", Some(&own.to_uppercase())),
                found("accounts", "10.0.0.9", None),
            ],
            Some(&own),
        );
        let names: Vec<&str> = list.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["accounts", "Reception"],
            "own relay filtered, sorted"
        );
        assert_eq!(list[1].address, "http://10.0.0.7:7143");
        assert_eq!(list[1].https_port, Some(7144));
        assert!(
            list[1]
                .fingerprint
                .as_deref()
                .is_some_and(|f| f.starts_with("CD:CD:") && f.len() == 95),
            "shown as people compare fingerprints: {:?}",
            list[1].fingerprint
        );
    }

    #[test]
    fn without_a_running_relay_nothing_is_filtered_and_addressless_relays_are_skipped() {
        let mut gone = found("Gone", "10.0.0.4", None);
        gone.addresses.clear();
        let list = nearby(
            vec![found("This PC", "10.0.0.3", Some(&"ab".repeat(32))), gone],
            None,
        );
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].name, "This PC");
    }
}
