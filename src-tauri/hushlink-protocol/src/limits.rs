//! Limits and key rules (reference §4.3, §7), in seconds, bytes and characters.

/// Onetime's smallest TTL; shorter requests are clamped up to it, not rejected.
pub const TTL_MIN_SECS: u64 = 60;
/// Onetime's largest TTL (30 days); longer requests are clamped down.
pub const TTL_MAX_SECS: u64 = 2_592_000;
/// TTL when the request names none (7 days).
pub const TTL_DEFAULT_SECS: u64 = 604_800;
/// Cap for anonymous callers on onetimesecret.com and fresh installs (7 days).
pub const TTL_MAX_ANONYMOUS_SECS: u64 = 604_800;
/// The Hushlink relay's largest TTL (14 days).
pub const RELAY_TTL_MAX_SECS: u64 = 1_209_600;
/// Receipts live this many times the secret's TTL.
pub const RECEIPT_TTL_FACTOR: u64 = 2;

/// Hosted maximum secret size in UTF-8 bytes; v1 at HEAD rejects larger values.
pub const MAX_SECRET_BYTES: usize = 10_000;

/// Smallest passphrase on fresh installs (configurable on servers; unset means none).
pub const PASSPHRASE_MIN_CHARS: usize = 4;
/// Largest passphrase.
pub const PASSPHRASE_MAX_CHARS: usize = 128;

/// Default and maximum length of a generated password.
pub const GENERATE_LENGTH_DEFAULT: usize = 12;
/// Largest `length` on generate.
pub const GENERATE_LENGTH_MAX: usize = 128;

/// Shortest key a server mints ([`crate::KeyRule::Minted`]): HEAD answers `Not Found` for
/// path keys shorter than this, so a relay mints longer ones.
pub const SERVER_KEY_MIN_LEN: usize = 20;
/// Shortest key a link may carry ([`crate::KeyRule::Link`]). Real keys are 31 (v0.23) or 62 (HEAD) characters; the
/// bound only keeps page words such as `/secret/new` from parsing as keys.
pub const LINK_KEY_MIN_LEN: usize = 8;
/// Longest key accepted anywhere.
pub const KEY_MAX_LEN: usize = 128;
/// Length of a short key (`secret_shortkey` at HEAD; 6 in v0.23).
pub const SHORTKEY_LEN: usize = 8;

/// Characters a key may contain: servers strip path keys to `[A-Za-z0-9_-]`.
pub fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// A key made only of [`is_key_char`] characters, 1 to [`KEY_MAX_LEN`] long: the
/// [`crate::KeyRule::Wire`] rule.
pub fn is_valid_key(key: &str) -> bool {
    crate::KeyRule::Wire.check(key).is_ok()
}

/// The key the way Onetime servers read a path segment: everything else stripped.
pub fn sanitize_key(raw: &str) -> String {
    raw.chars().filter(|c| is_key_char(*c)).collect()
}

/// Clamps a requested TTL to `[TTL_MIN_SECS, max]` (`None` → [`TTL_DEFAULT_SECS`]), the way
/// Onetime treats out-of-range values: clamped, never rejected.
pub fn clamp_ttl(requested: Option<u64>, max: u64) -> u64 {
    requested
        .unwrap_or(TTL_DEFAULT_SECS)
        .clamp(TTL_MIN_SECS, max.max(TTL_MIN_SECS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_is_clamped_never_rejected() {
        assert_eq!(clamp_ttl(Some(0), TTL_MAX_SECS), TTL_MIN_SECS);
        assert_eq!(
            clamp_ttl(Some(u64::MAX), RELAY_TTL_MAX_SECS),
            RELAY_TTL_MAX_SECS
        );
        assert_eq!(clamp_ttl(None, RELAY_TTL_MAX_SECS), TTL_DEFAULT_SECS);
    }

    #[test]
    fn keys_are_stripped_to_the_server_charset() {
        assert_eq!(sanitize_key("ab c/../d_e-f"), "abcd_e-f");
        assert!(is_valid_key("0dbvie5bc9ec88xnt5mh0we4j65gj1pp"));
        assert!(!is_valid_key("abc%20def"));
        assert!(!is_valid_key(""));
    }
}
