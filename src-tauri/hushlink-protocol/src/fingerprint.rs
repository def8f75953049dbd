//! The text form of a certificate's SHA-256 fingerprint: what colleagues' apps pin instead
//! of trusting a CA, what the relay prints and what invites and mDNS records carry.
//!
//! Canonical text: 32 upper-case hex pairs joined by `:` (`AB:CD:…`, 95 characters), as
//! browsers and `openssl x509 -fingerprint -sha256` show it, so an admin can compare it by
//! eye. [`Fingerprint::to_hex`] gives plain lower-case hex for machines. Parsing also accepts
//! plain hex in either case and an optional `sha256:` or `sha256=` prefix (the relay's
//! `listening on https://… sha256=…` line), so whatever was copied works. Hashing a
//! certificate is left to each end (the client with its TLS stack, the relay with its own):
//! this crate does no cryptography.

use std::fmt;
use std::str::FromStr;

/// A SHA-256 digest of a DER-encoded certificate.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint whose digest is `bytes`.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The 32 bytes of the digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Plain lower-case hex (64 digits), for machines (mDNS TXT records, invites).
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
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
        if digits.len() != 64 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(FingerprintError);
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(digits.as_bytes().chunks(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| FingerprintError)?;
            *byte = u8::from_str_radix(pair, 16).map_err(|_| FingerprintError)?;
        }
        Ok(Self(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Fingerprint {
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::try_from(i * 37 % 256).unwrap();
        }
        Fingerprint::from_bytes(bytes)
    }

    #[test]
    fn the_canonical_form_is_colon_separated_upper_case_and_every_form_parses() {
        let fp = sample();
        let canonical = fp.to_string();
        assert_eq!(canonical.len(), 95);
        assert!(canonical.starts_with("00:25:4A:6F:"), "{canonical}");
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
        assert_eq!(fp.as_bytes()[1], 37);
        assert!(format!("{fp:?}").starts_with("Fingerprint(00:25:"));
    }

    #[test]
    fn near_misses_are_refused() {
        let plain = sample().to_hex();
        for text in [
            String::new(),
            plain[..62].to_owned(),
            format!("{plain}0"),
            format!("{plain}00"),
            format!("{}zz", &plain[..62]),
            format!("{}é", &plain[..62]),
            format!("+{}", &plain[1..]),
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
