//! Hushlink's memory: the secrets a user shared and their live status, server profiles with
//! tokens in the OS keyring, an encrypted local store, notifications, history, a password
//! generator and app settings.
//!
//! The Tauri shell calls this crate from thin commands and forwards its [`TrackerEvent`]s to
//! the UI; nothing here needs a display. Types that cross to the UI derive `serde` (camelCase)
//! and `ts_rs::TS`.
//!
//! Module map:
//! - [`error`]: [`TrackerError`], one variant per failure, each with a stable [`ErrorCode`].
//! - [`tracker`]: [`Tracker`], the handle the shell keeps: owns everything below and the
//!   status poller task; [`secrets`] (create, burn, refresh, forget, list, receive) and
//!   [`prefs`] (settings, profiles, check connection) are its methods.
//! - `poller` (private): the status poller task: batch status, receipts, budget, backoff.
//! - `shared` (private): the state the tracker handle and its poller task share.
//! - [`policy`]: poll intervals, request budget and backoff ([`PollPolicy`]).
//! - [`remote`]: the seam to `hushlink-client` and the receipt-state mapping (reference §6).
//! - [`model`]: entries, states, filters, history rows (the UI's view of the data).
//! - [`history_detail`]: [`HistoryDetail`], a history row's detail as a code and args.
//! - [`store`]: SQLite (WAL, migrations, 0600) with share links and receipt keys sealed by
//!   [`crypto`] under a data key kept in the [`keychain`].
//! - [`settings`]: typed app preferences saved as the difference from their defaults.
//! - [`generator`]: passwords and passphrases from the OS RNG, with an entropy figure.
//! - [`profiles`]: hosted regions, custom servers (colleagues' relays pinned to their
//!   certificate), the local relay; tokens in the keyring.
//! - [`invites`]: [`Tracker::import_invite`], a colleague's relay from a one-time invite.
//! - [`events`]: [`TrackerEvent`], what the shell forwards to the UI.
//! - [`notify`]: the [`Notifier`] trait, desktop notifications and a recording sink.
//! - [`clock`]: injected time ([`SystemClock`], [`ManualClock`] for tests).

pub mod clock;
pub mod crypto;
pub mod error;
pub mod events;
pub mod generator;
pub mod history_detail;
pub mod invites;
pub mod keychain;
pub mod model;
pub mod notify;
pub mod policy;
pub mod prefs;
pub mod profiles;
pub mod remote;
pub mod secrets;
pub mod settings;
pub mod store;
pub mod tracker;

mod fsutil;
mod poller;
mod shared;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{ErrorCode, Result, TrackerCode, TrackerError};
pub use events::TrackerEvent;
pub use generator::{generate, GeneratedPassword, GeneratorOptions};
pub use history_detail::{HistoryAction, HistoryDetail};
pub use keychain::{Keychain, MemoryKeychain, OsKeychain};
pub use model::{
    Entry, EntryDetail, HistoryFilter, HistoryKind, HistoryRow, ListFilter, SecretState, SortKey,
    StateChange,
};
pub use notify::{DesktopNotifier, Notification, NotificationKind, Notifier, RecordingNotifier};
pub use policy::PollPolicy;
pub use prefs::ConnectionReport;
pub use profiles::{InvitedRelay, Profile, ProfileInput, ProfileKind, Profiles};
pub use secrets::{CreateRequest, Created, Received};
pub use settings::{Settings, SettingsFile, Theme};
pub use store::Store;
pub use tracker::{PollStats, Tracker, TrackerConfig, TrackerStatus};
