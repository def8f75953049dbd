//! End-to-end mode for Hushlink relays: the server only ever stores ciphertext.
//!
//! The format is [`hushlink_protocol::e2e`]'s (shared with the relay's reveal page and the
//! web UI); this module holds the keys: a fresh 32-byte key and 12-byte nonce from the OS RNG
//! per secret, AES-256-GCM over the text, the key only in the link's fragment.
//!
//! `tests/fixtures/e2e-vectors.json` pins the format; the Rust and JS sides both test
//! against it.

use aes_gcm::{
    aead::{rand_core::RngCore, Aead, KeyInit, OsRng},
    Aes256Gcm, Nonce,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use hushlink_protocol::e2e::TAG_BYTES as TAG_LEN;
use hushlink_protocol::SecretText;
use zeroize::Zeroizing;

pub use hushlink_protocol::e2e::{
    encrypted_len, is_encrypted, KEY_BYTES as KEY_LEN, NONCE_BYTES as NONCE_LEN, PREFIX,
};

/// Why an end-to-end value could not be decrypted. Never carries key or text material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum E2eError {
    /// The value does not start with [`PREFIX`].
    #[error("not an end-to-end encrypted value")]
    NotEncrypted,
    /// The link has no `#key` fragment, so there is nothing to decrypt with.
    #[error("the link has no decryption key (the part after #); ask for the full link")]
    MissingKey,
    /// The fragment is not base64url of 32 bytes.
    #[error("the decryption key in the link is malformed")]
    BadKey,
    /// The value after the prefix is not base64url, or too short.
    #[error("the encrypted value is malformed")]
    BadValue,
    /// Authentication failed: wrong key, or the value was altered.
    #[error("the decryption key does not match, or the secret was altered")]
    Tampered,
    /// The plaintext is not UTF-8.
    #[error("the decrypted secret is not text")]
    NotText,
}

/// Encrypts `text` under a fresh random key and nonce. Returns the value to upload and the
/// link fragment (the key).
pub fn encrypt(text: &SecretText) -> (SecretText, SecretText) {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(key.as_mut());
    OsRng.fill_bytes(&mut nonce);
    let value = encrypt_with(&key, &nonce, text);
    (value, SecretText::new(URL_SAFE_NO_PAD.encode(key.as_ref())))
}

/// Encrypts with a given key and nonce: for test vectors only. Reusing a nonce with the same
/// key breaks AES-GCM; [`encrypt`] never does.
pub fn encrypt_with(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], text: &SecretText) -> SecretText {
    let cipher = Aes256Gcm::new(key.into());
    let sealed = cipher
        .encrypt(Nonce::from_slice(nonce), text.expose().as_bytes())
        .expect("AES-GCM encryption of an in-memory buffer cannot fail");
    let mut joined = Zeroizing::new(Vec::with_capacity(NONCE_LEN + sealed.len()));
    joined.extend_from_slice(nonce);
    joined.extend_from_slice(&sealed);
    SecretText::new(format!(
        "{PREFIX}{}",
        URL_SAFE_NO_PAD.encode(joined.as_slice())
    ))
}

/// Decrypts a revealed `value` with the link `fragment`.
pub fn decrypt(value: &str, fragment: Option<&str>) -> Result<SecretText, E2eError> {
    let body = value.strip_prefix(PREFIX).ok_or(E2eError::NotEncrypted)?;
    let fragment = fragment
        .filter(|f| !f.is_empty())
        .ok_or(E2eError::MissingKey)?;
    let key = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(fragment.trim())
            .map_err(|_| E2eError::BadKey)?,
    );
    if key.len() != KEY_LEN {
        return Err(E2eError::BadKey);
    }
    let joined = URL_SAFE_NO_PAD
        .decode(body.trim())
        .map_err(|_| E2eError::BadValue)?;
    if joined.len() < NONCE_LEN + TAG_LEN {
        return Err(E2eError::BadValue);
    }
    let (nonce, sealed) = joined.split_at(NONCE_LEN);
    let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| E2eError::BadKey)?;
    let plain = Zeroizing::new(
        cipher
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| E2eError::Tampered)?,
    );
    let text = std::str::from_utf8(&plain).map_err(|_| E2eError::NotText)?;
    Ok(SecretText::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_len_is_the_uploaded_length() {
        for n in [0, 1, 2, 3, 100, 9_999, 10_000, 65_537] {
            let (value, _) = encrypt(&SecretText::new("x".repeat(n)));
            assert_eq!(encrypted_len(n), value.expose().len(), "{n} bytes");
        }
    }

    #[test]
    fn round_trip_with_fresh_keys() {
        let text = SecretText::from("pässwörd 🔑");
        let (value, fragment) = encrypt(&text);
        assert!(is_encrypted(value.expose()));
        assert!(!value.expose().contains("pässwörd"));
        assert_eq!(fragment.len(), 43, "32 bytes in base64url without padding");
        assert_eq!(
            decrypt(value.expose(), Some(fragment.expose())).unwrap(),
            text
        );
        let (again, _) = encrypt(&text);
        assert_ne!(again, value, "fresh nonce and key every time");
    }

    #[test]
    fn wrong_key_or_altered_value_is_refused() {
        let (value, _) = encrypt(&SecretText::from("x"));
        let (_, other_key) = encrypt(&SecretText::from("y"));
        assert_eq!(
            decrypt(value.expose(), Some(other_key.expose())),
            Err(E2eError::Tampered)
        );
        assert_eq!(decrypt(value.expose(), None), Err(E2eError::MissingKey));
        assert_eq!(
            decrypt(value.expose(), Some("short")),
            Err(E2eError::BadKey)
        );
        assert_eq!(
            decrypt("plain text", Some("k")),
            Err(E2eError::NotEncrypted)
        );
        assert_eq!(
            decrypt("hushlink-e2e:v1:AAAA", Some(other_key.expose())),
            Err(E2eError::BadValue)
        );
    }
}
