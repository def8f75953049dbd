//! The tray's one-click actions: share the clipboard, or a fresh password, with the defaults.
//!
//! Both put the link on the clipboard (replacing the secret there, which is the point) and say
//! so in a desktop notification: "Link copied — expires in 1 h". Failures are notified too,
//! in words, since there is no window to show them in.

use hushlink_protocol::SecretText;
use hushlink_tracker::GeneratorOptions;
use tauri::{AppHandle, Manager};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::clipboard;
use crate::startup::TrackerState;

/// Shares what the clipboard holds.
pub async fn share_clipboard(app: &AppHandle) {
    let text = match app.clipboard().read_text() {
        Ok(text) if !text.trim().is_empty() => SecretText::new(text),
        _ => {
            notify(
                "Nothing to share",
                "The clipboard holds no text. Copy the password first.",
            );
            return;
        }
    };
    share(app, text, "Clipboard").await;
}

/// Generates a password with the default options and shares it.
pub async fn share_password(app: &AppHandle) {
    match hushlink_tracker::generate(&GeneratorOptions::default()) {
        Ok(generated) => share(app, SecretText::new(generated.password.clone()), "Password").await,
        Err(error) => notify("Could not generate a password", &error.to_string()),
    }
}

async fn share(app: &AppHandle, secret: SecretText, what: &str) {
    // Not waited for: sharing minutes later, once the keyring answers, would surprise the
    // person (and the clipboard may hold something else by then).
    let tracker = match app.state::<TrackerState>().now() {
        Some(Ok(tracker)) => tracker,
        Some(Err(error)) => {
            notify("Could not share", &error.message);
            return;
        }
        None => {
            notify(
                "Hushlink is not ready yet",
                "Your list of secrets is encrypted with a key in the system keyring. \
                 Unlock the keyring, then try again.",
            );
            return;
        }
    };
    let settings = tracker.settings();
    let label = format!("{what} shared from the tray");
    let request = hushlink_tracker::CreateRequest {
        label,
        profile_id: None,
        secret,
        passphrase: None,
        expiry_secs: Some(settings.default_expiry_secs),
        recipient: None,
        email_recipient: false,
        notify: None,
        end_to_end: false,
    };
    match tracker.create(request).await {
        Ok(created) => {
            let delay = clipboard::clear_delay(&settings);
            if let Err(error) = clipboard::copy(app, &created.share_link, delay) {
                tracing::warn!(%error, "could not copy the link");
                notify(
                    "Secret shared, but not copied",
                    "Open Hushlink to copy the link.",
                );
                return;
            }
            let ttl = created.entry.expires_at - created.entry.created_at;
            notify(
                "Link copied",
                &format!(
                    "Paste it to the recipient. It expires in {}.",
                    human_duration(ttl)
                ),
            );
        }
        Err(error) => notify("Could not share", &error.to_string()),
    }
}

/// "1 h", "15 min", "7 days": the lifetime as the notification says it.
pub fn human_duration(ms: i64) -> String {
    let minutes = (ms / 60_000).max(1);
    match minutes {
        m if m % (24 * 60) == 0 => match m / (24 * 60) {
            1 => "1 day".to_owned(),
            d => format!("{d} days"),
        },
        m if m % 60 == 0 => format!("{} h", m / 60),
        m => format!("{m} min"),
    }
}

fn notify(summary: &str, body: &str) {
    if let Err(error) = notify_rust::Notification::new()
        .appname("Hushlink")
        .summary(summary)
        .body(body)
        .show()
    {
        tracing::warn!(%error, "desktop notification failed");
    }
}

#[cfg(test)]
mod tests {
    use super::human_duration;

    #[test]
    fn lifetimes_read_as_people_say_them() {
        assert_eq!(human_duration(3_600_000), "1 h");
        assert_eq!(human_duration(15 * 60_000), "15 min");
        assert_eq!(human_duration(86_400_000), "1 day");
        assert_eq!(human_duration(7 * 86_400_000), "7 days");
        assert_eq!(human_duration(90 * 60_000), "90 min");
    }
}
