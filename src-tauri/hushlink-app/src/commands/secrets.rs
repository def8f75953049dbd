//! Sharing secrets, tracking them, and opening secrets someone sent.

use std::time::Duration;

use hushlink_protocol::SecretText;
use hushlink_tracker::{Entry, EntryDetail, ListFilter, Tracker};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::actions;
use crate::clipboard;
use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::qr;
use crate::startup::TrackerState;

/// What "Create link" sends. One link is made per recipient; no recipient gives one link.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewSecretRequest {
    /// The secret itself; zeroized when dropped, never logged.
    #[ts(type = "string")]
    pub text: SecretText,
    /// Optional passphrase the recipient must type.
    #[ts(type = "string | null")]
    pub passphrase: Option<SecretText>,
    /// Lifetime in milliseconds, like every time that crosses to the UI (the server may
    /// shorten it to its maximum; servers count whole seconds).
    #[ts(type = "number")]
    pub ttl_ms: u64,
    /// Who each link is for; empty for one link for nobody in particular.
    pub recipients: Vec<String>,
    /// The user's own note, e.g. "VPN password for Sam"; may be empty.
    pub label: String,
    /// Server profile; `null` for the default profile.
    pub profile_id: Option<String>,
    /// Encrypt in the app, key only in the link's fragment (Hushlink relays only).
    pub end_to_end: bool,
    /// Also have the server e-mail each link to its recipient (servers with an account only;
    /// the mail carries the link, never the secret).
    #[serde(default)]
    pub email_links: bool,
    /// "Shown to the recipient": who the secret is from, on the recipient's page (Hushlink
    /// relays only; at most 120 characters, one line). Absent or null: none.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub sender_note: Option<String>,
}

/// One created link.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreatedSecret {
    /// The tracked entry.
    pub entry: Entry,
    /// The share link.
    pub link: String,
    /// QR code of the link, an SVG document.
    pub qr_svg: String,
}

/// The link of an active secret, shown again.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShareView {
    /// The share link.
    pub link: String,
    /// QR code of the link, an SVG document.
    pub qr_svg: String,
    /// Unix ms.
    #[ts(type = "number")]
    pub expires_at: i64,
}

/// A secret someone sent, revealed (and so destroyed on the server).
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReceivedSecret {
    /// The secret text.
    pub text: String,
}

impl std::fmt::Debug for ReceivedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceivedSecret([redacted])")
    }
}

/// Servers count lifetimes in whole seconds; a part second is rounded up, so a link never
/// lives shorter than asked, and at least one second.
fn ttl_secs(ttl_ms: u64) -> u64 {
    ttl_ms.div_ceil(1000).max(1)
}

fn qr_of(link: &str) -> CommandResult<String> {
    qr::svg(link).map_err(|error| {
        tracing::warn!(%error, "link too long for a QR code");
        CommandError::new(ErrorCode::Internal, "This link is too long for a QR code.")
    })
}

// Every command that needs the tracker awaits it: it opens after the window, once the keyring
// answers (see `startup`).

/// Lists tracked secrets.
#[tauri::command]
pub async fn list_secrets(
    tracker: State<'_, TrackerState>,
    filter: ListFilter,
) -> CommandResult<Vec<Entry>> {
    Ok(tracker.get().await?.list(&filter)?)
}

/// One secret with its history.
#[tauri::command]
pub async fn get_secret(
    tracker: State<'_, TrackerState>,
    id: String,
) -> CommandResult<EntryDetail> {
    Ok(tracker.get().await?.detail(&id)?)
}

/// Shares the text once per recipient (or once), each link tracked on its own.
#[tauri::command]
pub async fn create_secrets(
    tracker: State<'_, TrackerState>,
    request: NewSecretRequest,
) -> CommandResult<Vec<CreatedSecret>> {
    super::checks::sender_note(request.sender_note.as_deref())?;
    let share = actions::Share {
        passphrase: request.passphrase,
        ttl_secs: Some(ttl_secs(request.ttl_ms)),
        recipients: request.recipients,
        profile_id: request.profile_id,
        end_to_end: request.end_to_end,
        email_links: request.email_links,
        sender_note: request.sender_note,
        ..actions::Share::new(request.text, request.label)
    };
    actions::share(&tracker, share)
        .await?
        .into_iter()
        .map(|made| {
            Ok(CreatedSecret {
                qr_svg: qr_of(&made.share_link)?,
                link: made.share_link.clone(),
                entry: made.entry.clone(),
            })
        })
        .collect()
}

/// The link and QR of a secret again (while it can still be read).
#[tauri::command]
pub async fn share_link(tracker: State<'_, TrackerState>, id: String) -> CommandResult<ShareView> {
    let tracker = tracker.get().await?;
    let detail = tracker.detail(&id)?;
    let link = tracker.share_link(&id)?;
    Ok(ShareView {
        qr_svg: qr_of(&link)?,
        link,
        expires_at: detail.entry.expires_at,
    })
}

fn clear_delay(tracker: &Tracker) -> Option<Duration> {
    clipboard::clear_delay(&tracker.settings())
}

fn copy(app: &AppHandle, tracker: &Tracker, text: &str) -> CommandResult<()> {
    clipboard::copy(app, text, clear_delay(tracker)).map_err(|error| {
        tracing::warn!(%error, "clipboard write failed");
        CommandError::new(
            ErrorCode::Internal,
            "Could not copy to the clipboard; select the text and copy it by hand.",
        )
    })
}

/// Copies a secret's link; it is cleared later if the clipboard still holds it.
#[tauri::command]
pub async fn copy_link(
    app: AppHandle,
    tracker: State<'_, TrackerState>,
    id: String,
) -> CommandResult<()> {
    let tracker = tracker.get().await?;
    let link = tracker.share_link(&id)?;
    copy(&app, &tracker, &link)
}

/// Copies a revealed secret or a generated password, with the same auto-clear.
#[tauri::command]
pub async fn copy_text(
    app: AppHandle,
    tracker: State<'_, TrackerState>,
    text: String,
) -> CommandResult<()> {
    let text = SecretText::new(text);
    // The auto-clear delay is a setting, kept by the tracker.
    let tracker = tracker.get().await?;
    copy(&app, &tracker, text.expose())
}

/// Destroys a secret on its server before anyone reads it.
#[tauri::command]
pub async fn burn_secret(tracker: State<'_, TrackerState>, id: String) -> CommandResult<Entry> {
    Ok(tracker.get().await?.burn(&id, None).await?)
}

/// Removes a secret from the list (the server is not asked to do anything).
#[tauri::command]
pub async fn forget_secret(tracker: State<'_, TrackerState>, id: String) -> CommandResult<()> {
    Ok(tracker.get().await?.forget(&id)?)
}

/// Checks every active secret now.
#[tauri::command]
pub async fn refresh_secrets(tracker: State<'_, TrackerState>) -> CommandResult<()> {
    Ok(tracker.get().await?.refresh_all()?)
}

/// Opens a secret someone sent (this destroys it on the server).
#[tauri::command]
pub async fn receive_secret(
    tracker: State<'_, TrackerState>,
    link: String,
    passphrase: Option<String>,
) -> CommandResult<ReceivedSecret> {
    let passphrase = passphrase.filter(|p| !p.is_empty()).map(SecretText::new);
    let received = tracker
        .get()
        .await?
        .receive(link.trim(), passphrase)
        .await?;
    Ok(ReceivedSecret {
        text: received.value.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifetime_crosses_in_milliseconds_and_reaches_the_server_in_seconds() {
        let request: NewSecretRequest = serde_json::from_value(serde_json::json!({
            "text": "s3cret",
            "passphrase": null,
            "ttlMs": 86_400_000u64,
            "recipients": [],
            "label": "",
            "profileId": null,
            "endToEnd": false,
        }))
        .expect("the UI's request");
        assert_eq!(request.ttl_ms, 86_400_000);
        assert_eq!(ttl_secs(request.ttl_ms), 86_400);
        assert_eq!(ttl_secs(1_500), 2, "rounded up");
        assert_eq!(ttl_secs(0), 1, "never zero");
    }
}
