//! Desktop notifications for "opened" and "expired unopened", behind a [`Notifier`] trait: the
//! one path by which Hushlink notifies.
//!
//! A notification names the label and the local time ("“VPN password for Sam” was opened at
//! 10:42") and never the secret, the link or the recipient. Its words come from the app's
//! catalogues in the language the shell set ([`catalog`]). [`DesktopNotifier`] shows it through
//! `notify-rust` (the freedesktop D-Bus service on Linux); [`RecordingNotifier`] keeps it in
//! memory for tests. Whether to notify at all (global setting, per-secret switch) is decided
//! by the tracker before it calls a notifier. An app's own messages that concern no tracked
//! secret ("Link copied" after a share from the tray) are [`Notice`]s, shown by the same
//! notifier ([`Notifier::notice`]) so they are escaped and named the same way.
//!
//! Desktop notification texts are markup to many daemons (the freedesktop body is markup by
//! the spec; dunst, mako and GNOME Shell render `<b>`, `<a href>` and entities, dunst in the
//! summary too), so [`DesktopNotifier`] escapes `&`, `<` and `>` ([`escape_markup`]): a label
//! such as `R&D <admin>` is shown as typed, never as markup or a link.
//!
//! Clicking a desktop notification opens its entry: [`DesktopNotifier::on_open`] registers what
//! to call with the entry id (the app shows its window on that entry's detail).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::clock::local_hhmm;
use crate::error::{Result, TrackerError};
use crate::model::SecretState;

pub mod catalog;
mod click;

use catalog::{fill, language, text};

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NotificationKind {
    /// The recipient revealed (opened) the secret.
    #[serde(rename = "viewed")]
    Opened,
    /// The secret's lifetime ran out before anyone read it.
    ExpiredUnread,
}

/// A notification ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// What happened.
    pub kind: NotificationKind,
    /// Entry it is about (the UI opens it when the notification is clicked).
    pub entry_id: String,
    /// Title line.
    pub summary: String,
    /// Body text.
    pub body: String,
}

impl Notification {
    /// The notification for `entry_id` entering `state` at `at_ms`, or `None` for states
    /// nobody needs to hear about (burned: the user did it; orphaned: rare, shown in the list).
    pub fn for_transition(
        entry_id: &str,
        label: &str,
        state: SecretState,
        at_ms: i64,
    ) -> Option<Self> {
        Self::for_transition_in(language(), entry_id, label, state, at_ms)
    }

    /// [`Notification::for_transition`] in a given language rather than the shell's.
    pub fn for_transition_in(
        lang: catalog::Lang,
        entry_id: &str,
        label: &str,
        state: SecretState,
        at_ms: i64,
    ) -> Option<Self> {
        let time = local_hhmm(at_ms);
        let (kind, words) = match state {
            SecretState::Opened => (NotificationKind::Opened, "notify.opened"),
            SecretState::Expired => (NotificationKind::ExpiredUnread, "notify.expired"),
            SecretState::Unread | SecretState::Burned | SecretState::Orphaned => return None,
        };
        Some(Self {
            kind,
            entry_id: entry_id.to_owned(),
            summary: text(lang, &format!("{words}.summary")).to_owned(),
            body: fill(
                lang,
                &format!("{words}.body"),
                &[("label", label), ("time", &time)],
            ),
        })
    }
}

/// A message from the app itself, about no tracked secret (the result of a share from the
/// tray): not clickable. Its texts may carry a server's words; they are escaped like a
/// [`Notification`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Title line.
    pub summary: String,
    /// Body text.
    pub body: String,
}

impl Notice {
    /// A notice with this title and body.
    pub fn new(summary: impl Into<String>, body: impl Into<String>) -> Self {
        Self {
            summary: summary.into(),
            body: body.into(),
        }
    }
}

/// Shows notifications. Implementations may block briefly (a D-Bus call): call them from a
/// blocking-safe context, as the tracker does.
pub trait Notifier: Send + Sync + fmt::Debug {
    /// Shows one notification about a tracked secret.
    fn notify(&self, notification: &Notification) -> Result<()>;

    /// Shows one notice from the app.
    fn notice(&self, notice: &Notice) -> Result<()>;
}

/// Called with a notification's entry id when the person clicks it.
pub type OpenHandler = Arc<dyn Fn(&str) + Send + Sync>;

/// How long a shown notification stays clickable. Listening for the click holds a D-Bus
/// connection (and its zbus executor thread) per notification, so it must end: daemons that
/// expire notifications (dunst, the default 10 s) end it much sooner by closing them, but one
/// that keeps them in a message tray (GNOME) never would.
pub const CLICK_WINDOW: Duration = Duration::from_secs(60 * 60);

/// Real desktop notifications through `notify-rust`.
#[derive(Clone)]
pub struct DesktopNotifier {
    app_name: String,
    on_open: Option<OpenHandler>,
    click_window: Duration,
}

impl DesktopNotifier {
    /// Notifications under the app name "Hushlink"; clicking them does nothing.
    pub fn new() -> Self {
        Self {
            app_name: "Hushlink".into(),
            on_open: None,
            click_window: CLICK_WINDOW,
        }
    }

    /// Makes each notification clickable for [`CLICK_WINDOW`] (freedesktop "default" action):
    /// a click calls `handler` with the entry id. Needs a Tokio runtime when notifying (the
    /// tracker's poller has one); without one the notification is shown but not clickable.
    pub fn on_open(mut self, handler: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.on_open = Some(Arc::new(handler));
        self
    }

    /// A shorter (or longer) time to stay clickable than [`CLICK_WINDOW`].
    pub fn click_window(mut self, window: Duration) -> Self {
        self.click_window = window;
        self
    }
}

impl fmt::Debug for DesktopNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DesktopNotifier")
            .field("app_name", &self.app_name)
            .field("clickable", &self.on_open.is_some())
            .field("click_window", &self.click_window)
            .finish()
    }
}

impl Default for DesktopNotifier {
    fn default() -> Self {
        Self::new()
    }
}

impl DesktopNotifier {
    /// A desktop notification under the app's name, its texts escaped for markup.
    fn desktop(&self, summary: &str, body: &str) -> notify_rust::Notification {
        let (summary, body) = desktop_texts(summary, body);
        let mut shown = notify_rust::Notification::new();
        shown.appname(&self.app_name).summary(&summary).body(&body);
        shown
    }
}

impl Notifier for DesktopNotifier {
    fn notify(&self, notification: &Notification) -> Result<()> {
        let mut shown = self.desktop(&notification.summary, &notification.body);
        let on_open = self
            .on_open
            .clone()
            .filter(|_| click::supported() && tokio::runtime::Handle::try_current().is_ok());
        if on_open.is_some() {
            // The freedesktop "default" action is what a click on the notification's body
            // invokes; the label is shown only by daemons that list actions as buttons.
            shown.action("default", text(language(), "notify.open"));
        }
        let handle = shown
            .show()
            .map_err(|e| TrackerError::Notification(e.to_string()))?;
        if let Some(on_open) = on_open {
            click::watch(
                handle,
                notification.entry_id.clone(),
                on_open,
                self.click_window,
            );
        }
        Ok(())
    }

    fn notice(&self, notice: &Notice) -> Result<()> {
        self.desktop(&notice.summary, &notice.body)
            .show()
            .map(drop)
            .map_err(|e| TrackerError::Notification(e.to_string()))
    }
}

/// The summary and body a desktop notification daemon gets: escaped for markup.
fn desktop_texts(summary: &str, body: &str) -> (String, String) {
    (escape_markup(summary), escape_markup(body))
}

/// `text` with `&`, `<` and `>` as entities, for daemons that render notification markup.
/// Quotes need no escaping outside attributes, and daemons take no attributes from us.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Keeps notifications in memory; for tests and for a UI that wants an in-app list.
#[derive(Debug, Default)]
pub struct RecordingNotifier {
    shown: Mutex<Vec<Notification>>,
    notices: Mutex<Vec<Notice>>,
}

impl RecordingNotifier {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Everything "shown" so far.
    pub fn shown(&self) -> Vec<Notification> {
        self.shown
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Every notice "shown" so far.
    pub fn notices(&self) -> Vec<Notice> {
        self.notices
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Notifier for RecordingNotifier {
    fn notify(&self, notification: &Notification) -> Result<()> {
        self.shown
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(notification.clone());
        Ok(())
    }

    fn notice(&self, notice: &Notice) -> Result<()> {
        self.notices
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(notice.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::catalog::Lang;
    use super::*;

    #[test]
    fn texts_name_the_label_and_time_only() {
        let at = 1_700_000_000_000;
        let n = Notification::for_transition_in(
            Lang::En,
            "e1",
            "VPN password for Sam",
            SecretState::Opened,
            at,
        )
        .expect("viewed");
        assert_eq!(n.kind, NotificationKind::Opened);
        assert_eq!(
            n.body,
            fill(
                Lang::En,
                "notify.opened.body",
                &[("label", "VPN password for Sam"), ("time", &local_hhmm(at))]
            )
        );
        assert!(n.body.contains("VPN password for Sam") && n.body.contains(&local_hhmm(at)));
        let n = Notification::for_transition("e1", "x", SecretState::Expired, at).expect("expired");
        assert_eq!(n.kind, NotificationKind::ExpiredUnread);
        assert!(Notification::for_transition("e1", "x", SecretState::Burned, at).is_none());
    }

    #[test]
    fn desktop_texts_are_escaped_for_markup_daemons() {
        let label = "R&D <b>VPN</b> <a href=\"https://evil.example\">click</a>";
        let n = Notification::for_transition_in(Lang::En, "e1", label, SecretState::Opened, 0)
            .expect("viewed");
        let (summary, body) = desktop_texts(&n.summary, &n.body);
        assert_eq!(
            summary,
            text(Lang::En, "notify.opened.summary"),
            "plain text passes unchanged"
        );
        assert!(
            body.contains(
                "R&amp;D &lt;b&gt;VPN&lt;/b&gt; &lt;a href=\"https://evil.example\"&gt;click&lt;/a&gt;"
            ) && !body.contains('<'),
            "no tag or entity of the label reaches the daemon: {body}"
        );
        assert!(n.body.contains("R&D <b>"), "the in-app text stays as typed");
        assert_eq!(escape_markup("a & b < c > d"), "a &amp; b &lt; c &gt; d");
        assert_eq!(
            escape_markup("&amp;"),
            "&amp;amp;",
            "escaping is not idempotent by design"
        );
    }

    #[test]
    fn notifications_speak_the_shells_language() {
        let at = 1_700_000_000_000;
        let de = Notification::for_transition_in(Lang::De, "e1", "WLAN", SecretState::Expired, at)
            .expect("expired");
        let en = Notification::for_transition_in(Lang::En, "e1", "WLAN", SecretState::Expired, at)
            .expect("expired");
        assert_eq!(de.kind, en.kind, "the code does not depend on the language");
        assert_eq!(de.summary, text(Lang::De, "notify.expired.summary"));
        assert_ne!(de.summary, en.summary);
        assert!(de.body.contains("WLAN") && de.body.contains(&local_hhmm(at)));
    }

    #[test]
    fn recorder_keeps_what_was_shown() {
        let recorder = RecordingNotifier::new();
        let n = Notification::for_transition("e1", "x", SecretState::Opened, 0).expect("viewed");
        recorder.notify(&n).expect("records");
        assert_eq!(recorder.shown(), [n]);
    }

    #[test]
    fn notices_are_kept_apart_from_notifications_about_secrets() {
        let recorder = RecordingNotifier::new();
        let notice = Notice::new("Link copied", "It expires in 1 h.");
        recorder.notice(&notice).expect("records");
        assert_eq!(recorder.notices(), [notice]);
        assert!(
            recorder.shown().is_empty(),
            "a notice is about no secret, so it is not a notification about one"
        );
    }

    /// Sends a real notification to the session's notification daemon (dunst under
    /// `scripts/with-test-session` with a display) and checks the daemon received it.
    #[test]
    fn reaches_a_real_notification_daemon() {
        let _daemon = click::tests_lock();
        if std::env::var_os("DISPLAY").is_none()
            || std::env::var("HUSHLINK_TEST_SESSION").as_deref() != Ok("1")
        {
            eprintln!(
                "skipped: needs DISPLAY and HUSHLINK_TEST_SESSION=1 (a daemon needs a display)"
            );
            return;
        }
        let label = format!("Tracker test {}", crate::crypto::random_id());
        let n = Notification::for_transition("e1", &label, SecretState::Opened, 1_700_000_000_000)
            .expect("viewed");
        DesktopNotifier::new()
            .notify(&n)
            .expect("the daemon accepted it");
        // dunst lists a notification in its history once it is closed.
        let closed = std::process::Command::new("dunstctl")
            .arg("close-all")
            .status()
            .expect("dunstctl runs");
        assert!(closed.success(), "dunstctl close-all failed");
        let history = std::process::Command::new("dunstctl")
            .arg("history")
            .output()
            .expect("dunstctl runs");
        let text = String::from_utf8_lossy(&history.stdout);
        assert!(
            text.contains(&label),
            "dunst did not record the notification: {text}"
        );
    }
}
