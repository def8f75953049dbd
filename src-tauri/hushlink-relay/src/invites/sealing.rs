//! Sealing an invite's payload under a fresh key that only the link's fragment carries.
//!
//! The format is [`hushlink_protocol::invite`]'s: AES-256-GCM with a random 32-byte key and
//! 12-byte nonce, associated data [`invite::AAD`], stored as nonce ‖ ciphertext ‖ tag. The
//! key leaves this module only as the link's fragment (base64url-no-pad); the relay keeps
//! the sealed bytes and forgets the key, so its disk never holds the token or the details
//! in a form it can read. The client (`hushlink-client`) opens it; `open` is the same
//! operation here, for its tests only.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hushlink_protocol::invite::{self, InvitePayload};
use hushlink_protocol::SecretText;
use rand::rngs::OsRng;
use rand::TryRngCore;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// A sealed payload and the key that opens it.
pub struct Sealed {
    /// nonce ‖ ciphertext ‖ tag: what the relay stores.
    pub bytes: Vec<u8>,
    /// base64url-no-pad of the key: the link's fragment, never stored.
    pub fragment: SecretText,
}

/// Seals `payload` under a fresh random key.
pub fn seal(payload: &InvitePayload) -> Result<Sealed> {
    let mut key = Zeroizing::new([0u8; invite::KEY_BYTES]);
    let mut nonce = [0u8; invite::NONCE_BYTES];
    OsRng.try_fill_bytes(key.as_mut()).map_err(|_| Error::Rng)?;
    OsRng.try_fill_bytes(&mut nonce).map_err(|_| Error::Rng)?;
    // The JSON holds the token: it lives in zeroized memory until it is encrypted.
    let json = Zeroizing::new(serde_json::to_vec(payload).map_err(|_| Error::Corrupt)?);
    let sealed = Aes256Gcm::new(key.as_ref().into())
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &json,
                aad: invite::AAD,
            },
        )
        .map_err(|_| Error::Corrupt)?;
    let mut bytes = Vec::with_capacity(nonce.len() + sealed.len());
    bytes.extend_from_slice(&nonce);
    bytes.extend_from_slice(&sealed);
    Ok(Sealed {
        bytes,
        fragment: SecretText::new(URL_SAFE_NO_PAD.encode(key.as_ref())),
    })
}

/// Opens sealed bytes with the fragment; [`Error::Corrupt`] for a wrong key, altered bytes
/// or a payload that is not an invite. Only the relay's tests open invites: the shipped relay
/// never holds a fragment, and the importing side is `hushlink_client::invite::open`.
#[cfg(test)]
pub(crate) fn open(bytes: &[u8], fragment: &SecretText) -> Result<InvitePayload> {
    let key = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(fragment.expose())
            .map_err(|_| Error::Corrupt)?,
    );
    if key.len() != invite::KEY_BYTES || bytes.len() < invite::NONCE_BYTES + invite::TAG_BYTES {
        return Err(Error::Corrupt);
    }
    let (nonce, body) = bytes.split_at(invite::NONCE_BYTES);
    let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| Error::Corrupt)?;
    let json = Zeroizing::new(
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: invite::AAD,
                },
            )
            .map_err(|_| Error::Corrupt)?,
    );
    serde_json::from_slice(&json).map_err(|_| Error::Corrupt)
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

    fn contains(haystack: &[u8], needle: &str) -> bool {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }

    #[test]
    fn sealed_bytes_hide_token_and_details_and_open_with_the_fragment() {
        let sealed = seal(&payload()).unwrap();
        for clear in [
            "tokentokentoken",
            "alice-the-colleague",
            "Front office",
            "192.168.1.10",
        ] {
            assert!(!contains(&sealed.bytes, clear), "{clear} is not in clear");
        }
        assert_eq!(open(&sealed.bytes, &sealed.fragment).unwrap(), payload());
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(sealed.fragment.expose())
                .unwrap()
                .len(),
            32,
            "the fragment is a 256-bit key"
        );
    }

    #[test]
    fn each_seal_has_its_own_key_and_others_do_not_open_it() {
        let (one, two) = (seal(&payload()).unwrap(), seal(&payload()).unwrap());
        assert_ne!(one.fragment, two.fragment, "a fresh key per invite");
        assert!(matches!(
            open(&one.bytes, &two.fragment),
            Err(Error::Corrupt)
        ));
        let mut altered = one.bytes.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(matches!(open(&altered, &one.fragment), Err(Error::Corrupt)));
        assert!(matches!(
            open(&one.bytes[..10], &one.fragment),
            Err(Error::Corrupt)
        ));
        assert!(matches!(
            open(&one.bytes, &SecretText::new("not base64!")),
            Err(Error::Corrupt)
        ));
    }
}
