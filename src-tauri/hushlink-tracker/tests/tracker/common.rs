//! A relay on an ephemeral port with an injected clock, and a tracker wired to it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hushlink_client::{Client, Link, Options, SecretText, ServerConfig};
use hushlink_relay::clock::Clock as RelayClock;
use hushlink_relay::{Relay, RelayConfig};
use hushlink_tracker::{
    CreateRequest, Keychain, ManualClock, MemoryKeychain, PollPolicy, RecordingNotifier,
    SecretState, Tracker, TrackerConfig, TrackerEvent,
};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinHandle;

/// 2026-11-25T00:00:00Z, a fixed start so times in assertions are stable.
pub const START_SECS: i64 = 1_795_996_800;

/// A running relay; [`RelayServer::stop`] takes it down, [`RelayServer::restart`] brings it
/// back on the same port with the same database.
pub struct RelayServer {
    pub addr: SocketAddr,
    pub clock: RelayClock,
    data_dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RelayServer {
    pub async fn start(data_dir: &Path, clock: RelayClock) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        Self::serve_on(listener, data_dir.to_owned(), clock).await
    }

    async fn serve_on(listener: TcpListener, data_dir: PathBuf, clock: RelayClock) -> Self {
        let addr = listener.local_addr().expect("addr");
        let mut config = RelayConfig::with_data_dir(&data_dir);
        // The cheapest Argon2 the relay accepts: tests check behaviour, not hashing cost
        // (19 MiB per hash in a debug build under load took seconds).
        config.passphrase_hashing = hushlink_relay::config::PassphraseHashing {
            memory_kib: 8,
            iterations: 1,
        };
        let relay = Relay::open_with_clock(config, clock.clone())
            .await
            .expect("relay opens");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            hushlink_relay::serve(listener, relay, async move {
                let _ = stopped.await;
            })
            .await
            .expect("relay serves");
        });
        Self {
            addr,
            clock,
            data_dir,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}/", self.addr)).expect("url")
    }

    /// Stops serving; connections are refused from now on.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .expect("relay stops in time")
                .expect("relay task ends cleanly");
        }
    }

    /// Serves again on the same port and database.
    pub async fn restart(&mut self) {
        let listener = TcpListener::bind(self.addr)
            .await
            .expect("rebinds the same port");
        *self = Self::serve_on(listener, self.data_dir.clone(), self.clock.clone()).await;
    }

    /// Advances the relay's clock.
    pub fn advance(&self, by: Duration) {
        self.clock
            .advance(i64::try_from(by.as_secs()).expect("small"));
    }

    /// Reveals a share link from outside, as a recipient would.
    pub async fn reveal_from_outside(&self, share_link: &str) -> String {
        let link = Link::parse(share_link).expect("a share link");
        let client = Client::new(ServerConfig::new(link.base.clone())).expect("client");
        client
            .reveal_link(&link, None)
            .await
            .expect("reveals")
            .expose()
            .to_owned()
    }
}

/// A tracker on temp dirs with a manual clock and a recording notifier.
pub struct Harness {
    pub tracker: Tracker,
    pub events: broadcast::Receiver<TrackerEvent>,
    pub clock: Arc<ManualClock>,
    pub notifier: Arc<RecordingNotifier>,
    pub keychain: Arc<dyn Keychain>,
    pub dir: tempfile::TempDir,
}

pub fn options() -> Options {
    Options {
        connect_timeout: Duration::from_secs(5),
        // Generous: a loaded CI machine must not turn a slow answer into a failed test.
        timeout: Duration::from_secs(30),
        allow_insecure_http: false,
    }
}

pub fn config(
    dir: &Path,
    keychain: Arc<dyn Keychain>,
    clock: Arc<ManualClock>,
    notifier: Arc<RecordingNotifier>,
) -> TrackerConfig {
    TrackerConfig {
        data_dir: dir.join("data"),
        config_dir: dir.join("config"),
        keychain,
        notifier,
        clock,
        policy: Default::default(),
        client_options: options(),
        background_poller: true,
    }
}

impl Harness {
    pub fn new(relay: Option<&RelayServer>) -> Self {
        Self::with_keychain(relay, Arc::new(MemoryKeychain::new()))
    }

    pub fn with_keychain(relay: Option<&RelayServer>, keychain: Arc<dyn Keychain>) -> Self {
        Self::build(relay, keychain, |_| {})
    }

    /// A tracker without a background poller (the test calls `poll_due`), with a policy
    /// of the test's choosing.
    pub fn manual(relay: &RelayServer, policy: PollPolicy) -> Self {
        Self::build(Some(relay), Arc::new(MemoryKeychain::new()), move |c| {
            c.background_poller = false;
            c.policy = policy;
        })
    }

    /// A tracker without a background poller and without a relay (for foreign servers).
    pub fn offline(policy: PollPolicy) -> Self {
        Self::build(None, Arc::new(MemoryKeychain::new()), move |c| {
            c.background_poller = false;
            c.policy = policy;
        })
    }

    fn build(
        relay: Option<&RelayServer>,
        keychain: Arc<dyn Keychain>,
        tweak: impl FnOnce(&mut TrackerConfig),
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = Arc::new(ManualClock::new(START_SECS * 1000));
        let notifier = Arc::new(RecordingNotifier::new());
        let mut tracker_config = config(
            dir.path(),
            Arc::clone(&keychain),
            Arc::clone(&clock),
            Arc::clone(&notifier),
        );
        tweak(&mut tracker_config);
        let tracker = Tracker::start(tracker_config).expect("tracker starts");
        if let Some(relay) = relay {
            tracker.set_local_relay(Some(relay.url()));
        }
        let events = tracker.subscribe();
        Self {
            tracker,
            events,
            clock,
            notifier,
            keychain,
            dir,
        }
    }

    /// Closes the tracker (poller stopped, store closed); the files, keyring and clock stay.
    pub async fn close(self) -> Closed {
        let Self {
            tracker,
            clock,
            notifier,
            keychain,
            dir,
            ..
        } = self;
        tracker.shutdown().await;
        Closed {
            clock,
            notifier,
            keychain,
            dir,
        }
    }

    /// Closes and reopens at once.
    pub async fn restart(self, relay: Option<&RelayServer>) -> Self {
        self.close().await.reopen(relay)
    }

    /// The tracker's "now".
    pub fn clock_now(&self) -> i64 {
        hushlink_tracker::Clock::now_ms(self.clock.as_ref())
    }

    /// Shares `text` through the local relay.
    pub async fn share(&self, label: &str, text: &str, expiry_secs: u64) -> (String, String) {
        let created = self
            .tracker
            .create(CreateRequest {
                label: label.into(),
                profile_id: Some("relay".into()),
                secret: SecretText::new(text),
                passphrase: None,
                expiry_secs: Some(expiry_secs),
                recipient: Some("sam@example.com".into()),
                email_recipient: false,
                notify: None,
                end_to_end: false,
            })
            .await
            .expect("shares");
        (created.entry.id.clone(), created.share_link.clone())
    }

    /// Moves both clocks.
    pub fn advance(&self, relay: Option<&RelayServer>, by: Duration) {
        if let Some(relay) = relay {
            relay.advance(by);
        }
        self.clock.advance(by);
    }

    /// Waits (bounded) for the next state change of `id`, skipping other events.
    pub async fn next_change(&mut self, id: &str) -> SecretState {
        loop {
            let event = tokio::time::timeout(Duration::from_secs(10), self.events.recv())
                .await
                .expect("a state change within 10 s")
                .expect("channel open");
            if let TrackerEvent::StateChanged { entry } = event {
                if entry.id == id {
                    return entry.state;
                }
            }
        }
    }

    /// Waits (bounded) for the first event matching `want`.
    pub async fn wait_for(
        &mut self,
        what: &str,
        want: impl Fn(&TrackerEvent) -> bool,
    ) -> TrackerEvent {
        loop {
            let event = tokio::time::timeout(Duration::from_secs(10), self.events.recv())
                .await
                .unwrap_or_else(|_| panic!("no {what} within 10 s"))
                .expect("channel open");
            if want(&event) {
                return event;
            }
        }
    }
}

/// What is left of a closed tracker: its files, keyring, notifier and clock.
pub struct Closed {
    pub clock: Arc<ManualClock>,
    pub notifier: Arc<RecordingNotifier>,
    pub keychain: Arc<dyn Keychain>,
    pub dir: tempfile::TempDir,
}

impl Closed {
    /// Moves both clocks while the tracker is closed.
    pub fn advance(&self, relay: Option<&RelayServer>, by: Duration) {
        if let Some(relay) = relay {
            relay.advance(by);
        }
        self.clock.advance(by);
    }

    /// Starts a tracker on the same files, keyring and clock.
    pub fn reopen(self, relay: Option<&RelayServer>) -> Harness {
        let Self {
            clock,
            notifier,
            keychain,
            dir,
        } = self;
        let tracker = Tracker::start(config(
            dir.path(),
            Arc::clone(&keychain),
            Arc::clone(&clock),
            Arc::clone(&notifier),
        ))
        .expect("tracker restarts");
        if let Some(relay) = relay {
            tracker.set_local_relay(Some(relay.url()));
        }
        let events = tracker.subscribe();
        Harness {
            tracker,
            events,
            clock,
            notifier,
            keychain,
            dir,
        }
    }
}

/// A relay with a manual clock at [`START_SECS`], on a temp dir.
pub async fn relay() -> (RelayServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = RelayServer::start(dir.path(), RelayClock::manual(START_SECS)).await;
    (server, dir)
}
