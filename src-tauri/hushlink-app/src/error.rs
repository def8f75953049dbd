//! The error every command returns: data with a stable code.
//!
//! The UI branches on [`ErrorCode`], never on message text (STYLE.md §3). Add a code only
//! when the UI needs to tell it apart; everything else is [`ErrorCode::Internal`].

use serde::Serialize;
use ts_rs::TS;

/// What kind of failure a command had, as the UI sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The request from the UI was malformed or out of range.
    InvalidInput,
    /// A fault inside the app; the message is generic and details went to the log.
    Internal,
}

/// A command failure: `{ "code": "...", "message": "..." }` on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct CommandError {
    /// Stable code the UI branches on.
    pub code: ErrorCode,
    /// A sentence for the user: what happened and what to do next.
    pub message: String,
}

impl CommandError {
    /// An error with the given code and user-facing message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// Result alias for commands.
pub type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

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
}
