//! [`TrackerError`]: every way a tracker call can fail, each with a stable [`code`](TrackerError::code).
//!
//! The UI branches on the code only, never on the message, so codes never change once
//! shipped; messages say what the user can do. A failure is serialized for the UI as
//! [`ErrorPayload`] (`{code, message}`). No variant carries secret text, a share link or a
//! receipt key: server messages are passed on only after the client has truncated them.
//!
//! Left out on purpose: a catch-all `Other(String)`. Each failure the UI can meet has its
//! own variant, and internal faults (SQLite, I/O) have theirs with a generic code.

use serde::{Serialize, Serializer};
use ts_rs::TS;

/// Result alias for this crate.
pub type Result<T, E = TrackerError> = std::result::Result<T, E>;

/// A tracker failure. `#[non_exhaustive]`: the UI must handle unknown codes generically.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrackerError {
    /// No OS keyring answered (a headless session without Secret Service, or a locked one).
    /// The user can still share anonymously; nothing is persisted (see `docs/tracker.md`).
    #[error("No system keyring is available ({reason}). Hushlink can share anonymously, but it cannot store API tokens or remember your secrets after it quits.")]
    KeyringUnavailable {
        /// What the platform said, for the details pane.
        reason: String,
    },
    /// The keyring answered but refused or failed an operation.
    #[error("The system keyring reported an error: {0}")]
    Keyring(String),
    /// The database was written under a data key that the keyring no longer holds.
    #[error("The key that protects your saved links is missing from the system keyring, so the saved links cannot be opened. Restore the keyring, or reset the list of sent secrets.")]
    DataKeyMissing,
    /// A stored link or receipt key failed authentication (tampered file or wrong key).
    #[error("A saved link could not be decrypted; the database may have been modified.")]
    Decrypt,
    /// SQLite failed.
    #[error("The local database failed: {0}")]
    Storage(#[from] rusqlite::Error),
    /// A file could not be read or written.
    #[error("Could not access {path}: {source}")]
    Io {
        /// The file concerned.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The settings or profiles file is not valid JSON of the expected shape.
    #[error("The file {path} is not valid: {message}")]
    InvalidFile {
        /// The file concerned.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A base URL or link is not a usable URL.
    #[error("That is not a valid server address: {0}")]
    InvalidUrl(String),
    /// A share or receipt link could not be understood.
    #[error("That is not a Onetime Secret link: {0}")]
    InvalidLink(String),
    /// The user supplied an option outside its allowed range.
    #[error("{0}")]
    InvalidInput(String),
    /// No profile has that id.
    #[error("There is no server profile called {0:?}.")]
    ProfileNotFound(String),
    /// Built-in profiles cannot be edited or removed.
    #[error("The built-in profile {0:?} cannot be changed; create a custom profile instead.")]
    ProfileReadOnly(String),
    /// No tracked secret has that id.
    #[error("That secret is no longer in your list.")]
    EntryNotFound,
    /// End-to-end encryption needs a Hushlink relay profile.
    #[error("End-to-end encryption works only with a Hushlink relay; this server would not be able to show the secret.")]
    E2eUnsupported,
    /// A call to the server failed; the client tells the kinds apart (unreachable, TLS, bad
    /// credentials, secret gone, wrong passphrase, rate limited, rejected input, not an
    /// Onetime server, ...). See [`TrackerError::code`] for the codes.
    #[error(transparent)]
    Server(#[from] hushlink_client::Error),
    /// An invite could not be imported: not an invite link, unknown, already used,
    /// withdrawn, expired, damaged, or its relay could not be reached (the client's
    /// [`InviteError`](hushlink_client::invite::InviteError); see [`TrackerError::code`]).
    #[error("{}", invite_message(.0))]
    Invite(#[from] hushlink_client::invite::InviteError),
    /// The invite names a relay without an HTTPS port and certificate, so its token would
    /// cross the network in clear: no profile is made. The invite is used up.
    #[error("This relay offers no encrypted (HTTPS) connection, so its token would cross the network readable by anyone. Nothing was saved. Ask the relay's owner to turn on HTTPS for colleagues (hushlink-relay --tls-listen, or the Hushlink app's relay) and to send a new invite.")]
    InviteWithoutTls,
    /// The notification daemon could not be reached.
    #[error("The desktop notification could not be shown: {0}")]
    Notification(String),
}

impl TrackerError {
    /// The stable code the UI branches on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::KeyringUnavailable { .. } => "keyring_unavailable",
            Self::Keyring(_) => "keyring_error",
            Self::DataKeyMissing => "data_key_missing",
            Self::Decrypt => "decrypt_failed",
            Self::Storage(_) => "storage_error",
            Self::Io { .. } => "io_error",
            Self::InvalidFile { .. } => "invalid_file",
            Self::InvalidUrl(_) => "invalid_url",
            Self::InvalidLink(_) => "invalid_link",
            Self::InvalidInput(_) => "invalid_input",
            Self::ProfileNotFound(_) => "profile_not_found",
            Self::ProfileReadOnly(_) => "profile_read_only",
            Self::EntryNotFound => "entry_not_found",
            Self::E2eUnsupported => "e2e_unsupported",
            Self::Server(e) => server_code(e),
            Self::Invite(hushlink_client::invite::InviteError::Client(e)) => server_code(e),
            Self::Invite(e) => e.code(),
            Self::InviteWithoutTls => "invite_without_tls",
            Self::Notification(_) => "notification_failed",
        }
    }

    /// The failure as the UI receives it.
    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code().to_owned(),
            message: self.to_string(),
        }
    }

    /// True for failures that say nothing about the secret, only about reaching the server:
    /// the poller backs off on these instead of recording anything.
    pub fn is_transient(&self) -> bool {
        match self {
            // An HTML error page from a proxy in front of a server that is down is the
            // usual shape of an outage, so "not Onetime" is retried too.
            Self::Server(e) => {
                e.is_transient() || matches!(e, hushlink_client::Error::NotOnetime { .. })
            }
            _ => false,
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// The client's code, with the few renames that make the UI's branches simpler: every
/// "cannot reach" is `server_unreachable`, and a vanished receipt is `secret_gone`.
fn server_code(error: &hushlink_client::Error) -> &'static str {
    match error.code() {
        "unreachable" | "timeout" => "server_unreachable",
        "receipt_gone" => "secret_gone",
        "tls" => "tls_error",
        other => other,
    }
}

/// An invite failure in words for the user; the client's own words only for transport
/// failures, which already say what to do.
fn invite_message(error: &hushlink_client::invite::InviteError) -> String {
    use hushlink_client::invite::InviteError;
    let ask = "Ask the relay's owner for a new invite.";
    match error {
        InviteError::Link(e) => format!("That is not a whole invite link ({e}). Paste the whole link, including the part after the # sign."),
        InviteError::NotFound => "The relay does not know this invite. Check that the whole link was pasted.".into(),
        InviteError::Used => format!("This invite was already used; an invite works once. {ask}"),
        InviteError::Withdrawn => format!("This invite was withdrawn by the relay's owner. {ask}"),
        InviteError::Expired => format!("This invite has expired. {ask}"),
        InviteError::Undecryptable => format!("This invite could not be unlocked: the link is damaged or was cut short, and it is now used up. {ask}"),
        InviteError::Client(e) => e.to_string(),
        other => other.to_string(),
    }
}

/// A failure as the UI sees it: branch on `code`, show `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ErrorPayload {
    /// Stable machine-readable code, e.g. `keyring_unavailable`.
    pub code: String,
    /// Human-readable message in English.
    pub message: String,
}

/// Serialized as `{code, message}`, so a Tauri command can return `Result<T, TrackerError>`.
impl Serialize for TrackerError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use hushlink_client::Error as ClientError;

    #[test]
    fn serializes_as_code_and_message() {
        let json = serde_json::to_value(TrackerError::from(ClientError::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(30)),
        }))
        .expect("serializes");
        assert_eq!(json["code"], "rate_limited");
        assert!(
            json["message"].as_str().is_some_and(|m| m.contains("30 s")),
            "the message tells the user how long to wait: {json}"
        );
    }

    #[test]
    fn codes_are_distinct_and_named_for_the_ui() {
        let errors = [
            TrackerError::KeyringUnavailable { reason: "x".into() },
            ClientError::Unreachable { reason: "x".into() }.into(),
            ClientError::BadCredentials.into(),
            TrackerError::InvalidUrl("x".into()),
            ClientError::SecretGone.into(),
            ClientError::WrongPassphrase.into(),
            ClientError::RateLimited { retry_after: None }.into(),
        ];
        let codes: Vec<_> = errors.iter().map(TrackerError::code).collect();
        assert_eq!(
            codes,
            [
                "keyring_unavailable",
                "server_unreachable",
                "bad_credentials",
                "invalid_url",
                "secret_gone",
                "wrong_passphrase",
                "rate_limited"
            ]
        );
        assert_eq!(
            TrackerError::from(ClientError::Timeout).code(),
            "server_unreachable"
        );
        assert_eq!(
            TrackerError::from(ClientError::ReceiptGone).code(),
            "secret_gone"
        );
    }
}
