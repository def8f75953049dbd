//! [`TrackerEvent`]: what the tracker tells the shell, which forwards it to the UI.
//!
//! Events go out on a `tokio::sync::broadcast` channel (`Tracker::subscribe`), so the window
//! and the tray can each listen. A subscriber that falls more than the channel's capacity
//! behind gets `Lagged` and should reload the list; nothing is lost in the store.

use serde::Serialize;

use crate::error::ErrorCode;
use crate::model::Entry;

/// Something that changed. Serialized with a `type` tag (`{"type": "stateChanged", ...}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
#[non_exhaustive]
pub enum TrackerEvent {
    /// A secret was shared and is now tracked.
    #[serde(rename_all = "camelCase")]
    EntryAdded {
        /// The new entry.
        entry: Entry,
    },
    /// A tracked secret left `unread` for a terminal state (viewed, burned, expired,
    /// orphaned). Sent exactly once per secret.
    #[serde(rename_all = "camelCase")]
    StateChanged {
        /// The entry after the change; `entry.state` is the new state.
        entry: Entry,
    },
    /// An entry's own settings changed (e.g. its notification switch).
    #[serde(rename_all = "camelCase")]
    EntryUpdated {
        /// The entry after the change.
        entry: Entry,
    },
    /// An entry was removed from the list.
    #[serde(rename_all = "camelCase")]
    EntryForgotten {
        /// Its id.
        id: String,
    },
    /// Status checks against a server are paused (unreachable, rate limited).
    #[serde(rename_all = "camelCase")]
    ServerBackoff {
        /// The profile concerned.
        profile_id: String,
        /// Error code of the last failure (`server_unreachable`, `rate_limited`, ...).
        code: ErrorCode,
        /// Next attempt (Unix ms).
        retry_at: i64,
    },
    /// A server answered again after a backoff; checks have resumed.
    #[serde(rename_all = "camelCase")]
    ServerRecovered {
        /// The profile concerned.
        profile_id: String,
    },
    /// A desktop notification could not be shown (the UI may show it in-app instead).
    #[serde(rename_all = "camelCase")]
    NotificationFailed {
        /// The entry it was about.
        entry_id: String,
        /// Why.
        message: String,
    },
}
