//! Sealing and opening an invite's payload (feature `seal`): the one implementation of the
//! format in [`crate::invite`], for the relay (which seals) and the client (which opens).
//!
//! AES-256-GCM under a fresh 32-byte [`SealKey`] per invite, associated data [`AAD`], sealed
//! bytes `nonce ‖ ciphertext ‖ tag`; on the wire and in the link, base64url without padding.
//! The caller brings the randomness ([`SealKey::from_bytes`] and the nonce), so this crate
//! stays free of I/O and the format is testable with fixed vectors.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use zeroize::Zeroizing;

use super::{InvitePayload, AAD, KEY_BYTES, NONCE_BYTES, TAG_BYTES};
use crate::secret::{SecretText, REDACTED};

/// Why an invite could not be sealed or opened. Never carries key or payload material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// The fragment is not base64url of a 32-byte key.
    #[error("the invite key is malformed")]
    BadKey,
    /// Wrong key, altered or cut bytes, or a payload that is not an invite.
    #[error("the invite could not be opened")]
    Undecryptable,
    /// The payload could not be encoded (cannot happen for a well-formed payload).
    #[error("the invite could not be sealed")]
    Encode,
}

/// The key an invite is sealed under; travels only as the link's fragment.
pub struct SealKey(Zeroizing<[u8; KEY_BYTES]>);

impl SealKey {
    /// A key from 32 random bytes (the caller's RNG: the relay uses the OS's).
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// The key in a link's fragment (surrounding white space is ignored).
    pub fn from_fragment(fragment: &SecretText) -> Result<Self, SealError> {
        let bytes = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(fragment.expose().trim())
                .map_err(|_| SealError::BadKey)?,
        );
        let mut key = Zeroizing::new([0u8; KEY_BYTES]);
        if bytes.len() != KEY_BYTES {
            return Err(SealError::BadKey);
        }
        key.copy_from_slice(&bytes);
        Ok(Self(key))
    }

    /// The link's fragment: base64url-no-pad of the key.
    pub fn to_fragment(&self) -> SecretText {
        SecretText::new(URL_SAFE_NO_PAD.encode(self.0.as_ref()))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(self.0.as_ref().into())
    }
}

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Seals `payload` under `key` with `nonce` (random, never reused with the same key; a key
/// per invite makes that trivial). Returns `nonce ‖ ciphertext ‖ tag`.
pub fn seal(
    payload: &InvitePayload,
    key: &SealKey,
    nonce: [u8; NONCE_BYTES],
) -> Result<Vec<u8>, SealError> {
    // The JSON holds the token: it lives in zeroized memory until it is encrypted.
    let json = Zeroizing::new(serde_json::to_vec(payload).map_err(|_| SealError::Encode)?);
    let sealed = key
        .cipher()
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &json,
                aad: AAD,
            },
        )
        .map_err(|_| SealError::Encode)?;
    let mut bytes = Vec::with_capacity(NONCE_BYTES + sealed.len());
    bytes.extend_from_slice(&nonce);
    bytes.extend_from_slice(&sealed);
    Ok(bytes)
}

/// Opens sealed bytes (`nonce ‖ ciphertext ‖ tag`) with `key`.
pub fn open(sealed: &[u8], key: &SealKey) -> Result<InvitePayload, SealError> {
    if sealed.len() < NONCE_BYTES + TAG_BYTES {
        return Err(SealError::Undecryptable);
    }
    let (nonce, body) = sealed.split_at(NONCE_BYTES);
    let json = Zeroizing::new(
        key.cipher()
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: AAD,
                },
            )
            .map_err(|_| SealError::Undecryptable)?,
    );
    serde_json::from_slice(&json).map_err(|_| SealError::Undecryptable)
}

/// Sealed bytes as the accept answer carries them ([`super::AcceptResponse::sealed`]).
pub fn to_text(sealed: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(sealed)
}

/// Opens the accept answer's `sealed` text with the link's `fragment`: what an importing
/// app does. Surrounding white space in either is ignored.
pub fn open_text(sealed: &str, fragment: &SecretText) -> Result<InvitePayload, SealError> {
    let key = SealKey::from_fragment(fragment)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(sealed.trim())
        .map_err(|_| SealError::Undecryptable)?;
    open(&bytes, &key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload() -> InvitePayload {
        InvitePayload {
            name: "Front office".into(),
            origin: "http://192.168.1.10:7143".into(),
            https_port: Some(7144),
            fingerprint: Some("ab".repeat(32)),
            token_name: "alice-the-colleague".into(),
            token: SecretText::new("tokentokentokentokentokentokentoken"),
        }
    }

    fn key(fill: u8) -> SealKey {
        SealKey::from_bytes([fill; KEY_BYTES])
    }

    fn contains(haystack: &[u8], needle: &str) -> bool {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }

    #[test]
    fn sealed_bytes_hide_the_payload_and_open_with_the_key_or_its_fragment() {
        let sealed = seal(&payload(), &key(7), [9; NONCE_BYTES]).unwrap();
        assert_eq!(&sealed[..NONCE_BYTES], &[9; NONCE_BYTES], "nonce first");
        for clear in [
            "tokentokentoken",
            "alice-the-colleague",
            "Front office",
            "192.168.1.10",
        ] {
            assert!(!contains(&sealed, clear), "{clear} is not in clear");
        }
        assert_eq!(open(&sealed, &key(7)).unwrap(), payload());
        let fragment = key(7).to_fragment();
        assert_eq!(fragment.len(), 43, "32 bytes in base64url without padding");
        let text = format!(" {}\n", to_text(&sealed));
        let padded = SecretText::new(format!("{}\n", fragment.expose()));
        assert_eq!(open_text(&text, &padded).unwrap(), payload());
        assert_eq!(format!("{:?}", key(7)), REDACTED);
    }

    #[test]
    fn another_key_altered_or_cut_bytes_and_bad_fragments_do_not_open_it() {
        let sealed = seal(&payload(), &key(1), [0; NONCE_BYTES]).unwrap();
        assert_eq!(open(&sealed, &key(2)), Err(SealError::Undecryptable));
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert_eq!(open(&altered, &key(1)), Err(SealError::Undecryptable));
        assert_eq!(open(&sealed[..27], &key(1)), Err(SealError::Undecryptable));
        let fragment = key(1).to_fragment();
        assert_eq!(
            open_text("not base64 at all!", &fragment),
            Err(SealError::Undecryptable)
        );
        for bad in ["not base64!", "c2hvcnQ", ""] {
            assert_eq!(
                open_text(&to_text(&sealed), &SecretText::new(bad)).unwrap_err(),
                SealError::BadKey,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_sealed_blob_of_another_format_does_not_pass_as_an_invite() {
        let other = key(3)
            .cipher()
            .encrypt(
                Nonce::from_slice(&[0; NONCE_BYTES]),
                Payload {
                    msg: &serde_json::to_vec(&payload()).unwrap(),
                    aad: b"hushlink-something-else/v1",
                },
            )
            .unwrap();
        let bytes = [[0; NONCE_BYTES].as_slice(), &other].concat();
        assert_eq!(open(&bytes, &key(3)), Err(SealError::Undecryptable));
    }
}
