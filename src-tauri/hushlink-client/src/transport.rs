//! The HTTP layer's setup and failures: TLS settings, the proxy rule, transport errors.

use std::{
    error::Error as _,
    sync::{Arc, OnceLock},
};

use rustls::pki_types::{pem::PemObject, CertificateDer};
use rustls_platform_verifier::Verifier;

use url::Url;

use crate::{
    config::is_lan_host,
    pin::{CertPin, PinMismatch, PinnedVerifier},
    Error,
};

/// The TLS settings of a client: rustls with the `ring` provider chosen explicitly (the
/// process-wide default is left alone), the platform's certificate verifier plus any
/// `extra_roots_pem` (or only the pinned certificate, see [`pinned_tls_config`]), and ALPN
/// for HTTP/2 and HTTP/1.1. Without extra roots the settings are built once and shared:
/// loading the system's root certificates is the expensive part of making a client.
pub(crate) fn tls_config(
    extra_roots_pem: &[String],
    pin: Option<CertPin>,
) -> Result<rustls::ClientConfig, Error> {
    if let Some(pin) = pin {
        if !extra_roots_pem.is_empty() {
            return Err(Error::InvalidConfig {
                reason: "a pinned certificate and extra root certificates exclude each other",
            });
        }
        return pinned_tls_config(pin).map_err(|reason| Error::Setup { reason });
    }
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

/// Settings that accept exactly the certificate `pin` names (no CA, host name or validity
/// check), still verifying the handshake's signatures with the provider's algorithms.
fn pinned_tls_config(pin: CertPin) -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = PinnedVerifier::new(pin, provider.clone());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// A rustls failure: a pin mismatch (found by its type, which the verifier put there), or
/// any other TLS failure.
fn tls_error(tls: &rustls::Error) -> Error {
    if let rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other)) = tls {
        if let Some(mismatch) = other.0.downcast_ref::<PinMismatch>() {
            return Error::PinMismatch {
                presented: mismatch.presented.to_string(),
            };
        }
    }
    Error::Tls {
        reason: tls.to_string(),
    }
}

/// The rustls error inside `io`, through any io errors wrapped around it (hyper's connector
/// wraps tokio-rustls's, and `io::Error::source` skips the wrapped error itself).
fn rustls_in_io(io: &std::io::Error) -> Option<&rustls::Error> {
    let mut inner = io.get_ref()?;
    loop {
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        inner = inner.downcast_ref::<std::io::Error>()?.get_ref()?;
    }
}

/// Whether calls to `base` may go through the system proxy (`HTTP_PROXY`, `HTTPS_PROXY`,
/// `ALL_PROXY`, or the platform's settings): only HTTPS to a host that can be on the
/// internet. Plain HTTP through a proxy hands it every secret, passphrase, share key and
/// token in clear, and an office proxy has no business seeing LAN traffic (nor can it reach
/// this machine's loopback). Decided from the URL alone, like the plain-HTTP rule.
pub(crate) fn uses_system_proxy(base: &Url) -> bool {
    base.scheme() == "https" && !is_lan_host(base)
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
            return tls_error(tls);
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return Error::Timeout;
            }
            if let Some(tls) = rustls_in_io(io) {
                return tls_error(tls);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_to_internet_hosts_uses_the_system_proxy() {
        for base in [
            "https://onetimesecret.com/",
            "https://eu.onetimesecret.com/",
            "https://8.8.8.8/",
            "https://[2001:db8::1]/",
            "https://relay.example.com:7143/",
        ] {
            assert!(
                uses_system_proxy(&Url::parse(base).unwrap()),
                "{base} keeps the system proxy"
            );
        }
        for base in [
            // Plain HTTP never: the proxy would read everything.
            "http://onetimesecret.com/",
            "http://8.8.8.8/",
            "http://192.168.77.77:7143/",
            "http://10.0.0.2/",
            "http://[fd00::1]:7143/",
            "http://[::ffff:192.168.1.2]/",
            "http://nas.local:7143/",
            "http://127.0.0.1:7143/",
            "http://localhost:7143/",
            // HTTPS to the LAN or loopback never: the proxy has no business there.
            "https://192.168.1.20:7143/",
            "https://relay.home.arpa/",
            "https://[::1]:7143/",
            "https://localhost/",
        ] {
            assert!(
                !uses_system_proxy(&Url::parse(base).unwrap()),
                "{base} bypasses any proxy"
            );
        }
    }
}
