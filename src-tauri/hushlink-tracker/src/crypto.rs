//! The data key and AES-256-GCM sealing of the capabilities the store keeps (share link,
//! receipt key).
//!
//! Each sealed value is `nonce (12 bytes) ‖ ciphertext+tag`, with a fresh random nonce per
//! value. The associated data names the row and the column (`<entry id>/<field>`), so a
//! ciphertext copied to another row or column fails to open instead of silently pointing an
//! entry at someone else's receipt.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rand::rngs::OsRng;
use rand::TryRngCore;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Result, TrackerError};
use crate::keychain::{Keychain, DATA_KEY_ACCOUNT};

const NONCE_LEN: usize = 12;

/// The 256-bit key that encrypts stored capabilities. Lives in the keyring; zeroed on drop.
pub struct DataKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey([redacted])")
    }
}

impl DataKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        fill_random(key.as_mut());
        Self(key)
    }

    /// The key stored in `keychain`, if any.
    pub fn load(keychain: &dyn Keychain) -> Result<Option<Self>> {
        let Some(encoded) = keychain.get(DATA_KEY_ACCOUNT)? else {
            return Ok(None);
        };
        let mut bytes = B64
            .decode(encoded.as_bytes())
            .map_err(|_| TrackerError::Keyring("the stored data key is not valid base64".into()))?;
        let key = <[u8; 32]>::try_from(bytes.as_slice())
            .map_err(|_| TrackerError::Keyring("the stored data key has the wrong length".into()));
        bytes.zeroize();
        Ok(Some(Self(Zeroizing::new(key?))))
    }

    /// Stores this key in `keychain`.
    pub fn save(&self, keychain: &dyn Keychain) -> Result<()> {
        let encoded = Zeroizing::new(B64.encode(self.0.as_ref()));
        keychain.set(DATA_KEY_ACCOUNT, &encoded)
    }

    /// Encrypts `plaintext`, bound to `context` (row id and field name).
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce);
        let sealed = self
            .cipher()
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            // AES-GCM encryption fails only for messages beyond 64 GiB.
            .unwrap_or_default();
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Decrypts a value sealed under `context`; [`TrackerError::Decrypt`] if it was altered,
    /// moved or sealed under another key.
    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if sealed.len() < NONCE_LEN {
            return Err(TrackerError::Decrypt);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.cipher()
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| TrackerError::Decrypt)
    }

    /// [`open`](Self::open) for UTF-8 text.
    pub fn open_text(&self, context: &str, sealed: &[u8]) -> Result<Zeroizing<String>> {
        let bytes = self.open(context, sealed)?;
        String::from_utf8(bytes.to_vec())
            .map(Zeroizing::new)
            .map_err(|_| TrackerError::Decrypt)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(self.0.as_ref().into())
    }
}

fn fill_random(buf: &mut [u8]) {
    // The OS RNG failing means the platform is broken; continuing with a zero key or a
    // repeated nonce would be far worse than stopping.
    #[allow(clippy::expect_used)]
    OsRng
        .try_fill_bytes(buf)
        .expect("the operating system's random number generator failed");
}

/// A random id (128 bits, hex) for entries: unguessable, so ids in logs reveal nothing.
pub(crate) fn random_id() -> String {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::MemoryKeychain;

    #[test]
    fn seal_then_open_round_trips_and_hides_the_text() {
        let key = DataKey::generate();
        let sealed = key.seal("e1/link", b"https://example.com/secret/abc");
        assert!(
            !sealed.windows(6).any(|w| w == b"secret"),
            "ciphertext contains plaintext"
        );
        assert_eq!(
            key.open_text("e1/link", &sealed).expect("opens").as_str(),
            "https://example.com/secret/abc"
        );
    }

    #[test]
    fn a_value_moved_to_another_row_or_key_does_not_open() {
        let key = DataKey::generate();
        let sealed = key.seal("e1/link", b"x");
        assert_eq!(
            key.open("e2/link", &sealed).expect_err("other row").code(),
            "decrypt_failed"
        );
        assert!(
            DataKey::generate().open("e1/link", &sealed).is_err(),
            "other key"
        );
        let mut tampered = sealed.clone();
        tampered[NONCE_LEN] ^= 1;
        assert!(key.open("e1/link", &tampered).is_err(), "tampered");
    }

    #[test]
    fn key_survives_the_keychain() {
        let keychain = MemoryKeychain::new();
        assert!(DataKey::load(&keychain).expect("works").is_none());
        let key = DataKey::generate();
        key.save(&keychain).expect("saves");
        let loaded = DataKey::load(&keychain).expect("works").expect("present");
        let sealed = key.seal("c", b"v");
        assert_eq!(
            loaded.open("c", &sealed).expect("same key").as_slice(),
            b"v"
        );
    }
}
