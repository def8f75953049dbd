//! The v2 API (prefix `/api/v2`) as far as Hushlink uses it (reference §5).
//!
//! Hushlink speaks v1 for every call; v2 serves one purpose: `POST /api/v2/secret/status`,
//! which reports the state of many secrets in one request, so the tracker can poll cheaply
//! where a server offers it. The record types decode both HEAD's native JSON types and the
//! all-strings form of v0.23 and older.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{
    lenient,
    secret::{key_hint, serialize_exposed_opt, KeyHint},
    SecretText, State,
};

/// Path of every v2 call, relative to the server base URL.
pub const PREFIX: &str = "api/v2/";

/// `GET /api/v2/status`: `{"success":true,"status":"nominal","locale":"en"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusResponse {
    /// Envelope flag; absent on some versions.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub success: Option<bool>,
    /// `"nominal"` when healthy.
    pub status: String,
    /// Message language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// `GET /api/v2/version`: the server's release. v0.23.6 answers
/// `{"locale":"en","version":["0","23","6"]}` to anyone; current servers add
/// `"success":true` and answer only with credentials. Parts may be strings or numbers; a
/// part that is not a number counts by its leading digits (`"6-rc1"` is 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionResponse {
    /// `[major, minor, patch, …]`.
    #[serde(deserialize_with = "version_parts")]
    pub version: Vec<u64>,
    /// Message language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

impl VersionResponse {
    /// `(major, minor)`, when the server gave at least two parts.
    pub fn major_minor(&self) -> Option<(u64, u64)> {
        match self.version[..] {
            [major, minor, ..] => Some((major, minor)),
            _ => None,
        }
    }
}

fn version_parts<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Part {
        Number(u64),
        Text(String),
    }
    let parts = Vec::<Part>::deserialize(d)?;
    Ok(parts
        .into_iter()
        .map(|part| match part {
            Part::Number(n) => n,
            Part::Text(text) => {
                let digits: String = text
                    .trim()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                digits.parse().unwrap_or(0)
            }
        })
        .collect())
}

/// The `{"success", "record", "details"}` envelope of single-record v2 answers
/// (`GET /secret/KEY/status`, `GET /receipt/KEY`, burn). `details` is ignored on the way in
/// and not written on the way out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope<R> {
    /// Envelope flag; absent on v3-style and status answers.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub success: Option<bool>,
    /// The record.
    pub record: R,
}

/// A v2 receipt record (`Receipt#safe_dump`, reference §5.2): the fields a tracker uses.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptRecord {
    /// The metadata (receipt) key.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub identifier: Option<String>,
    /// The metadata key (older servers).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub key: Option<String>,
    /// Receipt state (v2 names).
    #[serde(default)]
    pub state: State,
    /// The secret key; dropped once the secret is consumed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub secret_identifier: Option<String>,
    /// Granted secret lifetime in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub secret_ttl: Option<u64>,
    /// Granted receipt lifetime in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub receipt_ttl: Option<u64>,
    /// Unix seconds (float epochs truncated).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub created: Option<u64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub updated: Option<u64>,
    /// When the secret was revealed (`revealed`, legacy `received`), Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub revealed: Option<u64>,
    /// Legacy name of `revealed`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub received: Option<u64>,
    /// When the secret was burned, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub burned: Option<u64>,
    /// Whether a passphrase protects the secret.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub has_passphrase: Option<bool>,
    /// Any terminal state.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub is_destroyed: Option<bool>,
    /// Obscured recipients (`", "`-joined string on the wire).
    #[serde(default, with = "lenient")]
    pub recipients: Vec<String>,
    /// Custom domain used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub share_domain: Option<String>,
    /// `https://HOST/secret/KEY` (on `GET /receipt/KEY`).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub share_url: Option<String>,
    /// `https://HOST/receipt/KEY` (on `GET /receipt/KEY`).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub receipt_url: Option<String>,
}

/// `POST /api/v2/secret/status` request: comma-separated secret keys.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretStatusBatchRequest {
    /// `key1,key2,...`. Servers lowercase and strip each to `[a-z0-9]`.
    pub identifiers: String,
}

impl SecretStatusBatchRequest {
    /// Joins `keys` with commas.
    pub fn new<'a>(keys: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            identifiers: keys.into_iter().collect::<Vec<_>>().join(","),
        }
    }

    /// The keys, split the way a server splits them (empty items dropped).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.identifiers
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
    }
}

/// `POST /api/v2/secret/status` answer. Secrets that no longer exist (revealed, burned,
/// expired, or never existed) are simply absent from `records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretStatusBatchResponse {
    /// One record per secret that still exists.
    #[serde(default)]
    pub records: Vec<SecretRecord>,
    /// `records.len()` as the server counted it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub count: Option<u64>,
}

/// A v2 secret record (`Secret#safe_dump`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretRecord {
    /// The secret key (HEAD).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub identifier: Option<String>,
    /// The secret key (older servers; HEAD sends both).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub key: Option<String>,
    /// First 8 characters of the key.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub shortid: Option<String>,
    /// Secret state (v2 names: `new`, `shared`, `previewed`, `revealed`, ...).
    #[serde(default)]
    pub state: State,
    /// Granted lifetime in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub lifespan: Option<u64>,
    /// Granted lifetime in seconds (v2 meaning; not the remaining time).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub secret_ttl: Option<u64>,
    /// Whether a passphrase protects it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub has_passphrase: Option<bool>,
    /// Unix seconds (HEAD may send a float; truncated).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub created: Option<u64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub updated: Option<u64>,
    /// The recipient opened the link page.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub is_previewed: Option<bool>,
    /// The secret was revealed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub is_revealed: Option<bool>,
    /// Legacy alias of `is_previewed`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub is_viewed: Option<bool>,
    /// Legacy alias of `is_revealed`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub is_received: Option<bool>,
    /// Plaintext, only on a winning reveal.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub secret_value: Option<SecretText>,
}

impl SecretRecord {
    /// The secret key from `identifier`, else `key`.
    pub fn secret_key(&self) -> Option<&str> {
        self.identifier.as_deref().or(self.key.as_deref())
    }
}

/// Body of a v2 error (ADR-013): `{"error":TEXT,"error_type":CLASS,...}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Human text; may be absent on 404 `RecordNotFound`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub error: Option<String>,
    /// Error class: `RecordNotFound`, `LimitExceeded`, `Unauthorized`, ...
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub error_type: Option<String>,
    /// Extra text (Otto's 401 body).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub message: Option<String>,
    /// Seconds to wait (429).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub retry_after: Option<u64>,
    /// Machine code (guest gate, undecryptable secret).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub code: Option<String>,
}

/// Keys are shown shortened: they are bearer credentials.
impl fmt::Debug for SecretStatusBatchRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.keys().map(KeyHint)).finish()
    }
}

/// Keys are shown shortened, the value redacted.
impl fmt::Debug for SecretRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretRecord")
            .field("identifier", &key_hint(&self.identifier))
            .field("key", &key_hint(&self.key))
            .field("shortid", &self.shortid)
            .field("state", &self.state)
            .field("lifespan", &self.lifespan)
            .field("secret_ttl", &self.secret_ttl)
            .field("has_passphrase", &self.has_passphrase)
            .field("created", &self.created)
            .field("updated", &self.updated)
            .field("is_previewed", &self.is_previewed)
            .field("is_revealed", &self.is_revealed)
            .field("is_viewed", &self.is_viewed)
            .field("is_received", &self.is_received)
            .field("secret_value", &self.secret_value)
            .finish()
    }
}

/// Keys and links are shown shortened.
impl fmt::Debug for ReceiptRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let link = |l: &Option<String>| l.as_ref().map(|_| "[link]");
        f.debug_struct("ReceiptRecord")
            .field("identifier", &key_hint(&self.identifier))
            .field("key", &key_hint(&self.key))
            .field("state", &self.state)
            .field("secret_identifier", &key_hint(&self.secret_identifier))
            .field("secret_ttl", &self.secret_ttl)
            .field("receipt_ttl", &self.receipt_ttl)
            .field("created", &self.created)
            .field("updated", &self.updated)
            .field("revealed", &self.revealed)
            .field("received", &self.received)
            .field("burned", &self.burned)
            .field("has_passphrase", &self.has_passphrase)
            .field("is_destroyed", &self.is_destroyed)
            .field("recipients", &self.recipients)
            .field("share_domain", &self.share_domain)
            .field("share_url", &link(&self.share_url))
            .field("receipt_url", &link(&self.receipt_url))
            .finish()
    }
}
