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

    #[test]
    fn the_canonical_form_is_colon_separated_upper_case_and_both_forms_parse() {
        let fp = of_der(b"not really a certificate");
        let canonical = fp.to_string();
        assert_eq!(canonical.len(), 95);
        assert_eq!(canonical, canonical.to_ascii_uppercase());
        assert_eq!(canonical.matches(':').count(), 31);
        let plain = fp.to_hex();
        assert_eq!(plain, canonical.replace(':', "").to_ascii_lowercase());
        for text in [
            canonical.clone(),
            canonical.to_ascii_lowercase(),
            plain.clone(),
            plain.to_ascii_uppercase(),
            format!("sha256={canonical}"),
            format!("SHA256:{plain}"),
            format!("  {canonical}\n"),
        ] {
            assert_eq!(text.parse::<Fingerprint>(), Ok(fp), "{text:?} parses");
        }
    }

    #[test]
    fn near_misses_are_refused() {
        let plain = of_der(b"x").to_hex();
        for text in [
            String::new(),
            plain[..62].to_owned(),
            format!("{plain}00"),
            plain.replacen(|c: char| c.is_ascii_digit(), "g", 1),
            // A misplaced colon.
            format!("{}:{}", &plain[..3], &plain[3..]),
            format!("md5:{plain}"),
        ] {
            assert_eq!(
                text.parse::<Fingerprint>(),
                Err(FingerprintError),
                "{text:?}"
            );
        }
    }
}
