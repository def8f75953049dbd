//! The SHA-256 fingerprint of a certificate: what colleagues' apps pin instead of trusting a CA.
//!
//! Canonical text form: 32 upper-case hex pairs joined by `:` (`AB:CD:…`), as browsers and
//! `openssl x509 -fingerprint -sha256` show it, so an admin can compare it by eye. Parsing
//! also accepts plain hex in either case, and an optional `sha256:` or `sha256=` prefix (the
//! relay's `listening on https://… sha256=…` line), so whatever was copied works.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// SHA-256 of a DER-encoded certificate.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of a certificate in DER form.
    pub fn of_der(der: &[u8]) -> Self {
        Self(Sha256::digest(der).into())
    }

    /// The 32 bytes of the digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Plain lower-case hex (64 digits), for machines (mDNS TXT records, invites).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for Fingerprint {
    /// The canonical form, `AB:CD:…` (95 characters).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// Why a text is not a SHA-256 fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 fingerprint: expected 64 hex digits, optionally in pairs separated by ':'")]
pub struct FingerprintError;

impl FromStr for Fingerprint {
    type Err = FingerprintError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let text = ["sha256:", "sha256="]
            .iter()
            .find_map(|prefix| {
                text.get(..prefix.len())
                    .filter(|head| head.eq_ignore_ascii_case(prefix))
                    .map(|_| &text[prefix.len()..])
            })
            .unwrap_or(text);
        let digits: String = if text.contains(':') {
            // Pairs only: `A:BC:…` is a typo, not a fingerprint.
            let pairs: Vec<&str> = text.split(':').collect();
            if pairs.iter().any(|pair| pair.len() != 2) {
                return Err(FingerprintError);
            }
            pairs.concat()
        } else {
            text.to_owned()
        };
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(&digits, &mut bytes).map_err(|_| FingerprintError)?;
        Ok(Self(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_form_is_colon_separated_upper_case_and_both_forms_parse() {
        let fp = Fingerprint::of_der(b"not really a certificate");
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
        let plain = Fingerprint::of_der(b"x").to_hex();
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
