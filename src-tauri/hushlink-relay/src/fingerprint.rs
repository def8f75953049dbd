//! The SHA-256 fingerprint of a certificate: what colleagues' apps pin instead of trusting a
//! CA. The type and its text forms are `hushlink_protocol::fingerprint`'s (one definition
//! for the relay, the client and the app); hashing the certificate is the relay's part.

use sha2::{Digest, Sha256};

pub use hushlink_protocol::fingerprint::{Fingerprint, FingerprintError};

/// The fingerprint of a certificate in DER form.
pub fn of_der(der: &[u8]) -> Fingerprint {
    Fingerprint::from_bytes(Sha256::digest(der).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The text forms (canonical, hex, prefixes, near misses) are tested where they are
    // defined, in `hushlink_protocol::fingerprint`; the relay's part is the hash.
    #[test]
    fn the_fingerprint_of_a_certificate_is_the_sha256_of_its_der_bytes() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(of_der(b"abc").to_hex(), expected);
        assert_eq!(expected.parse::<Fingerprint>(), Ok(of_der(b"abc")));
        assert_ne!(of_der(b"abc"), of_der(b"abd"));
    }
}
