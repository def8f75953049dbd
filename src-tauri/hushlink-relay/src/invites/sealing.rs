//! Sealing an invite's payload under a fresh key that only the link's fragment carries.
//!
//! The format and the seal/open pair are [`hushlink_protocol::invite`]'s (one definition,
//! shared with the client that opens it); this module only draws the fresh key and nonce.
//! The key leaves it only as the link's fragment (base64url-no-pad); the relay keeps the
//! sealed bytes and forgets the key, so its disk never holds the token or the details in a
//! form it can read. `open` is for the relay's tests: the shipped relay never holds a
//! fragment.

use hushlink_protocol::invite::{self, InvitePayload, SealKey};
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
    let key = SealKey::from_bytes(*key);
    let bytes = invite::seal(payload, &key, nonce).map_err(|_| Error::Corrupt)?;
    Ok(Sealed {
        bytes,
        fragment: key.to_fragment(),
    })
}

/// Opens sealed bytes with the fragment; [`Error::Corrupt`] for a wrong key, altered bytes
/// or a payload that is not an invite.
#[cfg(test)]
pub(crate) fn open(bytes: &[u8], fragment: &SecretText) -> Result<InvitePayload> {
    let key = SealKey::from_fragment(fragment).map_err(|_| Error::Corrupt)?;
    invite::open(bytes, &key).map_err(|_| Error::Corrupt)
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

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
