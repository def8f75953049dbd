//! Secret keys, receipt keys and API tokens: minting, parsing and the hashes stored in
//! their place.
//!
//! A key is 256 bits written as 50 lowercase base-36 digits (Onetime's alphabet; its HEAD
//! keys are 62 digits, v0.23's 31). The relay never stores a key: rows are found by
//! [`Key::row_id`], built from a domain-separated SHA-256 of the key, so the database alone
//! yields no working link. Looking a row up by this hash also means keys are never compared
//! byte by byte, so there is no timing side channel on them.
//!
//! Tokens and invites are 256 bits from the operating system's RNG ([`Key::generate`]).
//! Secret and receipt keys are *located* ([`Key::mint`]): 128 random bits, then a stamp
//! (microseconds, increasing in mint order) and a check, masked with a hash of the random
//! bits so the key still reads as random digits. Their row id leads with the stamp, so the
//! unique indexes over row ids take each new row at their tail instead of at a random leaf:
//! a create then dirties no index page that the other creates of its commit do not share
//! (docs/benchmarks.md, "Against the durable floor after session 8"). Anyone holding a link
//! can read its stamp: the creation time to the microsecond and so the order of mints, where
//! the API shows them the second (a receipt link already names its secret link, so the two
//! stamps link nothing new). Keys that carry no valid check (those minted before, ~2^-64 of
//! them by chance) keep the plain hash as their row id, so every link ever issued still
//! finds its row.

use std::fmt;

pub(crate) use hushlink_protocol::key::KeyRule;
use rand::rngs::OsRng;
use rand::TryRngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Bytes behind a key's digits (256 bits; the issue asks for at least 128 random ones).
const KEY_BYTES: usize = 32;
/// Random bytes of a located key ([`Key::mint`]): 128 bits, all a guess must find.
const LOCATED_RANDOM: usize = 16;
/// Bytes of a row id's stamp (big-endian microseconds), before the hash's first bytes.
const STAMP_BYTES: usize = 8;
/// Base-36 digits needed for 256 bits: ceil(256 / log2(36)).
pub const KEY_LEN: usize = 50;
/// Length of the short key id in the access log (hex digits of a hash, never of the key).
pub const KEY_ID_LEN: usize = 12;

/// A row id: the SHA-256 of a key under a purpose tag, or for a located key its stamp and the
/// first 24 bytes of that hash ([`Key::row_id`]).
pub type RowId = [u8; 32];

/// What a key opens; the tag separates the hashes so a secret key cannot find a receipt row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// The recipient's share key (`/secret/KEY`).
    Secret,
    /// The sender's receipt key (`/receipt/KEY`, `/private/KEY`, `/metadata/KEY`).
    Receipt,
    /// An API token (the password of HTTP Basic).
    Token,
    /// A one-time invite (`/invite/KEY`).
    Invite,
}

impl KeyKind {
    /// The kind's byte in a located key's check; `None`: keys of this kind are not located.
    fn located(self) -> Option<u8> {
        match self {
            Self::Secret => Some(1),
            Self::Receipt => Some(2),
            Self::Token | Self::Invite => None,
        }
    }

    fn tag(self) -> &'static [u8] {
        match self {
            Self::Secret => b"hushlink-relay/v1/row/secret\0",
            Self::Receipt => b"hushlink-relay/v1/row/receipt\0",
            Self::Token => b"hushlink-relay/v1/row/token\0",
            Self::Invite => b"hushlink-relay/v1/row/invite\0",
        }
    }
}

/// Why a path segment is not a key: the protocol's one definition.
pub use hushlink_protocol::key::KeyError;

/// A secret or receipt key, or an API token: the protocol's [`hushlink_protocol::key::Key`]
/// under [`KeyRule::Relay`], plus what only the relay does with one (minting it, hashing it
/// to a row id). Zeroized on drop, `[redacted]` in `Debug` (the protocol key's own).
#[derive(Clone, PartialEq, Eq)]
pub struct Key(hushlink_protocol::key::Key);

impl Key {
    /// Mints a fresh key of 256 bits from the OS RNG (tokens, invites).
    pub fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
        OsRng
            .try_fill_bytes(bytes.as_mut())
            .map_err(|_| Error::Rng)?;
        Self::from_bytes(&bytes)
    }

    /// Mints a located secret or receipt key (module docs): 128 random bits from the OS RNG,
    /// then a fresh stamp (module docs) and a check naming `kind`, masked. Its [`Key::row_id`] under
    /// `kind` leads with the stamp. Kinds that are not located get [`Key::generate`]'s key.
    pub fn mint(kind: KeyKind) -> Result<Self> {
        let Some(kind_byte) = kind.located() else {
            return Self::generate();
        };
        let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
        OsRng
            .try_fill_bytes(&mut bytes[..LOCATED_RANDOM])
            .map_err(|_| Error::Rng)?;
        let (random, locator) = bytes.split_at_mut(LOCATED_RANDOM);
        locator.copy_from_slice(&masked(random, locator_plain(stamp(), kind_byte)));
        Self::from_bytes(&bytes)
    }

    fn from_bytes(bytes: &[u8; KEY_BYTES]) -> Result<Self> {
        let text = Zeroizing::new(base36(bytes));
        // 50 lowercase base-36 digits always pass the relay's rule; a failure would be a bug
        // in `base36`, reported as a fault rather than a panic.
        Self::parse(&text).map_err(|_| Error::Corrupt)
    }

    /// Parses a key from a path or parameter under the protocol's [`KeyRule::Relay`]: keys
    /// minted here are lowercase base 36; other characters cannot name a stored row, so they
    /// are refused before any lookup.
    pub fn parse(raw: &str) -> Result<Self, KeyError> {
        hushlink_protocol::key::Key::parse(raw, KeyRule::Relay).map(Self)
    }

    /// The key as it appears in a link. Every call site puts the key on the wire.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The first [`hushlink_protocol::limits::SHORTKEY_LEN`] characters (`secret_shortkey`).
    pub fn short(&self) -> &str {
        self.0.short()
    }

    /// The protocol's key, for code shared with the client (links, wire types).
    pub fn as_protocol(&self) -> &hushlink_protocol::key::Key {
        &self.0
    }

    /// The id of this key's row: SHA-256 over a purpose tag and the key. For a key
    /// [`Key::mint`]ed as `kind`, its stamp and then the hash's first 24 bytes (so rows of
    /// newer keys sort after older ones); for any other key, the whole hash.
    pub fn row_id(&self, kind: KeyKind) -> RowId {
        let mut hash = Sha256::new();
        hash.update(kind.tag());
        hash.update(self.expose().as_bytes());
        let hash: RowId = hash.finalize().into();
        match self.stamp(kind) {
            Some(stamp) => {
                let mut id = [0u8; 32];
                id[..STAMP_BYTES].copy_from_slice(&stamp.to_be_bytes());
                id[STAMP_BYTES..].copy_from_slice(&hash[..32 - STAMP_BYTES]);
                id
            }
            None => hash,
        }
    }

    /// The stamp of a key minted as `kind`; `None` for keys minted otherwise (or before
    /// located keys), whose check does not hold.
    fn stamp(&self, kind: KeyKind) -> Option<u64> {
        let kind_byte = kind.located()?;
        let bytes = Zeroizing::new(from_base36(self.expose())?);
        let (random, stored) = bytes.split_at(LOCATED_RANDOM);
        let mut locator = [0u8; KEY_BYTES - LOCATED_RANDOM];
        locator.copy_from_slice(stored);
        let locator = masked(random, locator);
        let (stamp, check) = locator.split_at(STAMP_BYTES);
        let expected = locator_plain(0, kind_byte);
        (check == &expected[STAMP_BYTES..])
            .then(|| u64::from_be_bytes(stamp.try_into().unwrap_or_default()))
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<Key> for hushlink_protocol::key::Key {
    fn from(key: Key) -> Self {
        key.0
    }
}

/// A located key's stamp and check before masking: the stamp (big-endian), seven zero bytes
/// and the kind's byte. A key not minted so passes the check with probability 2^-64.
fn locator_plain(stamp: u64, kind_byte: u8) -> [u8; KEY_BYTES - LOCATED_RANDOM] {
    let mut plain = [0u8; KEY_BYTES - LOCATED_RANDOM];
    plain[..STAMP_BYTES].copy_from_slice(&stamp.to_be_bytes());
    plain[KEY_BYTES - LOCATED_RANDOM - 1] = kind_byte;
    plain
}

/// `locator` XOR a hash of the key's random bytes: masks a located key's stamp and check
/// when minting, and unmasks them when reading (the same operation). The mask is no secret
/// (the stamp is none); it only makes the whole key read as random digits, so keys minted
/// together do not share digits (the short key, `secret_shortkey`, tells them apart).
fn masked(
    random: &[u8],
    mut locator: [u8; KEY_BYTES - LOCATED_RANDOM],
) -> [u8; KEY_BYTES - LOCATED_RANDOM] {
    let mut hash = Sha256::new();
    hash.update(b"hushlink-relay/v2/locator-mask\0");
    hash.update(random);
    for (byte, mask) in locator.iter_mut().zip(hash.finalize()) {
        *byte ^= mask;
    }
    locator
}

/// Microseconds since the Unix epoch, strictly increasing within this process even when the
/// system clock steps back: each stamp is at least the last plus one. Several relays on one
/// PostgreSQL database interleave their stamps, which keeps inserts near the indexes' tails.
/// Only the order of stamps matters to storage; the relay's [`crate::clock::Clock`] still
/// decides every time a secret is judged by.
fn stamp() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
    let next = |last: u64| now.max(last.saturating_add(1));
    // The closure never refuses, so the result is always `Ok(previous)`.
    let previous = LAST
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| {
            Some(next(last))
        })
        .unwrap_or_else(|last| last);
    next(previous)
}

/// The short id the access log shows for a secret: a hash of its row id, so that the sweeper
/// (which knows rows, not keys) logs expiries under the same id as the reveal.
pub fn key_id(secret_row: &RowId) -> String {
    let mut hash = Sha256::new();
    hash.update(b"hushlink-relay/v1/log-id\0");
    hash.update(secret_row);
    let digest = hash.finalize();
    let mut id = hex::encode(&digest[..KEY_ID_LEN / 2]);
    id.truncate(KEY_ID_LEN);
    id
}

/// 36^12, the largest power of 36 that fits a `u64`: the number is divided by it, so each
/// long division yields twelve digits instead of one.
const CHUNK: u64 = 36u64.pow(12);
/// Digits per [`CHUNK`].
const CHUNK_DIGITS: usize = 12;

/// 256 bits (big-endian) to lowercase base 36, zero-padded to [`KEY_LEN`] digits.
///
/// Long division by 36^12 over four 64-bit limbs: five divisions of the whole number instead
/// of fifty byte-wise ones (this runs twice per create, on the request path).
fn base36(bytes: &[u8; KEY_BYTES]) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut limbs = Zeroizing::new([0u64; KEY_BYTES / 8]);
    for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut be = [0u8; 8];
        be.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(be);
    }
    let mut out = Zeroizing::new([b'0'; KEY_LEN]);
    let mut end = KEY_LEN;
    while end > 0 {
        let mut remainder = 0u128;
        for limb in limbs.iter_mut() {
            let acc = (remainder << 64) | u128::from(*limb);
            // acc < CHUNK * 2^64, so the quotient fits a limb.
            *limb = u64::try_from(acc / u128::from(CHUNK)).unwrap_or(0);
            remainder = acc % u128::from(CHUNK);
        }
        let mut chunk = u64::try_from(remainder).unwrap_or(0);
        for _ in 0..CHUNK_DIGITS.min(end) {
            end -= 1;
            out[end] = DIGITS[usize::try_from(chunk % 36).unwrap_or(0)];
            chunk /= 36;
        }
    }
    out.iter().map(|&b| char::from(b)).collect()
}

/// The 256-bit number (big-endian) that [`base36`] wrote as `text`; `None` unless `text` is
/// [`KEY_LEN`] base-36 digits below 2^256.
fn from_base36(text: &str) -> Option<[u8; KEY_BYTES]> {
    if text.len() != KEY_LEN {
        return None;
    }
    let mut limbs = Zeroizing::new([0u64; KEY_BYTES / 8]);
    for c in text.bytes() {
        let digit = u64::from(match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'z' => c - b'a' + 10,
            _ => return None,
        });
        let mut carry = u128::from(digit);
        for limb in limbs.iter_mut().rev() {
            let acc = u128::from(*limb) * 36 + carry;
            *limb = acc as u64; // the low 64 bits; the rest carries
            carry = acc >> 64;
        }
        if carry != 0 {
            return None;
        }
    }
    let mut bytes = [0u8; KEY_BYTES];
    for (chunk, limb) in bytes.chunks_exact_mut(8).zip(limbs.iter()) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_lowercase_base36_of_full_length_and_distinct() {
        let a = Key::generate().unwrap();
        let b = Key::generate().unwrap();
        assert_eq!(a.expose().len(), KEY_LEN);
        assert!(a
            .expose()
            .bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
        assert_ne!(a, b, "256 random bits never repeat");
        assert_eq!(
            Key::parse(a.expose()).unwrap(),
            a,
            "a minted key parses back"
        );
    }

    /// The textbook digit-by-digit conversion, as an oracle for the chunked one.
    fn base36_reference(bytes: &[u8]) -> String {
        const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut number = bytes.to_vec();
        let mut out = Vec::new();
        for _ in 0..KEY_LEN {
            let mut remainder = 0u32;
            for byte in &mut number {
                let acc = (remainder << 8) | u32::from(*byte);
                *byte = u8::try_from(acc / 36).unwrap();
                remainder = acc % 36;
            }
            out.push(DIGITS[remainder as usize]);
        }
        assert!(number.iter().all(|&b| b == 0), "50 digits hold 256 bits");
        out.reverse();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn base36_agrees_with_the_digit_by_digit_conversion() {
        let mut edges = vec![[0u8; 32], [0xff; 32]];
        for i in 0..32 {
            let mut one_byte = [0u8; 32];
            one_byte[i] = 0x80;
            edges.push(one_byte);
        }
        for _ in 0..500 {
            let mut random = [0u8; 32];
            OsRng.try_fill_bytes(&mut random).unwrap();
            edges.push(random);
        }
        for bytes in edges {
            assert_eq!(base36(&bytes), base36_reference(&bytes), "{bytes:?}");
        }
    }

    #[test]
    fn base36_matches_known_values() {
        assert_eq!(base36(&[0; 32]), "0".repeat(KEY_LEN));
        let mut one = [0u8; 32];
        one[31] = 35;
        assert!(base36(&one).ends_with("0z"));
        let max = base36(&[0xff; 32]);
        assert!(!max.starts_with('0'), "2^256-1 needs all 50 digits: {max}");
    }

    #[test]
    fn parse_refuses_short_and_foreign_keys() {
        assert_eq!(Key::parse("abc"), Err(KeyError::TooShort));
        assert_eq!(
            Key::parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            Err(KeyError::Malformed)
        );
        assert_eq!(Key::parse(&"a".repeat(200)), Err(KeyError::TooLong));
        assert_eq!(
            Key::parse("abcdefghij-klmnopqrstu"),
            Err(KeyError::Malformed)
        );
    }

    /// The whole hash, as every key's row id was before located keys.
    fn plain_hash(key: &Key, kind: KeyKind) -> RowId {
        let mut hash = Sha256::new();
        hash.update(kind.tag());
        hash.update(key.expose().as_bytes());
        hash.finalize().into()
    }

    #[test]
    fn from_base36_reads_back_what_base36_wrote_and_nothing_else() {
        for _ in 0..200 {
            let mut bytes = [0u8; 32];
            OsRng.try_fill_bytes(&mut bytes).unwrap();
            assert_eq!(from_base36(&base36(&bytes)), Some(bytes));
        }
        assert_eq!(from_base36(&base36(&[0xff; 32])), Some([0xff; 32]));
        assert_eq!(from_base36(&"z".repeat(KEY_LEN)), None, "above 2^256");
        assert_eq!(from_base36(&"a".repeat(KEY_LEN - 1)), None, "too short");
        assert_eq!(from_base36(&"A".repeat(KEY_LEN)), None, "not lowercase");
    }

    #[test]
    fn minted_keys_lead_their_row_ids_with_increasing_stamps() {
        let keys: Vec<Key> = (0..50)
            .map(|_| Key::mint(KeyKind::Secret).unwrap())
            .collect();
        let ids: Vec<RowId> = keys.iter().map(|k| k.row_id(KeyKind::Secret)).collect();
        for pair in ids.windows(2) {
            assert!(pair[0] < pair[1], "row ids sort in mint order");
        }
        for (key, id) in keys.iter().zip(&ids) {
            let stamp = key.stamp(KeyKind::Secret).expect("a minted key is located");
            assert_eq!(id[..8], stamp.to_be_bytes());
            assert_eq!(
                id[8..],
                plain_hash(key, KeyKind::Secret)[..24],
                "the rest is the key's hash"
            );
            assert_eq!(key.expose().len(), KEY_LEN);
            assert_eq!(
                Key::parse(key.expose()).unwrap().row_id(KeyKind::Secret),
                *id
            );
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_micros();
        let first = u128::from(keys[0].stamp(KeyKind::Secret).unwrap());
        assert!(
            now.abs_diff(first) < 60_000_000,
            "stamps are microseconds now"
        );
    }

    #[test]
    fn minted_keys_still_read_as_random_digits() {
        let a = Key::mint(KeyKind::Secret).unwrap();
        let b = Key::mint(KeyKind::Secret).unwrap();
        assert_ne!(
            a.short(),
            b.short(),
            "keys minted together differ from the start"
        );
        let common_tail = a
            .expose()
            .bytes()
            .rev()
            .zip(b.expose().bytes().rev())
            .take_while(|(x, y)| x == y)
            .count();
        assert!(
            common_tail < 6,
            "{a:?} {b:?} share {common_tail} final digits"
        );
        assert_ne!(a.stamp(KeyKind::Secret), b.stamp(KeyKind::Secret));
        let stamp = a.stamp(KeyKind::Secret).unwrap().to_be_bytes();
        let bytes = from_base36(a.expose()).unwrap();
        assert_ne!(
            bytes[16..24],
            stamp,
            "the stamp is masked, not written as is"
        );
        assert_ne!(bytes[24..31], [0; 7], "so is the check");
    }

    /// Links in the wild depend on both formulas: these vectors were computed outside Rust
    /// (Python's `hashlib`, from the module docs' description), never by this code.
    #[test]
    fn row_ids_match_vectors_computed_independently() {
        let older = Key::parse("00wjzlh5yt3uk0mzpcor0i12ol0rrpxdydzggt4b2fvr8yealc").unwrap();
        assert_eq!(
            hex::encode(older.row_id(KeyKind::Secret)),
            "5b23ea30dab4845a9b49abf90be2d99ce148ddfc71f2e355046f25ea30336cb6",
            "a key minted before located keys keeps its plain hash"
        );
        let hand_made = Key::parse("k3v9x2m7q1w8e4r6t0y5u2i9o3p7a1s6d4f8g2h5j0l3z7c1vb").unwrap();
        assert_eq!(
            hex::encode(hand_made.row_id(KeyKind::Receipt)),
            "5fafc4093d0466e372dd72497ea85c023ded2c5314984c2d5c23a1a53ed7691a"
        );
        // Random bytes a0..af, stamp 1,796,000,000,123,456 us, minted as a secret key.
        let located = Key::parse("404maik8y9dd8285lftotm9jcsx8j7ufz5h0xttsghnxuaaxbg").unwrap();
        let id = located.row_id(KeyKind::Secret);
        assert_eq!(
            hex::encode(id),
            "00066173d60622407bf5bae9819c2042c7f942fc8463ada2cafca36113ceba23"
        );
        assert_eq!(key_id(&id), "e5697ebebde6");
        assert_eq!(
            hex::encode(located.row_id(KeyKind::Receipt)),
            "42fd61d96c12a188ffcc51485c62b7ab8d4dff86b72bb53d738bca48cb76626a",
            "under another kind the check fails: the plain hash"
        );
    }

    /// A hostile caller can forge a key with a valid check and another secret's stamp; it
    /// lands beside that row in the index and still names none.
    #[test]
    fn a_forged_key_with_a_real_stamp_names_another_row() {
        let real = Key::mint(KeyKind::Secret).unwrap();
        let stamp = real.stamp(KeyKind::Secret).unwrap();
        let mut bytes = [7u8; KEY_BYTES];
        let (random, locator) = bytes.split_at_mut(LOCATED_RANDOM);
        locator.copy_from_slice(&masked(random, locator_plain(stamp, 1)));
        let forged = Key::from_bytes(&bytes).unwrap();
        assert_eq!(
            forged.stamp(KeyKind::Secret),
            Some(stamp),
            "the forgery is located"
        );
        let (real_id, forged_id) = (real.row_id(KeyKind::Secret), forged.row_id(KeyKind::Secret));
        assert_eq!(real_id[..8], forged_id[..8]);
        assert_ne!(
            real_id, forged_id,
            "without the random bits no row is named"
        );
    }

    #[test]
    fn keys_of_other_kinds_and_older_keys_keep_the_plain_hash() {
        let receipt = Key::mint(KeyKind::Receipt).unwrap();
        assert!(receipt.stamp(KeyKind::Receipt).is_some());
        assert_eq!(
            receipt.stamp(KeyKind::Secret),
            None,
            "a receipt key is not located as a secret key"
        );
        assert_eq!(
            receipt.row_id(KeyKind::Secret),
            plain_hash(&receipt, KeyKind::Secret)
        );
        for _ in 0..100 {
            let older = Key::generate().unwrap();
            for kind in [KeyKind::Secret, KeyKind::Receipt, KeyKind::Token] {
                assert_eq!(older.row_id(kind), plain_hash(&older, kind));
            }
        }
        // Keys of another length (another server's, or hand-made) are never located.
        let short = Key::parse(&"k".repeat(31)).unwrap();
        assert_eq!(
            short.row_id(KeyKind::Secret),
            plain_hash(&short, KeyKind::Secret)
        );
        let token = Key::mint(KeyKind::Token).unwrap();
        assert_eq!(
            token.row_id(KeyKind::Token),
            plain_hash(&token, KeyKind::Token)
        );
    }

    #[test]
    fn row_ids_depend_on_purpose_and_debug_hides_the_key() {
        let key = Key::generate().unwrap();
        assert_ne!(key.row_id(KeyKind::Secret), key.row_id(KeyKind::Receipt));
        assert!(!format!("{key:?}").contains(key.expose()));
        let id = key_id(&key.row_id(KeyKind::Secret));
        assert_eq!(id.len(), KEY_ID_LEN);
        assert!(!key.expose().contains(&id));
    }
}
