//! The HTTP layer's setup and failures: TLS settings, proxy exemption, transport errors.

use std::{
    error::Error as _,
    sync::{Arc, OnceLock},
};

use rustls::pki_types::{pem::PemObject, CertificateDer};
use rustls_platform_verifier::Verifier;

use url::{Host, Url};

use crate::Error;

/// The TLS settings of a client: rustls with the `ring` provider chosen explicitly (the
/// process-wide default is left alone), the platform's certificate verifier plus any
/// `extra_roots_pem`, and ALPN for HTTP/2 and HTTP/1.1. Without extra roots the settings are
/// built once and shared: loading the system's root certificates is the expensive part of
/// making a client.
pub(crate) fn tls_config(extra_roots_pem: &[String]) -> Result<rustls::ClientConfig, Error> {
    static SHARED: OnceLock<Result<rustls::ClientConfig, String>> = OnceLock::new();
    if extra_roots_pem.is_empty() {
        return SHARED
            .get_or_init(|| build_tls_config(Vec::new()))
            .clone()
            .map_err(|reason| Error::Setup { reason });
    }
    let mut roots = Vec::new();
    for pem in extra_roots_pem {
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            roots.push(cert.map_err(|_| Error::InvalidConfig {
                reason: "an extra root is not a valid PEM certificate",
            })?);
        }
    }
    if roots.is_empty() {
        return Err(Error::InvalidConfig {
            reason: "an extra root holds no PEM certificate",
        });
    }
    build_tls_config(roots).map_err(|reason| Error::Setup { reason })
}

fn build_tls_config(
    extra_roots: Vec<CertificateDer<'static>>,
) -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Verifier::new_with_extra_roots(extra_roots, provider.clone())
        .map_err(|e| format!("cannot load the system's root certificates: {e}"))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        // "dangerous" only in name: this plugs in the platform verifier, which checks fully.
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
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
