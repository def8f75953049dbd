//! Server profiles, and the rule for when plain HTTP is allowed.
//!
//! HTTPS is required for every host except those that cannot be on the public internet
//! ([`is_lan_host`], the one rule of [`hushlink_protocol::net`]): loopback, RFC 1918 and
//! RFC 4193 private ranges, link-local, and the `localhost`, `.localhost`, `.local` (mDNS)
//! and `.home.arpa` (RFC 8375) names. Shared CGNAT space (100.64/10) is not among them: an
//! ISP's CGNAT spans many customers and a mesh VPN's spans the internet, so such hosts need
//! HTTPS. The rule looks at the URL only, never at DNS: a public name that resolves to a
//! private address still needs HTTPS, so a typo cannot send a password in clear over the
//! internet. Single-label names (`http://myrelay:7000`) are refused for the same reason:
//! a DNS search domain could resolve them anywhere.

use std::time::Duration;

use hushlink_protocol::{link, regions::Region, SecretText};
use url::Url;

use crate::{CertPin, Error};

/// Where and as whom to talk: one per server profile.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Base URL of the server (scheme, host, port, optional path prefix); `api/v1/` is
    /// appended to it. A trailing `/` is added if missing.
    pub base_url: Url,
    /// Account email (or customer id) for HTTP Basic auth; needs `api_token` too.
    pub username: Option<String>,
    /// API token for HTTP Basic auth; needs `username` too.
    pub api_token: Option<SecretText>,
    /// PEM certificates to trust for this server in addition to the system's roots, e.g. the
    /// private CA that signed a relay's certificate. Empty for every hosted server.
    pub extra_roots_pem: Vec<String>,
    /// The one certificate to accept, by its SHA-256 fingerprint (a relay's self-signed
    /// certificate, from an invite). Then `base_url` must be `https://`, and neither a CA nor
    /// the host name is checked: the pin is the trust ([`crate::pin`]).
    pub pinned_cert: Option<CertPin>,
    /// The origin of the links given to recipients and kept as receipts, when it differs
    /// from `base_url`: a relay's plain-HTTP address (what browsers open) while this profile
    /// calls its pinned HTTPS port. `None`: links carry `base_url`.
    pub link_base: Option<Url>,
}

impl ServerConfig {
    /// An anonymous profile for `base_url`.
    pub fn new(base_url: Url) -> Self {
        Self {
            base_url,
            username: None,
            api_token: None,
            extra_roots_pem: Vec::new(),
            pinned_cert: None,
            link_base: None,
        }
    }

    /// An anonymous profile for a built-in region.
    pub fn region(region: &Region) -> Self {
        Self::new(region.url())
    }

    /// The same profile trusting one more root certificate (PEM), e.g. a relay's own CA.
    pub fn with_extra_root(mut self, pem: impl Into<String>) -> Self {
        self.extra_roots_pem.push(pem.into());
        self
    }

    /// The same profile accepting exactly the certificate with this fingerprint.
    pub fn with_pinned_cert(mut self, pin: CertPin) -> Self {
        self.pinned_cert = Some(pin);
        self
    }

    /// The same profile putting `link_base` into the links it makes (see
    /// [`ServerConfig::link_base`]).
    pub fn with_link_base(mut self, link_base: Url) -> Self {
        self.link_base = Some(link_base);
        self
    }

    /// The same profile with Basic-auth credentials.
    pub fn with_credentials(mut self, username: impl Into<String>, api_token: SecretText) -> Self {
        self.username = Some(username.into());
        self.api_token = Some(api_token);
        self
    }
}

/// Transport knobs; [`Options::default`] suits interactive use.
#[derive(Debug, Clone)]
pub struct Options {
    /// Time allowed to open the TCP and TLS connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole call, answer body included.
    pub timeout: Duration,
    /// Allow plain HTTP to any host. Only for tests and explicit user overrides; the CLI
    /// and app never set it from a URL alone.
    pub allow_insecure_http: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            allow_insecure_http: false,
        }
    }
}

/// Checks and normalizes a base URL: `http`/`https`, a host, no credentials, no query or
/// fragment, trailing `/`, and plain HTTP only for LAN hosts (unless `allow_insecure_http`).
pub(crate) fn checked_base(url: &Url, allow_insecure_http: bool) -> Result<Url, Error> {
    let base = link::normalize_base(url).map_err(|e| Error::InvalidUrl {
        reason: e.to_string(),
    })?;
    if base.scheme() == "http" && !allow_insecure_http && !is_lan_host(&base) {
        return Err(Error::InsecureUrl {
            host: base.host_str().unwrap_or_default().to_owned(),
        });
    }
    Ok(base)
}

/// True when the URL's host cannot be on the public internet: the one rule of
/// [`hushlink_protocol::net`], which the relay and the app use too.
pub use hushlink_protocol::net::{is_lan_host, is_lan_ip};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_for_hosts_off_the_internet() {
        let lan = [
            "http://127.0.0.1:7000",
            "http://localhost:3000",
            "http://relay.localhost",
            "http://10.1.2.3",
            "http://172.16.0.1",
            "http://172.31.255.255",
            "http://192.168.1.20:7000",
            "http://169.254.1.1",
            "http://[::1]:7000",
            "http://[fd00::1]:7000",
            "http://[fc12::1]",
            "http://[fe80::1]",
            "http://[::ffff:192.168.0.1]",
            "http://nas.local:7000",
            "http://relay.home.arpa",
        ];
        for url in lan {
            assert!(
                checked_base(&Url::parse(url).unwrap(), false).is_ok(),
                "{url} is LAN"
            );
        }
        let public = [
            "http://onetimesecret.com",
            "http://8.8.8.8",
            "http://172.32.0.1",
            "http://100.64.0.1",
            "http://100.127.255.254",
            "http://100.128.0.1",
            "http://[2001:db8::1]",
            "http://myrelay:7000",
            "http://local.example.com",
            "http://localhost.evil.com",
        ];
        for url in public {
            let err = checked_base(&Url::parse(url).unwrap(), false).unwrap_err();
            assert!(
                matches!(err, Error::InsecureUrl { .. }),
                "{url} needs https: {err:?}"
            );
            assert!(
                checked_base(&Url::parse(url).unwrap(), true).is_ok(),
                "{url} with the override"
            );
        }
        assert!(checked_base(&Url::parse("https://onetimesecret.com").unwrap(), false).is_ok());
    }
}
