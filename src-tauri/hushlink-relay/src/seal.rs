//! At-rest cryptography: values sealed under keys the relay never stores, and passphrase
//! hashing.
//!
//! `seal`/`open` derive an AES-256-GCM key with HKDF-SHA256 from a link key (the secret key
//! for the value, the receipt key for the copy of the secret key a receipt needs, an API token
//! for the receipt keys `recent` lists). The row id is the associated data, so a sealed blob
//! moved to another row fails authentication instead of decrypting. Each derived key seals
//! one value, and the 96-bit nonce is random anyway.
//!
//! Passphrases are hashed with Argon2id, by default m = 19 MiB, t = 2, p = 1 (the OWASP
//! baseline; [`PassphraseHashing`]), a fresh 16-byte salt each, stored as a PHC string that
//! carries its own parameters. Hashing runs on the blocking pool,
//! behind a semaphore (see `ops`), never on the async threads, in working memory reused
//! from an [`ArgonMemory`] pool: allocating 19 MiB per hash left glibc holding hundreds of
//! megabytes in per-thread arenas after a burst of passphrase creates.
//!
//! `value`: how a secret's value is sealed, by version; with a passphrase, the passphrase is
//! part of the key (version 2), and the Argon2id work derives that key instead of a hash.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use std::sync::{Mutex, PoisonError};

use argon2::password_hash::{Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use hkdf::Hkdf;
use hushlink_protocol::SecretText;
use rand::rngs::OsRng;
use rand::TryRngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::config::PassphraseHashing;
use crate::error::{Error, Result};

mod value;

pub use value::{
    new_passphrase_key, open_value, passphrase_key, seal_value, PassphraseKey, ValueSeal,
};

const NONCE_LEN: usize = 12;
/// HKDF salt: fixed, public. The input keys carry at least 128 uniformly random bits (the
/// rest of a located key is its public stamp, `keys` module docs), which is what HKDF's
/// extract step needs; a salt would add nothing.
const HKDF_SALT: &[u8] = b"hushlink-relay/v1/hkdf-salt";

/// What a sealed blob holds; the HKDF `info`, so one key never serves two purposes.
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    /// A secret's value, under the secret key.
    Value,
    /// The secret key kept in a receipt row, under the receipt key.
    SecretKeyInReceipt,
    /// The sender's note for the recipient (Hushlink extension `sender_note`), under the
    /// secret key: the page that has the link reads it without taking the value.
    SenderNote,
}

impl Purpose {
    fn info(self) -> &'static [u8] {
        match self {
            Self::Value => b"hushlink-relay/v1/seal/value",
            Self::SecretKeyInReceipt => b"hushlink-relay/v1/seal/secret-key",
            Self::SenderNote => b"hushlink-relay/v1/seal/sender-note",
        }
    }
}

fn cipher(key_material: &str, purpose: Purpose) -> Aes256Gcm {
    let mut okm = Zeroizing::new([0u8; 32]);
    // expand only fails for outputs longer than 255 hash lengths; 32 bytes cannot.
    let _ = Hkdf::<Sha256>::new(Some(HKDF_SALT), key_material.as_bytes())
        .expand(purpose.info(), okm.as_mut());
    Aes256Gcm::new(okm.as_ref().into())
}

/// Encrypts `plaintext` under a key derived from `key_material`; returns nonce ‖ ciphertext.
pub fn seal(key_material: &str, purpose: Purpose, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    seal_with(&cipher(key_material, purpose), aad, plaintext)
}

fn seal_with(cipher: &Aes256Gcm, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.try_fill_bytes(&mut nonce).map_err(|_| Error::Rng)?;
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| Error::Corrupt)?;
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decrypts a blob from [`seal`]; [`Error::Corrupt`] if it was altered, moved or the key is
/// not the one it was sealed under.
pub fn open(
    key_material: &str,
    purpose: Purpose,
    aad: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    open_with(&cipher(key_material, purpose), aad, sealed)
}

fn open_with(cipher: &Aes256Gcm, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if sealed.len() < NONCE_LEN {
        return Err(Error::Corrupt);
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    cipher
        .decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad })
        .map(Zeroizing::new)
        .map_err(|_| Error::Corrupt)
}

/// Decrypts a blob that holds UTF-8 text (values, keys).
pub fn open_text(
    key_material: &str,
    purpose: Purpose,
    aad: &[u8],
    sealed: &[u8],
) -> Result<SecretText> {
    let mut bytes = open(key_material, purpose, aad, sealed)?;
    let text = String::from_utf8(std::mem::take(&mut *bytes)).map_err(|_| Error::Corrupt)?;
    Ok(SecretText::new(text))
}

/// Length of the hash in the PHC strings this relay writes (Argon2's default).
const HASH_LEN: usize = 32;

/// Argon2 working memory kept between hashes. At most as many buffers as hashes run at once
/// (the relay's semaphore: one per core), each as large as the largest cost seen; a buffer
/// is wiped before it goes back.
#[derive(Debug, Default)]
pub struct ArgonMemory {
    free: Mutex<Vec<Vec<Block>>>,
}

impl ArgonMemory {
    /// An empty pool; buffers are allocated by the first hashes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `f` with at least `blocks` blocks of memory.
    fn with<T>(&self, blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
        let taken = self
            .free
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let mut buffer = taken.unwrap_or_default();
        if buffer.len() < blocks {
            buffer.resize(blocks, Block::default());
        }
        let out = f(&mut buffer);
        // The blocks are derived from the passphrase; nothing of it stays behind.
        buffer.fill(Block::default());
        self.free
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(buffer);
        out
    }

    /// Buffers currently kept.
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.free
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

fn argon2(cost: PassphraseHashing) -> Result<Argon2<'static>> {
    let params = Params::new(cost.memory_kib, cost.iterations, 1, None)
        .map_err(|_| Error::PassphraseHash)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Argon2id PHC string of `passphrase` with a fresh salt: how version 1 rows (older relays')
/// kept a passphrase. New rows derive a key instead (`value`); tests make old rows with it.
#[cfg(test)]
pub fn hash_passphrase(
    passphrase: &SecretText,
    cost: PassphraseHashing,
    memory: &ArgonMemory,
) -> Result<String> {
    use argon2::password_hash::{ParamsString, SaltString};
    let mut salt = [0u8; 16];
    OsRng.try_fill_bytes(&mut salt).map_err(|_| Error::Rng)?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| Error::PassphraseHash)?;
    let argon = argon2(cost)?;
    let mut salt_bytes = [0u8; 16];
    let salt_raw = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|_| Error::PassphraseHash)?;
    let mut out = Zeroizing::new([0u8; HASH_LEN]);
    memory
        .with(argon.params().block_count(), |blocks| {
            argon.hash_password_into_with_memory(
                passphrase.expose().as_bytes(),
                salt_raw,
                out.as_mut(),
                blocks,
            )
        })
        .map_err(|_| Error::PassphraseHash)?;
    let phc = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).map_err(|_| Error::PassphraseHash)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(out.as_ref()).map_err(|_| Error::PassphraseHash)?),
    };
    Ok(phc.to_string())
}

/// Whether `passphrase` matches a PHC string (Argon2id, Argon2i or Argon2d, with the cost it
/// names). The comparison is constant-time. CPU- and memory-heavy: call it on the blocking
/// pool.
pub fn verify_passphrase(passphrase: &SecretText, phc: &str, memory: &ArgonMemory) -> bool {
    let Some((argon, salt, Some(expected))) = parse_phc(phc) else {
        return false;
    };
    let mut out = Zeroizing::new(vec![0u8; expected.len()]);
    let computed = memory.with(argon.params().block_count(), |blocks| {
        argon.hash_password_into_with_memory(
            passphrase.expose().as_bytes(),
            &salt,
            &mut out,
            blocks,
        )
    });
    computed.is_ok() && bool::from(expected.as_bytes().ct_eq(&out))
}

/// The hasher a PHC string names (Argon2id, Argon2i or Argon2d with its cost), its salt
/// (empty when it names none) and its hash if it has one; `None` if it is not such a string.
fn parse_phc(phc: &str) -> Option<(Argon2<'static>, Vec<u8>, Option<Output>)> {
    let hash = PasswordHash::new(phc).ok()?;
    let algorithm = Algorithm::try_from(hash.algorithm).ok()?;
    let params = Params::try_from(&hash).ok()?;
    let version = match hash.version.map(Version::try_from) {
        None => Version::V0x13,
        Some(Ok(version)) => version,
        Some(Err(_)) => return None,
    };
    let salt = match hash.salt {
        Some(s) => {
            let mut buf = [0u8; 64];
            s.decode_b64(&mut buf).ok()?.to_vec()
        }
        None => Vec::new(),
    };
    Some((Argon2::new(algorithm, version, params), salt, hash.hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_same_key_purpose_and_row() {
        let sealed = seal("key-one", Purpose::Value, b"row", b"hunter2").unwrap();
        assert!(
            !sealed.windows(7).any(|w| w == b"hunter2"),
            "ciphertext hides the text"
        );
        assert_eq!(
            open("key-one", Purpose::Value, b"row", &sealed)
                .unwrap()
                .as_slice(),
            b"hunter2"
        );
        assert!(matches!(
            open("key-two", Purpose::Value, b"row", &sealed),
            Err(Error::Corrupt)
        ));
        assert!(matches!(
            open("key-one", Purpose::SecretKeyInReceipt, b"row", &sealed),
            Err(Error::Corrupt)
        ));
        assert!(matches!(
            open("key-one", Purpose::Value, b"other", &sealed),
            Err(Error::Corrupt)
        ));
        assert!(matches!(
            open("key-one", Purpose::Value, b"row", &sealed[..5]),
            Err(Error::Corrupt)
        ));
    }

    #[test]
    fn passphrase_hashes_verify_and_are_salted() {
        let pass = SecretText::new("correct horse");
        let memory = ArgonMemory::new();
        let first = hash_passphrase(&pass, PassphraseHashing::default(), &memory).unwrap();
        let cheap = PassphraseHashing {
            memory_kib: 64,
            iterations: 1,
        };
        let second = hash_passphrase(&pass, cheap, &memory).unwrap();
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        assert_ne!(
            second,
            hash_passphrase(&pass, cheap, &memory).unwrap(),
            "a fresh salt each time"
        );
        assert!(verify_passphrase(&pass, &first, &memory));
        assert!(
            verify_passphrase(&pass, &second, &memory),
            "verification reads the cost from the hash"
        );
        assert!(!verify_passphrase(
            &SecretText::new("wrong"),
            &first,
            &memory
        ));
        assert!(!verify_passphrase(&pass, "not a phc string", &memory));
        assert_eq!(memory.kept(), 1, "one buffer served every hash in turn");
    }

    /// Rows written before the memory pool (by the `argon2` crate's own hasher) and hashes
    /// from other Argon2 variants still verify; ours verify with the crate's verifier.
    #[test]
    fn hashes_agree_with_the_argon2_crate_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let pass = SecretText::new("correct horse");
        let memory = ArgonMemory::new();
        let params = Params::new(64, 1, 1, None).unwrap();
        for algorithm in [Algorithm::Argon2id, Algorithm::Argon2i, Algorithm::Argon2d] {
            let crate_hasher = Argon2::new(algorithm, Version::V0x13, params.clone());
            let salt = argon2::password_hash::SaltString::encode_b64(b"sixteen byte slt").unwrap();
            let theirs = crate_hasher
                .hash_password(b"correct horse", &salt)
                .unwrap()
                .to_string();
            assert!(verify_passphrase(&pass, &theirs, &memory), "{theirs}");
            assert!(!verify_passphrase(
                &SecretText::new("wrong"),
                &theirs,
                &memory
            ));
        }
        let cheap = PassphraseHashing {
            memory_kib: 64,
            iterations: 1,
        };
        let ours = hash_passphrase(&pass, cheap, &memory).unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse", &parsed)
            .is_ok());
    }
}
