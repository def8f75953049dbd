//! The HTTP layer's setup and failures: crypto provider, proxy exemption, transport errors.

use std::error::Error as _;

use url::{Host, Url};

use crate::Error;

/// Installs rustls' `ring` provider as the process default unless one is installed.
pub(crate) fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race to another thread installing a provider is fine: one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Maps a transport failure; never includes the URL (it may carry a key).
pub(crate) fn transport_error(e: reqwest::Error) -> Error {
    let e = e.without_url();
    if e.is_timeout() {
        return Error::Timeout;
    }
    let mut source = e.source();
    while let Some(err) = source {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Error::Tls {
                reason: tls.to_string(),
            };
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return Error::Timeout;
            }
            if let Some(tls) = io
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            {
                return Error::Tls {
                    reason: tls.to_string(),
                };
            }
        }
        source = err.source();
    }
    if e.is_builder() {
        return Error::Setup {
            reason: source_text(&e),
        };
    }
    let reason = source_text(&e);
    // Wrappers between reqwest and rustls do not always expose the rustls error to
    // downcasting; its texts are distinctive enough to recognise.
    let lower = reason.to_ascii_lowercase();
    if [
        "certificate",
        "tls",
        "handshake",
        "alert",
        "peer is incompatible",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return Error::Tls { reason };
    }
    Error::Unreachable { reason }
}

/// The innermost error text of a reqwest error, without the URL.
pub(crate) fn source_text(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(err) = source {
        text = err.to_string();
        source = err.source();
    }
    text
}
