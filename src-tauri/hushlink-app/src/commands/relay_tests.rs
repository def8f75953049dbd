//! The token commands' error words and the activity log told by the user's labels.

use std::sync::Arc;

use hushlink_relay::{AccessLogFilter, Client, Key, Relay, RelayConfig};
use hushlink_tracker::{
    CreateRequest, ManualClock, MemoryKeychain, RecordingNotifier, TrackerConfig,
};

use super::*;
use crate::in_process::OwnRelay;
use crate::relay::activity::{ActivityAction, ActivitySubject};

/// A refused name reaches the person as a code of its own (the UI's words), with the name
/// the words repeat; the relay's sentence is only the log's.
#[tokio::test]
async fn a_refused_token_name_has_a_code_of_its_own() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = Relay::open(RelayConfig::with_data_dir(dir.path().join("relay")))
        .await
        .expect("relay opens");
    relay.tokens().issue("Sam").await.expect("a first Sam");
    let taken = token_error(relay.tokens().issue("Sam").await.expect_err("taken"));
    assert_eq!(taken.code, ErrorCode::TokenNameTaken.as_str());
    assert_eq!(
        taken.args,
        Some(crate::error::ErrorArgs {
            name: Some("Sam".to_owned()),
            ..Default::default()
        }),
        "the words name the token"
    );
    let bad = token_error(relay.tokens().issue("Sam:2").await.expect_err("a colon"));
    assert_eq!(bad.code, ErrorCode::TokenNameInvalid.as_str());
    assert_eq!(bad.args, None);
    let fault = token_error(hushlink_relay::Error::Config("x".into()));
    assert_eq!(
        fault.code,
        ErrorCode::Internal.as_str(),
        "anything else stays a fault"
    );
}

/// The relay's start refusals the person can fix carry their own codes and data.
#[test]
fn the_same_port_twice_names_the_port() {
    let refused = start_error(SwitchError::SamePort { port: 7143 });
    assert_eq!(refused.code, ErrorCode::RelaySamePort.as_str());
    assert_eq!(refused.args.and_then(|a| a.port), Some(7143));
}

/// The whole path the panel's log takes: the tracker shares through its relay (in process,
/// end to end encrypted), a phone opens the link, and the relay's lines come back by label.
#[tokio::test(flavor = "multi_thread")]
async fn the_users_own_secrets_are_told_by_their_label() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = Relay::open(RelayConfig::with_data_dir(dir.path().join("relay")))
        .await
        .expect("relay opens");
    let tracker = Tracker::start(TrackerConfig {
        data_dir: dir.path().join("data"),
        config_dir: dir.path().join("config"),
        keychain: Arc::new(MemoryKeychain::new()),
        notifier: Arc::new(RecordingNotifier::new()),
        clock: Arc::new(ManualClock::new(1_795_996_800_000)),
        policy: Default::default(),
        client_options: Default::default(),
        background_poller: false,
    })
    .expect("tracker starts");
    let origin = url::Url::parse("http://10.77.0.2:7143/").expect("a URL");
    tracker.set_local_relay_in_process(
        origin.clone(),
        Arc::new(OwnRelay::new(relay.clone(), &origin)),
    );
    let mut feed = relay.access_log().subscribe();
    let created = tracker
        .create(CreateRequest {
            label: "VPN password for Sam".to_owned(),
            profile_id: Some(LOCAL_RELAY_ID.to_owned()),
            secret: hushlink_relay::SecretText::new("correct horse"),
            passphrase: None,
            expiry_secs: Some(3_600),
            recipient: None,
            email_recipient: false,
            notify: None,
            end_to_end: true,
            sender_note: None,
        })
        .await
        .expect("shared through the app's relay");
    let link = hushlink_protocol::Link::parse(&created.share_link).expect("a share link");
    let phone = Client::new("10.77.0.4".parse().expect("an IP"), Some("phone"));
    relay
        .reveal(&Key::parse(&link.key).expect("a key"), None, &phone)
        .await
        .expect("opened once");
    for _ in 0..2 {
        tokio::time::timeout(std::time::Duration::from_secs(10), feed.recv())
            .await
            .expect("a line in time")
            .expect("the feed is open");
    }

    let own = own_secrets(&tracker);
    let told: Vec<_> = relay
        .access_log()
        .query(AccessLogFilter::default())
        .await
        .expect("the log")
        .into_iter()
        .map(|line| own.describe(line))
        .collect();
    let mine = ActivitySubject::Own {
        entry_id: created.entry.id.clone(),
        label: "VPN password for Sam".to_owned(),
    };
    assert_eq!(
        told.iter()
            .map(|l| (l.action, l.subject.clone(), l.from_ip.as_deref()))
            .collect::<Vec<_>>(),
        [
            (ActivityAction::Reveal, mine.clone(), Some("10.77.0.4")),
            (ActivityAction::Create, mine, None),
        ],
        "newest first, both lines about the user's own secret"
    );
}
