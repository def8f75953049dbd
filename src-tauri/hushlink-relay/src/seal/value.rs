//! Sealing a secret's value, by version.
//!
//! Version 1 seals under a key derived from the secret key alone, so whoever holds a copy of
//! the data directory and the link (from chat history, say) reads the value, passphrase or
//! not. Version 2, for secrets with a passphrase, seals under a key derived from the secret
//! key AND an Argon2id key of the passphrase, with a salt of the secret's own: the relay
//! keeps the salt and cost (a PHC string without hash) and no hash at all. A passphrase is
//! right when the value decrypts, so the data directory alone does not even allow offline
//! guessing: that needs the link too, and then costs an Argon2id per guess.
//!
//! The version is stored beside the value (`secret_values.seal`); rows written before it
//! read as version 1 and keep opening as they always did.

use aes_gcm::aead::KeyInit;
use aes_gcm::Aes256Gcm;
use argon2::password_hash::{ParamsString, PasswordHash, SaltString};
use argon2::Version;
use hkdf::Hkdf;
use hushlink_protocol::SecretText;
use rand::rngs::OsRng;
use rand::TryRngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::{argon2, cipher, open_with, parse_phc, seal_with, ArgonMemory, Purpose, HASH_LEN};
use crate::config::PassphraseHashing;
use crate::error::{Error, Result};

/// HKDF salt of version 2 (fixed, public, as in version 1).
const HKDF_SALT_V2: &[u8] = b"hushlink-relay/v2/hkdf-salt";
/// HKDF `info` of version 2 values.
const INFO_V2: &[u8] = b"hushlink-relay/v2/seal/value+passphrase";

/// How a secret's value is sealed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueSeal {
    /// 1: under the secret key alone. Secrets without a passphrase, and passphrase secrets
    /// sealed before version 2 (their passphrase is checked against its Argon2id hash).
    Link,
    /// 2: under the secret key and the passphrase's Argon2id key.
    LinkAndPassphrase,
}

impl ValueSeal {
    /// The number stored in `secret_values.seal`.
    pub fn to_db(self) -> i64 {
        match self {
            Self::Link => 1,
            Self::LinkAndPassphrase => 2,
        }
    }

    /// The version a stored number names; [`Error::Corrupt`] for one this build does not
    /// know.
    pub fn from_db(n: i64) -> Result<Self> {
        match n {
            1 => Ok(Self::Link),
            2 => Ok(Self::LinkAndPassphrase),
            _ => Err(Error::Corrupt),
        }
    }
}

/// The Argon2id key of a passphrase under one secret's salt. Zeroized on drop; no `Debug`
/// output of its bytes.
pub struct PassphraseKey(Zeroizing<[u8; HASH_LEN]>);

impl std::fmt::Debug for PassphraseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(hushlink_protocol::secret::REDACTED)
    }
}

/// A fresh salt at `cost`, and the passphrase's key under it. Returns the PHC string (salt
/// and cost, no hash) to store in place of a hash. CPU- and memory-heavy: call it on the
/// blocking pool.
pub fn new_passphrase_key(
    passphrase: &SecretText,
    cost: PassphraseHashing,
    memory: &ArgonMemory,
) -> Result<(String, PassphraseKey)> {
    let mut salt = [0u8; 16];
    OsRng.try_fill_bytes(&mut salt).map_err(|_| Error::Rng)?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| Error::PassphraseHash)?;
    let argon = argon2(cost)?;
    let phc = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).map_err(|_| Error::PassphraseHash)?,
        salt: Some(salt.as_salt()),
        hash: None,
    }
    .to_string();
    let key = passphrase_key(passphrase, &phc, memory)?;
    Ok((phc, key))
}

/// The passphrase's key under the salt and cost of `phc` (from [`new_passphrase_key`]).
/// [`Error::Corrupt`] if `phc` is not such a string. CPU- and memory-heavy.
pub fn passphrase_key(
    passphrase: &SecretText,
    phc: &str,
    memory: &ArgonMemory,
) -> Result<PassphraseKey> {
    let (argon, salt, hash) = parse_phc(phc).ok_or(Error::Corrupt)?;
    if hash.is_some() {
        // A verification hash belongs to version 1; never derive a key beside one.
        return Err(Error::Corrupt);
    }
    let mut out = Zeroizing::new([0u8; HASH_LEN]);
    memory
        .with(argon.params().block_count(), |blocks| {
            argon.hash_password_into_with_memory(
                passphrase.expose().as_bytes(),
                &salt,
                out.as_mut(),
                blocks,
            )
        })
        .map_err(|_| Error::PassphraseHash)?;
    Ok(PassphraseKey(out))
}

fn value_cipher(secret_key: &str, passphrase: Option<&PassphraseKey>) -> Aes256Gcm {
    let Some(passphrase) = passphrase else {
        return cipher(secret_key, Purpose::Value);
    };
    // The fixed-length passphrase key first, so the concatenation is unambiguous.
    let mut ikm = Zeroizing::new(Vec::with_capacity(HASH_LEN + secret_key.len()));
    ikm.extend_from_slice(passphrase.0.as_ref());
    ikm.extend_from_slice(secret_key.as_bytes());
    let mut okm = Zeroizing::new([0u8; 32]);
    // expand only fails for outputs longer than 255 hash lengths; 32 bytes cannot.
    let _ = Hkdf::<Sha256>::new(Some(HKDF_SALT_V2), &ikm).expand(INFO_V2, okm.as_mut());
    Aes256Gcm::new(okm.as_ref().into())
}

/// Seals a value: version 2 with a passphrase key, version 1 without. Returns the blob and
/// the version to store beside it.
pub fn seal_value(
    secret_key: &str,
    passphrase: Option<&PassphraseKey>,
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, ValueSeal)> {
    let version = if passphrase.is_some() {
        ValueSeal::LinkAndPassphrase
    } else {
        ValueSeal::Link
    };
    let sealed = seal_with(&value_cipher(secret_key, passphrase), aad, plaintext)?;
    Ok((sealed, version))
}

/// Opens a value sealed as `version`. [`Error::Corrupt`] if it does not authenticate (for
/// version 2: also a wrong passphrase), or a version 2 value comes without a passphrase key.
pub fn open_value(
    secret_key: &str,
    version: ValueSeal,
    passphrase: Option<&PassphraseKey>,
    aad: &[u8],
    sealed: &[u8],
) -> Result<SecretText> {
    let passphrase = match version {
        ValueSeal::Link => None,
        ValueSeal::LinkAndPassphrase => Some(passphrase.ok_or(Error::Corrupt)?),
    };
    let mut bytes = open_with(&value_cipher(secret_key, passphrase), aad, sealed)?;
    let text = String::from_utf8(std::mem::take(&mut *bytes)).map_err(|_| Error::Corrupt)?;
    Ok(SecretText::new(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::{open, seal, verify_passphrase};

    const CHEAP: PassphraseHashing = PassphraseHashing {
        memory_kib: 64,
        iterations: 1,
    };

    #[test]
    fn a_version_two_value_needs_the_link_and_the_passphrase() {
        let memory = ArgonMemory::new();
        let pass = SecretText::new("correct horse");
        let (phc, key) = new_passphrase_key(&pass, CHEAP, &memory).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert_eq!(phc.matches('$').count(), 4, "salt and cost, no hash: {phc}");
        let (sealed, version) = seal_value("link-key", Some(&key), b"row", b"hunter2").unwrap();
        assert_eq!(version, ValueSeal::LinkAndPassphrase);
        let again = passphrase_key(&pass, &phc, &memory).unwrap();
        let opened = open_value("link-key", version, Some(&again), b"row", &sealed).unwrap();
        assert_eq!(opened.expose(), "hunter2");

        let wrong = passphrase_key(&SecretText::new("wrong"), &phc, &memory).unwrap();
        for (link, passphrase) in [("link-key", Some(&wrong)), ("other-key", Some(&again))] {
            assert!(open_value(link, version, passphrase, b"row", &sealed).is_err());
        }
        assert!(
            open_value("link-key", version, None, b"row", &sealed).is_err(),
            "no passphrase key, no version 2 value"
        );
        assert!(
            open("link-key", Purpose::Value, b"row", &sealed).is_err(),
            "the version 1 key (the link alone) does not open it"
        );
        assert!(
            !verify_passphrase(&pass, &phc, &memory),
            "the stored string verifies nothing: it holds no hash"
        );
    }

    #[test]
    fn version_one_values_open_as_before_and_keep_their_format() {
        let old = seal("link-key", Purpose::Value, b"row", b"old value").unwrap();
        let opened = open_value("link-key", ValueSeal::Link, None, b"row", &old).unwrap();
        assert_eq!(opened.expose(), "old value");
        let (new, version) = seal_value("link-key", None, b"row", b"plain").unwrap();
        assert_eq!(version, ValueSeal::Link);
        assert_eq!(
            open("link-key", Purpose::Value, b"row", &new)
                .unwrap()
                .as_slice(),
            b"plain"
        );
        for n in [1, 2] {
            assert_eq!(ValueSeal::from_db(n).unwrap().to_db(), n);
        }
        assert!(
            ValueSeal::from_db(3).is_err(),
            "an unknown version is refused"
        );
    }

    #[test]
    fn a_version_one_hash_never_serves_as_key_parameters() {
        let memory = ArgonMemory::new();
        let pass = SecretText::new("correct horse");
        let hash = crate::seal::hash_passphrase(&pass, CHEAP, &memory).unwrap();
        assert!(matches!(
            passphrase_key(&pass, &hash, &memory),
            Err(Error::Corrupt)
        ));
        assert!(matches!(
            passphrase_key(&pass, "not a phc string", &memory),
            Err(Error::Corrupt)
        ));
    }
}
