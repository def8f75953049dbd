//! The app's own relay tells the tracker at once when one of its secrets is opened.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use hushlink_client::{Link, Options};
use hushlink_protocol::SecretText;
use hushlink_relay::{Client, Key, Relay, RelayConfig};
use hushlink_tracker::{
    CreateRequest, ManualClock, MemoryKeychain, RecordingNotifier, SecretState, TrackerConfig,
};

use super::*;
use crate::in_process::OwnRelay;

/// A tracker whose poller runs, on a clock that never moves: no check ever falls due by
/// itself, so only the relay's news can make the poller look.
fn tracker(dir: &std::path::Path) -> Tracker {
    Tracker::start(TrackerConfig {
        data_dir: dir.join("data"),
        config_dir: dir.join("config"),
        keychain: Arc::new(MemoryKeychain::new()),
        notifier: Arc::new(RecordingNotifier::new()),
        clock: Arc::new(ManualClock::new(1_795_996_800_000)),
        policy: Default::default(),
        client_options: Options::default(),
        background_poller: true,
    })
    .expect("tracker starts")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_secret_on_the_apps_relay_turns_opened_when_revealed_without_waiting_for_a_poll() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = Relay::open(RelayConfig::with_data_dir(dir.path().join("relay")))
        .await
        .expect("relay opens");
    let tracker = Arc::new(tracker(dir.path()));
    let origin = url::Url::parse("http://10.77.0.2:7143/").expect("a URL");
    tracker.set_local_relay_in_process(
        origin.clone(),
        Arc::new(OwnRelay::new(relay.clone(), &origin)),
    );

    // The relay's log feeds the tracker as the app's sink does.
    let mut lines = relay.access_log().subscribe();
    let fed = Arc::clone(&tracker);
    let feeder = tokio::spawn(async move {
        while let Ok(line) = lines.recv().await {
            relay_line_to_tracker(&fed, &line);
        }
    });

    let created = tracker
        .create(CreateRequest {
            label: "VPN password for Sam".to_owned(),
            profile_id: Some(LOCAL_RELAY_ID.to_owned()),
            secret: SecretText::new("correct horse battery staple"),
            passphrase: None,
            expiry_secs: Some(3_600),
            recipient: None,
            email_recipient: false,
            notify: None,
            end_to_end: false,
            sender_note: None,
        })
        .await
        .expect("shared");
    let mut events = tracker.subscribe();

    let key = Key::parse(&Link::parse(&created.share_link).expect("a link").key).expect("a key");
    let ip: IpAddr = "10.77.0.4".parse().expect("an IP");
    relay
        .reveal(&key, None, &Client::new(ip, Some("phone")))
        .await
        .expect("revealed");

    let opened = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match events.recv().await {
                Ok(TrackerEvent::StateChanged { entry }) if entry.id == created.entry.id => {
                    return entry;
                }
                Ok(_) => {}
                Err(error) => panic!("tracker events ended: {error}"),
            }
        }
    })
    .await
    .expect("the tracker heard of the reveal without a poll falling due");
    assert_eq!(opened.state, SecretState::Opened);
    feeder.abort();
}

#[test]
fn only_lines_that_can_end_a_secret_wake_the_tracker() {
    assert!(may_end_a_secret(AccessAction::Reveal));
    assert!(may_end_a_secret(AccessAction::Burn));
    assert!(may_end_a_secret(AccessAction::Expire));
    assert!(!may_end_a_secret(AccessAction::Create));
    assert!(!may_end_a_secret(AccessAction::ViewPage));
    assert!(!may_end_a_secret(AccessAction::FailedPassphrase));
}
