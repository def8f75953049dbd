//! The error every command returns: data with a stable code.
//!
//! The UI branches on [`CommandCode`], never on message text (STYLE.md §3): the tracker's
//! codes (which embed the client's) or the shell's own [`ErrorCode`], one closed set that
//! ts-rs turns into the TypeScript union the UI's message table is keyed by. Add a shell
//! code only when the UI needs to tell it apart; everything else is [`ErrorCode::Internal`].
//!
//! The UI shows its catalogue's words for the code (in the user's language), filled with
//! [`ErrorArgs`]; the English `message` is for the log and never reaches a screen. So a
//! refusal the person can fix needs a code of its own: `invalid_input` says only that
//! something in the form needs another look.

use hushlink_tracker::TrackerError;
use serde::Serialize;
use ts_rs::TS;

/// The shell's own failure codes. Library errors bring their own
/// ([`hushlink_tracker::ErrorCode`]); [`CommandCode`] is either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The request from the UI was malformed or out of range: the client's `invalid_input`
    /// under the same spelling ([`CommandCode::from`] makes it that one).
    InvalidInput,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// The relay is off and the action needs it on.
    RelayOff,
    /// The relay could not start (network not connected, store unusable).
    RelayFailed,
    /// One of the relay's ports (plain HTTP or HTTPS) is used by another program; the
    /// panel's `problem` says which and offers a free one.
    RelayPortBusy,
    /// Another relay (e.g. the headless `hushlink-relay`) runs on the app's relay data.
    RelayDataDirInUse,
    /// Settings were saved, but the system refused to change launch at login.
    AutostartFailed,
    /// A port of 0 (or out of range) was asked for the relay.
    InvalidPort,
    /// The relay's plain-HTTP and HTTPS ports are the same ([`ErrorArgs::port`]).
    RelaySamePort,
    /// A token or invite was asked for without a name.
    NameRequired,
    /// A token name is too long or holds `:` or a control character (the relay's rule: it
    /// is the HTTP Basic user name).
    TokenNameInvalid,
    /// A live token already has this name ([`ErrorArgs::name`]).
    TokenNameTaken,
    /// There is no secret text to share.
    SecretEmpty,
    /// The note shown to the recipient is longer than [`ErrorArgs::max`] characters.
    SenderNoteTooLong,
    /// The note shown to the recipient is not one line of plain text.
    SenderNoteNotPlain,
    /// A generated password's length is outside [`ErrorArgs::min`]..=[`ErrorArgs::max`].
    PasswordLength,
    /// A generated password was asked for without any kind of character.
    PasswordKinds,
    /// A passphrase's word count is outside [`ErrorArgs::min`]..=[`ErrorArgs::max`].
    PassphraseWords,
    /// The app's language was set to one without a catalogue (or to no language tag).
    LanguageUnsupported,
    /// A fault inside the app; the message is generic and details went to the log.
    Internal,
}

/// Every code a command can fail with; a plain string on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum CommandCode {
    /// A library failure, with the tracker's code (or the client's, which it embeds).
    Tracker(hushlink_tracker::ErrorCode),
    /// A failure of the shell itself.
    Shell(ErrorCode),
}

impl CommandCode {
    /// The code as the UI sees it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tracker(code) => code.as_str(),
            Self::Shell(code) => code.as_str(),
        }
    }
}

impl From<ErrorCode> for CommandCode {
    fn from(code: ErrorCode) -> Self {
        match code {
            // One code, one value: the shell's `invalid_input` is the client's.
            ErrorCode::InvalidInput => {
                Self::Tracker(hushlink_client::ErrorCode::InvalidInput.into())
            }
            ErrorCode::NotFound
            | ErrorCode::InvalidPort
            | ErrorCode::RelaySamePort
            | ErrorCode::NameRequired
            | ErrorCode::TokenNameInvalid
            | ErrorCode::TokenNameTaken
            | ErrorCode::SecretEmpty
            | ErrorCode::SenderNoteTooLong
            | ErrorCode::SenderNoteNotPlain
            | ErrorCode::PasswordLength
            | ErrorCode::PasswordKinds
            | ErrorCode::PassphraseWords
            | ErrorCode::LanguageUnsupported
            | ErrorCode::RelayOff
            | ErrorCode::RelayFailed
            | ErrorCode::RelayPortBusy
            | ErrorCode::RelayDataDirInUse
            | ErrorCode::AutostartFailed
            | ErrorCode::Internal => Self::Shell(code),
        }
    }
}

impl From<hushlink_tracker::ErrorCode> for CommandCode {
    fn from(code: hushlink_tracker::ErrorCode) -> Self {
        Self::Tracker(code)
    }
}

impl PartialEq<&str> for CommandCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for CommandCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A command failure: `{ "code": "...", "message": "...", "args"?: {...} }` on the wire.
///
/// The UI shows the catalogue's words for `code`, filled with `args`; `message` is the
/// English sentence for logs and the developer console, never shown on a screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct CommandError {
    /// Stable code the UI branches on.
    pub code: CommandCode,
    /// What happened in English, for logs; the UI's words come from its catalogues.
    pub message: String,
    /// The data the code's words need (a name, a port); absent when they need none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub args: Option<ErrorArgs>,
}

/// What a code's words are filled with: the UI's catalogue messages name these as ICU
/// arguments (`{name}`, `{port}`, `{min}`, `{max}`). Only user-given names and numbers, never secret text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ErrorArgs {
    /// A name the user chose (a token's).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    /// A port number.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub port: Option<u16>,
    /// The least a number may be (characters, words, minutes).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min: Option<u32>,
    /// The most a number may be (characters, words).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max: Option<u32>,
}

impl CommandError {
    /// An error with the given code and a sentence for the log.
    pub fn new(code: impl Into<CommandCode>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            args: None,
        }
    }

    /// The same error, its words naming `name`.
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.args.get_or_insert_with(ErrorArgs::default).name = Some(name.into());
        self
    }

    /// The same error, its words naming `port`.
    #[must_use]
    pub fn with_port(mut self, port: u16) -> Self {
        self.args.get_or_insert_with(ErrorArgs::default).port = Some(port);
        self
    }

    /// The same error, its words naming the least allowed, `min`.
    #[must_use]
    pub fn with_min(mut self, min: u32) -> Self {
        self.args.get_or_insert_with(ErrorArgs::default).min = Some(min);
        self
    }

    /// The same error, its words naming the allowed range `min..=max`.
    #[must_use]
    pub fn with_range(mut self, min: u32, max: u32) -> Self {
        let args = self.args.get_or_insert_with(ErrorArgs::default);
        args.min = Some(min);
        args.max = Some(max);
        self
    }
}

impl ErrorCode {
    /// The code as the UI sees it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::NotFound => "not_found",
            Self::RelayOff => "relay_off",
            Self::RelayFailed => "relay_failed",
            Self::RelayPortBusy => "relay_port_busy",
            Self::RelayDataDirInUse => "relay_data_dir_in_use",
            Self::AutostartFailed => "autostart_failed",
            Self::InvalidPort => "invalid_port",
            Self::RelaySamePort => "relay_same_port",
            Self::NameRequired => "name_required",
            Self::TokenNameInvalid => "token_name_invalid",
            Self::TokenNameTaken => "token_name_taken",
            Self::SecretEmpty => "secret_empty",
            Self::SenderNoteTooLong => "sender_note_too_long",
            Self::SenderNoteNotPlain => "sender_note_not_plain",
            Self::PasswordLength => "password_length",
            Self::PasswordKinds => "password_kinds",
            Self::PassphraseWords => "passphrase_words",
            Self::LanguageUnsupported => "language_unsupported",
            Self::Internal => "internal",
        }
    }
}

impl From<TrackerError> for CommandError {
    fn from(error: TrackerError) -> Self {
        // Tracker messages never carry secret text or links (its module docs say so). The UI
        // shows its own words for the code, so the sentence (a server's refusal, a field's
        // limit) is kept here, in the log.
        tracing::info!(code = %error.code(), %error, "tracker error");
        let refused = Self::new(error.code(), error.to_string());
        // The numbers a refusal's words name; every other failure's words need none.
        match error {
            TrackerError::ProfileNameInvalid { max } => refused.with_range(1, count(max)),
            // The words count minutes: a lifetime is chosen in minutes and up.
            TrackerError::ExpiryTooShort { min_secs } => {
                refused.with_min(count(min_secs.div_ceil(60)))
            }
            // One character of each kind chosen is the least that holds them.
            TrackerError::PasswordTooShort { kinds, .. } => refused.with_min(count(kinds)),
            _ => refused,
        }
    }
}

/// A count for the words; none the tracker reports comes near `u32::MAX`.
fn count(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

/// Result alias for commands.
pub type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_serializes_as_its_as_str() {
        for code in [
            ErrorCode::InvalidInput,
            ErrorCode::NotFound,
            ErrorCode::RelayOff,
            ErrorCode::RelayFailed,
            ErrorCode::RelayPortBusy,
            ErrorCode::RelayDataDirInUse,
            ErrorCode::AutostartFailed,
            ErrorCode::InvalidPort,
            ErrorCode::RelaySamePort,
            ErrorCode::NameRequired,
            ErrorCode::TokenNameInvalid,
            ErrorCode::TokenNameTaken,
            ErrorCode::SecretEmpty,
            ErrorCode::SenderNoteTooLong,
            ErrorCode::SenderNoteNotPlain,
            ErrorCode::PasswordLength,
            ErrorCode::PasswordKinds,
            ErrorCode::PassphraseWords,
            ErrorCode::LanguageUnsupported,
            ErrorCode::Internal,
        ] {
            assert_eq!(
                serde_json::to_value(code).expect("serializes"),
                serde_json::Value::String(code.as_str().to_owned()),
                "the generated TS union and the wire strings must agree"
            );
        }
    }

    #[test]
    fn serializes_as_code_and_message() {
        let error = CommandError::new(ErrorCode::InvalidInput, "Pick an expiry.");
        let json = serde_json::to_value(&error).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"code": "invalid_input", "message": "Pick an expiry."}),
            "the UI reads exactly these two fields"
        );
    }

    #[test]
    fn args_cross_only_when_the_words_need_them() {
        let error = CommandError::new(ErrorCode::TokenNameTaken, "taken").with_name("Sam");
        assert_eq!(
            serde_json::to_value(&error).expect("serializes"),
            serde_json::json!({
                "code": "token_name_taken",
                "message": "taken",
                "args": {"name": "Sam"}
            })
        );
        let error = CommandError::new(ErrorCode::RelaySamePort, "same").with_port(7143);
        assert_eq!(
            serde_json::to_value(&error).expect("serializes")["args"],
            serde_json::json!({"port": 7143})
        );
    }

    #[test]
    fn a_tracker_failure_keeps_its_code_and_message() {
        let error = CommandError::from(hushlink_tracker::TrackerError::from(
            hushlink_client::Error::RateLimited {
                retry_after: Some(std::time::Duration::from_secs(30)),
            },
        ));
        let json = serde_json::to_value(&error).expect("serializes");
        assert_eq!(json["code"], "rate_limited");
        assert!(
            json["message"].as_str().is_some_and(|m| m.contains("30 s")),
            "the message tells the user how long to wait: {json}"
        );
        assert_eq!(
            CommandCode::from(ErrorCode::InvalidInput),
            CommandCode::from(hushlink_tracker::TrackerError::InvalidInput("x".into()).code()),
            "one value per code"
        );
    }

    #[test]
    fn a_tracker_refusal_brings_its_code_and_the_numbers_its_words_name() {
        let json = |error: TrackerError| {
            serde_json::to_value(CommandError::from(error)).expect("serializes")
        };
        let name = json(TrackerError::ProfileNameInvalid { max: 80 });
        assert_eq!(name["code"], "profile_name_invalid");
        assert_eq!(name["args"], serde_json::json!({"min": 1, "max": 80}));
        let expiry = json(TrackerError::ExpiryTooShort { min_secs: 60 });
        assert_eq!(expiry["code"], "expiry_too_short");
        assert_eq!(expiry["args"], serde_json::json!({"min": 1}), "in minutes");
        let short = json(TrackerError::PasswordTooShort {
            length: 3,
            kinds: 4,
        });
        assert_eq!(short["code"], "password_too_short");
        assert_eq!(short["args"], serde_json::json!({"min": 4}));
        for (error, code) in [
            (
                TrackerError::DefaultProfileRequired,
                "default_profile_required",
            ),
            (
                TrackerError::InviteFingerprintInvalid,
                "invite_fingerprint_invalid",
            ),
            (
                TrackerError::SystemFolderMissing("config"),
                "system_folder_missing",
            ),
        ] {
            let json = json(error);
            assert_eq!(json["code"], code);
            assert!(json.get("args").is_none(), "{code}: its words need no data");
        }
    }
}
