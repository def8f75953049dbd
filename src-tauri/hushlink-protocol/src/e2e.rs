//! The end-to-end value format of Hushlink relay links: what the client uploads and what
//! the relay's reveal page and the app decrypt. The format is fixed; a change gets a new
//! prefix (`hushlink-e2e:v2:`), never a new meaning for this one.
//!
//! - key: [`KEY_BYTES`] random bytes; nonce: [`NONCE_BYTES`] random bytes;
//! - AES-256-GCM over the UTF-8 text, no associated data, a [`TAG_BYTES`]-byte tag;
//! - uploaded value: [`PREFIX`] + base64url-no-pad(nonce ‖ ciphertext ‖ tag);
//! - the key travels only in the share link's fragment, as base64url-no-pad(key), so it is
//!   never sent to any server (browsers do not send fragments).
//!
//! The cryptography lives with the code that holds keys (`hushlink-client`'s `e2e`, the
//! relay page's script); this crate only names the format. `tests/fixtures/e2e-vectors.json`
//! pins it for every side.

/// Prefix of every end-to-end value.
pub const PREFIX: &str = "hushlink-e2e:v1:";
/// Key length in bytes.
pub const KEY_BYTES: usize = 32;
/// Nonce length in bytes.
pub const NONCE_BYTES: usize = 12;
/// Authentication tag length in bytes.
pub const TAG_BYTES: usize = 16;

/// Whether a revealed value is end-to-end encrypted (starts with [`PREFIX`]).
pub fn is_encrypted(value: &str) -> bool {
    value.starts_with(PREFIX)
}

/// Bytes of the uploaded value for `plain_bytes` bytes of text: the prefix, then base64url
/// (no padding) of nonce, ciphertext and tag. What a server's size limit sees.
pub fn encrypted_len(plain_bytes: usize) -> usize {
    let sealed = NONCE_BYTES + plain_bytes + TAG_BYTES;
    PREFIX.len() + sealed / 3 * 4 + [0, 2, 3][sealed % 3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uploaded_length_is_prefix_plus_unpadded_base64() {
        // 12 + 0 + 16 = 28 bytes: 9 groups of 3 (36 chars) and 1 byte left (2 chars).
        assert_eq!(encrypted_len(0), PREFIX.len() + 38);
        // 12 + 2 + 16 = 30 bytes: exactly 10 groups.
        assert_eq!(encrypted_len(2), PREFIX.len() + 40);
        // 12 + 3 + 16 = 31 bytes: 10 groups and 1 byte left.
        assert_eq!(encrypted_len(3), PREFIX.len() + 42);
        // 12 + 4 + 16 = 32 bytes: 10 groups and 2 bytes left (3 chars).
        assert_eq!(encrypted_len(4), PREFIX.len() + 43);
    }

    #[test]
    fn only_prefixed_values_are_encrypted() {
        assert!(is_encrypted("hushlink-e2e:v1:AAAA"));
        assert!(!is_encrypted("hushlink-e2e:v2:AAAA"));
        assert!(!is_encrypted("a plain secret"));
    }
}
