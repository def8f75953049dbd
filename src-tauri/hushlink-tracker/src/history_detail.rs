//! [`HistoryDetail`]: what a history row adds to its kind, as a code and named args, never as
//! a sentence. The UI (and the CSV export) say it in the app's language from the catalogues'
//! `historyScreen.detail.<code>` words, filled with the args.
//!
//! In the store the detail column holds the same JSON as the wire (`{"code":…,"args":{…}}`).
//! Builds before this one wrote English there (`from <host>`, `<action>: <error code>`); the
//! append-only log can never be rewritten, so [`HistoryDetail::from_stored`] reads those two
//! shapes into the typed form, and anything else it cannot read as
//! [`HistoryDetail::Legacy`], shown as stored (as those rows always were).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ErrorCode;

/// A history row's detail: a code (`received`, `failed`, `legacy`) and its args.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "code", content = "args", rename_all = "camelCase")]
#[ts(export)]
pub enum HistoryDetail {
    /// A secret was received (revealed) from a link on `host`.
    Received {
        /// The link's host, with its port when the link names one (`relay.lan:7143`).
        host: String,
    },
    /// An operation failed.
    Failed {
        /// What the user was doing.
        action: HistoryAction,
        /// Why it failed: the code the app shows words for.
        error: ErrorCode,
    },
    /// Text an older build stored in a shape this one does not read; shown as stored.
    Legacy {
        /// The stored text, as it was written.
        text: String,
    },
}

/// What the user was doing when an operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum HistoryAction {
    /// Sharing a secret.
    Create,
    /// Destroying a shared secret's link.
    Burn,
    /// Opening (revealing) a secret someone sent.
    Receive,
}

impl HistoryAction {
    /// Every action, for tests.
    pub const ALL: [Self; 3] = [Self::Create, Self::Burn, Self::Receive];

    /// The action's code, as stored and sent (`create`, `burn`, `receive`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Burn => "burn",
            Self::Receive => "receive",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == code)
    }
}

impl HistoryDetail {
    /// The detail's code, the `code` of its JSON (`received`, `failed`, `legacy`).
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Received { .. } => "received",
            Self::Failed { .. } => "failed",
            Self::Legacy { .. } => "legacy",
        }
    }

    /// The text the store's detail column holds: the detail's JSON.
    pub fn to_stored(&self) -> String {
        // Plain strings and unit enums: serializing cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a stored detail: the JSON this build writes, or the English an older build
    /// wrote (see the module docs).
    pub fn from_stored(stored: &str) -> Self {
        if let Ok(detail) = serde_json::from_str(stored) {
            return detail;
        }
        if let Some(host) = stored.strip_prefix("from ") {
            if !host.is_empty() && !host.contains(char::is_whitespace) {
                return Self::Received {
                    host: host.to_owned(),
                };
            }
        }
        if let Some((action, code)) = stored.split_once(": ") {
            if let (Some(action), Some(error)) =
                (HistoryAction::parse(action), ErrorCode::parse(code))
            {
                return Self::Failed {
                    action,
                    // Older builds stored the client's own spelling of a timeout or a gone
                    // receipt; the app names those as it does today.
                    error: error.as_reported(),
                };
            }
        }
        Self::Legacy {
            text: stored.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use hushlink_client::ErrorCode as ClientCode;

    use super::*;
    use crate::error::TrackerCode;

    #[test]
    fn the_stored_form_is_the_wire_json_and_reads_back() {
        let details = [
            HistoryDetail::Received {
                host: "relay.lan:7143".into(),
            },
            HistoryDetail::Failed {
                action: HistoryAction::Burn,
                error: ClientCode::ServerUnreachable.into(),
            },
            HistoryDetail::Failed {
                action: HistoryAction::Create,
                error: TrackerCode::StorageError.into(),
            },
            HistoryDetail::Legacy {
                text: "something else".into(),
            },
        ];
        for detail in details {
            let stored = detail.to_stored();
            assert_eq!(HistoryDetail::from_stored(&stored), detail, "{stored}");
        }
        let json: serde_json::Value = serde_json::from_str(
            &HistoryDetail::Failed {
                action: HistoryAction::Receive,
                error: ClientCode::WrongPassphrase.into(),
            }
            .to_stored(),
        )
        .expect("json");
        assert_eq!(
            json,
            serde_json::json!({"code": "failed", "args": {"action": "receive", "error": "wrong_passphrase"}})
        );
    }

    #[test]
    fn older_builds_english_reads_as_typed_details() {
        assert_eq!(
            HistoryDetail::from_stored("from eu.onetimesecret.com"),
            HistoryDetail::Received {
                host: "eu.onetimesecret.com".into()
            }
        );
        assert_eq!(
            HistoryDetail::from_stored("create: server_unreachable"),
            HistoryDetail::Failed {
                action: HistoryAction::Create,
                error: ClientCode::ServerUnreachable.into()
            }
        );
        assert_eq!(
            HistoryDetail::from_stored("receive: timeout"),
            HistoryDetail::Failed {
                action: HistoryAction::Receive,
                error: ClientCode::ServerUnreachable.into()
            },
            "named as the app reports it now"
        );
        for unknown in [
            "rename: storage_error",
            "create: no_such_code",
            "from two words",
            "",
        ] {
            assert_eq!(
                HistoryDetail::from_stored(unknown),
                HistoryDetail::Legacy {
                    text: unknown.into()
                },
                "{unknown}"
            );
        }
    }

    #[test]
    fn every_action_and_error_code_round_trips() {
        for action in HistoryAction::ALL {
            assert_eq!(HistoryAction::parse(action.as_str()), Some(action));
        }
        let codes = ClientCode::ALL
            .into_iter()
            .map(ErrorCode::from)
            .chain(TrackerCode::ALL.into_iter().map(ErrorCode::from));
        for error in codes {
            assert_eq!(ErrorCode::parse(error.as_str()), Some(error));
            let detail = HistoryDetail::Failed {
                action: HistoryAction::Create,
                error,
            };
            assert_eq!(HistoryDetail::from_stored(&detail.to_stored()), detail);
        }
    }
}
