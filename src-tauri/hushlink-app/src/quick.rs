//! The tray's one-click actions: share the clipboard, or a fresh password, with the defaults.
//!
//! Both put the link on the clipboard (replacing the secret there, which is the point) and say
//! so in a desktop notice ([`Notices`]): "Link copied — expires in 1 h". Failures are told
//! that way too, in words, since there is no window to show them in.
//!
//! On a Hushlink relay profile the share is end-to-end encrypted (the key stays in the
//! link's fragment), as the app's own form does. Text larger than the server takes (the
//! relay's default limit, hosted Onetime's 10,000 bytes, measured as uploaded) is refused
//! before anything is sent: the clipboard may hold a whole document copied by mistake.

use hushlink_protocol::{limits, SecretText};
use hushlink_tracker::{GeneratorOptions, Profile};
use tauri::{AppHandle, Manager};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::actions::{self, Share};
use crate::clipboard;
use crate::notices::Notices;
use crate::startup::TrackerState;

/// Shares what the clipboard holds.
pub async fn share_clipboard(app: &AppHandle) {
    let text = match app.clipboard().read_text() {
        Ok(text) if !text.trim().is_empty() => SecretText::new(text),
        _ => {
            notify(
                app,
                "Nothing to share",
                "The clipboard holds no text. Copy the password first.",
            )
            .await;
            return;
        }
    };
    share(app, text, "Clipboard").await;
}

/// Generates a password with the default options and shares it.
pub async fn share_password(app: &AppHandle) {
    match hushlink_tracker::generate(&GeneratorOptions::default()) {
        Ok(generated) => share(app, SecretText::new(generated.password.clone()), "Password").await,
        Err(error) => notify(app, "Could not generate a password", &error.to_string()).await,
    }
}

async fn share(app: &AppHandle, secret: SecretText, what: &str) {
    // Not waited for: sharing minutes later, once the keyring answers, would surprise the
    // person (and the clipboard may hold something else by then).
    let tracker = match app.state::<TrackerState>().now() {
        Some(Ok(tracker)) => tracker,
        Some(Err(error)) => {
            notify(app, "Could not share", &error.message).await;
            return;
        }
        None => {
            notify(
                app,
                "Hushlink is not ready yet",
                "Your list of secrets is encrypted with a key in the system keyring. \
                 Unlock the keyring, then try again.",
            )
            .await;
            return;
        }
    };
    let settings = tracker.settings();
    let profiles = tracker.profiles();
    let Some(profile) = profiles.iter().find(|p| p.is_default) else {
        notify(
            app,
            "Could not share",
            "No default server is set. Open Hushlink to pick one.",
        )
        .await;
        return;
    };
    let end_to_end = match tray_share_mode(profile, secret.expose().len()) {
        Ok(end_to_end) => end_to_end,
        Err(refusal) => {
            notify(app, "Not shared", &refusal).await;
            return;
        }
    };
    let request = Share {
        profile_id: Some(profile.id.clone()),
        ttl_secs: Some(settings.default_expiry_secs),
        end_to_end,
        ..Share::new(secret, format!("{what} shared from the tray"))
    };
    // No recipients: exactly one link.
    match actions::share(&app.state::<TrackerState>(), request)
        .await
        .map(|mut links| links.pop())
    {
        Ok(Some(created)) => {
            let delay = clipboard::clear_delay(&settings);
            if let Err(error) = clipboard::copy(app, &created.share_link, delay) {
                tracing::warn!(%error, "could not copy the link");
                notify(
                    app,
                    "Secret shared, but not copied",
                    "Open Hushlink to copy the link.",
                )
                .await;
                return;
            }
            let ttl = created.entry.expires_at - created.entry.created_at;
            notify(
                app,
                "Link copied",
                &format!(
                    "Paste it to the recipient. It expires in {}.",
                    human_duration(ttl)
                ),
            )
            .await;
        }
        Ok(None) => tracing::error!("a share without recipients made no link"),
        Err(error) => notify(app, "Could not share", &error.message).await,
    }
}

/// Whether a tray share of `bytes` bytes through `profile` is end-to-end encrypted (on a
/// Hushlink relay, always), or why it is refused: larger than the server takes, counted as
/// uploaded (end-to-end ciphertext is about a third larger than the text).
fn tray_share_mode(profile: &Profile, bytes: usize) -> Result<bool, String> {
    let end_to_end = profile.hushlink_relay;
    let (limit, uploaded) = if end_to_end {
        (
            hushlink_relay::RelayConfig::default().max_secret_bytes,
            hushlink_client::e2e::encrypted_len(bytes),
        )
    } else {
        (limits::MAX_SECRET_BYTES, bytes)
    };
    if uploaded > limit {
        return Err(format!(
            "The text is too large for {} ({bytes} bytes; at most {} bytes). Nothing was sent.",
            profile.name,
            largest_text(limit, end_to_end)
        ));
    }
    Ok(end_to_end)
}

/// The most bytes of text that fit `limit` as uploaded.
fn largest_text(limit: usize, end_to_end: bool) -> usize {
    if !end_to_end {
        return limit;
    }
    let mut bytes = limit * 3 / 4;
    while bytes > 0 && hushlink_client::e2e::encrypted_len(bytes) > limit {
        bytes -= 1;
    }
    bytes
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

async fn notify(app: &AppHandle, summary: &str, body: &str) {
    app.state::<Notices>().show(summary, body).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(hushlink_relay: bool) -> Profile {
        let mut profile = hushlink_tracker::Profiles::load(
            std::env::temp_dir().join("hushlink-quick-test-none.json"),
            std::sync::Arc::new(hushlink_tracker::MemoryKeychain::new()),
        )
        .expect("built-in profiles")
        .get("global", "global")
        .expect("the hosted profile");
        profile.hushlink_relay = hushlink_relay;
        profile
    }

    #[test]
    fn tray_shares_are_end_to_end_on_a_relay_and_sized_before_sending() {
        assert_eq!(
            tray_share_mode(&profile(true), 12),
            Ok(true),
            "relay: end to end"
        );
        assert_eq!(
            tray_share_mode(&profile(false), 12),
            Ok(false),
            "Onetime: as is"
        );

        let hosted = tray_share_mode(&profile(false), limits::MAX_SECRET_BYTES + 1);
        let refusal = hosted.expect_err("over hosted Onetime's limit");
        assert!(refusal.contains("at most 10000 bytes"), "{refusal}");
        assert_eq!(
            tray_share_mode(&profile(false), limits::MAX_SECRET_BYTES),
            Ok(false)
        );

        let relay_limit = hushlink_relay::RelayConfig::default().max_secret_bytes;
        let fits = largest_text(relay_limit, true);
        assert_eq!(tray_share_mode(&profile(true), fits), Ok(true));
        assert!(
            tray_share_mode(&profile(true), fits + 1).is_err(),
            "the ciphertext of one byte more would exceed the relay's limit"
        );
        assert!(
            tray_share_mode(&profile(true), relay_limit).is_err(),
            "counted as uploaded, not as typed"
        );
    }

    #[test]
    fn lifetimes_read_as_people_say_them() {
        assert_eq!(human_duration(3_600_000), "1 h");
        assert_eq!(human_duration(15 * 60_000), "15 min");
        assert_eq!(human_duration(86_400_000), "1 day");
        assert_eq!(human_duration(7 * 86_400_000), "7 days");
        assert_eq!(human_duration(90 * 60_000), "90 min");
    }
}
