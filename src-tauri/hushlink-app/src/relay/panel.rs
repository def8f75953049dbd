//! What the relay panel and the tray show: [`RelayPanelStatus`], and where the relay listens
//! or would ([`resolve`]).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use hushlink_relay::RelayStatus;
use serde::Serialize;
use ts_rs::TS;

use super::{interfaces, Endpoint, Inner, RelaySettings, SwitchError};

/// The app's relay as the Relay screen and the tray show it. Named apart from the relay
/// crate's [`RelayStatus`], whose counts it carries while running ([`RelayCounts`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RelayPanelStatus {
    /// Whether the relay is serving.
    pub running: bool,
    /// The relay's public origin, the address colleagues use, e.g. `http://192.168.1.20:7143/`,
    /// while running.
    pub url: Option<String>,
    /// The IP it listens on (or would, if switched on now), e.g. `192.168.1.20`.
    pub bind: String,
    /// The port it listens on (or will: it stays the same across restarts).
    pub port: u16,
    /// The HTTPS port colleagues' apps use (or will; same rule).
    pub https_port: u16,
    /// SHA-256 fingerprint of the HTTPS certificate, `AB:CD:…` (32 pairs), for the person to
    /// read aloud to a colleague who connects by hand; while running.
    pub fingerprint: Option<String>,
    /// The interface's name, e.g. `wlp2s0` (in use, or saved for the next start).
    pub interface: Option<String>,
    /// Loopback: links open on this computer only, so there is no QR code for a phone.
    pub local_only: bool,
    /// QR code of `url` as an SVG document, while running and reachable from other devices.
    pub qr_svg: Option<String>,
    /// What the relay holds, while running.
    pub counts: Option<RelayCounts>,
    /// Why the relay is not running as it was set, if it is not.
    pub problem: Option<RelayProblem>,
}

/// What a running relay holds, as the panel shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RelayCounts {
    /// Secrets waiting to be revealed.
    #[ts(type = "number")]
    pub live_secrets: i64,
    /// Receipts kept (live secrets plus finished ones, until 2 × TTL).
    #[ts(type = "number")]
    pub receipts: i64,
    /// API tokens not revoked.
    pub active_tokens: usize,
}

impl From<&RelayStatus> for RelayCounts {
    fn from(status: &RelayStatus) -> Self {
        Self {
            live_secrets: status.live_secrets,
            receipts: status.receipts,
            active_tokens: status.active_tokens,
        }
    }
}

/// Why the relay is not on as it was set. The `code` tag is what the UI branches on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "code")]
#[ts(export)]
pub enum RelayProblem {
    /// Another program holds the port. The relay never moves by itself: it stays off until
    /// the person picks `free_port` (a port free just now) or tries again.
    #[serde(rename = "relay_port_busy", rename_all = "camelCase")]
    PortBusy {
        /// The port that is taken.
        port: u16,
        /// A port that was free when this was found, to offer instead.
        free_port: Option<u16>,
    },
    /// The same for the HTTPS port colleagues' apps use.
    #[serde(rename = "relay_https_port_busy", rename_all = "camelCase")]
    HttpsPortBusy {
        /// The port that is taken.
        port: u16,
        /// A port that was free when this was found, to offer instead.
        free_port: Option<u16>,
    },
    /// The saved interface has no address yet (e.g. Wi-Fi not connected at login): the relay
    /// starts as soon as it gets one.
    #[serde(rename = "relay_interface_down", rename_all = "camelCase")]
    InterfaceDown {
        /// Its name.
        interface: String,
    },
    /// Another relay (most likely `hushlink-relay` started by hand or as a service) runs on
    /// the app's relay directory: two relays on one store would hand out tokens and links
    /// the other does not know. Stop that one, then switch on again.
    #[serde(rename = "relay_data_dir_in_use", rename_all = "camelCase")]
    DataDirInUse {
        /// The directory, to find the other relay by (its `--data-dir`).
        data_dir: String,
    },
}

/// Where to start: the interface asked for, else the saved one, else the default (unless
/// `wait`: then a saved interface without an address is an error to wait on).
pub(super) fn resolve(
    saved: &RelaySettings,
    interface: Option<String>,
    port: Option<u16>,
    wait: bool,
    found: &[(String, IpAddr)],
    default_route: Option<String>,
) -> Result<Endpoint, SwitchError> {
    let port = port.unwrap_or(saved.port);
    let https_port = saved.https_port;
    let lookup = |name: &str| found.iter().find(|(n, _)| n == name).map(|(_, ip)| *ip);
    let explicit = interface.is_some();
    if let Some(name) = interface.or_else(|| saved.interface.clone()) {
        if let Some(ip) = lookup(&name) {
            return Ok(Endpoint {
                interface: name,
                ip,
                port,
                https_port,
            });
        }
        if explicit || wait {
            return Err(SwitchError::NoInterface { interface: name });
        }
    }
    let name = interfaces::default_name(default_route.as_deref(), found);
    Ok(match name.and_then(|n| lookup(&n).map(|ip| (n, ip))) {
        Some((interface, ip)) => Endpoint {
            interface,
            ip,
            port,
            https_port,
        },
        None => Endpoint {
            interface: "lo".to_owned(),
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port,
            https_port,
        },
    })
}

/// A port near `busy` that nothing listens on now (else any free one), to offer instead;
/// never `other`, the relay's other port, which is free now only because it is not running.
pub(super) fn free_port_near(ip: IpAddr, busy: u16, other: u16) -> Option<u16> {
    (1..=20u16)
        .filter_map(|step| busy.checked_add(step))
        .filter(|port| *port != other)
        .find(|port| std::net::TcpListener::bind((ip, *port)).is_ok())
        .or_else(|| {
            let any = std::net::TcpListener::bind((ip, 0)).ok()?;
            any.local_addr().ok().map(|addr| addr.port())
        })
}

pub(super) async fn panel(inner: &Inner) -> RelayPanelStatus {
    let Some(running) = inner.running.as_ref() else {
        let found = interfaces::addresses();
        let (interface, ip) = match resolve(
            &inner.settings,
            None,
            None,
            false,
            &found,
            interfaces::default_route(),
        ) {
            Ok(endpoint) => (endpoint.interface, Some(endpoint.ip)),
            Err(_) => (inner.settings.interface.clone().unwrap_or_default(), None),
        };
        // A saved interface that is down is still the one the relay waits for.
        let interface = match &inner.problem {
            Some(RelayProblem::InterfaceDown { interface }) => interface.clone(),
            _ => interface,
        };
        return RelayPanelStatus {
            running: false,
            url: None,
            bind: ip.map(|ip| ip.to_string()).unwrap_or_default(),
            port: inner.settings.port,
            https_port: inner.settings.https_port,
            fingerprint: None,
            interface: Some(interface),
            local_only: ip.is_some_and(|ip| ip.is_loopback()),
            qr_svg: None,
            counts: None,
            problem: inner.problem.clone(),
        };
    };
    let counts = match running.relay.status().await {
        Ok(status) => Some(RelayCounts::from(&status)),
        Err(error) => {
            tracing::warn!(%error, "relay counts unavailable");
            None
        }
    };
    let addr = SocketAddr::new(running.endpoint.ip, running.endpoint.port);
    // `SocketAddr`'s Display brackets IPv6 hosts, as a URL needs.
    let url = format!("http://{addr}/");
    let local_only = addr.ip().is_loopback();
    RelayPanelStatus {
        running: true,
        // A phone cannot open a loopback address: no QR code to scan.
        qr_svg: (!local_only).then(|| crate::qr::svg(&url).ok()).flatten(),
        url: Some(url),
        bind: addr.ip().to_string(),
        port: addr.port(),
        https_port: running.endpoint.https_port,
        fingerprint: Some(running.fingerprint.to_string()),
        interface: Some(running.endpoint.interface.clone()),
        local_only,
        counts,
        problem: inner.problem.clone(),
    }
}
