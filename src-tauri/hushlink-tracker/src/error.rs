//! [`TrackerError`]: every way a tracker call can fail, each with a stable
//! [`code`](TrackerError::code) ([`ErrorCode`]).
//!
//! The UI branches on the code only, never on the message, so codes never change once
//! shipped; messages say what the user can do. The shell turns a failure into its
//! `{code, message}` for the UI. No variant carries secret text, a share link or a
//! receipt key: server messages are passed on only after the client has truncated them.
//!
//! Left out on purpose: a catch-all `Other(String)`. Each failure the UI can meet has its
//! own variant, and internal faults (SQLite, I/O) have theirs with a generic code.

use hushlink_client::ErrorCode as ClientCode;

mod code;

pub use code::{ErrorCode, TrackerCode};

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
    /// The user supplied an option outside its allowed range (one the app checks first,
    /// with a code of its own; this is the tracker's own guard).
    #[error("{0}")]
    InvalidInput(String),
    /// A profile name is blank or longer than `max` characters.
    #[error("A profile name has 1 to {max} characters.")]
    ProfileNameInvalid {
        /// The most characters a name may have.
        max: usize,
    },
    /// The settings' default lifetime of a secret is under `min_secs`.
    #[error("A secret must live at least {min_secs} seconds.")]
    ExpiryTooShort {
        /// The shortest lifetime allowed.
        min_secs: u64,
    },
    /// The settings name no default server profile.
    #[error("Choose a default server profile.")]
    DefaultProfileRequired,
    /// An invite's certificate fingerprint does not parse, so there is nothing to pin.
    #[error("The invite's certificate fingerprint is not valid. Ask the relay's owner for a new invite.")]
    InviteFingerprintInvalid,
    /// The platform names no folder of this kind (`"data"`, `"config"`) for the app.
    #[error("This system has no {0} folder.")]
    SystemFolderMissing(&'static str),
    /// A generated password is too short to hold one character of each of `kinds`.
    #[error(
        "A password of {length} characters cannot hold one character of each of {kinds} kinds."
    )]
    PasswordTooShort {
        /// The length asked for.
        length: usize,
        /// How many kinds of character were chosen (the least length that holds them).
        kinds: usize,
    },
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
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::KeyringUnavailable { .. } => TrackerCode::KeyringUnavailable.into(),
            Self::Keyring(_) => TrackerCode::KeyringError.into(),
            Self::DataKeyMissing => TrackerCode::DataKeyMissing.into(),
            // The UI's words for a stored link that fails to open are those of a link that
            // does not decrypt.
            Self::Decrypt => ClientCode::DecryptFailed.into(),
            Self::Storage(_) => TrackerCode::StorageError.into(),
            Self::Io { .. } => TrackerCode::IoError.into(),
            Self::InvalidFile { .. } => TrackerCode::InvalidFile.into(),
            Self::InvalidUrl(_) => ClientCode::InvalidUrl.into(),
            Self::InvalidLink(_) => ClientCode::InvalidLink.into(),
            Self::InvalidInput(_) => ClientCode::InvalidInput.into(),
            Self::ProfileNameInvalid { .. } => TrackerCode::ProfileNameInvalid.into(),
            Self::ExpiryTooShort { .. } => TrackerCode::ExpiryTooShort.into(),
            Self::DefaultProfileRequired => TrackerCode::DefaultProfileRequired.into(),
            Self::InviteFingerprintInvalid => TrackerCode::InviteFingerprintInvalid.into(),
            Self::SystemFolderMissing(_) => TrackerCode::SystemFolderMissing.into(),
            Self::PasswordTooShort { .. } => TrackerCode::PasswordTooShort.into(),
            Self::ProfileNotFound(_) => TrackerCode::ProfileNotFound.into(),
            Self::ProfileReadOnly(_) => TrackerCode::ProfileReadOnly.into(),
            Self::EntryNotFound => TrackerCode::EntryNotFound.into(),
            Self::E2eUnsupported => TrackerCode::E2eUnsupported.into(),
            Self::Server(e) => ErrorCode::of_client(e.code()),
            Self::Invite(e) => ErrorCode::of_client(e.into()),
            Self::InviteWithoutTls => TrackerCode::InviteWithoutTls.into(),
            Self::Notification(_) => TrackerCode::NotificationFailed.into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    use hushlink_client::Error as ClientError;

    #[test]
    fn has_a_code_and_a_message() {
        let error = TrackerError::from(ClientError::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(30)),
        });
        assert_eq!(error.code(), "rate_limited");
        assert!(
            error.to_string().contains("30 s"),
            "the message tells the user how long to wait: {error}"
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

    #[test]
    fn refusals_the_ui_words_have_codes_of_their_own_not_invalid_input() {
        let refusals = [
            TrackerError::ProfileNameInvalid { max: 80 },
            TrackerError::ExpiryTooShort { min_secs: 60 },
            TrackerError::DefaultProfileRequired,
            TrackerError::InviteFingerprintInvalid,
            TrackerError::SystemFolderMissing("data"),
            TrackerError::PasswordTooShort {
                length: 3,
                kinds: 4,
            },
        ];
        let codes: Vec<_> = refusals.iter().map(|e| e.code().as_str()).collect();
        assert_eq!(
            codes,
            [
                "profile_name_invalid",
                "expiry_too_short",
                "default_profile_required",
                "invite_fingerprint_invalid",
                "system_folder_missing",
                "password_too_short"
            ]
        );
        // The English sentence (for the log) still names the folder that is missing.
        assert!(refusals[4].to_string().contains("data"));
    }
}
