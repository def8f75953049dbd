//! Share and receipt links: parse any link a person may paste, and build links back.
//!
//! Accepted shapes (reference §7), on any origin (hosted regions, custom domains with an
//! optional path prefix and port, `http://IP:PORT` LAN relays including IPv6 literals):
//!
//! - `ORIGIN[/PREFIX]/secret/KEY` — a share link (what the recipient opens);
//! - `ORIGIN[/PREFIX]/private/KEY`, `/receipt/KEY`, `/receipt/KEY/burn`, `/metadata/KEY` — a
//!   receipt link (what the sender keeps);
//! - the same under `/api/v1` or `/api/v2` (the prefix is dropped from the base);
//! - any of these with `#FRAGMENT`: the end-to-end key of a Hushlink relay link.
//!
//! The query string is ignored. [`Link::to_url`] builds `/secret/KEY` and `/receipt/KEY`.
//! Error messages never repeat the link, since it carries a bearer key.

use std::{fmt, str::FromStr};

use url::Url;

use crate::{limits, KeyRule, SecretText};

/// Which page a link opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `/secret/KEY`: reveals the secret once. KEY is the secret key.
    Secret,
    /// `/receipt/KEY` (or `/private/KEY`): status and burn. KEY is the metadata key.
    Receipt,
}

/// A parsed share or receipt link.
#[derive(Clone, PartialEq, Eq)]
pub struct Link {
    /// Server base URL: scheme, host, port and path prefix, always ending in `/`, with no
    /// query, fragment or credentials. The API lives at `base` + `api/v1/`.
    pub base: Url,
    /// Share link or receipt link.
    pub kind: LinkKind,
    /// Secret key (share link) or metadata key (receipt link). A bearer credential.
    pub key: String,
    /// The `#fragment`, if any: the end-to-end decryption key of a Hushlink relay link.
    pub fragment: Option<SecretText>,
}

/// Why a text is not a usable link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// No `scheme://` in front (for example `example.com/secret/KEY`).
    #[error("not a link: it must start with https:// (or http:// for a relay on your network)")]
    MissingScheme,
    /// The URL parser refused it.
    #[error("not a valid link: {0}")]
    Invalid(url::ParseError),
    /// A scheme other than `http` or `https`.
    #[error("links must start with https:// or http://, not {0}://")]
    UnsupportedScheme(String),
    /// A URL without a host.
    #[error("the link has no server name")]
    MissingHost,
    /// `user:password@` in the link: refused so credentials are never sent by accident.
    #[error("the link contains a user name or password; remove them and try again")]
    HasCredentials,
    /// The path is not `/secret/KEY`, `/private/KEY` or `/receipt/KEY`.
    #[error(
        "the link does not point to a secret or a receipt (expected /secret/KEY or /receipt/KEY)"
    )]
    NotASecretLink,
    /// The key segment is too short, too long, or has characters keys never have
    /// ([`KeyRule::Link`]).
    #[error("the key in the link is malformed: {0}")]
    InvalidKey(crate::KeyError),
}

impl Link {
    /// A share link for `key` on the server at `base`.
    pub fn secret(base: &Url, key: impl Into<String>) -> Result<Self, LinkError> {
        Self::build(base, LinkKind::Secret, key.into())
    }

    /// A receipt link for `metadata_key` on the server at `base`.
    pub fn receipt(base: &Url, metadata_key: impl Into<String>) -> Result<Self, LinkError> {
        Self::build(base, LinkKind::Receipt, metadata_key.into())
    }

    fn build(base: &Url, kind: LinkKind, key: String) -> Result<Self, LinkError> {
        check_key(&key)?;
        Ok(Self {
            base: normalize_base(base)?,
            kind,
            key,
            fragment: None,
        })
    }

    /// The same link carrying an end-to-end key in its fragment.
    pub fn with_fragment(mut self, fragment: SecretText) -> Self {
        self.fragment = (!fragment.is_empty()).then_some(fragment);
        self
    }

    /// Parses a pasted link (surrounding whitespace is ignored).
    pub fn parse(text: &str) -> Result<Self, LinkError> {
        let url = Url::parse(text.trim()).map_err(|e| match e {
            url::ParseError::RelativeUrlWithoutBase => LinkError::MissingScheme,
            other => LinkError::Invalid(other),
        })?;
        let base = normalize_base(&url)?;
        let segments: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|seg| !seg.is_empty()).collect())
            .unwrap_or_default();
        let (marker_at, kind) = find_marker(&segments).ok_or(LinkError::NotASecretLink)?;
        let key = segments[marker_at + 1];
        check_key(key)?;
        let mut prefix = &segments[..marker_at];
        if let [rest @ .., "api", "v1" | "v2" | "v3"] = prefix {
            prefix = rest;
        }
        let mut base = base;
        base.set_path(&format!(
            "/{}",
            prefix.iter().map(|s| format!("{s}/")).collect::<String>()
        ));
        let fragment = url
            .fragment()
            .filter(|f| !f.is_empty())
            .map(SecretText::from);
        Ok(Self {
            base,
            kind,
            key: key.to_owned(),
            fragment,
        })
    }

    /// The page path under `base`: `secret/KEY` or `receipt/KEY`.
    pub fn page_path(&self) -> String {
        match self.kind {
            LinkKind::Secret => format!("secret/{}", self.key),
            LinkKind::Receipt => format!("receipt/{}", self.key),
        }
    }

    /// The full link, fragment included. Treat the result as secret: it grants access.
    pub fn to_url(&self) -> Url {
        let mut url = self.base.clone();
        url.set_path(&format!("{}{}", self.base.path(), self.page_path()));
        url.set_fragment(self.fragment.as_ref().map(SecretText::expose));
        url
    }

    /// The first [`limits::SHORTKEY_LEN`] characters of the key, safe to show and log.
    pub fn short_key(&self) -> &str {
        let end = self.key.len().min(limits::SHORTKEY_LEN);
        &self.key[..end]
    }
}

/// Shows only the short key, so links can be logged without handing out access.
impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Link")
            .field("base", &self.base.as_str())
            .field("kind", &self.kind)
            .field("key", &format_args!("{}…", self.short_key()))
            .field("fragment", &self.fragment)
            .finish()
    }
}

impl FromStr for Link {
    type Err = LinkError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Checks a server base URL and puts it in canonical form: `http`/`https`, a host, no
/// credentials, no query or fragment, path ending in `/`.
pub fn normalize_base(url: &Url) -> Result<Url, LinkError> {
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(LinkError::UnsupportedScheme(other.to_owned())),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(LinkError::MissingHost);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(LinkError::HasCredentials);
    }
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    Ok(base)
}

/// Index of the `secret`/`private`/`receipt`/`metadata` segment and the link kind. The last
/// marker followed by a key wins, so a prefix such as `/secret/` on a custom domain works;
/// a receipt may be followed by `burn` (the burn page).
fn find_marker(segments: &[&str]) -> Option<(usize, LinkKind)> {
    (0..segments.len().saturating_sub(1)).rev().find_map(|i| {
        let kind = match segments[i] {
            "secret" => LinkKind::Secret,
            "private" | "receipt" | "metadata" => LinkKind::Receipt,
            _ => return None,
        };
        let tail = &segments[i + 2..];
        let tail_ok = tail.is_empty() || (kind == LinkKind::Receipt && tail == ["burn"]);
        tail_ok.then_some((i, kind))
    })
}

fn check_key(key: &str) -> Result<(), LinkError> {
    KeyRule::Link.check(key).map_err(LinkError::InvalidKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_domain_with_prefix_and_port() {
        let link = Link::parse("https://secrets.example.com:8443/ots/secret/abcdefgh12345678#k3y")
            .unwrap();
        assert_eq!(link.base.as_str(), "https://secrets.example.com:8443/ots/");
        assert_eq!(link.kind, LinkKind::Secret);
        assert_eq!(link.key, "abcdefgh12345678");
        assert_eq!(link.fragment.as_ref().map(SecretText::expose), Some("k3y"));
        assert_eq!(
            link.to_url().as_str(),
            "https://secrets.example.com:8443/ots/secret/abcdefgh12345678#k3y"
        );
    }

    #[test]
    fn debug_hides_the_key_and_fragment() {
        let link = Link::parse("http://[fd00::1]:7000/receipt/abcdefgh12345678/burn#k3y").unwrap();
        let debug = format!("{link:?}");
        assert!(
            !debug.contains("12345678") && !debug.contains("k3y"),
            "{debug}"
        );
    }
}
