//! Announcing a relay from where it listens, explaining in the log when it will not: the
//! headless relay's `--announce` and the app's relay switch both start here.

use std::net::SocketAddr;

use super::{display_name, Announcement, Announcer, DiscoveryError};

/// The TLS listener's details for the TXT record: its port and certificate fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpsDetails {
    /// Port of the HTTPS listener.
    pub port: u16,
    /// SHA-256 of its certificate (any usual spelling), when known.
    pub fingerprint: Option<String>,
}

/// Announces a relay listening (plain HTTP) on `listen`, named `configured_name` or else the
/// hostname. A loopback address is not announced, since nobody else could connect; an
/// unspecified one (`0.0.0.0`, `::`) is announced on each LAN address of that family. When
/// nothing is announced the reason is logged as a warning and `None` returned: discovery is a
/// convenience, and the relay serves either way.
pub fn announce_listener(
    configured_name: Option<&str>,
    listen: SocketAddr,
    https: Option<HttpsDetails>,
) -> Option<Announcer> {
    let started = Announcement::for_listen(display_name(configured_name), listen)
        .map(|announcement| match https {
            Some(tls) => announcement.with_https(tls.port, tls.fingerprint),
            None => announcement,
        })
        .and_then(|announcement| {
            if listen.ip().is_unspecified() {
                tracing::info!(
                    %listen,
                    addresses = ?announcement.addresses,
                    "listening on every interface: announcing on each LAN address"
                );
            }
            Announcer::start(&announcement)
        });
    match started {
        Ok(announcer) => Some(announcer),
        Err(DiscoveryError::Loopback(ip)) => {
            tracing::warn!(
                %listen,
                "not announcing on mDNS: the relay listens on {ip} (loopback), which only this \
                 computer can reach; listen on the LAN address colleagues use (e.g. \
                 --listen 192.168.1.20:7143) to be found"
            );
            None
        }
        Err(err) => {
            tracing::warn!(%listen, "not announcing on mDNS: {err}");
            None
        }
    }
}
