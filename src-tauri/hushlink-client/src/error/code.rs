//! [`ErrorCode`]: the closed set of machine codes for failures the client knows about,
//! shared by every Hushlink front end.
//!
//! The CLI's `--json` prints these codes, the tracker's and the app's code enums embed this
//! one unchanged (they add their own codes, never rename these), and the UI's message table
//! is keyed by the generated TypeScript union, so one failure has one spelling everywhere.
//! Every [`Error`] variant has its own code; the app, whose words are the same for some of
//! them, reports a [`ErrorCode::Timeout`] as [`ErrorCode::ServerUnreachable`] and a
//! [`ErrorCode::ReceiptGone`] as [`ErrorCode::SecretGone`] (the tracker's mapping), never
//! under another spelling. Mappings are exhaustive matches, so a new error variant does not
//! compile until it has a code.

use hushlink_protocol::LinkError;
use serde::Serialize;
use ts_rs::TS;

use super::Error;
use crate::invite::InviteError;

/// A stable machine code per kind of failure. Codes are never renamed once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ClientErrorCode")]
pub enum ErrorCode {
    /// [`Error::InvalidUrl`]: a server address that cannot be used.
    InvalidUrl,
    /// [`Error::InsecureUrl`]: plain `http://` to a host that may be on the internet.
    InsecureUrl,
    /// [`Error::InvalidKey`]: a key that is not a key.
    InvalidKey,
    /// [`Error::InvalidConfig`]: an incomplete profile.
    InvalidConfig,
    /// A pasted share or receipt link that cannot be understood ([`LinkError`]).
    InvalidLink,
    /// Input from the user outside its allowed range (a front end's own checks).
    InvalidInput,
    /// [`Error::Unreachable`]: no connection to the server.
    ServerUnreachable,
    /// [`Error::Timeout`]: the server did not answer in time.
    Timeout,
    /// [`Error::Tls`]: the secure connection failed.
    TlsError,
    /// [`Error::PinMismatch`]: not the pinned certificate.
    TlsPinMismatch,
    /// [`Error::Redirected`].
    Redirected,
    /// [`Error::BadCredentials`].
    BadCredentials,
    /// [`Error::CredentialsRequired`].
    CredentialsRequired,
    /// [`Error::AuthDisabled`].
    AuthDisabled,
    /// [`Error::SecretGone`].
    SecretGone,
    /// [`Error::ReceiptGone`].
    ReceiptGone,
    /// [`Error::WrongPassphrase`].
    WrongPassphrase,
    /// [`Error::PassphraseRequired`].
    PassphraseRequired,
    /// [`Error::SecretGoneOrWrongPassphrase`].
    SecretGoneOrWrongPassphrase,
    /// [`Error::RateLimited`].
    RateLimited,
    /// [`Error::Rejected`].
    Rejected,
    /// [`Error::ServerError`].
    ServerError,
    /// [`Error::RecentUnavailable`].
    RecentUnavailable,
    /// [`Error::Unsupported`].
    Unsupported,
    /// [`Error::NotOnetime`].
    NotOnetime,
    /// [`Error::Decrypt`]: an end-to-end secret could not be decrypted.
    DecryptFailed,
    /// [`Error::Setup`]: the HTTP client could not be built.
    Setup,
    /// [`InviteError::Link`]: not a whole invite link.
    InviteLinkInvalid,
    /// [`InviteError::NotFound`].
    InviteNotFound,
    /// [`InviteError::Used`].
    InviteUsed,
    /// [`InviteError::Withdrawn`].
    InviteWithdrawn,
    /// [`InviteError::Expired`].
    InviteExpired,
    /// [`InviteError::Undecryptable`].
    InviteUndecryptable,
    /// [`InviteError::Malformed`].
    InviteMalformed,
}

impl ErrorCode {
    /// Every code, for tests and documentation tables.
    pub const ALL: [Self; 34] = [
        Self::InvalidUrl,
        Self::InsecureUrl,
        Self::InvalidKey,
        Self::InvalidConfig,
        Self::InvalidLink,
        Self::InvalidInput,
        Self::ServerUnreachable,
        Self::Timeout,
        Self::TlsError,
        Self::TlsPinMismatch,
        Self::Redirected,
        Self::BadCredentials,
        Self::CredentialsRequired,
        Self::AuthDisabled,
        Self::SecretGone,
        Self::ReceiptGone,
        Self::WrongPassphrase,
        Self::PassphraseRequired,
        Self::SecretGoneOrWrongPassphrase,
        Self::RateLimited,
        Self::Rejected,
        Self::ServerError,
        Self::RecentUnavailable,
        Self::Unsupported,
        Self::NotOnetime,
        Self::DecryptFailed,
        Self::Setup,
        Self::InviteLinkInvalid,
        Self::InviteNotFound,
        Self::InviteUsed,
        Self::InviteWithdrawn,
        Self::InviteExpired,
        Self::InviteUndecryptable,
        Self::InviteMalformed,
    ];

    /// The code as it appears on the wire (JSON, `--json`, the UI).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidUrl => "invalid_url",
            Self::InsecureUrl => "insecure_url",
            Self::InvalidKey => "invalid_key",
            Self::InvalidConfig => "invalid_config",
            Self::InvalidLink => "invalid_link",
            Self::InvalidInput => "invalid_input",
            Self::ServerUnreachable => "server_unreachable",
            Self::Timeout => "timeout",
            Self::TlsError => "tls_error",
            Self::TlsPinMismatch => "tls_pin_mismatch",
            Self::Redirected => "redirected",
            Self::BadCredentials => "bad_credentials",
            Self::CredentialsRequired => "credentials_required",
            Self::AuthDisabled => "auth_disabled",
            Self::SecretGone => "secret_gone",
            Self::ReceiptGone => "receipt_gone",
            Self::WrongPassphrase => "wrong_passphrase",
            Self::PassphraseRequired => "passphrase_required",
            Self::SecretGoneOrWrongPassphrase => "secret_gone_or_wrong_passphrase",
            Self::RateLimited => "rate_limited",
            Self::Rejected => "rejected",
            Self::ServerError => "server_error",
            Self::RecentUnavailable => "recent_unavailable",
            Self::Unsupported => "unsupported",
            Self::NotOnetime => "not_onetime",
            Self::DecryptFailed => "decrypt_failed",
            Self::Setup => "setup",
            Self::InviteLinkInvalid => "invite_link_invalid",
            Self::InviteNotFound => "invite_not_found",
            Self::InviteUsed => "invite_used",
            Self::InviteWithdrawn => "invite_withdrawn",
            Self::InviteExpired => "invite_expired",
            Self::InviteUndecryptable => "invite_undecryptable",
            Self::InviteMalformed => "invite_malformed",
        }
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

impl From<&Error> for ErrorCode {
    fn from(error: &Error) -> Self {
        match error {
            Error::InvalidUrl { .. } => Self::InvalidUrl,
            Error::InsecureUrl { .. } => Self::InsecureUrl,
            Error::InvalidKey { .. } => Self::InvalidKey,
            Error::InvalidConfig { .. } => Self::InvalidConfig,
            Error::Unreachable { .. } => Self::ServerUnreachable,
            Error::Timeout => Self::Timeout,
            Error::Tls { .. } => Self::TlsError,
            Error::PinMismatch { .. } => Self::TlsPinMismatch,
            Error::Redirected { .. } => Self::Redirected,
            Error::BadCredentials => Self::BadCredentials,
            Error::CredentialsRequired => Self::CredentialsRequired,
            Error::AuthDisabled => Self::AuthDisabled,
            Error::SecretGone => Self::SecretGone,
            Error::ReceiptGone => Self::ReceiptGone,
            Error::WrongPassphrase => Self::WrongPassphrase,
            Error::PassphraseRequired => Self::PassphraseRequired,
            Error::SecretGoneOrWrongPassphrase => Self::SecretGoneOrWrongPassphrase,
            Error::RateLimited { .. } => Self::RateLimited,
            Error::Rejected { .. } => Self::Rejected,
            Error::ServerError { .. } => Self::ServerError,
            Error::RecentUnavailable => Self::RecentUnavailable,
            Error::Unsupported { .. } => Self::Unsupported,
            Error::NotOnetime { .. } => Self::NotOnetime,
            Error::Decrypt(_) => Self::DecryptFailed,
            Error::Setup { .. } => Self::Setup,
        }
    }
}

impl From<&InviteError> for ErrorCode {
    fn from(error: &InviteError) -> Self {
        match error {
            InviteError::Link(_) => Self::InviteLinkInvalid,
            InviteError::NotFound => Self::InviteNotFound,
            InviteError::Used => Self::InviteUsed,
            InviteError::Withdrawn => Self::InviteWithdrawn,
            InviteError::Expired => Self::InviteExpired,
            InviteError::Undecryptable => Self::InviteUndecryptable,
            InviteError::Malformed => Self::InviteMalformed,
            InviteError::Client(e) => e.into(),
        }
    }
}

impl From<&LinkError> for ErrorCode {
    fn from(_: &LinkError) -> Self {
        Self::InvalidLink
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_code_serializes_as_its_as_str_and_all_are_distinct() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).expect("serializes"),
                serde_json::Value::String(code.as_str().to_owned()),
                "the generated TS union and the wire strings must agree"
            );
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
    }

    #[test]
    fn one_spelling_per_failure() {
        let reason = || "x".to_owned();
        assert_eq!(
            Error::Unreachable { reason: reason() }.code(),
            "server_unreachable"
        );
        assert_eq!(Error::Tls { reason: reason() }.code(), "tls_error");
        assert_eq!(
            ErrorCode::from(&InviteError::Client(Error::Timeout)),
            ErrorCode::Timeout
        );
    }
}
