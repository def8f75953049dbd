//! [`Key`]: a secret key, receipt (metadata) key or invite key, validated when it is parsed.
//!
//! Keys are bearer credentials in URL paths. Onetime servers strip path keys to
//! `[A-Za-z0-9_-]` and no key is longer than [`limits::KEY_MAX_LEN`]; how short a key may be
//! depends on where it comes from, and each [`KeyRule`] is named for what its bound protects:
//!
//! | rule | shortest | used for |
//! |---|---|---|
//! | [`KeyRule::Wire`] | 1 | a key the caller hands the client: sent as is, the server judges it |
//! | [`KeyRule::Link`] | [`limits::LINK_KEY_MIN_LEN`] | a key in a pasted link: page words such as `/secret/new` are not keys |
//! | [`KeyRule::Minted`] | [`limits::SERVER_KEY_MIN_LEN`] | a key a server minted: HEAD answers `Not Found` below it |
//! | [`KeyRule::Relay`] | [`limits::SERVER_KEY_MIN_LEN`] | a key a Hushlink relay minted: lowercase base 36 only |

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{limits, secret::REDACTED};

/// Where a key comes from, which decides how short it may be and which characters it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRule {
    /// Any key a server may use: 1 to [`limits::KEY_MAX_LEN`] of `[A-Za-z0-9_-]`. The client
    /// checks keys it is given against this before putting them in a path.
    Wire,
    /// A key in a link a person pasted: at least [`limits::LINK_KEY_MIN_LEN`] characters, so
    /// that page paths such as `/secret/new` do not parse as keys.
    Link,
    /// A key a server minted: at least [`limits::SERVER_KEY_MIN_LEN`] characters (Onetime
    /// HEAD answers `Not Found` for shorter path keys, and real keys are 31 or 62 long).
    Minted,
    /// A key a Hushlink relay minted: [`KeyRule::Minted`] in the relay's alphabet, lowercase
    /// base 36. Anything else cannot name a relay row, so it is refused before any lookup.
    Relay,
}

impl KeyRule {
    /// The shortest key this rule accepts.
    pub const fn min_len(self) -> usize {
        match self {
            Self::Wire => 1,
            Self::Link => limits::LINK_KEY_MIN_LEN,
            Self::Minted | Self::Relay => limits::SERVER_KEY_MIN_LEN,
        }
    }

    /// Whether `c` may appear in a key under this rule.
    pub fn allows_char(self, c: char) -> bool {
        match self {
            Self::Relay => c.is_ascii_digit() || c.is_ascii_lowercase(),
            Self::Wire | Self::Link | Self::Minted => limits::is_key_char(c),
        }
    }

    /// Checks `raw` without copying it: characters first, then length.
    pub fn check(self, raw: &str) -> Result<(), KeyError> {
        if !raw.chars().all(|c| self.allows_char(c)) {
            Err(KeyError::Malformed)
        } else if raw.len() < self.min_len() {
            Err(KeyError::TooShort)
        } else if raw.len() > limits::KEY_MAX_LEN {
            Err(KeyError::TooLong)
        } else {
            Ok(())
        }
    }
}

/// Why a text is not a key. Never carries the text: it may be a real key, mistyped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// A character keys never have (under the rule's alphabet).
    #[error("keys contain only letters, digits, '-' and '_'")]
    Malformed,
    /// Shorter than the rule allows.
    #[error("too short to be a key")]
    TooShort,
    /// Longer than any key ([`limits::KEY_MAX_LEN`]).
    #[error("too long to be a key")]
    TooLong,
}

/// A key that passed its [`KeyRule`]. Zeroized on drop, `[redacted]` in `Debug`; the text
/// comes out only through [`Key::expose`].
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Key(String);

impl Key {
    /// Parses `raw` under `rule` (no trimming: a key with white space is malformed).
    pub fn parse(raw: &str, rule: KeyRule) -> Result<Self, KeyError> {
        rule.check(raw)?;
        Ok(Self(raw.to_owned()))
    }

    /// The key as it goes into a path or link. Every call site puts the key on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The first [`limits::SHORTKEY_LEN`] characters (`secret_shortkey`), safe to show.
    pub fn short(&self) -> &str {
        &self.0[..limits::SHORTKEY_LEN.min(self.0.len())]
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &str = "0dbvie5bc9ec88xnt5mh0we4j65gj1pp";

    #[test]
    fn each_rule_has_its_own_floor() {
        let eight = "abcdefgh";
        let twenty = "abcdefghij0123456789";
        assert_eq!(KeyRule::Wire.check("a"), Ok(()));
        assert_eq!(KeyRule::Link.check(&eight[..7]), Err(KeyError::TooShort));
        assert_eq!(KeyRule::Link.check(eight), Ok(()));
        assert_eq!(KeyRule::Minted.check(eight), Err(KeyError::TooShort));
        assert_eq!(
            KeyRule::Minted.check(&twenty[..19]),
            Err(KeyError::TooShort)
        );
        assert_eq!(KeyRule::Minted.check(twenty), Ok(()));
        assert_eq!(KeyRule::Relay.check(twenty), Ok(()));
        for rule in [
            KeyRule::Wire,
            KeyRule::Link,
            KeyRule::Minted,
            KeyRule::Relay,
        ] {
            assert_eq!(rule.check(""), Err(KeyError::TooShort), "{rule:?}");
            assert_eq!(rule.check(REAL), Ok(()), "{rule:?}: a real v0.23 key");
            assert_eq!(
                rule.check(&"a".repeat(limits::KEY_MAX_LEN)),
                Ok(()),
                "{rule:?}"
            );
            assert_eq!(
                rule.check(&"a".repeat(limits::KEY_MAX_LEN + 1)),
                Err(KeyError::TooLong),
                "{rule:?}"
            );
        }
    }

    #[test]
    fn characters_are_checked_before_length() {
        for rule in [
            KeyRule::Wire,
            KeyRule::Link,
            KeyRule::Minted,
            KeyRule::Relay,
        ] {
            assert_eq!(rule.check("a b"), Err(KeyError::Malformed), "{rule:?}");
            assert_eq!(
                rule.check("abc%20def"),
                Err(KeyError::Malformed),
                "{rule:?}"
            );
            assert_eq!(rule.check("é"), Err(KeyError::Malformed), "{rule:?}");
        }
        let server = "Abcdefghij-klmnopq_rstu";
        assert_eq!(KeyRule::Minted.check(server), Ok(()));
        assert_eq!(
            KeyRule::Relay.check(server),
            Err(KeyError::Malformed),
            "relays mint lowercase base 36 only"
        );
    }

    #[test]
    fn a_parsed_key_shows_only_on_purpose() {
        let key = Key::parse(REAL, KeyRule::Minted).unwrap();
        assert_eq!(key.expose(), REAL);
        assert_eq!(key.short(), "0dbvie5b");
        assert!(!format!("{key:?}").contains("0dbv"));
        assert_eq!(Key::parse("ab", KeyRule::Wire).unwrap().short(), "ab");
        assert_eq!(Key::parse("ab", KeyRule::Link), Err(KeyError::TooShort));
    }
}
