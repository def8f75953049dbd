//! Finding relays: a [`Browser`] reports relays as they appear and leave; [`browse`] collects
//! what one look finds.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use mdns_sd::{IfKind, Receiver, ServiceDaemon, ServiceEvent};
use serde::Serialize;

use super::{txt, Result, SERVICE_TYPE};

/// A relay that announced itself on the LAN. Knowing it grants nothing: connecting still
/// takes an invite (or a token typed by hand).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FoundRelay {
    /// Its DNS-SD name (`Instance._hushlink._tcp.local.`): stable while it announces, the key
    /// for updates and [`BrowseEvent::Gone`].
    pub instance: String,
    /// Its display name.
    pub name: String,
    /// Its addresses, IPv4 first.
    #[ts(type = "string[]")]
    pub addresses: Vec<IpAddr>,
    /// The plain-HTTP port that links use.
    pub port: u16,
    /// The HTTPS port, when it has a TLS listener.
    pub https_port: Option<u16>,
    /// SHA-256 of its certificate, 64 lower-case hex digits, when it announced one. Only an
    /// invite's fingerprint is trusted for pinning: anyone on the LAN can announce anything.
    pub fingerprint: Option<String>,
}

impl FoundRelay {
    /// `http://ADDR:PORT` on its first address (IPv4 when it has one), as a typed address
    /// would be.
    pub fn http_url(&self) -> Option<String> {
        let ip = self.addresses.first()?;
        Some(format!(
            "http://{}",
            std::net::SocketAddr::new(*ip, self.port)
        ))
    }
}

/// A change in what a [`Browser`] sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrowseEvent {
    /// A relay was found, or announced new details (same `instance`).
    Found(FoundRelay),
    /// The relay announced as `instance` left (it said goodbye, or its records expired).
    Gone {
        /// The [`FoundRelay::instance`] that left.
        instance: String,
    },
}

/// A running search for relays on every interface that is up, except loopback. Stops when
/// dropped.
pub struct Browser {
    daemon: ServiceDaemon,
    events: Receiver<ServiceEvent>,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser").finish_non_exhaustive()
    }
}

impl Browser {
    /// Starts searching (a multicast query now, repeated with growing intervals).
    pub fn start() -> Result<Self> {
        let daemon = ServiceDaemon::new()?;
        // A relay announces on LAN interfaces only; loopback would only echo this computer.
        daemon.disable_interface(vec![IfKind::LoopbackV4, IfKind::LoopbackV6])?;
        let events = daemon.browse(SERVICE_TYPE)?;
        Ok(Self { daemon, events })
    }

    /// The next change, waiting until `deadline` at most; `None` at the deadline (or if the
    /// daemon stopped).
    pub fn next_event(&self, deadline: Instant) -> Option<BrowseEvent> {
        loop {
            let event = self.events.recv_deadline(deadline).ok()?;
            match event {
                ServiceEvent::ServiceResolved(resolved) => {
                    let addresses = resolved
                        .get_addresses()
                        .iter()
                        .map(mdns_sd::ScopedIp::to_ip_addr)
                        .collect();
                    let properties = resolved.get_properties().clone().into_property_map_str();
                    if let Some(found) =
                        txt::found_relay(&resolved.fullname, addresses, resolved.port, &properties)
                    {
                        return Some(BrowseEvent::Found(found));
                    }
                }
                ServiceEvent::ServiceRemoved(_, instance) => {
                    return Some(BrowseEvent::Gone { instance });
                }
                _ => {}
            }
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.daemon.stop_browse(SERVICE_TYPE);
        if let Ok(done) = self.daemon.shutdown() {
            // Bounded: the daemon thread answers within a poll interval.
            let _ = done.recv_timeout(Duration::from_millis(500));
        }
    }
}

/// The relays found within `timeout`, sorted by name; blocks for the whole `timeout` (mDNS
/// has no "that was all"), so async callers run it in `spawn_blocking`. One to three seconds
/// finds the relays of a LAN that forwards multicast.
pub fn browse(timeout: Duration) -> Result<Vec<FoundRelay>> {
    let browser = Browser::start()?;
    let deadline = Instant::now() + timeout;
    let mut found = BTreeMap::new();
    while let Some(event) = browser.next_event(deadline) {
        match event {
            BrowseEvent::Found(relay) => {
                found.insert(relay.instance.clone(), relay);
            }
            BrowseEvent::Gone { instance } => {
                found.remove(&instance);
            }
        }
    }
    let mut relays: Vec<FoundRelay> = found.into_values().collect();
    relays.sort_by(|a, b| (&a.name, &a.instance).cmp(&(&b.name, &b.instance)));
    Ok(relays)
}
