//! What the user does with sent secrets: create, burn, refresh, forget, list; and receive a
//! secret someone else sent.

use std::fmt;

use hushlink_client::{Client, Link, LinkKind, SecretText, ServerConfig, ShareRequest};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::error::{ErrorCode, Result, TrackerError};
use crate::events::TrackerEvent;
use crate::history_detail::{HistoryAction, HistoryDetail};
use crate::model::{
    Entry, EntryDetail, HistoryFilter, HistoryKind, HistoryRow, ListFilter, SecretState,
};
use crate::shared::lock;
use crate::store::{HistoryNote, NewEntry};
use crate::tracker::Tracker;

/// A secret to share. Arrives from the UI; the text and passphrase stay wrapped.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateRequest {
    /// The user's note for their list, e.g. "VPN password for Sam". May be empty: the list
    /// tells the entry apart by when, to whom and where it was shared (see
    /// [`Entry::name`](crate::model::Entry::name)).
    pub label: String,
    /// Profile to share through; the default profile when absent.
    pub profile_id: Option<String>,
    /// The secret text.
    pub secret: SecretText,
    /// Optional passphrase the recipient must enter.
    pub passphrase: Option<SecretText>,
    /// Lifetime in seconds; the settings' default when absent. The server may shorten it.
    pub expiry_secs: Option<u64>,
    /// Who it is for: a note kept locally.
    pub recipient: Option<String>,
    /// Also ask the server to e-mail the link to `recipient` (needs an account).
    #[serde(default)]
    pub email_recipient: bool,
    /// Notify for this secret (default on; the global setting still applies).
    pub notify: Option<bool>,
    /// Encrypt end to end (Hushlink relay profiles only).
    #[serde(default)]
    pub end_to_end: bool,
    /// A line for the recipient's page, saying who the secret is from (Hushlink extension
    /// `sender_note`, [`hushlink_protocol::note`]). Sent only through a Hushlink relay
    /// profile; other servers have no page that could show it, so it is left out there.
    #[serde(default)]
    pub sender_note: Option<String>,
}

/// The result of sharing: the tracked entry and the link to hand over.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    /// The new entry.
    pub entry: Entry,
    /// The link for the recipient (with its `#key` in end-to-end mode).
    pub share_link: String,
}

impl fmt::Debug for Created {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Created")
            .field("entry", &self.entry)
            .finish_non_exhaustive()
    }
}

impl Drop for Created {
    fn drop(&mut self) {
        self.share_link.zeroize();
    }
}

/// A secret received from someone else. Shown once; zeroed on drop; `Debug` hides it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Received {
    /// The secret text.
    pub value: String,
    /// The server it came from (host and port).
    pub host: String,
}

impl fmt::Debug for Received {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

impl Drop for Received {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

impl Tracker {
    /// Shares a secret through a profile and starts tracking it.
    pub async fn create(&self, request: CreateRequest) -> Result<Created> {
        let inner = &self.inner;
        // An empty note is allowed: the note is optional in the form.
        let label = request.label.trim().to_owned();
        let (profile_id, ttl) = {
            let settings = lock(&inner.settings);
            let settings = settings.get();
            (
                request
                    .profile_id
                    .clone()
                    .unwrap_or_else(|| settings.default_profile.clone()),
                request.expiry_secs.unwrap_or(settings.default_expiry_secs),
            )
        };
        let profile = lock(&inner.profiles).get(&profile_id, "")?;
        if request.end_to_end && !profile.hushlink_relay {
            return Err(TrackerError::E2eUnsupported);
        }
        let sender_note = match request
            .sender_note
            .as_deref()
            .map(hushlink_protocol::note::normalize)
        {
            Some(Err(refused)) => return Err(TrackerError::InvalidInput(refused.to_string())),
            Some(Ok(note)) => note.filter(|_| profile.hushlink_relay).map(str::to_owned),
            None => None,
        };
        // The poller's client for this server: building one loads the TLS roots, which
        // costs far more than the share itself.
        let client = self.client(&profile_id)?;
        let has_passphrase = request.passphrase.as_ref().is_some_and(|p| !p.is_empty());
        let mut share = ShareRequest::new(request.secret);
        share.passphrase = request.passphrase.filter(|p| !p.is_empty());
        share.ttl = Some(ttl);
        if request.email_recipient {
            share.recipient = request.recipient.clone();
        }
        share.sender_note = sender_note;
        let now = inner.clock.now_ms();
        let result = if request.end_to_end {
            client.share_e2e(share).await
        } else {
            client.share(share).await
        };
        let shared = match result {
            Ok(shared) => shared,
            Err(error) => {
                let error = TrackerError::from(error);
                let label = Some(label.as_str()).filter(|l| !l.is_empty());
                self.log_failure(HistoryAction::Create, label, Some(&profile_id), &error);
                return Err(error);
            }
        };
        // The server's effective lifetime (it clamps what we asked for).
        let granted = shared
            .receipt
            .ttl
            .or(shared.receipt.secret_ttl)
            .unwrap_or(ttl);
        let expires_at = now + i64::try_from(granted).unwrap_or(i64::MAX / 2000) * 1000;
        let share_link = shared.secret_link.to_url().to_string();
        let recipient = request
            .recipient
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        let entry = inner.store.insert(&NewEntry {
            label: &label,
            profile_id: &profile_id,
            recipient,
            created_at: now,
            expires_at,
            has_passphrase,
            end_to_end: request.end_to_end,
            notify: request.notify.unwrap_or(true),
            share_link: &share_link,
            receipt_key: &shared.receipt.metadata_key,
            next_check_at: inner.policy.next_check(now, now, expires_at),
        })?;
        inner.emit(TrackerEvent::EntryAdded {
            entry: entry.clone(),
        });
        inner.wake.notify_one();
        Ok(Created { entry, share_link })
    }

    /// Burns a secret before it is read. If the server says it is already gone, the entry is
    /// refreshed (it may have been viewed meanwhile) and the error returned.
    pub async fn burn(&self, id: &str, passphrase: Option<SecretText>) -> Result<Entry> {
        let inner = &self.inner;
        let entry = inner.store.get(id)?;
        if entry.state != SecretState::Unread {
            return Ok(entry);
        }
        let client = self.client(&entry.profile_id)?;
        let key = inner.store.receipt_key(id)?;
        match client.burn(&key, passphrase.as_ref()).await {
            Ok(_) => {
                inner
                    .record_transition(id, SecretState::Burned, inner.clock.now_ms())
                    .await;
                inner.store.get(id)
            }
            Err(error) => {
                let error = TrackerError::from(error);
                if error.code() == ErrorCode::Client(hushlink_client::ErrorCode::SecretGone) {
                    // Learn what happened instead (viewed, expired).
                    let _ = self.refresh(id).await;
                }
                self.log_failure(
                    HistoryAction::Burn,
                    Some(&entry.label),
                    Some(&entry.profile_id),
                    &error,
                );
                Err(error)
            }
        }
    }

    /// Checks one secret now, whatever its schedule (the user asked).
    pub async fn refresh(&self, id: &str) -> Result<Entry> {
        let inner = &self.inner;
        let entry = inner.store.get(id)?;
        if entry.state != SecretState::Unread {
            return Ok(entry);
        }
        let now = inner.clock.now_ms();
        let (client, _, _) = inner.server(&entry.profile_id, now)?;
        let target = crate::store::PollTarget {
            id: entry.id.clone(),
            profile_id: entry.profile_id.clone(),
            created_at: entry.created_at,
            expires_at: entry.expires_at,
            next_check_at: now,
        };
        match inner.check_receipt(&client, &target, now).await {
            Ok(outcome) => {
                inner.server_ok(&entry.profile_id);
                inner.apply(&target, outcome, now).await;
            }
            Err(error) => {
                if error.is_transient() {
                    // The poller should not hammer a server that just refused the user.
                    inner.server_failed(&entry.profile_id, &error, now);
                }
                return Err(error);
            }
        }
        inner.store.get(id)
    }

    /// Makes every unread secret due now and wakes the poller (e.g. after the network
    /// came back, or on the user's "refresh all").
    pub fn refresh_all(&self) -> Result<()> {
        self.inner.store.make_all_due(self.inner.clock.now_ms())?;
        self.inner.wake.notify_one();
        Ok(())
    }

    /// Removes a secret from the list (the server is not told; burn first to destroy it).
    pub fn forget(&self, id: &str) -> Result<()> {
        self.inner.store.forget(id, self.inner.clock.now_ms())?;
        self.inner
            .emit(TrackerEvent::EntryForgotten { id: id.to_owned() });
        Ok(())
    }

    /// Entries matching `filter`.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<Entry>> {
        self.inner.store.list(filter)
    }

    /// One entry with its state history.
    pub fn detail(&self, id: &str) -> Result<EntryDetail> {
        self.inner.store.detail(id)
    }

    /// The share link of an entry, to copy or show as a QR code again.
    pub fn share_link(&self, id: &str) -> Result<String> {
        Ok(self.inner.store.share_link(id)?.as_str().to_owned())
    }

    /// Turns notifications for one secret on or off.
    pub fn set_notify(&self, id: &str, notify: bool) -> Result<Entry> {
        let entry = self.inner.store.set_notify(id, notify)?;
        self.inner.emit(TrackerEvent::EntryUpdated {
            entry: entry.clone(),
        });
        Ok(entry)
    }

    /// Reveals (and so consumes) the secret behind any share link, decrypting end-to-end
    /// links with their fragment.
    pub async fn receive(&self, link: &str, passphrase: Option<SecretText>) -> Result<Received> {
        let link = Link::parse(link).map_err(|e| TrackerError::InvalidLink(e.to_string()))?;
        if link.kind != LinkKind::Secret {
            return Err(TrackerError::InvalidLink(
                "this is a receipt link (for the sender); ask for the share link".into(),
            ));
        }
        let host = match (link.base.host_str(), link.base.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => String::new(),
        };
        let client = Client::with_options(
            ServerConfig::new(link.base.clone()),
            self.inner.client_options.clone(),
        )?;
        let now = self.inner.clock.now_ms();
        match client.reveal_link(&link, passphrase.as_ref()).await {
            Ok(value) => {
                self.inner.store.append_history(
                    now,
                    HistoryKind::Received,
                    &HistoryNote {
                        detail: Some(&HistoryDetail::Received { host: host.clone() }),
                        ..HistoryNote::default()
                    },
                )?;
                Ok(Received {
                    value: value.expose().to_owned(),
                    host,
                })
            }
            Err(error) => {
                let error = TrackerError::from(error);
                self.log_failure(HistoryAction::Receive, None, None, &error);
                Err(error)
            }
        }
    }

    /// Activity log rows matching `filter`, newest first.
    pub fn history(&self, filter: &HistoryFilter) -> Result<Vec<HistoryRow>> {
        self.inner.store.history(filter)
    }

    /// The activity log as CSV (no secret content: labels, profiles, outcomes, times).
    pub fn export_history_csv(&self, filter: &HistoryFilter) -> Result<String> {
        self.inner.store.export_csv(filter)
    }

    /// Writes [`Tracker::export_history_csv`] to a new file in `folder`,
    /// `hushlink-history-<unix seconds>.csv`, and returns its path. The file is owner-only
    /// (`0600` on Unix) from its creation: labels and recipients are nobody else's business,
    /// and Downloads folders are often readable by others.
    pub fn export_history_file(
        &self,
        filter: &HistoryFilter,
        folder: &std::path::Path,
    ) -> Result<std::path::PathBuf> {
        let csv = self.export_history_csv(filter)?;
        let stamp = self.inner.clock.now_ms() / 1000;
        let path = folder.join(format!("hushlink-history-{stamp}.csv"));
        crate::fsutil::write_private(&path, csv.as_bytes())?;
        Ok(path)
    }

    pub(crate) fn client(&self, profile: &str) -> Result<Client> {
        Ok(self.inner.server(profile, self.inner.clock.now_ms())?.0)
    }

    fn log_failure(
        &self,
        action: HistoryAction,
        label: Option<&str>,
        profile_id: Option<&str>,
        error: &TrackerError,
    ) {
        let detail = HistoryDetail::Failed {
            action,
            error: error.code(),
        };
        let note = HistoryNote {
            entry_id: None,
            label,
            profile_id,
            detail: Some(&detail),
        };
        if let Err(e) =
            self.inner
                .store
                .append_history(self.inner.clock.now_ms(), HistoryKind::Failed, &note)
        {
            tracing::warn!(error = %e, "could not log a failure");
        }
    }
}
