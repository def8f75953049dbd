//! The v1 API (prefix `/api/v1`): form-encoded requests, flat JSON answers (reference §3, §4).
//!
//! Requests serialize with `serde_urlencoded` (what the client sends) and deserialize from
//! form, query or JSON parameters (what a relay reads). Secret fields go through
//! [`crate::secret::serialize_exposed`], the only place they leave their wrapper.
//!
//! | call | path | request | 200 answer |
//! |---|---|---|---|
//! | status | `GET status` | — | [`StatusResponse`] |
//! | authcheck | `GET authcheck` | — (Basic auth) | [`StatusResponse`] |
//! | share | `POST share` | [`ShareRequest`] | [`Receipt`] |
//! | generate | `POST generate` | [`GenerateRequest`] | [`Receipt`] with `value` |
//! | reveal | `POST secret/KEY` | [`RevealRequest`] | [`RevealResponse`] |
//! | receipt | `POST private/KEY` | — | [`Receipt`] |
//! | burn | `POST private/KEY/burn` | [`BurnRequest`] | [`BurnResponse`] |
//! | recent | `GET private/recent` | — (Basic auth) | `Vec<Receipt>` |
//!
//! Every error is HTTP 404 with an [`ErrorBody`].

mod receipt;

pub use receipt::Receipt;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{
    lenient,
    secret::{key_hint, serialize_exposed, serialize_exposed_opt, KeyHint},
    SecretText,
};

/// Path of every v1 call, relative to the server base URL.
pub const PREFIX: &str = "api/v1/";

/// `POST /share` (alias `/create`): store a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareRequest {
    /// The secret text; non-empty, at most [`crate::limits::MAX_SECRET_BYTES`] bytes.
    #[serde(serialize_with = "serialize_exposed")]
    pub secret: SecretText,
    /// Optional passphrase the recipient must give.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub passphrase: Option<SecretText>,
    /// Requested lifetime in seconds; servers clamp, never reject (read back `ttl`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "lenient::param"
    )]
    pub ttl: Option<u64>,
    /// Email address to send the link to (authenticated callers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Custom domain to mint the links on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_domain: Option<String>,
    /// Hushlink extension ([`crate::note`]): a line shown to the recipient before they open
    /// the secret. Set it only for Hushlink relays; Onetime servers ignore the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_note: Option<String>,
}

impl ShareRequest {
    /// A share of `secret` with no passphrase, the server's default TTL and no recipient.
    pub fn new(secret: SecretText) -> Self {
        Self {
            secret,
            passphrase: None,
            ttl: None,
            recipient: None,
            share_domain: None,
            sender_note: None,
        }
    }
}

/// `POST /generate`: let the server create a random password and store it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateRequest {
    /// Optional passphrase the recipient must give.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub passphrase: Option<SecretText>,
    /// Requested lifetime in seconds.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "lenient::param"
    )]
    pub ttl: Option<u64>,
    /// Email address to send the link to (authenticated callers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Generated password length (HEAD only; default 12, max 128).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "lenient::param"
    )]
    pub length: Option<u64>,
    /// Custom domain to mint the links on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_domain: Option<String>,
}

/// `POST /secret/KEY`: reveal (and so consume) a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealRequest {
    /// Required iff the secret has one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub passphrase: Option<SecretText>,
    /// Always `true`: v1 servers force it, v2-style handlers need it to actually reveal.
    #[serde(
        rename = "continue",
        default = "yes",
        deserialize_with = "lenient_true"
    )]
    pub continue_: bool,
}

/// `POST /private/KEY/burn`: destroy a secret before it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BurnRequest {
    /// Required iff the secret has one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub passphrase: Option<SecretText>,
    /// Always `true` (see [`RevealRequest::continue_`]).
    #[serde(
        rename = "continue",
        default = "yes",
        deserialize_with = "lenient_true"
    )]
    pub continue_: bool,
}

impl RevealRequest {
    /// A reveal with an optional passphrase.
    pub fn new(passphrase: Option<SecretText>) -> Self {
        Self {
            passphrase,
            continue_: true,
        }
    }
}

impl BurnRequest {
    /// A burn with an optional passphrase.
    pub fn new(passphrase: Option<SecretText>) -> Self {
        Self {
            passphrase,
            continue_: true,
        }
    }
}

fn yes() -> bool {
    true
}

fn lenient_true<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(lenient::deserialize::<_, Option<bool>>(d)?.unwrap_or(true))
}

/// `GET /status` and `GET /authcheck`: `{"status":"nominal","locale":"en"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusResponse {
    /// `"nominal"` when the server is healthy.
    pub status: String,
    /// Message language; older servers omit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

impl StatusResponse {
    /// The healthy answer.
    pub fn nominal() -> Self {
        Self {
            status: "nominal".into(),
            locale: Some("en".into()),
        }
    }

    /// Whether the server says it is healthy (clients compare `status == "nominal"`).
    pub fn is_nominal(&self) -> bool {
        self.status == "nominal"
    }
}

/// `POST /secret/KEY` success: the secret, once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealResponse {
    /// The plaintext (or a `hushlink-e2e:v1:` ciphertext on end-to-end links).
    #[serde(serialize_with = "serialize_exposed")]
    pub value: SecretText,
    /// The key that was revealed.
    #[serde(default)]
    pub secret_key: String,
    /// Scheme + host the secret was shared on (unlike the receipt field, a full origin).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub share_domain: Option<String>,
}

/// `POST /private/KEY/burn` success: the receipt nested under `state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BurnResponse {
    /// The receipt. HEAD may serialize the pre-burn copy (`state:"new"`); a relay sends the
    /// post-burn one (`state:"burned"`).
    pub state: Receipt,
    /// First 8 characters of the secret key (6 on v0.23).
    #[serde(default, with = "lenient")]
    pub secret_shortkey: Option<String>,
}

/// Every v1 error body (always HTTP 404).
///
/// Unknown routes use `error` instead of `message` (`{"error":"Not Found"}`); v0.23 adds a
/// `shrimp` CSRF token, which is ignored.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error text; see [`crate::errors`].
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub message: Option<String>,
    /// On `Unknown secret`: the key from the request path.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub secret_key: Option<String>,
    /// On an unknown route: `Not Found`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub error: Option<String>,
}

impl ErrorBody {
    /// `{"message": TEXT}`.
    pub fn message(text: impl Into<String>) -> Self {
        Self {
            message: Some(text.into()),
            ..Self::default()
        }
    }

    /// `{"message":"Unknown secret","secret_key": KEY}`.
    pub fn unknown_secret(key: impl Into<String>) -> Self {
        Self {
            message: Some(crate::errors::UNKNOWN_SECRET.into()),
            secret_key: Some(key.into()),
            error: None,
        }
    }

    /// `{"error":"Not Found"}` for a route that does not exist.
    pub fn route_not_found() -> Self {
        Self {
            error: Some(crate::errors::NOT_FOUND.into()),
            ..Self::default()
        }
    }

    /// The text to classify: `message`, else `error`.
    pub fn text(&self) -> Option<&str> {
        self.message.as_deref().or(self.error.as_deref())
    }
}

/// The key is shown shortened and the value redacted.
impl fmt::Debug for RevealResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RevealResponse")
            .field("value", &self.value)
            .field("secret_key", &KeyHint(&self.secret_key))
            .field("share_domain", &self.share_domain)
            .finish()
    }
}

/// The echoed key is shown shortened.
impl fmt::Debug for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorBody")
            .field("message", &self.message)
            .field("secret_key", &key_hint(&self.secret_key))
            .field("error", &self.error)
            .finish()
    }
}
