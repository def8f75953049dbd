//! What a person can do from the window and from the tray, written once for both.
//!
//! Commands (`commands/`) and the tray's one-click actions ([`crate::quick`]) call these; these
//! call the libraries and emit UI events, never the tray or a command, so use runs one way.
//!
//! - [`share`]: share a secret, one link per recipient, each tracked on its own.
//! - [`toggle_relay`]: the tray's relay switch; [`relay_switched`]: what follows any switch
//!   of the relay (from the panel, the tray, or the relay following its network).

use hushlink_protocol::SecretText;
use hushlink_tracker::{CreateRequest, Created};
use tauri::{AppHandle, Manager};

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::events::{self, AppEvent};
use crate::relay::{RelayPanelStatus, RelaySwitch};
use crate::startup::TrackerState;

/// A secret to share, as the window's form or the tray asks for it.
///
/// Build it with [`Share::new`] and struct update syntax for what differs from the defaults.
#[derive(Debug, Clone)]
pub struct Share {
    /// The secret itself; zeroized when dropped, never logged.
    pub text: SecretText,
    /// A passphrase the recipient must type; an empty one counts as none.
    pub passphrase: Option<SecretText>,
    /// Lifetime in seconds (the server may shorten it); `None` for the settings' default.
    pub ttl_secs: Option<u64>,
    /// One link per recipient, each name trimmed; empty for one link for nobody in particular.
    pub recipients: Vec<String>,
    /// The person's own label, e.g. "VPN password for Sam".
    pub label: String,
    /// Server profile; `None` for the default profile.
    pub profile_id: Option<String>,
    /// Encrypt in the app, the key only in the link's fragment (Hushlink relays only).
    pub end_to_end: bool,
    /// Also have the server e-mail each link to its recipient (servers with an account only).
    pub email_links: bool,
    /// A line the recipient's page shows, saying who it is from (Hushlink relays only; the
    /// tracker leaves it out for other servers).
    pub sender_note: Option<String>,
}

impl Share {
    /// `text` labelled `label`: one link, through the default profile, for the default
    /// lifetime, without passphrase, e-mail or end-to-end encryption.
    pub fn new(text: SecretText, label: impl Into<String>) -> Self {
        Self {
            text,
            passphrase: None,
            ttl_secs: None,
            recipients: Vec::new(),
            label: label.into(),
            profile_id: None,
            end_to_end: false,
            email_links: false,
            sender_note: None,
        }
    }
}

/// Shares `share` once per recipient (or once), each link tracked on its own, in order.
///
/// An empty text is refused at once, before waiting for the tracker (it may be waiting for the
/// keyring). If one link of several fails, the ones before it stay shared and tracked.
pub async fn share(tracker: &TrackerState, share: Share) -> CommandResult<Vec<Created>> {
    if share.text.expose().is_empty() {
        return Err(CommandError::new(
            ErrorCode::SecretEmpty,
            "Type or paste the secret first.",
        ));
    }
    let tracker = tracker.get().await?;
    let passphrase = share.passphrase.filter(|p| !p.expose().is_empty());
    let recipients: Vec<Option<String>> = if share.recipients.is_empty() {
        vec![None]
    } else {
        share
            .recipients
            .iter()
            .map(|r| Some(r.trim().to_owned()))
            .collect()
    };
    let mut created = Vec::with_capacity(recipients.len());
    for recipient in recipients {
        let request = CreateRequest {
            label: share.label.clone(),
            profile_id: share.profile_id.clone(),
            secret: share.text.clone(),
            passphrase: passphrase.clone(),
            expiry_secs: share.ttl_secs,
            recipient,
            email_recipient: share.email_links,
            notify: None,
            end_to_end: share.end_to_end,
            sender_note: share.sender_note.clone(),
        };
        created.push(tracker.create(request).await?);
    }
    Ok(created)
}

/// Turns the relay off if it runs, else on where it was saved. A refused start (a busy port)
/// is logged; the panel it leaves says why, and the tray shows that.
pub async fn toggle_relay(app: &AppHandle) {
    let switch = app.state::<RelaySwitch>();
    let panel = if switch.panel().await.running {
        switch.stop().await
    } else {
        match switch.start(None, None).await {
            Ok(panel) => panel,
            Err(error) => {
                tracing::warn!(%error, "relay did not start from the tray");
                switch.panel().await
            }
        }
    };
    relay_switched(app, &panel);
}

/// Everything that follows a relay switch, wherever it came from: the tracker's "This
/// computer's relay" profile points at the relay as it is now, then the UI and the tray hear
/// [`AppEvent::RelayChanged`].
pub fn relay_switched(app: &AppHandle, panel: &RelayPanelStatus) {
    let event = AppEvent::RelayChanged {
        status: panel.clone(),
    };
    // While the tracker is still opening, `startup` attaches the relay once it is open.
    let Some(Ok(tracker)) = app
        .try_state::<TrackerState>()
        .and_then(|state| state.now())
    else {
        events::emit(app, event);
        return;
    };
    // The UI reloads the server list when it hears of the switch, so the relay's profile must
    // be in place first. Attaching reads the switch, whose lock the caller may still hold:
    // hence a task rather than an await here.
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        crate::in_process::attach(&app, &tracker).await;
        events::emit(&app, event);
    });
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use hushlink_relay::{Relay, RelayConfig};
    use hushlink_tracker::profiles::LOCAL_RELAY_ID;
    use hushlink_tracker::{MemoryKeychain, RecordingNotifier, Tracker, TrackerConfig};

    use super::*;
    use crate::in_process::OwnRelay;

    /// A tracker whose "This computer" profile reaches a relay in process (no network).
    async fn ready(dir: &std::path::Path) -> TrackerState {
        let relay = Relay::open(RelayConfig::with_data_dir(dir.join("relay")))
            .await
            .expect("relay opens");
        let mut config = TrackerConfig::desktop("io.hushlink.test").expect("folders");
        config.data_dir = dir.join("data");
        config.config_dir = dir.join("config");
        config.keychain = Arc::new(MemoryKeychain::new());
        config.notifier = Arc::new(RecordingNotifier::new());
        config.background_poller = false;
        let tracker = Tracker::start(config).expect("tracker opens");
        let origin = url::Url::parse("http://10.77.0.2:7143/").expect("a URL");
        tracker.set_local_relay_in_process(origin.clone(), Arc::new(OwnRelay::new(relay, &origin)));
        let state = TrackerState::starting();
        state.finish(Ok(Arc::new(tracker)));
        state
    }

    #[tokio::test]
    async fn an_empty_text_is_refused_without_waiting_for_the_tracker() {
        // Never finished: a share that waited for it would hang the test.
        let opening = TrackerState::starting();
        let refused = share(&opening, Share::new(SecretText::new(""), "x"))
            .await
            .expect_err("nothing to share");
        assert_eq!(refused.code, ErrorCode::SecretEmpty.as_str());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn one_link_per_trimmed_recipient_and_an_empty_passphrase_is_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let tracker = ready(dir.path()).await;
        let request = Share {
            passphrase: Some(SecretText::new("")),
            ttl_secs: Some(600),
            recipients: vec![" Sam ".to_owned(), "Kim".to_owned()],
            profile_id: Some(LOCAL_RELAY_ID.to_owned()),
            ..Share::new(SecretText::new("correct horse"), "VPN password")
        };
        let created = share(&tracker, request).await.expect("shared");
        let recipients: Vec<_> = created
            .iter()
            .map(|c| c.entry.recipient.as_deref())
            .collect();
        assert_eq!(recipients, [Some("Sam"), Some("Kim")], "in order, trimmed");
        assert_ne!(
            created[0].share_link, created[1].share_link,
            "each recipient gets a link of their own"
        );
        for made in &created {
            assert_eq!(made.entry.label, "VPN password");
            assert!(!made.entry.has_passphrase, "an empty passphrase is none");
            assert_eq!(made.entry.expires_at - made.entry.created_at, 600_000);
        }

        let single = share(
            &tracker,
            Share {
                profile_id: Some(LOCAL_RELAY_ID.to_owned()),
                end_to_end: true,
                ..Share::new(SecretText::new("x"), "Wi-Fi")
            },
        )
        .await
        .expect("shared");
        assert_eq!(single.len(), 1, "no recipient: one link");
        assert!(single[0].entry.recipient.is_none());
        assert!(single[0].entry.end_to_end);
    }
}
