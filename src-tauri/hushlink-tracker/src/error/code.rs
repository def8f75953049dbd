//! [`ErrorCode`]: the tracker's failure codes, the client's [`ClientCode`]s extended by the
//! tracker's own [`TrackerCode`]s, never renamed.
//!
//! On the wire (and in the generated TypeScript union) both are plain strings such as
//! `"server_unreachable"` or `"keyring_unavailable"`. The one deliberate merge: the app
//! shows the same words for a timeout as for no connection, and for a vanished receipt as
//! for a vanished secret, so [`TrackerError::code`](super::TrackerError::code) reports
//! [`ClientCode::Timeout`] as [`ClientCode::ServerUnreachable`] and
//! [`ClientCode::ReceiptGone`] as [`ClientCode::SecretGone`].

use hushlink_client::ErrorCode as ClientCode;
use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

/// A tracker failure code: a client code, or one of the tracker's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(untagged)]
#[ts(export, rename = "TrackerErrorCode")]
pub enum ErrorCode {
    /// A failure the client knows about (server calls, links, user input).
    Client(ClientCode),
    /// A failure of the tracker itself (keyring, store, profiles).
    Tracker(TrackerCode),
}

/// The tracker's own codes, one per [`TrackerError`](super::TrackerError) variant that has
/// no client code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TrackerCode {
    /// No OS keyring answered.
    KeyringUnavailable,
    /// The keyring refused or failed an operation.
    KeyringError,
    /// The database's data key is gone from the keyring.
    DataKeyMissing,
    /// SQLite failed.
    StorageError,
    /// A file could not be read or written.
    IoError,
    /// The settings or profiles file is not valid.
    InvalidFile,
    /// No profile has that id.
    ProfileNotFound,
    /// A built-in profile cannot be changed.
    ProfileReadOnly,
    /// No tracked secret has that id.
    EntryNotFound,
    /// End-to-end encryption needs a Hushlink relay profile.
    E2eUnsupported,
    /// The invite names a relay without HTTPS.
    InviteWithoutTls,
    /// The notification daemon could not be reached.
    NotificationFailed,
    /// A profile name is blank or too long.
    ProfileNameInvalid,
    /// The default lifetime of a secret is too short.
    ExpiryTooShort,
    /// The settings name no default server profile.
    DefaultProfileRequired,
    /// An invite's certificate fingerprint is not valid.
    InviteFingerprintInvalid,
    /// The platform names no data or config folder for the app.
    SystemFolderMissing,
    /// A generated password is too short for one character of each chosen kind.
    PasswordTooShort,
}

impl TrackerCode {
    /// Every code, for tests.
    pub const ALL: [Self; 18] = [
        Self::KeyringUnavailable,
        Self::KeyringError,
        Self::DataKeyMissing,
        Self::StorageError,
        Self::IoError,
        Self::InvalidFile,
        Self::ProfileNotFound,
        Self::ProfileReadOnly,
        Self::EntryNotFound,
        Self::E2eUnsupported,
        Self::InviteWithoutTls,
        Self::NotificationFailed,
        Self::ProfileNameInvalid,
        Self::ExpiryTooShort,
        Self::DefaultProfileRequired,
        Self::InviteFingerprintInvalid,
        Self::SystemFolderMissing,
        Self::PasswordTooShort,
    ];

    /// The code as it appears on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::KeyringUnavailable => "keyring_unavailable",
            Self::KeyringError => "keyring_error",
            Self::DataKeyMissing => "data_key_missing",
            Self::StorageError => "storage_error",
            Self::IoError => "io_error",
            Self::InvalidFile => "invalid_file",
            Self::ProfileNotFound => "profile_not_found",
            Self::ProfileReadOnly => "profile_read_only",
            Self::EntryNotFound => "entry_not_found",
            Self::E2eUnsupported => "e2e_unsupported",
            Self::InviteWithoutTls => "invite_without_tls",
            Self::NotificationFailed => "notification_failed",
            Self::ProfileNameInvalid => "profile_name_invalid",
            Self::ExpiryTooShort => "expiry_too_short",
            Self::DefaultProfileRequired => "default_profile_required",
            Self::InviteFingerprintInvalid => "invite_fingerprint_invalid",
            Self::SystemFolderMissing => "system_folder_missing",
            Self::PasswordTooShort => "password_too_short",
        }
    }
}

impl ErrorCode {
    /// The code as it appears on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Client(code) => code.as_str(),
            Self::Tracker(code) => code.as_str(),
        }
    }

    /// The code spelled `code` on the wire, if it is one.
    pub fn parse(code: &str) -> Option<Self> {
        let client = ClientCode::ALL.into_iter().map(Self::Client);
        let tracker = TrackerCode::ALL.into_iter().map(Self::Tracker);
        client.chain(tracker).find(|c| c.as_str() == code)
    }

    /// The code as the app reports it (see [`ErrorCode::of_client`]).
    pub(crate) fn as_reported(self) -> Self {
        match self {
            Self::Client(code) => Self::of_client(code),
            Self::Tracker(_) => self,
        }
    }

    /// The code the app reports for a client failure: the client's, except that a timeout
    /// counts as "unreachable" and a gone receipt as a gone secret (see the module docs).
    pub(crate) fn of_client(code: ClientCode) -> Self {
        Self::Client(match code {
            ClientCode::Timeout => ClientCode::ServerUnreachable,
            ClientCode::ReceiptGone => ClientCode::SecretGone,
            // Every other client code passes through unchanged.
            unchanged => unchanged,
        })
    }
}

impl From<ClientCode> for ErrorCode {
    fn from(code: ClientCode) -> Self {
        Self::Client(code)
    }
}

impl From<TrackerCode> for ErrorCode {
    fn from(code: TrackerCode) -> Self {
        Self::Tracker(code)
    }
}

/// Read back from the history log's stored details; a code this build does not know is an
/// error (the reader then keeps the text as stored).
impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Self::parse(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown error code {code:?}")))
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_code_serializes_as_its_as_str_and_none_repeats_a_client_code() {
        let client: HashSet<_> = ClientCode::ALL.iter().map(|c| c.as_str()).collect();
        let mut seen = HashSet::new();
        for code in TrackerCode::ALL {
            let code = ErrorCode::from(code);
            assert_eq!(
                serde_json::to_value(code).expect("serializes"),
                serde_json::Value::String(code.as_str().to_owned()),
            );
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert!(!client.contains(code.as_str()), "{code} is a client code");
        }
        assert_eq!(
            serde_json::to_value(ErrorCode::from(ClientCode::TlsError)).expect("serializes"),
            "tls_error"
        );
    }
}
