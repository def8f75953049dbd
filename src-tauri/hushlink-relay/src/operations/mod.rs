//! The operations layer: [`Relay`], the handle the app, the headless binary, the HTTP layer
//! and the tests share, and its operations, callable without HTTP.
//!
//! Layers, bottom up: the domain (`model`, `keys`, `config`, `clock`), storage (`store`,
//! `seal`), these operations, then HTTP (`http`, `web`, `router`). Each layer uses only the
//! ones below it.
//!
//! Module map: this file (open, status, sweeps, the access log); `secrets` (create, peek,
//! receipts, status, recent); `consume` (reveal and burn, the operations that destroy a
//! secret); `views` (which page views were logged); `invites` (one-time invites).

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;

use crate::access_log::AccessLogEntry;
use crate::access_log::AccessLogFilter;
use crate::clock::Clock;
use crate::config::RelayConfig;
use crate::error::{Error, Result};
use crate::peer_filter::PeerFilter;
use crate::ratelimit::RateLimiter;
use crate::seal::ArgonMemory;
use crate::store::{Storage, Store, Swept};
use crate::store_pg::PgStore;
use crate::tokens::Tokens;

#[cfg(test)]
mod at_rest_tests;
mod consume;
mod invites;
#[cfg(test)]
mod located_tests;
mod secrets;
mod views;

pub use secrets::MAX_STATUS_KEYS;
pub(crate) use secrets::{seal_new, Sealing};
use views::LoggedViews;

/// Secrets deleted per sweep job, so one sweep never holds the writer for long: a job of
/// 1,000 took ~100 ms on a 750 MB database, and every request committed with it waited that
/// long (docs/benchmarks.md, scale test).
const SWEEP_BATCH: usize = 100;
/// Pause between two sweep jobs while more remain, so the group commits in between carry
/// requests only; a large purge then costs requests a few ms instead of stalling them.
const SWEEP_PAUSE: Duration = Duration::from_millis(20);

/// A running relay: store, limits, tokens and access log. Cheap to clone (one `Arc`).
///
/// Dropping the last clone stops the expiry sweeper and, once queued work is done, the
/// store's writer thread.
#[derive(Clone)]
pub struct Relay {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub config: RelayConfig,
    pub store: Arc<dyn Storage>,
    pub clock: Clock,
    pub tokens: Tokens,
    pub limiter: RateLimiter,
    /// Page views already logged this window, so a reload or a flood logs one line.
    pub logged_views: LoggedViews,
    pub peers: PeerFilter,
    /// Bounds concurrent Argon2 hashes (19 MiB each) to the number of cores.
    pub argon: Semaphore,
    /// Their working memory, reused (at most one buffer per permit).
    pub argon_memory: Arc<ArgonMemory>,
    _sweeper: AbortOnDrop,
    /// Reloads the token cache when another instance changed the tokens (PostgreSQL).
    _token_follower: Option<AbortOnDrop>,
}

/// Counts the relay panel shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelayStatus {
    /// Secrets waiting to be revealed.
    pub live_secrets: i64,
    /// Receipts kept (live secrets plus finished ones, until 2 × TTL).
    pub receipts: i64,
    /// API tokens not revoked.
    pub active_tokens: usize,
    /// The configuration in force.
    pub config: RelayConfig,
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Relay {
    /// Opens the relay with the system clock. Must run inside a Tokio runtime (it starts
    /// the sweeper task).
    pub async fn open(config: RelayConfig) -> Result<Self> {
        Self::open_with_clock(config, Clock::system()).await
    }

    /// Opens the relay with an injected clock (tests make secrets expire with it).
    pub async fn open_with_clock(config: RelayConfig, clock: Clock) -> Result<Self> {
        config.validate()?;
        prepare_dir(&config.data_dir)?;
        let path = config.data_dir.join("relay.sqlite3");
        let durability = config.durability;
        let scrub_after = (config.wal_scrub_idle_ms > 0)
            .then(|| std::time::Duration::from_millis(config.wal_scrub_idle_ms));
        let store: Arc<dyn Storage> = Arc::new(
            tokio::task::spawn_blocking(move || Store::open(&path, durability, scrub_after))
                .await
                .map_err(|_| Error::StoreClosed)??,
        );
        Self::open_on(config, clock, store, None).await
    }

    /// Opens the relay on the PostgreSQL database at `url` (`postgres://...`), which other
    /// instances may share, instead of the SQLite file in `data_dir` (issue 18,
    /// `docs/postgres.md`). Connects, checks durability and migrates first: it fails with
    /// the reason when the database is unreachable or cannot be migrated.
    pub async fn open_on_postgres(config: RelayConfig, clock: Clock, url: &str) -> Result<Self> {
        config.validate()?;
        let engine = PgStore::open_with_pool(url, config.database_pool_size).await?;
        let changes = engine.token_changes();
        Self::open_on(config, clock, Arc::new(engine), Some(changes)).await
    }

    /// The relay over `store`. With `token_changes`, the token cache reloads whenever
    /// another instance issues or revokes a token.
    async fn open_on(
        config: RelayConfig,
        clock: Clock,
        store: Arc<dyn Storage>,
        token_changes: Option<watch::Receiver<u64>>,
    ) -> Result<Self> {
        let tokens = Tokens::load(store.clone(), clock.clone()).await?;
        let follower = token_changes
            .map(|changes| AbortOnDrop(tokio::spawn(follow_tokens(tokens.clone(), changes))));
        let limiter = RateLimiter::new(config.rate_limits.clone(), config.rate_limit);
        let sweeper = tokio::spawn(sweep_forever(
            store.clone(),
            clock.clone(),
            limiter.clone(),
            config.clone(),
            tokens.clone(),
        ));
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let inner = Inner {
            peers: PeerFilter::new(config.allow_lan, config.allow.clone()),
            logged_views: LoggedViews::new(config.rate_limits.window_secs),
            config,
            store,
            clock,
            tokens,
            limiter,
            argon: Semaphore::new(cores),
            argon_memory: Arc::new(ArgonMemory::new()),
            _sweeper: AbortOnDrop(sweeper),
            _token_follower: follower,
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// The configuration in force.
    pub fn config(&self) -> &RelayConfig {
        &self.inner.config
    }

    /// Issue, list and revoke API tokens.
    pub fn tokens(&self) -> &Tokens {
        &self.inner.tokens
    }

    /// The access log.
    pub fn access_log(&self) -> AccessLog {
        AccessLog {
            store: self.inner.store.clone(),
        }
    }

    /// The peer filter (LAN ranges plus the allow-list).
    pub fn peer_filter(&self) -> &PeerFilter {
        &self.inner.peers
    }

    /// The relay with another peer filter, before it is cloned or served. For tests only
    /// (see [`PeerFilter::refusing_loopback`]).
    ///
    /// # Panics
    /// If the relay has been cloned.
    #[doc(hidden)]
    pub fn with_peer_filter(mut self, filter: PeerFilter) -> Self {
        Arc::get_mut(&mut self.inner)
            .expect("with_peer_filter on a relay not yet cloned")
            .peers = filter;
        self
    }

    /// The relay's clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// Whether storage answers (the status endpoint's health): [`Error::DatabaseUnavailable`]
    /// while the PostgreSQL database is unreachable; SQLite always answers.
    pub async fn check_storage(&self) -> Result<()> {
        self.inner.store.ping().await
    }

    /// Counts for the relay panel.
    pub async fn status(&self) -> Result<RelayStatus> {
        let now = self.inner.clock.now();
        let (live_secrets, receipts) = self.inner.store.counts(now).await?;
        let active_tokens = self
            .inner
            .tokens
            .list()
            .await?
            .iter()
            .filter(|t| t.revoked_at.is_none())
            .count();
        Ok(RelayStatus {
            live_secrets,
            receipts,
            active_tokens,
            config: self.inner.config.clone(),
        })
    }

    /// Runs one sweep now (the sweeper does this every `sweep_interval_secs`).
    pub async fn sweep(&self) -> Result<Swept> {
        sweep_once(
            self.inner.store.as_ref(),
            &self.inner.clock,
            &self.inner.limiter,
            &self.inner.config,
            &self.inner.tokens,
        )
        .await
    }
}

/// Read access to the log; a cheap clone of the relay's storage handle.
#[derive(Clone)]
pub struct AccessLog {
    store: Arc<dyn Storage>,
}

impl AccessLog {
    /// Lines matching `filter`, newest first.
    pub async fn query(&self, filter: AccessLogFilter) -> Result<Vec<AccessLogEntry>> {
        self.store.query_log(filter).await
    }

    /// Every line from now on, as soon as it is committed (never a line whose transaction
    /// rolled back). A receiver that falls behind gets `Lagged` and should re-query.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<AccessLogEntry> {
        self.store.subscribe_log()
    }
}

pub(crate) fn prepare_dir(dir: &std::path::Path) -> Result<()> {
    let err = |source| Error::DataDir {
        path: dir.to_owned(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(err)?;
    }
    Ok(())
}

async fn sweep_once(
    store: &dyn Storage,
    clock: &Clock,
    limiter: &RateLimiter,
    config: &RelayConfig,
    tokens: &Tokens,
) -> Result<Swept> {
    let now = clock.now();
    limiter.prune(now);
    // Unused invites' tokens are revoked as their invites expire (`invites`).
    invites::expire(store, tokens, now, config).await?;
    let log_before = now.saturating_sub(i64::from(config.access_log_retention_days) * 86_400);
    let mut total = Swept::default();
    loop {
        let swept = store.sweep(now, log_before, SWEEP_BATCH).await?;
        total.secrets += swept.secrets;
        total.receipts += swept.receipts;
        total.log_lines += swept.log_lines;
        if !swept.is_partial(SWEEP_BATCH) {
            return Ok(total);
        }
        tokio::time::sleep(SWEEP_PAUSE).await;
    }
}

/// The sweeper task: owned by the [`Relay`] (aborted when its last clone drops).
async fn sweep_forever(
    store: Arc<dyn Storage>,
    clock: Clock,
    limiter: RateLimiter,
    config: RelayConfig,
    tokens: Tokens,
) {
    // The first sweep waits one period: reads already ignore expired rows, and a sweep at
    // open would race with callers (and tests) that expect to see what they just made.
    let period = Duration::from_secs(config.sweep_interval_secs);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match sweep_once(store.as_ref(), &clock, &limiter, &config, &tokens).await {
            Ok(swept) if swept != Swept::default() => {
                tracing::info!(
                    secrets = swept.secrets,
                    receipts = swept.receipts,
                    log_lines = swept.log_lines,
                    "swept"
                );
            }
            Ok(_) => {}
            Err(Error::StoreClosed) => return,
            Err(err) => tracing::warn!(error = %err, "sweep failed; will retry"),
        }
    }
}

/// Reloads `tokens` each time `changes` moves, until the relay is dropped. A failed reload
/// (the database is away) keeps the old cache; the listener bumps again when it reconnects.
async fn follow_tokens(tokens: Tokens, mut changes: watch::Receiver<u64>) {
    while changes.changed().await.is_ok() {
        if let Err(e) = tokens.reload().await {
            tracing::warn!(error = %e, "could not reload the API tokens");
        }
    }
}
