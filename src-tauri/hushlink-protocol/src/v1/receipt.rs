//! The v1 receipt ("metadata") object (reference §4.9).

use serde::{Deserialize, Serialize};

use std::fmt;

use crate::{
    lenient,
    secret::{key_hint, serialize_exposed_opt, KeyHint},
    SecretText, State,
};

/// The receipt object returned by share, generate, receipt, burn (nested) and recent.
///
/// Every field but `metadata_key` and `state` is optional on the way in, so receipts from
/// v0.12, v0.23 and HEAD servers all decode; integers may arrive as numbers, numeric strings
/// or floats. The HEAD alias block (`identifier`, `receipt_url`, ...) is kept apart from the
/// original names because a server sends both and serde would reject duplicates; use the
/// accessor methods, which read either.
///
/// On the way out (the relay), `secret_ttl` is always written (as `null` when gone) and other
/// `None` fields are left out.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// Caller's email (HEAD) or creator's custid (v0.23); `"anon"` when anonymous.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub custid: Option<String>,
    /// Receipt key: a bearer credential for status and burn. Keep private.
    pub metadata_key: String,
    /// Share key; absent when `received`, `""` after burned, expired or orphaned, and removed
    /// from `recent` items.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub secret_key: Option<String>,
    /// Granted secret lifetime in seconds, fixed at creation.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub ttl: Option<u64>,
    /// Seconds until the receipt itself is deleted (starts at 2 × ttl).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub metadata_ttl: Option<u64>,
    /// Seconds the secret still lives; `null` once it is gone.
    #[serde(default, with = "lenient")]
    pub secret_ttl: Option<u64>,
    /// `<origin>/receipt/<metadata_key>` (HEAD ≥ v0.25 only).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub metadata_url: Option<String>,
    /// Lifecycle state.
    pub state: State,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub created: Option<u64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub updated: Option<u64>,
    /// Reveal time, Unix seconds; only when `state` is `received`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub received: Option<u64>,
    /// Obscured recipient addresses (`ab***@e***.com`); `[]` when none.
    #[serde(default, with = "lenient")]
    pub recipient: Vec<String>,
    /// Custom domain used, or `""`.
    #[serde(default, with = "lenient")]
    pub share_domain: String,
    /// Whether the secret needs a passphrase (share, generate and receipt answers only).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub passphrase_required: Option<bool>,
    /// The generated password (generate, and HEAD's first receipt view within 60 s).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub value: Option<SecretText>,

    /// HEAD alias of `metadata_key`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub identifier: Option<String>,
    /// HEAD alias of `secret_key` (still present on `recent` items).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub secret_identifier: Option<String>,
    /// HEAD alias of `passphrase_required`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub has_passphrase: Option<bool>,
    /// HEAD alias of `recipient`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub recipients: Option<Vec<String>>,
    /// HEAD alias of `metadata_ttl`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub receipt_ttl: Option<u64>,
    /// HEAD alias of `metadata_url`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lenient")]
    pub receipt_url: Option<String>,
    /// HEAD alias of `value`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_exposed_opt"
    )]
    pub secret_value: Option<SecretText>,
}

impl Receipt {
    /// The share key if the secret can still be revealed: `secret_key`, else the alias;
    /// `None` when both are absent or empty.
    pub fn share_key(&self) -> Option<&str> {
        [&self.secret_key, &self.secret_identifier]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .find(|k| !k.is_empty())
    }

    /// The generated password, from `value` or its alias.
    pub fn generated_value(&self) -> Option<&SecretText> {
        self.value.as_ref().or(self.secret_value.as_ref())
    }

    /// `metadata_url`, else its alias.
    pub fn receipt_link(&self) -> Option<&str> {
        self.metadata_url.as_deref().or(self.receipt_url.as_deref())
    }

    /// Whether a passphrase is needed, from either field; `None` when the answer has neither
    /// (`recent` items).
    pub fn needs_passphrase(&self) -> Option<bool> {
        self.passphrase_required.or(self.has_passphrase)
    }

    /// Seconds until the receipt expires, from `metadata_ttl` or its alias.
    pub fn receipt_ttl_secs(&self) -> Option<u64> {
        self.metadata_ttl.or(self.receipt_ttl)
    }

    /// The `recipient` list, else the alias.
    pub fn recipient_list(&self) -> &[String] {
        match (&self.recipient, &self.recipients) {
            (r, Some(alias)) if r.is_empty() => alias,
            (r, _) => r,
        }
    }
}

/// Keys and links are shown shortened: they are bearer credentials.
impl fmt::Debug for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let link = |l: &Option<String>| l.as_ref().map(|_| "[link]");
        f.debug_struct("Receipt")
            .field("custid", &self.custid)
            .field("metadata_key", &KeyHint(&self.metadata_key))
            .field("secret_key", &key_hint(&self.secret_key))
            .field("ttl", &self.ttl)
            .field("metadata_ttl", &self.metadata_ttl)
            .field("secret_ttl", &self.secret_ttl)
            .field("metadata_url", &link(&self.metadata_url))
            .field("state", &self.state)
            .field("created", &self.created)
            .field("updated", &self.updated)
            .field("received", &self.received)
            .field("recipient", &self.recipient)
            .field("share_domain", &self.share_domain)
            .field("passphrase_required", &self.passphrase_required)
            .field("value", &self.value)
            .field("identifier", &key_hint(&self.identifier))
            .field("secret_identifier", &key_hint(&self.secret_identifier))
            .field("has_passphrase", &self.has_passphrase)
            .field("recipients", &self.recipients)
            .field("receipt_ttl", &self.receipt_ttl)
            .field("receipt_url", &link(&self.receipt_url))
            .field("secret_value", &self.secret_value)
            .finish()
    }
}
