//! Per-server poller state: the cached client, the request budget, backoff and batch
//! support, kept in `Inner::servers` (a std mutex: never held across an await).

use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, Ordering};

use hushlink_client::Client;

use crate::error::TrackerError;
use crate::events::TrackerEvent;
use crate::policy::Budget;
use crate::remote::client_for;
use crate::shared::{lock, Inner, Server};

impl Inner {
    /// Notes when `profile`'s budget has a token again, so the poller wakes then. The
    /// checks it could not afford stay overdue and keep their place at the head of the queue
    /// (rescheduling them would send them behind secrets checked meanwhile, and starve them).
    pub(super) fn wait_for_budget(&self, profile: &str, now: i64, resume: &AtomicI64) {
        let at = lock(&self.servers)
            .get_mut(profile)
            .map_or(now + 1_000, |s| s.budget.next_token_at(now));
        resume.fetch_min(at, Ordering::Relaxed);
    }

    /// The client, batch support and backoff end for a profile, building the client once.
    pub(crate) fn server(
        &self,
        profile: &str,
        now: i64,
    ) -> Result<(Client, Option<bool>, i64), TrackerError> {
        let mut servers = lock(&self.servers);
        if let Some(server) = servers.get(profile) {
            return Ok((server.client.clone(), server.batch, server.retry_at));
        }
        let resolved = lock(&self.profiles).resolve(profile)?;
        let client = client_for(&resolved, &self.client_options)?;
        servers.insert(
            profile.to_owned(),
            Server {
                client: client.clone(),
                failures: 0,
                retry_at: 0,
                budget: Budget::new(self.policy.requests_per_minute, now),
                batch: None,
                needs_receipt: HashSet::new(),
            },
        );
        Ok((client, None, 0))
    }

    pub(super) fn take_tokens(&self, profile: &str, wanted: usize, now: i64) -> usize {
        let mut servers = lock(&self.servers);
        let Some(server) = servers.get_mut(profile) else {
            return 0;
        };
        (0..wanted)
            .take_while(|_| server.budget.try_take(now))
            .count()
    }

    pub(super) fn set_batch_support(&self, profile: &str, supported: bool) {
        if let Some(server) = lock(&self.servers).get_mut(profile) {
            server.batch = Some(supported);
        }
    }

    /// Notes a failure; returns when to try this server again.
    pub(crate) fn server_failed(&self, profile: &str, error: &TrackerError, now: i64) -> i64 {
        let retry_after = match error {
            TrackerError::Server(hushlink_client::Error::RateLimited { retry_after }) => {
                *retry_after
            }
            _ => None,
        };
        let retry_at = {
            let mut servers = lock(&self.servers);
            let Some(server) = servers.get_mut(profile) else {
                return now + 60_000;
            };
            server.failures += 1;
            self.stats.failures.fetch_add(1, Ordering::Relaxed);
            server.retry_at = now + self.policy.backoff_ms(server.failures, retry_after);
            server.retry_at
        };
        tracing::info!(
            profile,
            code = error.code().as_str(),
            "server check failed; backing off"
        );
        self.emit(TrackerEvent::ServerBackoff {
            profile_id: profile.to_owned(),
            code: error.code(),
            retry_at,
        });
        retry_at
    }

    pub(crate) fn server_ok(&self, profile: &str) {
        let recovered = {
            let mut servers = lock(&self.servers);
            match servers.get_mut(profile) {
                Some(server) if server.failures > 0 => {
                    server.failures = 0;
                    server.retry_at = 0;
                    true
                }
                _ => false,
            }
        };
        if recovered {
            self.emit(TrackerEvent::ServerRecovered {
                profile_id: profile.to_owned(),
            });
        }
    }
}
