//! The relay's certificate for colleagues' apps: made once in its data directory by
//! `hushlink-relay` ([`TlsIdentity::load_or_generate`]) and kept, since every colleague's
//! app pins its fingerprint. The panel shows the fingerprint so the person can read it
//! aloud; invites and the mDNS announcement carry it.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use hushlink_relay::TlsIdentity;

use super::SwitchError;

/// The relay's identity in `data_dir`, made now (naming `ip` besides the loopback names) if
/// this is its first start. A pair that is there but unusable is an error, never replaced:
/// a new certificate would break every colleague's pin.
pub(super) async fn identity(data_dir: &Path, ip: IpAddr) -> Result<TlsIdentity, SwitchError> {
    let dir: PathBuf = data_dir.to_owned();
    // Files and, the first time, a key pair: off the async workers.
    tauri::async_runtime::spawn_blocking(move || {
        TlsIdentity::load_or_generate(&dir, &[ip.to_string()])
    })
    .await
    .map_err(|error| {
        SwitchError::Relay(hushlink_relay::Error::Config(format!(
            "the certificate task failed: {error}"
        )))
    })?
    .map_err(SwitchError::Relay)
}
