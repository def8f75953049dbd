//! Importing a one-time relay invite: [`accept_invite`] takes the link a colleague was given,
//! asks the relay for the sealed invite (which uses it up), and opens it with the key in the
//! link's fragment, which never leaves this process.
//!
//! Format and routes: [`hushlink_protocol::invite`]. The relay answers with ciphertext only,
//! so neither it nor anyone on the network learns the token or the details.

use hushlink_protocol::invite::{
    self, AcceptResponse, InviteErrorBody, InviteErrorType, InviteLink, InviteLinkError,
    InvitePayload,
};
use hushlink_protocol::SecretText;
use url::Url;

use crate::{CertPin, Client, Error, Options, ServerConfig};

/// Largest accept answer read (an invite is well under a kilobyte).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// What an invite grants: where the relay is and the token to use there. Create the server
/// profile from it and put [`Invite::token`] in the keyring.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    /// The relay's display name (its configured name, else its host name).
    pub name: String,
    /// The relay's plain-HTTP origin, `http://HOST:PORT`, without a trailing slash.
    pub origin: String,
    /// The relay's HTTPS port on the same host, when it serves one.
    pub https_port: Option<u16>,
    /// SHA-256 of the relay's TLS certificate, 64 lowercase hex digits, to pin.
    pub fingerprint: Option<String>,
    /// The HTTP Basic user name.
    pub token_name: String,
    /// The HTTP Basic password (`Debug` shows a placeholder).
    pub token: SecretText,
}

impl Invite {
    /// The server profile the invite describes, with its token as credentials. With an HTTPS
    /// port and a fingerprint, calls go to `https://HOST:HTTPS_PORT` accepting only the
    /// pinned certificate, and links keep the plain-HTTP origin recipients' browsers open
    /// ([`ServerConfig::link_base`]); without them, everything uses the origin.
    pub fn server_config(&self) -> Result<ServerConfig, InviteError> {
        let origin: Url = self.origin.parse().map_err(|_| InviteError::Malformed)?;
        let config = match (self.https_port, &self.fingerprint) {
            (Some(port), Some(fingerprint)) => {
                let pin: CertPin = fingerprint.parse().map_err(|_| InviteError::Malformed)?;
                let mut https = origin.clone();
                https
                    .set_scheme("https")
                    .and_then(|()| https.set_port(Some(port)))
                    .map_err(|()| InviteError::Malformed)?;
                ServerConfig::new(https)
                    .with_pinned_cert(pin)
                    .with_link_base(origin)
            }
            _ => ServerConfig::new(origin),
        };
        Ok(config.with_credentials(self.token_name.clone(), self.token.clone()))
    }
}

/// Why an invite could not be imported. Never carries the token or the fragment.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InviteError {
    /// The text is not a whole invite link.
    #[error("{0}")]
    Link(#[from] InviteLinkError),
    /// The relay knows no invite with this key (a mistyped or foreign link).
    #[error("the relay does not know this invite: check that the whole link was pasted")]
    NotFound,
    /// The invite was imported before (by you or by whoever else had the link).
    #[error("this invite was already used; ask for a new one")]
    Used,
    /// The relay's owner withdrew the invite.
    #[error("this invite was withdrawn; ask for a new one")]
    Withdrawn,
    /// Nobody imported the invite in time.
    #[error("this invite has expired; ask for a new one")]
    Expired,
    /// The fragment does not open what the relay sent: the link was altered or cut, or the
    /// relay sent something else. The invite is used up either way.
    #[error(
        "the invite could not be unlocked: the link is damaged, or the relay's answer was altered"
    )]
    Undecryptable,
    /// The invite opened, but its address or fingerprint is unusable (made by a broken relay).
    #[error("the invite's server details are unusable; ask for a new invite")]
    Malformed,
    /// Reaching the relay failed, or it answered something that is not an invite answer.
    #[error(transparent)]
    Client(#[from] Error),
}

impl InviteError {
    /// A stable machine code per variant, for the app's UI to branch on.
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::from(self)
    }
}

/// Accepts the invite at `link` with default [`Options`]: fetches its sealed details once
/// (after this the invite is used up) and decrypts them with the link's fragment.
pub async fn accept_invite(link: &str) -> Result<Invite, InviteError> {
    accept_invite_with(link, Options::default()).await
}

/// [`accept_invite`] with explicit timeouts and transport options (plain `http://` is
/// allowed for LAN hosts only, as for every server).
#[tracing::instrument(skip_all)]
pub async fn accept_invite_with(link: &str, options: Options) -> Result<Invite, InviteError> {
    let link = InviteLink::parse(link)?;
    // An ordinary client of the relay's origin, without credentials: the same transport rules
    // as every call (plain HTTP only to LAN hosts, no redirects, no proxy on the LAN).
    let relay = Client::with_options(ServerConfig::new(link.base.clone()), options)?;
    let path = format!("api/v2/{}/{}/accept", invite::PATH, link.key);
    let (status, body) = relay.post_raw(&path, MAX_ANSWER_BYTES).await?;
    tracing::debug!(status, bytes = body.len(), "invite answer");
    if status == 200 {
        let answer: AcceptResponse = serde_json::from_slice(&body)
            .map_err(|_| not_invite_answer(status, "not an invite answer"))?;
        return open(&answer.sealed, &link.fragment);
    }
    if let Ok(refusal) = serde_json::from_slice::<InviteErrorBody>(&body) {
        return Err(match refusal.error_type {
            InviteErrorType::InviteNotFound => InviteError::NotFound,
            InviteErrorType::InviteUsed => InviteError::Used,
            InviteErrorType::InviteWithdrawn => InviteError::Withdrawn,
            InviteErrorType::InviteExpired => InviteError::Expired,
        });
    }
    Err(match status {
        429 => Error::RateLimited {
            retry_after: response_retry_after(&body),
        },
        500..=599 => Error::ServerError { status },
        404 => Error::Unsupported {
            call: "invites (is this a Hushlink relay?)",
        },
        _ => not_invite_answer(status, "not an invite answer"),
    }
    .into())
}

/// Decrypts the relay's `sealed` answer with the link's `fragment`
/// ([`invite::open_text`], the format's one implementation).
pub fn open(sealed: &str, fragment: &SecretText) -> Result<Invite, InviteError> {
    let payload: InvitePayload =
        invite::open_text(sealed, fragment).map_err(|_| InviteError::Undecryptable)?;
    Ok(Invite {
        name: payload.name,
        origin: payload.origin.trim_end_matches('/').to_owned(),
        https_port: payload.https_port,
        fingerprint: payload.fingerprint,
        token_name: payload.token_name,
        token: payload.token,
    })
}

fn not_invite_answer(status: u16, what: &str) -> Error {
    Error::NotOnetime {
        status,
        excerpt: what.to_owned(),
    }
}

fn response_retry_after(body: &[u8]) -> Option<std::time::Duration> {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()?
        .get("retry_after")?
        .as_u64()
        .map(std::time::Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::{rand_core::RngCore, OsRng};
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use hushlink_protocol::invite::SealKey;

    fn seal(payload: &InvitePayload) -> (String, SecretText) {
        let mut key = [0u8; 32];
        let mut nonce = [0u8; 12];
        OsRng.fill_bytes(&mut key);
        OsRng.fill_bytes(&mut nonce);
        let key = SealKey::from_bytes(key);
        let sealed = invite::seal(payload, &key, nonce).unwrap();
        (invite::to_text(&sealed), key.to_fragment())
    }

    fn payload() -> InvitePayload {
        InvitePayload {
            name: "Front office".into(),
            origin: "http://10.0.0.5:7143".into(),
            https_port: None,
            fingerprint: None,
            token_name: "alice".into(),
            token: SecretText::new("the-token"),
        }
    }

    #[test]
    fn the_fragment_opens_the_sealed_payload() {
        let (sealed, fragment) = seal(&payload());
        let invite = open(&sealed, &fragment).unwrap();
        assert_eq!(invite.token.expose(), "the-token");
        assert_eq!(invite.token_name, "alice");
        assert_eq!(invite.origin, "http://10.0.0.5:7143");
        assert!(
            !format!("{invite:?}").contains("the-token"),
            "Debug hides it"
        );
    }

    #[test]
    fn another_key_or_altered_bytes_do_not_open_it() {
        let (sealed, _) = seal(&payload());
        let (_, other) = seal(&payload());
        assert!(matches!(
            open(&sealed, &other),
            Err(InviteError::Undecryptable)
        ));
        let (sealed, fragment) = seal(&payload());
        let mut bytes = URL_SAFE_NO_PAD.decode(&sealed).unwrap();
        bytes[20] ^= 1;
        assert!(matches!(
            open(&URL_SAFE_NO_PAD.encode(bytes), &fragment),
            Err(InviteError::Undecryptable)
        ));
        assert!(matches!(
            open("not base64 at all!", &fragment),
            Err(InviteError::Undecryptable)
        ));
    }

    #[test]
    fn a_pinned_invite_calls_https_and_links_to_the_plain_origin() {
        let (sealed, fragment) = seal(&InvitePayload {
            https_port: Some(7144),
            fingerprint: Some("ab".repeat(32)),
            ..payload()
        });
        let pinned = open(&sealed, &fragment).unwrap().server_config().unwrap();
        assert_eq!(pinned.base_url.as_str(), "https://10.0.0.5:7144/");
        assert_eq!(
            pinned.link_base.as_ref().map(Url::as_str),
            Some("http://10.0.0.5:7143/")
        );
        assert!(pinned.pinned_cert.is_some());
        assert_eq!(pinned.username.as_deref(), Some("alice"));
        let (sealed, fragment) = seal(&payload());
        let plain = open(&sealed, &fragment).unwrap().server_config().unwrap();
        assert_eq!(plain.base_url.as_str(), "http://10.0.0.5:7143/");
        assert!(plain.pinned_cert.is_none() && plain.link_base.is_none());
        assert_eq!(
            plain.api_token.as_ref().map(SecretText::expose),
            Some("the-token")
        );
    }

    #[tokio::test]
    async fn a_cut_link_is_refused_before_any_request() {
        let err = accept_invite("http://127.0.0.1:9/invite/0123456789abcdefghijklmnop")
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invite_link_invalid", "{err}");
        assert!(matches!(
            err,
            InviteError::Link(InviteLinkError::MissingFragment)
        ));
    }
}
