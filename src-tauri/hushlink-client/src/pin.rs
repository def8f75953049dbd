//! Certificate pinning: trust exactly one certificate, named by its SHA-256 fingerprint.
//!
//! A Hushlink relay on an office LAN serves HTTPS with a self-signed certificate it made
//! itself; no CA vouches for it and its address may change. A colleague's app gets the
//! certificate's fingerprint through a trusted path (an invite, or the relay's owner reading
//! `hushlink-relay tls fingerprint` aloud) and pins it: the connection is accepted only if the
//! server presents exactly that certificate. Then neither a CA nor the host name is checked
//! (the pin is the whole trust), but the handshake's signatures still are, with the
//! provider's algorithms, so only the holder of that certificate's private key gets through.
//!
//! Text form ([`hushlink_protocol::fingerprint`], shared with the relay): `AB:CD:…` (32
//! upper-case hex pairs, as printed by the relay and by browsers); plain hex in either case
//! and a `sha256:` or `sha256=` prefix are accepted too.

use std::{fmt, str::FromStr, sync::Arc};

use hushlink_protocol::fingerprint::Fingerprint;
use rustls::{
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    crypto::CryptoProvider,
    pki_types::{CertificateDer, ServerName, UnixTime},
    CertificateError, DigitallySignedStruct, OtherError, SignatureScheme,
};
use sha2::{Digest, Sha256};

/// Why a text is not a SHA-256 fingerprint (the protocol's [`FingerprintError`]).
///
/// [`FingerprintError`]: hushlink_protocol::fingerprint::FingerprintError
pub use hushlink_protocol::fingerprint::FingerprintError as CertPinError;

/// The SHA-256 fingerprint of the one certificate a server may present.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CertPin(Fingerprint);

impl CertPin {
    /// The pin of a certificate in DER form.
    pub fn of_der(der: &[u8]) -> Self {
        Self(Fingerprint::from_bytes(Sha256::digest(der).into()))
    }

    /// Plain lower-case hex (64 digits).
    pub fn to_hex(&self) -> String {
        self.0.to_hex()
    }

    /// The fingerprint this pin names.
    pub fn fingerprint(&self) -> Fingerprint {
        self.0
    }
}

impl From<Fingerprint> for CertPin {
    fn from(fingerprint: Fingerprint) -> Self {
        Self(fingerprint)
    }
}

impl fmt::Display for CertPin {
    /// The canonical form, `AB:CD:…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for CertPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CertPin({self})")
    }
}

impl FromStr for CertPin {
    type Err = CertPinError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(Self)
    }
}

/// What the verifier reports when the server presents another certificate; found again in
/// the transport error and turned into [`crate::Error::PinMismatch`].
#[derive(Debug, thiserror::Error)]
#[error("the server's certificate ({presented}) does not match the pinned fingerprint")]
pub(crate) struct PinMismatch {
    pub(crate) presented: CertPin,
}

/// A rustls verifier that accepts exactly the pinned end-entity certificate.
#[derive(Debug)]
pub(crate) struct PinnedVerifier {
    pin: CertPin,
    provider: Arc<CryptoProvider>,
}

impl PinnedVerifier {
    pub(crate) fn new(pin: CertPin, provider: Arc<CryptoProvider>) -> Self {
        Self { pin, provider }
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // No CA, name or validity check: the pin names the one certificate to accept, and
        // the relay keeps it for good (a renewal would break every colleague's pin).
        let presented = CertPin::of_der(end_entity.as_ref());
        if presented == self.pin {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                OtherError(Arc::new(PinMismatch { presented })),
            )))
        }
    }

    // The signatures prove the server holds the pinned certificate's private key: without
    // these checks, anyone could replay the (public) certificate.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_print_canonically_and_parse_in_every_common_form() {
        let pin = CertPin::of_der(b"a certificate");
        let canonical = pin.to_string();
        assert_eq!(canonical.len(), 95);
        assert_eq!(canonical, canonical.to_ascii_uppercase());
        let plain = pin.to_hex();
        assert_eq!(plain, canonical.replace(':', "").to_ascii_lowercase());
        for text in [
            canonical.clone(),
            canonical.to_ascii_lowercase(),
            plain.clone(),
            plain.to_ascii_uppercase(),
            format!("sha256={canonical}"),
            format!("SHA256:{plain}"),
            format!(" {plain}\n"),
        ] {
            assert_eq!(text.parse::<CertPin>(), Ok(pin), "{text:?}");
        }
        for bad in [
            String::new(),
            plain[..62].to_owned(),
            format!("{plain}0"),
            format!("{}:{}", &plain[..3], &plain[3..]),
            format!("{}zz", &plain[..62]),
            format!("{}é", &plain[..62]),
            format!("md5:{plain}"),
        ] {
            assert_eq!(bad.parse::<CertPin>(), Err(CertPinError), "{bad:?}");
        }
    }

    #[test]
    fn only_the_pinned_certificate_passes() {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = PinnedVerifier::new(CertPin::of_der(b"cert A"), provider);
        let name = ServerName::try_from("relay.lan").unwrap();
        let check = |der: &'static [u8]| {
            verifier.verify_server_cert(
                &CertificateDer::from(der),
                &[],
                &name,
                &[],
                UnixTime::now(),
            )
        };
        assert!(check(b"cert A").is_ok());
        let err = check(b"cert B").unwrap_err();
        let rustls::Error::InvalidCertificate(CertificateError::Other(other)) = err else {
            panic!("not a pin mismatch: {err:?}");
        };
        let mismatch = other
            .0
            .downcast_ref::<PinMismatch>()
            .expect("a PinMismatch");
        assert_eq!(mismatch.presented, CertPin::of_der(b"cert B"));
    }
}
