//! One-time invites to a Hushlink relay: the link, the sealed details and the accept call.
//!
//! An invite link is `ORIGIN/invite/KEY#FRAGMENT`:
//!
//! - `KEY` (a relay key: 50 lowercase base-36 digits) names the invite on the relay, which
//!   stores only a hash of it;
//! - `FRAGMENT` is base64url-no-pad of a fresh 32-byte AES-256-GCM key. Browsers and the
//!   client never send a fragment, so the relay and the network never see it.
//!
//! `POST ORIGIN/api/v2/invite/KEY/accept` answers [`AcceptResponse`] exactly once: `sealed` is
//! base64url-no-pad(nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)), AES-256-GCM with the
//! fragment key over the JSON of [`InvitePayload`], with [`AAD`] as associated data. Later
//! calls, and calls for an expired or withdrawn invite, answer [`InviteErrorBody`] (HTTP 410;
//! 404 for an unknown key). The relay seals, the client opens, both with `seal` (feature
//! `seal`); neither ever changes this format (a new one gets a new [`AAD`]).

use serde::{Deserialize, Serialize};
use url::Url;

use crate::secret::{serialize_exposed, SecretText};
use crate::KeyRule;

#[cfg(feature = "seal")]
mod seal;
#[cfg(feature = "seal")]
pub use seal::{open, open_text, seal, to_text, SealError, SealKey};

/// Associated data of the sealed payload: names the format, so a blob sealed for another
/// purpose under the same key cannot pass as an invite.
pub const AAD: &[u8] = b"hushlink-invite/v1";
/// Length of the fragment key in bytes.
pub const KEY_BYTES: usize = 32;
/// Length of the AES-GCM nonce in bytes.
pub const NONCE_BYTES: usize = 12;
/// Length of the AES-GCM tag in bytes.
pub const TAG_BYTES: usize = 16;
/// The path segment before the invite key.
pub const PATH: &str = "invite";

/// What an invite carries, sealed: where the relay is, and the token that lets its holder
/// create secrets there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitePayload {
    /// The relay's display name (its configured name, else its host name).
    pub name: String,
    /// The relay's plain-HTTP origin, `http://HOST:PORT` (what recipients' links use).
    pub origin: String,
    /// The relay's HTTPS port on the same host, when it serves one.
    #[serde(default)]
    pub https_port: Option<u16>,
    /// SHA-256 of the relay's TLS certificate (DER), 64 lowercase hex digits, to pin.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// The token's name: the HTTP Basic user name.
    pub token_name: String,
    /// The token: the HTTP Basic password.
    #[serde(serialize_with = "serialize_exposed")]
    pub token: SecretText,
}

/// The answer to a successful accept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptResponse {
    /// Always `true`.
    pub success: bool,
    /// The sealed [`InvitePayload`] (see the module docs).
    pub sealed: String,
}

/// Why an accept failed, as the relay says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteErrorType {
    /// No invite has this key (or the link is mistyped). HTTP 404.
    InviteNotFound,
    /// The invite was already accepted once. HTTP 410.
    InviteUsed,
    /// The relay's owner withdrew the invite (or revoked its token). HTTP 410.
    InviteWithdrawn,
    /// The invite was not accepted in time. HTTP 410.
    InviteExpired,
}

/// The body of a failed accept (the v2 error shape plus a sentence for a person).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteErrorBody {
    /// Short title, e.g. `Invite already used`.
    pub error: String,
    /// What happened, for programs.
    pub error_type: InviteErrorType,
    /// What happened and what to do, for people.
    pub message: String,
}

/// A parsed invite link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteLink {
    /// The relay's origin, ending in `/` (no path, query or fragment).
    pub base: Url,
    /// The invite key (path segment).
    pub key: String,
    /// The fragment: base64url of the key that opens the sealed payload.
    pub fragment: SecretText,
}

/// Why a text is not an invite link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InviteLinkError {
    /// Not an absolute `http://` or `https://` URL.
    #[error("not a web address; paste the whole invite link")]
    NotUrl,
    /// The path is not `/invite/KEY`.
    #[error("not an invite link: it should contain /invite/ followed by a key")]
    NotInvite,
    /// The part after `#` is missing: the link was cut short.
    #[error("the invite link is incomplete: the part after # is missing")]
    MissingFragment,
}

impl InviteLink {
    /// Parses `ORIGIN/invite/KEY#FRAGMENT` (surrounding white space is ignored). The key
    /// and fragment are only checked for shape here; the relay and the decryption judge them.
    pub fn parse(text: &str) -> Result<Self, InviteLinkError> {
        let url = Url::parse(text.trim()).map_err(|_| InviteLinkError::NotUrl)?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(InviteLinkError::NotUrl);
        }
        let mut segments = url.path_segments().ok_or(InviteLinkError::NotInvite)?;
        let key = match (segments.next(), segments.next(), segments.next()) {
            (Some(PATH), Some(key), None | Some("")) if is_key(key) => key.to_owned(),
            _ => return Err(InviteLinkError::NotInvite),
        };
        let fragment = url
            .fragment()
            .filter(|f| !f.is_empty())
            .ok_or(InviteLinkError::MissingFragment)?;
        let fragment = SecretText::new(fragment);
        let mut base = url;
        base.set_fragment(None);
        base.set_query(None);
        base.set_path("/");
        Ok(Self {
            base,
            key,
            fragment,
        })
    }

    /// The link as text: `ORIGIN/invite/KEY#FRAGMENT`. It grants a token: show it only to
    /// the person it is for.
    pub fn expose(&self) -> String {
        format!(
            "{}{PATH}/{}#{}",
            self.base,
            self.key,
            self.fragment.expose()
        )
    }

    /// Where to accept it: `ORIGIN/api/v2/invite/KEY/accept`.
    pub fn accept_url(&self) -> Result<Url, url::ParseError> {
        self.base
            .join(&format!("api/v2/{PATH}/{}/accept", self.key))
    }
}

/// Invite keys are relay keys ([`KeyRule::Relay`]).
fn is_key(text: &str) -> bool {
    KeyRule::Relay.check(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "4m1zq0c8abcdefghijklmnopqrstuvwxyz0123456789abcdef";

    #[test]
    fn a_link_parses_into_origin_key_and_fragment_and_back() {
        let text = format!("http://10.0.0.5:7143/invite/{KEY}#c2VjcmV0LWtleQ");
        let link = InviteLink::parse(&format!("  {text}\n")).unwrap();
        assert_eq!(link.base.as_str(), "http://10.0.0.5:7143/");
        assert_eq!(link.key, KEY);
        assert_eq!(link.fragment.expose(), "c2VjcmV0LWtleQ");
        assert_eq!(link.expose(), text, "round trip");
        assert_eq!(
            link.accept_url().unwrap().as_str(),
            format!("http://10.0.0.5:7143/api/v2/invite/{KEY}/accept")
        );
        assert!(
            !format!("{link:?}").contains("c2VjcmV0"),
            "Debug hides the fragment"
        );
    }

    #[test]
    fn cut_or_foreign_links_are_refused_with_their_reason() {
        let parse = |t: &str| InviteLink::parse(t).unwrap_err();
        assert_eq!(
            parse(&format!("http://h:1/invite/{KEY}")),
            InviteLinkError::MissingFragment
        );
        assert_eq!(
            parse(&format!("http://h:1/invite/{KEY}#")),
            InviteLinkError::MissingFragment
        );
        assert_eq!(
            parse(&format!("http://h:1/secret/{KEY}#k")),
            InviteLinkError::NotInvite
        );
        assert_eq!(
            parse("http://h:1/invite/SHOUTING-KEY-NOT-OURS#k"),
            InviteLinkError::NotInvite
        );
        assert_eq!(parse(&format!("invite/{KEY}#k")), InviteLinkError::NotUrl);
        assert_eq!(
            parse(&format!("ftp://h/invite/{KEY}#k")),
            InviteLinkError::NotUrl
        );
    }

    #[test]
    fn the_payload_serializes_the_token_only_on_purpose() {
        let payload = InvitePayload {
            name: "Front office".into(),
            origin: "http://10.0.0.5:7143".into(),
            https_port: Some(7144),
            fingerprint: None,
            token_name: "alice".into(),
            token: SecretText::new("tok-SECRET"),
        };
        let json = serde_json::to_string(&payload).unwrap();
        assert!(json.contains("\"token\":\"tok-SECRET\""), "{json}");
        let back: InvitePayload = serde_json::from_str(&json).unwrap();
        assert_eq!(back, payload);
        assert!(!format!("{payload:?}").contains("SECRET"));
        let old: InvitePayload = serde_json::from_str(
            r#"{"name":"n","origin":"http://h:1","token_name":"a","token":"t"}"#,
        )
        .unwrap();
        assert_eq!(old.https_port, None, "TLS details are optional");
    }
}
