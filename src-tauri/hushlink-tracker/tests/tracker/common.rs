//! A tracker wired to the test kit's relay (on an ephemeral port, with an injected clock).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use hushlink_client::{Client, Link, Options, SecretText, ServerConfig};
use hushlink_testkit::TestRelay;
use hushlink_tracker::{
    CreateRequest, Keychain, ManualClock, MemoryKeychain, PollPolicy, RecordingNotifier,
    SecretState, Tracker, TrackerConfig, TrackerEvent,
};
use tokio::sync::broadcast;

/// 2026-11-25T00:00:00Z, a fixed start so times in assertions are stable.
pub const START_SECS: i64 = 1_795_996_800;

/// Reveals a share link from outside, as a recipient would.
pub async fn reveal_from_outside(share_link: &str) -> String {
    let link = Link::parse(share_link).expect("a share link");
    let client = Client::new(ServerConfig::new(link.base.clone())).expect("client");
    client
        .reveal_link(&link, None)
        .await
        .expect("reveals")
        .expose()
        .to_owned()
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
    pub fn new(relay: Option<&TestRelay>) -> Self {
        Self::with_keychain(relay, Arc::new(MemoryKeychain::new()))
    }

    pub fn with_keychain(relay: Option<&TestRelay>, keychain: Arc<dyn Keychain>) -> Self {
        Self::build(relay, keychain, |_| {})
    }

    /// A tracker without a background poller (the test calls `poll_due`), with a policy
    /// of the test's choosing.
    pub fn manual(relay: &TestRelay, policy: PollPolicy) -> Self {
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
        relay: Option<&TestRelay>,
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
    pub async fn restart(self, relay: Option<&TestRelay>) -> Self {
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
                sender_note: None,
            })
            .await
            .expect("shares");
        (created.entry.id.clone(), created.share_link.clone())
    }

    /// Moves both clocks.
    pub fn advance(&self, relay: Option<&TestRelay>, by: Duration) {
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
    pub fn advance(&self, relay: Option<&TestRelay>, by: Duration) {
        if let Some(relay) = relay {
            relay.advance(by);
        }
        self.clock.advance(by);
    }

    /// Starts a tracker on the same files, keyring and clock.
    pub fn reopen(self, relay: Option<&TestRelay>) -> Harness {
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
pub async fn relay() -> TestRelay {
    TestRelay::builder().manual_clock(START_SECS).start().await
}
