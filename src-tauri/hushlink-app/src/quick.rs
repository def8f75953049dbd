//! The tray's one-click actions: share the clipboard, or a fresh password, with the defaults.
//!
//! Both put the link on the clipboard (replacing the secret there, which is the point) and say
//! so in a desktop notice ([`Notices`]): "Link copied — expires in 1 hour". Failures are told
//! that way too, in words, since there is no window to show them in. Every word is the
//! catalogues' (`quick.*` in `ui/src/lib/i18n/<lang>.json`), in the language the tray speaks
//! ([`i18n::language`]), counts and lifetimes through [`i18n::message`] and
//! [`i18n::duration`].
//!
//! On a Hushlink relay profile the share is end-to-end encrypted (the key stays in the
//! link's fragment), as the app's own form does. Text larger than the server takes (the
//! relay's default limit, hosted Onetime's 10,000 bytes, measured as uploaded) is refused
//! before anything is sent: the clipboard may hold a whole document copied by mistake.
//!
//! The clipboard share says what it shared without showing it ([`preview`]: "'esDg…LFJL', 20
//! characters"), and asks before sending text that is long or has several lines, which is
//! rarely a password: the notice describes it, and choosing "Share clipboard as secret"
//! again within [`CONFIRM_WINDOW`] sends it ([`confirm_clipboard_share`], which a notification
//! button could call as well). Only a digest of the text waits for the answer.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use hushlink_protocol::{limits, SecretText};
use hushlink_tracker::{GeneratorOptions, Profile};
use sha2::{Digest, Sha256};
use tauri::{AppHandle, Manager};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::actions::{self, Share};
use crate::clipboard;
use crate::i18n::{self, text};
use crate::notices::Notices;
use crate::startup::TrackerState;

mod words;

pub use words::preview;
use words::{ask_body, failed, shared_words, Notice, TooLarge};

/// Clipboard text longer than this (in characters), or on several lines, is shared only once
/// the person confirms: a password is rarely longer, a document copied by mistake is.
pub const ASK_ABOVE_CHARS: usize = 64;
/// How long a question "share this text?" stays open.
pub const CONFIRM_WINDOW: Duration = Duration::from_secs(60);
/// Whether sharing `text` from the tray needs the person's "yes" first.
pub fn needs_confirmation(text: &str) -> bool {
    text.chars().count() > ASK_ABOVE_CHARS || text.trim_end().contains('\n')
}

/// A question asked about clipboard text: its digest, and until when a "yes" counts.
struct Asked {
    digest: [u8; 32],
    until: Instant,
}

/// The open question, if any (the tray is one per app).
static ASKED: Mutex<Option<Asked>> = Mutex::new(None);

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Notes that the person was asked about `text` at `now`.
fn ask(asked: &Mutex<Option<Asked>>, text: &str, now: Instant) {
    *asked.lock().unwrap_or_else(|p| p.into_inner()) = Some(Asked {
        digest: digest(text),
        until: now + CONFIRM_WINDOW,
    });
}

/// Whether `text` is what the person was asked about, in time; the question closes either way.
fn answered_yes(asked: &Mutex<Option<Asked>>, text: &str, now: Instant) -> bool {
    asked
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
        .is_some_and(|q| q.digest == digest(text) && now <= q.until)
}

/// Shares what the clipboard holds; long or multi-line text only once confirmed.
pub async fn share_clipboard(app: &AppHandle) {
    let Some(text) = clipboard_text(app).await else {
        return;
    };
    if needs_confirmation(text.expose()) && !answered_yes(&ASKED, text.expose(), Instant::now()) {
        ask(&ASKED, text.expose(), Instant::now());
        let lang = i18n::language();
        notify(
            app,
            Notice::text(lang, "quick.ask.summary", ask_body(lang, text.expose())),
        )
        .await;
        return;
    }
    share(app, text, "quick.label.clipboard", true).await;
}

/// The person's "yes" to the open question: shares the clipboard if it still holds the text
/// asked about (within [`CONFIRM_WINDOW`]); otherwise asks again.
pub async fn confirm_clipboard_share(app: &AppHandle) {
    share_clipboard(app).await;
}

async fn clipboard_text(app: &AppHandle) -> Option<SecretText> {
    match app.clipboard().read_text() {
        Ok(text) if !text.trim().is_empty() => Some(SecretText::new(text)),
        _ => {
            notify(app, Notice::new(i18n::language(), "quick.empty")).await;
            None
        }
    }
}

/// Generates a password with the default options and shares it.
pub async fn share_password(app: &AppHandle) {
    match hushlink_tracker::generate(&GeneratorOptions::default()) {
        Ok(generated) => {
            share(
                app,
                SecretText::new(generated.password.clone()),
                "quick.label.password",
                false,
            )
            .await
        }
        Err(error) => {
            // Only the OS's random source can fail here (the options are the defaults).
            tracing::error!(code = %error.code(), %error, "no password for the tray");
            notify(app, Notice::new(i18n::language(), "quick.generateFailed")).await;
        }
    }
}

/// Shares `secret`, labelled with the message `label_key`; with `show_preview`, the notice
/// says what was shared ([`preview`]).
async fn share(app: &AppHandle, secret: SecretText, label_key: &str, show_preview: bool) {
    let lang = i18n::language();
    let shown = show_preview.then(|| preview(lang, secret.expose()));
    // Not waited for: sharing minutes later, once the keyring answers, would surprise the
    // person (and the clipboard may hold something else by then).
    let tracker = match app.state::<TrackerState>().now() {
        Some(Ok(tracker)) => tracker,
        Some(Err(error)) => {
            notify(app, failed(lang, &error)).await;
            return;
        }
        None => {
            notify(app, Notice::new(lang, "quick.notReady")).await;
            return;
        }
    };
    let settings = tracker.settings();
    let profiles = tracker.profiles();
    let Some(profile) = profiles.iter().find(|p| p.is_default) else {
        let body = text(lang, "quick.noDefault.body").to_owned();
        notify(app, Notice::text(lang, "quick.failed.summary", body)).await;
        return;
    };
    let end_to_end = match tray_share_mode(profile, secret.expose().len()) {
        Ok(end_to_end) => end_to_end,
        Err(too_large) => {
            let body = too_large.words(lang, &profile.name);
            notify(app, Notice::text(lang, "quick.tooLarge.summary", body)).await;
            return;
        }
    };
    let request = Share {
        profile_id: Some(profile.id.clone()),
        ttl_secs: Some(settings.default_expiry_secs),
        end_to_end,
        ..Share::new(secret, text(lang, label_key).to_owned())
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
                notify(app, Notice::new(lang, "quick.notCopied")).await;
                return;
            }
            let ttl = created.entry.expires_at - created.entry.created_at;
            let body = shared_words(lang, shown.as_deref(), ttl, delay);
            notify(app, Notice::text(lang, "quick.copied.summary", body)).await;
        }
        Ok(None) => tracing::error!("a share without recipients made no link"),
        Err(error) => notify(app, failed(lang, &error)).await,
    }
}

/// Whether a tray share of `bytes` bytes through `profile` is end-to-end encrypted (on a
/// Hushlink relay, always), or why it is refused: larger than the server takes, counted as
/// uploaded (end-to-end ciphertext is about a third larger than the text).
fn tray_share_mode(profile: &Profile, bytes: usize) -> Result<bool, TooLarge> {
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
        return Err(TooLarge {
            bytes,
            largest: largest_text(limit, end_to_end),
        });
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

async fn notify(app: &AppHandle, notice: Notice) {
    app.state::<Notices>()
        .show(&notice.summary, &notice.body)
        .await;
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
        assert_eq!(
            hosted,
            Err(TooLarge {
                bytes: limits::MAX_SECRET_BYTES + 1,
                largest: limits::MAX_SECRET_BYTES
            }),
            "over hosted Onetime's limit"
        );
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
    fn long_or_multi_line_text_is_shared_only_once_confirmed() {
        assert!(!needs_confirmation("esDgk2PqXw81mZtrLFJL"));
        assert!(!needs_confirmation("one line with a trailing newline\n"));
        assert!(needs_confirmation("user: sam\npassword: x"));
        assert!(needs_confirmation(&"x".repeat(ASK_ABOVE_CHARS + 1)));
        assert!(!needs_confirmation(&"x".repeat(ASK_ABOVE_CHARS)));

        let asked = Mutex::new(None);
        let now = Instant::now();
        let text = "a\nb";
        assert!(!answered_yes(&asked, text, now), "nothing asked yet");
        ask(&asked, text, now);
        assert!(
            !answered_yes(&asked, "other", now),
            "a different text is no answer"
        );
        assert!(
            !answered_yes(&asked, text, now),
            "and it closed the question"
        );
        ask(&asked, text, now);
        assert!(!answered_yes(
            &asked,
            text,
            now + CONFIRM_WINDOW + Duration::from_secs(1)
        ));
        ask(&asked, text, now);
        assert!(answered_yes(&asked, text, now + Duration::from_secs(5)));
    }
}
