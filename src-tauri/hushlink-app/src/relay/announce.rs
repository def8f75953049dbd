//! Announcing the running relay on the office network by DNS-SD over mDNS
//! (`_hushlink._tcp`), so "Add a server" on a colleague's Hushlink lists it.
//!
//! The announcement belongs to one placement of the relay: it starts with it (on a LAN
//! address only; `hushlink_relay::discovery::announce_listener` refuses loopback and logs
//! why) and is withdrawn when the relay stops or moves, so a DHCP move re-announces the new
//! address. mdns-sd runs its own thread and its start and goodbye block briefly (up to a
//! second), so both run on the blocking pool.

use std::net::SocketAddr;

use hushlink_relay::discovery::{announce_listener, Announcer, HttpsDetails};
use hushlink_relay::Fingerprint;

/// Starts announcing the relay serving plain HTTP on `plain` (the service port) with its
/// HTTPS port and certificate fingerprint in the TXT record. `None` when nothing is
/// announced (loopback, or mDNS unavailable: the relay serves either way).
pub(super) async fn start(
    plain: SocketAddr,
    https_port: u16,
    fingerprint: Fingerprint,
) -> Option<Announcer> {
    if plain.ip().is_loopback() {
        // Nobody else could connect; skip the daemon thread (announce_listener would refuse).
        tracing::debug!(%plain, "the relay is on loopback: not announced");
        return None;
    }
    let https = HttpsDetails {
        port: https_port,
        fingerprint: Some(fingerprint.to_hex()),
    };
    // The app's relay has no configured name: the host name, as invites say.
    tauri::async_runtime::spawn_blocking(move || announce_listener(None, plain, Some(https)))
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "the mDNS announcer task failed");
            None
        })
}

/// Withdraws an announcement (mDNS goodbye records), waiting for it to go out.
pub(super) async fn stop(announcer: Option<Announcer>) {
    let Some(announcer) = announcer else { return };
    let withdrawn = tauri::async_runtime::spawn_blocking(move || announcer.stop()).await;
    match withdrawn {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::warn!(%error, "could not withdraw the mDNS announcement"),
        Err(error) => tracing::warn!(%error, "the mDNS goodbye task failed"),
    }
}
