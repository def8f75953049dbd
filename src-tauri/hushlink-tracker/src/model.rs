//! The tracker's data model as the UI sees it: tracked secrets, their states, filters and
//! history rows. All of these cross the Tauri boundary (serde camelCase + ts-rs).
//!
//! Times are Unix milliseconds, typed as `number` for TypeScript (ts-rs would say `bigint`
//! for `i64`, but serde_json writes a plain number and every such time fits in 2^53).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::history_detail::HistoryDetail;

/// Where a shared secret stands, in the sender's terms (reference §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SecretState {
    /// Waiting to be read (server `new`, legacy `viewed`, v2 `shared`/`previewed`).
    Unread,
    /// The recipient revealed it (server `received`/`revealed`). Terminal. Its code stays
    /// `viewed` (stored rows, the UI's `SecretState`, the CLI's JSON): not Onetime's `viewed`,
    /// which means a receipt was looked at and the secret is still unread.
    #[serde(rename = "viewed")]
    Opened,
    /// Burned before anyone read it. Terminal.
    Burned,
    /// Its lifetime ran out unread (server `expired`, or the receipt is gone after the TTL).
    /// Terminal.
    Expired,
    /// The server lost the secret for another reason. Terminal.
    Orphaned,
}

impl SecretState {
    /// Every state, for exhaustive tests.
    pub const ALL: [SecretState; 5] = [
        Self::Unread,
        Self::Opened,
        Self::Burned,
        Self::Expired,
        Self::Orphaned,
    ];

    /// Name stored in SQLite (stable; changing one needs a migration).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unread => "unread",
            Self::Opened => "viewed",
            Self::Burned => "burned",
            Self::Expired => "expired",
            Self::Orphaned => "orphaned",
        }
    }

    /// Inverse of [`as_str`](Self::as_str).
    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == stored)
    }

    /// No further change can happen; the poller leaves it alone.
    pub fn is_terminal(self) -> bool {
        self != Self::Unread
    }
}

/// One change of state, kept forever with the entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StateChange {
    /// The state entered.
    pub state: SecretState,
    /// When the tracker learned of it (Unix ms).
    #[ts(type = "number")]
    pub at: i64,
}

/// A secret the user shared, as listed. Holds no secret text, no link and no receipt key:
/// the link is fetched on demand with `Tracker::share_link`, the receipt key never leaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Entry {
    /// Local id (random, 32 hex digits).
    pub id: String,
    /// The user's own label, e.g. "VPN password for Sam".
    pub label: String,
    /// Profile the secret was shared through.
    pub profile_id: String,
    /// Who it is for (a free-text note, or the e-mail the server sent it to).
    pub recipient: Option<String>,
    /// Created (Unix ms).
    #[ts(type = "number")]
    pub created_at: i64,
    /// When the server forgets the secret (Unix ms).
    #[ts(type = "number")]
    pub expires_at: i64,
    /// A passphrase was set.
    pub has_passphrase: bool,
    /// Encrypted end to end (the key is only in the link's fragment).
    pub end_to_end: bool,
    /// Notify on view / expiry for this secret.
    pub notify: bool,
    /// Current state.
    pub state: SecretState,
    /// When the current state was entered (Unix ms).
    #[ts(type = "number")]
    pub state_changed_at: i64,
    /// Last successful status check (Unix ms), if any.
    #[ts(type = "number | null")]
    pub last_checked_at: Option<i64>,
}

impl Entry {
    /// A short name for one line (tray menu, notification): the user's note, else who it is
    /// for. `None` when the note was left empty and there is no recipient: the caller then
    /// names it by when and where it was shared, in the user's language.
    pub fn name(&self) -> Option<&str> {
        let note = self.label.trim();
        if !note.is_empty() {
            return Some(note);
        }
        self.recipient
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
    }
}

/// An entry with its full state history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EntryDetail {
    /// The entry.
    pub entry: Entry,
    /// Every state it went through, oldest first.
    pub history: Vec<StateChange>,
}

/// Sort order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SortKey {
    /// Newest first (the default).
    #[default]
    CreatedAt,
    /// Soonest expiry first.
    ExpiresAt,
    /// Alphabetical by label.
    Label,
    /// Most recent state change first.
    StateChangedAt,
}

/// Which entries to list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ListFilter {
    /// Only these states; empty = all.
    pub states: Vec<SecretState>,
    /// Only this profile.
    pub profile_id: Option<String>,
    /// Case-insensitive text that must appear in the label or the recipient.
    pub search: Option<String>,
    /// Sort key.
    pub sort: SortKey,
    /// Reverse the natural order (newest first for times, soonest first for expiry,
    /// A to Z for labels).
    pub reverse: bool,
}

/// What a history row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum HistoryKind {
    /// The user shared a secret.
    Created,
    /// The recipient revealed it (code `viewed`, as stored and in CSV).
    #[serde(rename = "viewed")]
    Opened,
    /// The user burned it.
    Burned,
    /// It expired unread.
    Expired,
    /// The server lost it.
    Orphaned,
    /// An operation failed (its [`HistoryDetail::Failed`] says which and why).
    Failed,
    /// The user received (revealed) a secret someone sent them.
    Received,
    /// The user removed an entry from the list.
    Forgotten,
}

impl HistoryKind {
    /// Every kind.
    pub const ALL: [HistoryKind; 8] = [
        Self::Created,
        Self::Opened,
        Self::Burned,
        Self::Expired,
        Self::Orphaned,
        Self::Failed,
        Self::Received,
        Self::Forgotten,
    ];

    /// Name stored in SQLite and written to CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Opened => "viewed",
            Self::Burned => "burned",
            Self::Expired => "expired",
            Self::Orphaned => "orphaned",
            Self::Failed => "failed",
            Self::Received => "received",
            Self::Forgotten => "forgotten",
        }
    }

    /// Inverse of [`as_str`](Self::as_str).
    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == stored)
    }

    /// The history kind recording a transition into `state`.
    pub fn for_state(state: SecretState) -> Option<Self> {
        match state {
            SecretState::Unread => None,
            SecretState::Opened => Some(Self::Opened),
            SecretState::Burned => Some(Self::Burned),
            SecretState::Expired => Some(Self::Expired),
            SecretState::Orphaned => Some(Self::Orphaned),
        }
    }
}

/// One line of the activity log. Never holds secret text, links or keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryRow {
    /// Increasing row number.
    #[ts(type = "number")]
    pub id: i64,
    /// When (Unix ms).
    #[ts(type = "number")]
    pub at: i64,
    /// What happened.
    pub kind: HistoryKind,
    /// The entry concerned, if any (it may have been forgotten since).
    pub entry_id: Option<String>,
    /// The entry's label at the time (kept after the entry is forgotten).
    pub label: Option<String>,
    /// The profile concerned.
    pub profile_id: Option<String>,
    /// What the row adds to its kind (the host a secret was received from, what failed and
    /// why), as data the UI says in its language.
    pub detail: Option<HistoryDetail>,
}

/// Which history rows to show or export.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct HistoryFilter {
    /// Only these kinds; empty = all.
    pub kinds: Vec<HistoryKind>,
    /// Only this profile.
    pub profile_id: Option<String>,
    /// Only this entry.
    pub entry_id: Option<String>,
    /// Case-insensitive text in the label or the detail's host (or an older row's stored text).
    pub search: Option<String>,
    /// From this time (Unix ms, inclusive).
    #[ts(type = "number | null")]
    pub since: Option<i64>,
    /// Before this time (Unix ms, exclusive).
    #[ts(type = "number | null")]
    pub until: Option<i64>,
    /// At most this many rows, newest first; `None` = all.
    pub limit: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str, recipient: Option<&str>) -> Entry {
        Entry {
            id: "e1".into(),
            label: label.into(),
            profile_id: "eu".into(),
            recipient: recipient.map(Into::into),
            created_at: 0,
            expires_at: 1,
            has_passphrase: false,
            end_to_end: false,
            notify: true,
            state: SecretState::Unread,
            state_changed_at: 0,
            last_checked_at: None,
        }
    }

    #[test]
    fn the_name_is_the_note_else_the_recipient_else_none() {
        assert_eq!(entry(" VPN ", Some("Sam")).name(), Some("VPN"));
        assert_eq!(entry("", Some(" Sam ")).name(), Some("Sam"));
        assert_eq!(entry("  ", Some("")).name(), None);
        assert_eq!(entry("", None).name(), None);
    }
}
