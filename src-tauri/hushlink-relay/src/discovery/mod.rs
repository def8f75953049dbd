//! Discovery by DNS-SD over mDNS: a relay on a LAN address announces itself as
//! `_hushlink._tcp.local.` so colleagues' apps can list it under "Add a server".
//!
//! What is announced is only what anyone on the LAN could learn by connecting: the display
//! name, the plain-HTTP port that links use (the service port), and when the relay has a TLS
//! listener its port and certificate fingerprint (TXT keys in [`txt`]). Being found grants
//! nothing: an invite is still what gives a colleague a token.
//!
//! - [`Announcer`]: announces while it lives; [`Announcer::stop`] or dropping it withdraws the
//!   announcement (mDNS "goodbye" records), so browsers see the relay leave at once.
//! - [`announce_listener`]: an [`Announcer`] for a listen address, or a logged reason why not
//!   (loopback; `0.0.0.0` and `::` stand for each LAN address).
//! - [`browse`]: one look at the LAN for `timeout`; [`Browser`] for a live list.
//!
//! Both run mdns-sd's daemon on its own thread (no async runtime needed); the calls here
//! block at most for the time they take (`browse`: its timeout; `stop`: up to a second).

mod browse;
mod listen;
pub mod txt;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use mdns_sd::{IfKind, ServiceDaemon, ServiceInfo};

pub use browse::{browse, BrowseEvent, Browser, FoundRelay};
pub use listen::{announce_listener, HttpsDetails};

/// The DNS-SD service type of a Hushlink relay.
pub const SERVICE_TYPE: &str = "_hushlink._tcp.local.";
/// The TXT record's format version (`v=`); browsers skip any other.
pub const PROTOCOL_VERSION: &str = "1";
/// How long stopping waits for the daemon to send the goodbye records.
const GOODBYE_WAIT: Duration = Duration::from_secs(1);

/// Why announcing or browsing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoveryError {
    /// The relay listens on loopback, which no other computer can reach: announcing it would
    /// list a relay nobody can use.
    #[error("not announcing {0}: a loopback address is reachable from this computer only; listen on a LAN address to be found")]
    Loopback(IpAddr),
    /// An unspecified (`0.0.0.0`, `::`) or multicast address given as the relay's own;
    /// [`Announcement::for_listen`] turns an unspecified listen address into real ones.
    #[error("cannot announce {0}: not one computer's address")]
    NotAHostAddress(IpAddr),
    /// No network interface of this computer has the address (or it is down).
    #[error(
        "cannot announce {0}: no network interface of this computer that is up has this address"
    )]
    NotLocal(IpAddr),
    /// Nothing to announce on: no address given, or no LAN interface is up.
    #[error("nothing to announce on: no network interface other than loopback is up")]
    NoAddress,
    /// The certificate fingerprint given is not a SHA-256 digest.
    #[error("the certificate fingerprint is not a SHA-256 digest (64 hex digits)")]
    BadFingerprint,
    /// The network interfaces could not be listed.
    #[error("cannot list the network interfaces: {0}")]
    Interfaces(#[source] std::io::Error),
    /// The mDNS daemon refused a request or has stopped.
    #[error("mDNS: {0}")]
    Mdns(#[from] mdns_sd::Error),
}

/// Crate-local result of discovery.
pub type Result<T, E = DiscoveryError> = std::result::Result<T, E>;

/// What a relay announces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Announcement {
    /// Display name: `RelayConfig::name`, else the hostname ([`display_name`]).
    pub name: String,
    /// The relay's addresses; only these interfaces announce, and only these are in the A/AAAA
    /// records.
    pub addresses: Vec<IpAddr>,
    /// The plain-HTTP port that links use: the service's port.
    pub port: u16,
    /// The HTTPS listener's port, when there is one.
    pub https_port: Option<u16>,
    /// Its certificate's SHA-256 fingerprint (any usual spelling; sent as lower-case hex).
    pub fingerprint: Option<String>,
}

impl Announcement {
    /// A relay reachable at `address:port`, without TLS details.
    pub fn new(name: impl Into<String>, address: IpAddr, port: u16) -> Self {
        Self {
            name: name.into(),
            addresses: vec![address],
            port,
            https_port: None,
            fingerprint: None,
        }
    }

    /// A relay listening on `listen`: a loopback address is refused
    /// ([`DiscoveryError::Loopback`]); an unspecified one (`0.0.0.0`, `::`) stands for every
    /// address of that family on an interface that is up, except loopback (and IPv6
    /// link-local, which a link cannot carry without a zone).
    pub fn for_listen(name: impl Into<String>, listen: SocketAddr) -> Result<Self> {
        let ip = listen.ip();
        if ip.is_loopback() {
            return Err(DiscoveryError::Loopback(ip));
        }
        let addresses = if ip.is_unspecified() {
            let found = lan_addresses(ip.is_ipv6())?;
            if found.is_empty() {
                return Err(DiscoveryError::NoAddress);
            }
            found
        } else {
            vec![ip]
        };
        Ok(Self {
            addresses,
            ..Self::new(name, ip, listen.port())
        })
    }

    /// The same with the TLS listener's port and certificate fingerprint.
    pub fn with_https(mut self, port: u16, fingerprint: Option<String>) -> Self {
        self.https_port = Some(port);
        self.fingerprint = fingerprint;
        self
    }
}

/// The name a relay announces: its configured name, else this computer's hostname.
pub fn display_name(configured: Option<&str>) -> String {
    if let Some(name) = configured.map(str::trim).filter(|n| !n.is_empty()) {
        return name.to_owned();
    }
    #[cfg(unix)]
    let host = nix::unistd::gethostname()
        .ok()
        .and_then(|name| name.into_string().ok());
    #[cfg(not(unix))]
    let host = std::env::var("COMPUTERNAME").ok();
    host.map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "Hushlink relay".to_owned())
}

/// A running announcement; withdrawn by [`stop`](Self::stop) or on drop.
pub struct Announcer {
    daemon: ServiceDaemon,
    /// The registered full name (`Instance._hushlink._tcp.local.`), to unregister.
    fullname: String,
    addresses: Vec<IpAddr>,
    /// False once the goodbye has been sent, so drop does not send it again.
    active: bool,
}

impl std::fmt::Debug for Announcer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Announcer")
            .field("fullname", &self.fullname)
            .field("addresses", &self.addresses)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl Announcer {
    /// Starts announcing on the interfaces that hold the announcement's addresses, and on no
    /// other: a server with an office and a second network announces only where it serves.
    pub fn start(announcement: &Announcement) -> Result<Self> {
        check_addresses(&announcement.addresses)?;
        let instance = txt::instance_name(&announcement.name);
        let records = txt::txt_records(
            &announcement.name,
            announcement.https_port,
            announcement.fingerprint.as_deref(),
        )?;
        let mut info = ServiceInfo::new(
            SERVICE_TYPE,
            &instance,
            &host_name(announcement.addresses[0]),
            &announcement.addresses[..],
            announcement.port,
            &records[..],
        )?;
        let interfaces: Vec<IfKind> = announcement
            .addresses
            .iter()
            .map(|ip| IfKind::Addr(*ip))
            .collect();
        info.set_interfaces(interfaces.clone());
        let daemon = ServiceDaemon::new()?;
        let announcer = Self {
            fullname: info.get_fullname().to_owned(),
            addresses: announcement.addresses.clone(),
            daemon,
            active: true,
        };
        // The daemon applies commands in order: the interface choice is in force before the
        // registration is first sent. (Dropping `announcer` on an error shuts it down.)
        announcer.daemon.disable_interface(IfKind::All)?;
        announcer.daemon.enable_interface(interfaces)?;
        announcer.daemon.register(info)?;
        tracing::info!(
            instance = %instance,
            addresses = ?announcer.addresses,
            port = announcement.port,
            "announcing on mDNS"
        );
        Ok(announcer)
    }

    /// The registered DNS-SD name (`Instance._hushlink._tcp.local.`).
    pub fn fullname(&self) -> &str {
        &self.fullname
    }

    /// The addresses announced.
    pub fn addresses(&self) -> &[IpAddr] {
        &self.addresses
    }

    /// Withdraws the announcement (browsers see the relay leave) and stops the daemon.
    /// Blocks up to a second for the goodbye to go out.
    pub fn stop(mut self) -> Result<()> {
        self.withdraw()
    }

    fn withdraw(&mut self) -> Result<()> {
        if !std::mem::replace(&mut self.active, false) {
            return Ok(());
        }
        let unregistered = self.daemon.unregister(&self.fullname);
        // Waiting for the status means the goodbye packets were sent before the daemon
        // thread is told to exit (and before a stopping process ends).
        let status = unregistered.map(|receiver| receiver.recv_timeout(GOODBYE_WAIT));
        let shutdown = self.daemon.shutdown();
        if let Ok(receiver) = &shutdown {
            let _ = receiver.recv_timeout(GOODBYE_WAIT);
        }
        status?.map_err(|_| {
            DiscoveryError::Mdns(mdns_sd::Error::Msg("no answer to unregister".into()))
        })?;
        shutdown?;
        tracing::info!(instance = %self.fullname, "stopped announcing on mDNS");
        Ok(())
    }
}

impl Drop for Announcer {
    fn drop(&mut self) {
        if let Err(err) = self.withdraw() {
            tracing::warn!(error = %err, "could not withdraw the mDNS announcement");
        }
    }
}

/// Each address must be one this computer has, up, and not loopback.
fn check_addresses(addresses: &[IpAddr]) -> Result<()> {
    if addresses.is_empty() {
        return Err(DiscoveryError::NoAddress);
    }
    let up: Vec<IpAddr> = interfaces()?.iter().map(if_addrs::Interface::ip).collect();
    for ip in addresses {
        if ip.is_loopback() {
            return Err(DiscoveryError::Loopback(*ip));
        }
        if ip.is_unspecified() || ip.is_multicast() {
            return Err(DiscoveryError::NotAHostAddress(*ip));
        }
        if !up.contains(ip) {
            return Err(DiscoveryError::NotLocal(*ip));
        }
    }
    Ok(())
}

/// Interfaces that are up and not point-to-point: the ones mdns-sd can use.
fn interfaces() -> Result<Vec<if_addrs::Interface>> {
    Ok(if_addrs::get_if_addrs()
        .map_err(DiscoveryError::Interfaces)?
        .into_iter()
        .filter(|i| i.is_oper_up() && !i.is_p2p())
        .collect())
}

/// This computer's LAN addresses of one family (see [`Announcement::for_listen`]).
fn lan_addresses(ipv6: bool) -> Result<Vec<IpAddr>> {
    let mut found: Vec<IpAddr> = interfaces()?
        .iter()
        .map(if_addrs::Interface::ip)
        .filter(|ip| ip.is_ipv6() == ipv6 && !ip.is_loopback())
        .filter(|ip| match ip {
            IpAddr::V6(v6) => !v6.is_unicast_link_local(),
            IpAddr::V4(_) => true,
        })
        .collect();
    found.sort();
    found.dedup();
    Ok(found)
}

/// The A/AAAA records' owner name: one of our own, so it never collides with the machine's
/// own `hostname.local.` that Avahi or Bonjour may announce with other addresses.
fn host_name(ip: IpAddr) -> String {
    let label: String = ip
        .to_string()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("hushlink-{label}.local.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_unspecified_are_never_announced_as_such() {
        for listen in ["127.0.0.1:7143", "[::1]:7143"] {
            let err = Announcement::for_listen("x", listen.parse().unwrap()).unwrap_err();
            assert!(
                matches!(err, DiscoveryError::Loopback(_)),
                "{listen}: {err}"
            );
        }
        for ip in ["127.0.0.1", "0.0.0.0", "224.0.0.251"] {
            let err =
                Announcer::start(&Announcement::new("x", ip.parse().unwrap(), 7143)).unwrap_err();
            assert!(
                matches!(
                    err,
                    DiscoveryError::Loopback(_) | DiscoveryError::NotAHostAddress(_)
                ),
                "{ip}: {err}"
            );
        }
        // TEST-NET-3 is on no interface of a test machine.
        let err = Announcer::start(&Announcement::new("x", "203.0.113.77".parse().unwrap(), 1))
            .unwrap_err();
        assert!(matches!(err, DiscoveryError::NotLocal(_)), "{err}");
    }

    #[test]
    fn an_unspecified_listen_address_stands_for_the_lan_addresses() {
        match Announcement::for_listen("x", "0.0.0.0:7143".parse().unwrap()) {
            Ok(announcement) => {
                assert!(!announcement.addresses.is_empty());
                assert!(announcement
                    .addresses
                    .iter()
                    .all(|ip| ip.is_ipv4() && !ip.is_loopback() && !ip.is_unspecified()));
                assert_eq!(announcement.port, 7143);
            }
            // A machine (or namespace) with only loopback up.
            Err(err) => assert!(matches!(err, DiscoveryError::NoAddress), "{err}"),
        }
    }

    #[test]
    fn host_names_are_one_label_under_local() {
        assert_eq!(
            host_name("10.77.0.2".parse().unwrap()),
            "hushlink-10-77-0-2.local."
        );
        assert_eq!(
            host_name("fd00::2".parse().unwrap()),
            "hushlink-fd00--2.local."
        );
        assert_eq!(display_name(Some("  Front office ")), "Front office");
        assert!(
            !display_name(None).is_empty(),
            "the hostname, or a fallback"
        );
    }
}
