//! The real Secret Service (gnome-keyring under `scripts/with-test-session`), and the
//! database file holding no capability in clear.

use std::sync::Arc;

use hushlink_tracker::{Keychain, OsKeychain, SecretState, Tracker};

use crate::common::{relay, Harness};

/// The session script sets this when gnome-keyring came up; CI always runs that way.
fn secret_service_expected() -> bool {
    std::env::var("HUSHLINK_TEST_SECRET_SERVICE").as_deref() == Ok("1")
}

#[tokio::test]
async fn real_secret_service_keeps_the_data_key_and_tokens_and_the_file_hides_links() {
    if !secret_service_expected() {
        eprintln!("skipped: run under scripts/with-test-session (HUSHLINK_TEST_SECRET_SERVICE=1)");
        return;
    }
    let service = format!("hushlink-test-{}", std::process::id());
    let keychain: Arc<dyn Keychain> = Arc::new(OsKeychain::new(&service));
    let server = relay().await;
    let h = Harness::with_keychain(Some(&server), Arc::clone(&keychain));
    assert!(
        h.tracker.status().expect("status").persistent,
        "a keyring means a persistent store"
    );
    assert!(
        keychain
            .get("data-key")
            .expect("the keyring answers")
            .is_some(),
        "data key in the keyring"
    );

    let (id, link) = h.share("keyring test", "kept out of the file", 3600).await;
    h.tracker
        .set_token("eu", Some("token-in-the-keyring"))
        .expect("stores a token");
    assert!(h
        .tracker
        .profiles()
        .iter()
        .any(|p| p.id == "eu" && p.has_token));

    let h = h.restart(Some(&server)).await;
    assert_eq!(
        h.tracker
            .share_link(&id)
            .expect("the key came back from the keyring"),
        link
    );
    let dir = h.dir.path().to_owned();
    h.tracker.shutdown().await;

    let mut bytes = Vec::new();
    for name in ["tracker.sqlite3", "tracker.sqlite3-wal"] {
        if let Ok(more) = std::fs::read(dir.join("data").join(name)) {
            bytes.extend(more);
        }
    }
    let key = hushlink_client::Link::parse(&link).expect("link").key;
    for needle in [
        link.as_str(),
        key.as_str(),
        "token-in-the-keyring",
        "kept out of the file",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle:?} in the database file"
        );
    }
    assert!(
        bytes.windows(12).any(|w| w == b"keyring test"),
        "the search can find what is there"
    );

    keychain.delete("data-key").expect("cleans up");
    keychain.delete("token:eu").expect("cleans up");
}

#[tokio::test]
async fn without_a_keyring_the_tracker_runs_in_memory_and_says_so() {
    let server = relay().await;
    let h = Harness::with_keychain(
        Some(&server),
        Arc::new(hushlink_tracker::MemoryKeychain::unavailable()),
    );
    let status = h.tracker.status().expect("status");
    assert!(
        !status.persistent && !status.keyring_available,
        "{status:?}"
    );
    assert!(status.keyring_message.is_some());
    let (id, _) = h.share("anonymous", "still works", 3600).await;
    assert_eq!(
        h.tracker.detail(&id).expect("tracked").entry.state,
        SecretState::Unread
    );
    assert_eq!(
        h.tracker
            .set_token("eu", Some("t"))
            .expect_err("nowhere to keep it")
            .code(),
        "keyring_unavailable"
    );
    let dir = h.dir.path().to_owned();
    h.tracker.shutdown().await;
    assert!(
        !dir.join("data").join("tracker.sqlite3").exists(),
        "no database without a keyring"
    );
}

#[tokio::test]
async fn a_lost_data_key_is_reported_and_the_store_can_be_discarded() {
    let server = relay().await;
    let h = Harness::new(Some(&server));
    h.share("kept", "text", 3600).await;
    let closed = h.close().await;
    closed
        .keychain
        .delete("data-key")
        .expect("the keyring forgets the key");
    let config = crate::common::config(
        closed.dir.path(),
        Arc::clone(&closed.keychain),
        Arc::clone(&closed.clock),
        Arc::clone(&closed.notifier),
    );
    let err = Tracker::start(config.clone()).expect_err("the links cannot be opened");
    assert_eq!(err.code(), "data_key_missing");
    config.discard_store().expect("discards");
    let tracker = Tracker::start(config).expect("starts afresh");
    assert!(tracker.list(&Default::default()).expect("list").is_empty());
    tracker.shutdown().await;
}
