//! [`HostName`]: a host as `Host` or the configuration names it (`public_url`, extra
//! names); `crate::http::host` checks requests against the listener's own names.

use std::net::{IpAddr, Ipv6Addr};

/// A host as `Host` or the configuration names it: a lowercase DNS name (without a final
/// dot) or an address in its canonical form (IPv6 in brackets), and the port if one is given.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HostName {
    pub(crate) host: String,
    pub(crate) port: Option<u16>,
}

impl HostName {
    /// Parses `name`, `name:port`, `1.2.3.4[:port]` or `[v6][:port]`; `None` for anything
    /// else (user info, paths, spaces, empty parts, port 0).
    pub fn parse(text: &str) -> Option<Self> {
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (inside, after) = rest.split_once(']')?;
            let ip: Ipv6Addr = inside.parse().ok()?;
            (format!("[{ip}]"), after)
        } else {
            let (name, port) = text.split_at(text.find(':').unwrap_or(text.len()));
            (canonical_name(name)?, port)
        };
        let port = match port {
            "" => None,
            _ => {
                let digits = port.strip_prefix(':')?;
                if digits.is_empty()
                    || digits.len() > 5
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                {
                    return None;
                }
                Some(digits.parse::<u16>().ok().filter(|p| *p != 0)?)
            }
        };
        Some(Self { host, port })
    }

    pub(crate) fn of_ip(ip: IpAddr, port: u16) -> Self {
        let host = match ip.to_canonical() {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        };
        Self {
            host,
            port: Some(port),
        }
    }

    /// The address this host names, if it is an address literal.
    pub(crate) fn ip(&self) -> Option<IpAddr> {
        let bare = self
            .host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(&self.host);
        bare.parse().ok()
    }
}

/// A DNS name (lowercase, one final dot dropped) or a dotted IPv4 address.
fn canonical_name(name: &str) -> Option<String> {
    if let Ok(ip) = name.parse::<std::net::Ipv4Addr>() {
        return Some(ip.to_string());
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    let fits = !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        && !name.split('.').any(str::is_empty);
    fits.then(|| name.to_ascii_lowercase())
}
