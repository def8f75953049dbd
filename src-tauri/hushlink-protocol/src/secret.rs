//! [`SecretText`]: a secret value, passphrase or API token held in memory.
//!
//! The wrapper exists so that a secret cannot reach a log line, a `Debug` dump, an error
//! message or a JSON body by accident. Reading the text takes an explicit
//! [`SecretText::expose`]; putting it on the wire takes an explicit
//! `#[serde(serialize_with = "...")]` with [`serialize_exposed`] or
//! [`serialize_exposed_opt`], which only the request and response types of this crate use.
//! `SecretText` deliberately does not implement `Serialize`, so any other attempt to serialize
//! it fails at compile time.

use std::fmt;

use serde::{Deserialize, Deserializer, Serializer};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Text that must stay secret: overwritten with zeros when dropped, printed as `[redacted]`.
#[derive(Clone, Default, Zeroize, ZeroizeOnDrop)]
pub struct SecretText(String);

/// What `Debug` and `Display` print instead of the text.
pub const REDACTED: &str = "[redacted]";

impl SecretText {
    /// Wraps `text`; the `String` is moved, not copied.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The secret text. Every call site is a place where the secret leaves the wrapper.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Length in bytes (UTF-8), which is what the server's size limit counts.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretText {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<&str> for SecretText {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Byte-wise comparison. Not constant-time: compare passphrase *hashes*, not `SecretText`s,
/// where timing matters (the relay).
impl PartialEq for SecretText {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for SecretText {}

/// Reading a secret from the wire is fine: the `String` serde builds is moved in, not copied.
impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

/// `Debug` helper for keys, which are bearer credentials: shows the first 8 characters
/// (the short key servers show anyway) and an ellipsis.
pub struct KeyHint<'a>(pub &'a str);

impl fmt::Debug for KeyHint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.get(..crate::limits::SHORTKEY_LEN) {
            Some(short) if short.len() < self.0.len() => write!(f, "\"{short}…\""),
            _ => write!(f, "{:?}", self.0),
        }
    }
}

/// `Debug` of an optional key through [`KeyHint`].
pub(crate) fn key_hint(key: &Option<String>) -> Option<KeyHint<'_>> {
    key.as_deref().map(KeyHint)
}

/// `serialize_with` helper that writes the secret text itself. Use it only on wire types.
pub fn serialize_exposed<S: Serializer>(
    text: &SecretText,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(text.expose())
}

/// `serialize_with` helper for `Option<SecretText>` fields; pair it with
/// `skip_serializing_if = "Option::is_none"` unless the field must appear as `null`.
pub fn serialize_exposed_opt<S: Serializer>(
    text: &Option<SecretText>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match text {
        Some(text) => serializer.serialize_some(text.expose()),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_text() {
        let secret = SecretText::new("hunter2");
        assert_eq!(format!("{secret:?}"), REDACTED);
        assert_eq!(format!("{secret}"), REDACTED);
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some([redacted])");
        assert_eq!(
            secret.expose(),
            "hunter2",
            "expose is the one way to read it"
        );
    }
}
