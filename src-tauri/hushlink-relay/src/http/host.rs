//! The relay answers only to its own names (issue 14, item 3: DNS rebinding).
//!
//! A web page at `evil.example` can make its name resolve to the relay's address; the
//! visitor's browser then treats the relay as `evil.example`, reads its answers and sends
//! "same-origin" requests to it. The one thing the browser cannot hide is the name: it sends
//! `Host: evil.example`. So every request must name one of the relay's own hosts
//! ([`OwnHosts`]), or it is refused before any handler runs:
//!
//! - the address the listener is bound to, with its port; when bound to `0.0.0.0` or `::`,
//!   the addresses of the machine's interfaces (listed at start with `if_addrs`, and again
//!   when an address literal with the right port is not among them, at most every
//!   [`REFRESH_AFTER`], so a laptop that changes networks keeps working);
//! - `localhost`, `127.0.0.1` and `[::1]` with the port, when bound to loopback or to all
//!   addresses;
//! - the host of `public_url`, with any port: the name is the operator's, and the relay's
//!   HTTPS listener or a proxy in front of it may use another port than the one in the URL;
//! - `allowed_hosts` (e.g. an mDNS name), with the given port, or any port if none.
//!
//! A `Host` without a port matches an own name on port 80 or 443 (browsers leave default
//! ports out). No `Host` (and no authority in the request line) is 400; a malformed one 400;
//! any other name 421 Misdirected Request. Links are minted from `Host` (or `public_url`), so
//! they only ever carry an accepted name.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use http::header::{self, HeaderValue};
use http::StatusCode;

use super::PeerAddr;
use crate::config::HostName;
use crate::config::RelayConfig;

/// Shortest time between two listings of the machine's interfaces.
pub const REFRESH_AFTER: Duration = Duration::from_secs(5);

/// The names one listener of the relay answers to (see the module docs).
#[derive(Debug)]
pub struct OwnHosts {
    /// Names with the ports they are accepted with (a map by name, so a lookup borrows the
    /// request's name instead of building one per port).
    exact: HashMap<String, Vec<u16>>,
    /// Names (`allowed_hosts` without a port) accepted with any port.
    any_port: HashSet<String>,
    /// The listener's port.
    port: u16,
    /// The machine's addresses, when bound to all of them. A std mutex: nothing awaits
    /// while it is held, and listing interfaces is one quick system call.
    interfaces: Option<Mutex<Interfaces>>,
}

#[derive(Debug)]
struct Interfaces {
    addrs: HashSet<IpAddr>,
    listed_at: Instant,
}

impl Interfaces {
    fn list() -> Self {
        let addrs = match if_addrs::get_if_addrs() {
            Ok(interfaces) => interfaces.iter().map(|i| i.ip().to_canonical()).collect(),
            Err(err) => {
                tracing::warn!(error = %err, "cannot list the network interfaces");
                HashSet::new()
            }
        };
        Self {
            addrs,
            listed_at: Instant::now(),
        }
    }
}

impl OwnHosts {
    /// The names of a listener bound to `local` under `config`.
    pub fn new(config: &RelayConfig, local: SocketAddr) -> Self {
        let port = local.port();
        let ip = local.ip().to_canonical();
        let mut exact = HashMap::<String, Vec<u16>>::new();
        let mut add = |host: String, port: u16| exact.entry(host).or_default().push(port);
        let mut interfaces = None;
        if ip.is_unspecified() {
            interfaces = Some(Mutex::new(Interfaces::list()));
        } else {
            add(HostName::of_ip(ip, port).host, port);
        }
        if ip.is_unspecified() || ip.is_loopback() {
            for name in ["localhost", "127.0.0.1", "[::1]"] {
                add(name.to_owned(), port);
            }
        }
        let mut any_port = HashSet::new();
        if let Some(public) = config.public_url.as_deref().and_then(public_host) {
            any_port.insert(public.host);
        }
        for name in config
            .allowed_hosts
            .iter()
            .filter_map(|h| HostName::parse(h))
        {
            match name.port {
                Some(port) => add(name.host, port),
                None => {
                    any_port.insert(name.host);
                }
            }
        }
        Self {
            exact,
            any_port,
            port,
            interfaces,
        }
    }

    /// Whether `name` is one of the listener's own.
    pub fn accepts(&self, name: &HostName) -> bool {
        if self.any_port.contains(&name.host) {
            return true;
        }
        let ports: &[u16] = match name.port {
            Some(port) => &[port],
            None => &[80, 443],
        };
        let own_ports = self.exact.get(&name.host).map_or(&[][..], Vec::as_slice);
        if ports.iter().any(|p| own_ports.contains(p)) {
            return true;
        }
        self.is_interface(name)
    }

    fn is_interface(&self, name: &HostName) -> bool {
        let (Some(interfaces), Some(ip)) = (&self.interfaces, name.ip()) else {
            return false;
        };
        let port_fits = match name.port {
            Some(port) => port == self.port,
            None => self.port == 80 || self.port == 443,
        };
        if !port_fits {
            return false;
        }
        let ip = ip.to_canonical();
        let mut interfaces = interfaces.lock().unwrap_or_else(|p| p.into_inner());
        if !interfaces.addrs.contains(&ip) && interfaces.listed_at.elapsed() >= REFRESH_AFTER {
            *interfaces = Interfaces::list();
        }
        interfaces.addrs.contains(&ip)
    }
}

/// The host of `public_url`.
fn public_host(url: &str) -> Option<HostName> {
    let (_scheme, rest) = url.split_once("://")?;
    HostName::parse(rest.split(['/', '?', '#']).next()?)
}

/// Why a request's host was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    /// No `Host`, several, or one that is not a host name: 400.
    Malformed,
    /// A well-formed name that is not the relay's: 421.
    Foreign,
}

fn check(own: &OwnHosts, request: &mut Request) -> Result<(), Refusal> {
    let mut values = request.headers().get_all(header::HOST).iter();
    let header = values.next();
    if values.next().is_some() {
        return Err(Refusal::Malformed);
    }
    let from_header = header
        .map(|v| {
            v.to_str()
                .ok()
                .and_then(HostName::parse)
                .ok_or(Refusal::Malformed)
        })
        .transpose()?;
    // HTTP/2 and absolute-form request lines name the host in the URI; it must be ours too.
    let authority = request.uri().authority().map(|a| a.as_str().to_owned());
    let from_uri = authority
        .as_deref()
        .map(|a| HostName::parse(a).ok_or(Refusal::Malformed))
        .transpose()?;
    if from_header.is_none() && from_uri.is_none() {
        return Err(Refusal::Malformed);
    }
    for name in [&from_header, &from_uri].into_iter().flatten() {
        if !own.accepts(name) {
            return Err(Refusal::Foreign);
        }
    }
    if from_header.is_none() {
        // Links are minted from `Host`: give it the checked authority.
        if let Some(value) = authority.and_then(|a| HeaderValue::from_str(&a).ok()) {
            request.headers_mut().insert(header::HOST, value);
        }
    }
    Ok(())
}

/// The refusal of a request that does not name one of the listener's own hosts: 400 or 421,
/// without the security headers ([`super::guard::Hardening`] adds them). `None` lets the
/// request through, with `Host` set from the checked authority when it had none.
pub(crate) fn refusal(own: &OwnHosts, request: &mut Request) -> Option<Response> {
    let refusal = check(own, request).err()?;
    let peer = request
        .extensions()
        .get::<ConnectInfo<PeerAddr>>()
        .map(|info| info.0.addr.ip());
    // The name is not logged: it is the requester's text.
    tracing::info!(?peer, ?refusal, "refused a request that names another host");
    let (status, title, text) = match refusal {
        Refusal::Malformed => (
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "The request needs one Host header naming this relay.",
        ),
        Refusal::Foreign => (
            StatusCode::MISDIRECTED_REQUEST,
            "Misdirected Request",
            "This Hushlink relay does not answer to that name. Open it by its address, or by \
             a name its administrator configured.",
        ),
    };
    let response = if request.uri().path().starts_with("/api/") {
        let body = serde_json::json!({
            "error": title,
            "error_type": title.replace(' ', ""),
            "message": text,
        });
        (status, Json(body)).into_response()
    } else {
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             </head><body><h1>{title}</h1><p>{text}</p></body></html>"
        );
        (status, Html(page)).into_response()
    };
    Some(response)
}

#[cfg(test)]
#[path = "host_tests.rs"]
mod tests;
