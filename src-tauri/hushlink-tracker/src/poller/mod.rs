//! The status poller: a task owned by the [`Tracker`](crate::Tracker) that checks unread
//! secrets when they are due and records what changed.
//!
//! One pass: take every due entry, group by server, and per server (servers in parallel):
//! skip it while it is backing off; ask one batch-status request per `batch_size` secrets
//! where the server has one (secrets still there and unread need nothing more; a server whose
//! batch status is missing or fails inside, as v0.23.6's does, is remembered as having none);
//! fetch the receipt of every other secret, at most `max_in_flight` at once; spend one token of the
//! server's budget per request; what the budget cannot cover stays overdue (first in line)
//! and the poller wakes when the budget refills. Every entry checked leaves the pass with a
//! new `next_check_at` (or a terminal state), so the schedule lives in the store and
//! survives restarts.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use futures_util::future::join_all;
use futures_util::StreamExt as _;
use hushlink_client::{Client, Link};
use tokio::sync::oneshot;

use crate::error::TrackerError;
use crate::events::TrackerEvent;
use crate::model::SecretState;
use crate::notify::Notification;
use crate::remote::{gone_receipt_state, is_gone, map_state};
use crate::shared::{lock, Inner};
use crate::store::PollTarget;

mod servers;

/// Most entries looked at in one pass; the rest are due in the next one.
const MAX_PER_PASS: usize = 5_000;
/// Sleep when nothing is tracked; any new secret wakes the poller anyway.
const IDLE_MS: i64 = 60 * 60 * 1000;
/// Shortest pause between passes, so that a bug that leaves an entry due cannot spin.
const MIN_PAUSE_MS: i64 = 250;

/// The poller's loop; returns when `stop` fires (or its sender is dropped).
pub(crate) async fn run(inner: Arc<Inner>, mut stop: oneshot::Receiver<()>) {
    loop {
        let next = inner.poll_pass().await;
        tokio::select! {
            biased;
            _ = &mut stop => return,
            () = inner.wake.notified() => {}
            () = inner.clock.sleep_until(next) => {}
        }
    }
}

/// What one receipt check found.
pub(crate) enum Outcome {
    /// Still unread (or a state this build does not know).
    Unread,
    /// Moved to a terminal state at the given time.
    Terminal(SecretState, i64),
}

impl Inner {
    /// Checks everything due now; returns when to wake next.
    pub(crate) async fn poll_pass(&self) -> i64 {
        let now = self.clock.now_ms();
        let due = match self.store.due(now, MAX_PER_PASS) {
            Ok(due) => due,
            Err(error) => {
                tracing::warn!(%error, "poller could not read the store");
                return now + 60_000;
            }
        };
        let mut groups: BTreeMap<String, Vec<PollTarget>> = BTreeMap::new();
        for target in due {
            groups
                .entry(target.profile_id.clone())
                .or_default()
                .push(target);
        }
        let full = groups.values().map(Vec::len).sum::<usize>() >= MAX_PER_PASS;
        // Earliest time a server's budget allows more; checks it could not cover stay
        // overdue in the store (keeping their place in the queue) until then.
        let resume = AtomicI64::new(if full { now } else { i64::MAX });
        join_all(
            groups
                .into_iter()
                .map(|(profile, targets)| self.poll_server(profile, targets, now, &resume)),
        )
        .await;
        let scheduled = match self.store.next_due_after(now) {
            Ok(next) => next.unwrap_or(now + IDLE_MS),
            Err(_) => now + 60_000,
        };
        scheduled
            .min(resume.load(Ordering::Relaxed))
            .max(now + MIN_PAUSE_MS)
    }

    async fn poll_server(
        &self,
        profile: String,
        targets: Vec<PollTarget>,
        now: i64,
        resume: &AtomicI64,
    ) {
        let (client, batch, retry_at) = match self.server(&profile, now) {
            Ok(server) => server,
            Err(error) => {
                // Profile removed, or the local relay is off: look again much later.
                tracing::debug!(%error, "profile unavailable; postponing its checks");
                self.defer_to(&targets, now + self.policy.max_interval.as_millis() as i64);
                return;
            }
        };
        if retry_at > now {
            self.defer_to(&targets, retry_at);
            return;
        }
        // Secrets a batch already found gone go first: their receipts hold the news.
        let (flagged, rest): (Vec<PollTarget>, Vec<PollTarget>) = {
            let servers = lock(&self.servers);
            let marked = servers.get(&profile).map(|s| &s.needs_receipt);
            targets
                .into_iter()
                .partition(|t| marked.is_some_and(|m| m.contains(&t.id)))
        };
        if let Some(retry_at) = self
            .receipt_phase(&profile, &client, flagged, now, resume)
            .await
        {
            self.defer_to(&rest, retry_at);
            return;
        }
        let pending = if batch != Some(false) && rest.len() >= 2 {
            match self.batch_phase(&profile, &client, rest, now, resume).await {
                Some(pending) => pending,
                None => return,
            }
        } else {
            rest
        };
        self.receipt_phase(&profile, &client, pending, now, resume)
            .await;
    }

    /// Batch status; returns the entries that still need their receipt read, or `None` when
    /// the server failed (everything was deferred).
    async fn batch_phase(
        &self,
        profile: &str,
        client: &Client,
        targets: Vec<PollTarget>,
        now: i64,
        resume: &AtomicI64,
    ) -> Option<Vec<PollTarget>> {
        let mut need_receipt = Vec::new();
        let mut chunks = targets
            .chunks(self.policy.batch_size.max(1))
            .map(<[PollTarget]>::to_vec);
        while let Some(chunk) = chunks.next() {
            if self.take_tokens(profile, 1, now) == 0 {
                self.wait_for_budget(profile, now, resume);
                return Some(need_receipt);
            }
            let keys: Vec<(PollTarget, Option<String>)> = chunk
                .into_iter()
                .map(|t| {
                    let key = self
                        .store
                        .share_link(&t.id)
                        .ok()
                        .and_then(|link| Link::parse(&link).ok())
                        .map(|link| link.key);
                    (t, key)
                })
                .collect();
            let key_refs: Vec<&str> = keys.iter().filter_map(|(_, k)| k.as_deref()).collect();
            if key_refs.is_empty() {
                // No share key could be read back (never expected): receipts will tell.
                need_receipt.extend(keys.into_iter().map(|(t, _)| t));
                continue;
            }
            self.stats.batch_requests.fetch_add(1, Ordering::Relaxed);
            match client.secret_status_batch(&key_refs).await {
                Ok(answer) => {
                    self.server_ok(profile);
                    let alive: HashSet<&str> = answer
                        .records
                        .iter()
                        .filter(|r| map_state(&r.state) == Some(SecretState::Unread))
                        .filter_map(|r| r.identifier.as_deref().or(r.key.as_deref()))
                        .collect();
                    for (target, key) in keys {
                        if key.as_deref().is_some_and(|k| alive.contains(k)) {
                            self.reschedule_unread(&target, now);
                        } else {
                            need_receipt.push(target);
                        }
                    }
                }
                // No batch status here, or one that fails inside (Onetime v0.23.6 answers
                // every batch with 500): not a failure of the user's secrets. Remember it for
                // this server and read receipts instead, within the same budget.
                Err(
                    error @ (hushlink_client::Error::Unsupported { .. }
                    | hushlink_client::Error::ServerError { .. }),
                ) => {
                    tracing::debug!(
                        profile,
                        code = error.code().as_str(),
                        "batch status unavailable; reading receipts"
                    );
                    self.set_batch_support(profile, false);
                    need_receipt.extend(keys.into_iter().map(|(t, _)| t));
                    need_receipt.extend(chunks.flatten());
                    return Some(need_receipt);
                }
                Err(error) => {
                    let retry_at = self.server_failed(profile, &error.into(), now);
                    let rest: Vec<PollTarget> = keys
                        .into_iter()
                        .map(|(t, _)| t)
                        .chain(chunks.flatten())
                        .chain(need_receipt)
                        .collect();
                    self.defer_to(&rest, retry_at);
                    return None;
                }
            }
        }
        Some(need_receipt)
    }

    /// Reads receipts as far as the budget allows; those it cannot afford are marked to go
    /// first next time. Returns the backoff end when the server failed.
    async fn receipt_phase(
        &self,
        profile: &str,
        client: &Client,
        mut targets: Vec<PollTarget>,
        now: i64,
        resume: &AtomicI64,
    ) -> Option<i64> {
        if targets.is_empty() {
            return None;
        }
        let allowed = self.take_tokens(profile, targets.len(), now);
        let unaffordable = targets.split_off(allowed);
        if !unaffordable.is_empty() {
            self.wait_for_budget(profile, now, resume);
            if let Some(server) = lock(&self.servers).get_mut(profile) {
                server
                    .needs_receipt
                    .extend(unaffordable.into_iter().map(|t| t.id));
            }
        }
        let results: Vec<(PollTarget, Result<Outcome, TrackerError>)> =
            futures_util::stream::iter(targets)
                .map(|target| async move {
                    let outcome = self.check_receipt(client, &target, now).await;
                    (target, outcome)
                })
                .buffer_unordered(self.policy.max_in_flight.max(1))
                .collect()
                .await;
        let mut failure = None;
        let mut failed = Vec::new();
        for (target, result) in results {
            match result {
                Ok(outcome) => self.apply(&target, outcome, now).await,
                Err(error) => {
                    failed.push(target);
                    failure = Some(error);
                }
            }
        }
        match failure {
            Some(error) => {
                let retry_at = self.server_failed(profile, &error, now);
                self.defer_to(&failed, retry_at);
                Some(retry_at)
            }
            None => {
                if allowed > 0 {
                    self.server_ok(profile);
                }
                None
            }
        }
    }

    /// Reads one receipt and says what it means.
    pub(crate) async fn check_receipt(
        &self,
        client: &Client,
        target: &PollTarget,
        now: i64,
    ) -> Result<Outcome, TrackerError> {
        let key = self.store.receipt_key(&target.id)?;
        self.stats.receipt_requests.fetch_add(1, Ordering::Relaxed);
        match client.receipt(&key).await {
            Ok(receipt) => Ok(match map_state(&receipt.state) {
                None | Some(SecretState::Unread) => Outcome::Unread,
                Some(SecretState::Opened) => {
                    // The server's reveal time, when it says and it is plausible.
                    let at = receipt
                        .received
                        .and_then(|s| i64::try_from(s).ok())
                        .map(|s| s * 1000)
                        .filter(|at| (target.created_at..=now).contains(at))
                        .unwrap_or(now);
                    Outcome::Terminal(SecretState::Opened, at)
                }
                Some(SecretState::Expired) => {
                    Outcome::Terminal(SecretState::Expired, target.expires_at.min(now))
                }
                Some(state) => Outcome::Terminal(state, now),
            }),
            Err(error) if is_gone(&error) => {
                let state = gone_receipt_state(now, target.expires_at);
                let at = if state == SecretState::Expired {
                    target.expires_at
                } else {
                    now
                };
                Ok(Outcome::Terminal(state, at))
            }
            Err(error) => Err(error.into()),
        }
    }

    pub(crate) async fn apply(&self, target: &PollTarget, outcome: Outcome, now: i64) {
        if let Some(server) = lock(&self.servers).get_mut(&target.profile_id) {
            server.needs_receipt.remove(&target.id);
        }
        match outcome {
            Outcome::Unread => self.reschedule_unread(target, now),
            Outcome::Terminal(state, at) => self.record_transition(&target.id, state, at).await,
        }
    }

    fn reschedule_unread(&self, target: &PollTarget, now: i64) {
        let next = self
            .policy
            .next_check(now, target.created_at, target.expires_at);
        if let Err(error) = self.store.reschedule(&target.id, Some(now), next) {
            tracing::warn!(%error, "could not reschedule a check");
        }
    }

    /// Records a transition once, emits it, and notifies when wanted.
    pub(crate) async fn record_transition(&self, id: &str, state: SecretState, at: i64) {
        let entry = match self.store.transition(id, state, at) {
            Ok(Some(entry)) => entry,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(%error, "could not record a transition");
                return;
            }
        };
        let wanted = lock(&self.settings).get().notifications && entry.notify;
        let notification =
            Notification::for_transition(&entry.id, &entry.label, state, at).filter(|_| wanted);
        if let Some(notification) = notification {
            // A D-Bus call that may block (up to the bus timeout if the daemon hangs): on the
            // blocking pool, awaited, so it never stalls a runtime worker.
            let notifier = Arc::clone(&self.notifier);
            let entry_id = notification.entry_id.clone();
            let shown = tokio::task::spawn_blocking(move || notifier.notify(&notification)).await;
            let failure = match shown {
                Ok(Ok(())) => None,
                Ok(Err(error)) => Some(error.to_string()),
                Err(error) => Some(error.to_string()),
            };
            if let Some(message) = failure {
                self.emit(TrackerEvent::NotificationFailed { entry_id, message });
            }
        }
        // After the notification, so a listener that sees the event sees a finished job.
        self.emit(TrackerEvent::StateChanged { entry });
    }

    fn defer_to(&self, targets: &[PollTarget], at: i64) {
        for target in targets {
            if let Err(error) =
                self.store
                    .reschedule(&target.id, None, at.max(target.next_check_at))
            {
                tracing::warn!(%error, "could not defer a check");
            }
        }
    }
}
