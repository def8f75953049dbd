//! End to end against the real relay: create, viewed, burned, expired, receive, e2e.

use std::time::Duration;

use hushlink_client::SecretText;
use hushlink_tracker::{
    CreateRequest, HistoryAction, HistoryDetail, HistoryFilter, HistoryKind, ListFilter,
    NotificationKind, SecretState,
};

use crate::common::{relay, reveal_from_outside, Harness};

#[tokio::test]
async fn a_secret_revealed_from_outside_becomes_viewed_and_notifies() {
    let server = relay().await;
    let mut h = Harness::new(Some(&server));
    let (id, link) = h.share("VPN password for Sam", "correct horse", 3600).await;
    assert_eq!(
        h.tracker.detail(&id).expect("tracked").entry.state,
        SecretState::Unread
    );

    assert_eq!(reveal_from_outside(&link).await, "correct horse");
    // The first check is due 15 s after creation; the background poller wakes on the clock.
    h.advance(Some(&server), Duration::from_secs(16));
    assert_eq!(h.next_change(&id).await, SecretState::Opened);

    let shown = h.notifier.shown();
    assert_eq!(shown.len(), 1, "one notification for one view: {shown:?}");
    assert_eq!(shown[0].kind, NotificationKind::Opened);
    assert!(
        shown[0].body.contains("VPN password for Sam"),
        "the label, in the shell's language: {}",
        shown[0].body
    );
    assert!(
        !shown[0].body.contains("correct horse"),
        "the secret never appears in a notification"
    );

    let detail = h.tracker.detail(&id).expect("detail");
    let states: Vec<SecretState> = detail.history.iter().map(|c| c.state).collect();
    assert_eq!(states, [SecretState::Unread, SecretState::Opened]);
    let log = h
        .tracker
        .history(&HistoryFilter::default())
        .expect("history");
    assert_eq!(
        log.iter().map(|r| r.kind).collect::<Vec<_>>(),
        [HistoryKind::Opened, HistoryKind::Created]
    );
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn burning_records_burned_without_a_notification() {
    let server = relay().await;
    let mut h = Harness::new(Some(&server));
    let (id, link) = h.share("Wi-Fi guest", "guest-pass", 3600).await;
    let entry = h.tracker.burn(&id, None).await.expect("burns");
    assert_eq!(entry.state, SecretState::Burned);
    assert_eq!(h.next_change(&id).await, SecretState::Burned);
    let recipient = hushlink_client::Client::new(hushlink_client::ServerConfig::new(server.url()))
        .expect("client");
    let link = hushlink_client::Link::parse(&link).expect("link");
    let err = recipient
        .reveal_link(&link, None)
        .await
        .expect_err("burned secrets are gone");
    assert!(err.code().as_str().starts_with("secret_gone"), "{err:?}");
    assert!(
        h.notifier.shown().is_empty(),
        "the user burned it; no need to tell them"
    );
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn an_unread_secret_expires_after_its_ttl_with_injected_time() {
    let server = relay().await;
    let mut h = Harness::new(Some(&server));
    let (id, _link) = h.share("Database root", "s3cret", 120).await;
    // Checks before the expiry find it unread; then the clocks pass the TTL.
    h.advance(Some(&server), Duration::from_secs(16));
    h.advance(Some(&server), Duration::from_secs(200));
    assert_eq!(h.next_change(&id).await, SecretState::Expired);
    let shown = h.notifier.shown();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].kind, NotificationKind::ExpiredUnread);
    assert!(
        shown[0].body.contains("Database root"),
        "the label, in the shell's language: {}",
        shown[0].body
    );
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn notifications_can_be_switched_off_per_secret_and_globally() {
    let server = relay().await;
    let mut h = Harness::new(Some(&server));
    let (quiet, quiet_link) = h.share("quiet one", "a", 3600).await;
    h.tracker.set_notify(&quiet, false).expect("switches off");
    reveal_from_outside(&quiet_link).await;
    assert_eq!(
        h.tracker.refresh(&quiet).await.expect("refreshes").state,
        SecretState::Opened
    );

    let mut settings = h.tracker.settings();
    settings.notifications = false;
    h.tracker.set_settings(settings).expect("saves");
    let (loud, loud_link) = h.share("loud one", "b", 3600).await;
    reveal_from_outside(&loud_link).await;
    assert_eq!(
        h.tracker.refresh(&loud).await.expect("refreshes").state,
        SecretState::Opened
    );
    assert!(
        h.notifier.shown().is_empty(),
        "both were switched off: {:?}",
        h.notifier.shown()
    );
    let _ = h.next_change(&loud).await;
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn end_to_end_secrets_reach_the_relay_encrypted_and_receive_decrypts_them() {
    let server = relay().await;
    let h = Harness::new(Some(&server));
    let created = h
        .tracker
        .create(CreateRequest {
            label: "e2e".into(),
            profile_id: Some("relay".into()),
            secret: SecretText::new("only the recipient reads this"),
            passphrase: Some(SecretText::new("open sesame")),
            expiry_secs: Some(600),
            recipient: None,
            email_recipient: false,
            notify: None,
            end_to_end: true,
            sender_note: None,
        })
        .await
        .expect("shares end to end");
    assert!(created.entry.end_to_end && created.entry.has_passphrase);
    assert!(
        created.share_link.contains('#'),
        "the key travels in the fragment"
    );

    let err = h
        .tracker
        .receive(&created.share_link, Some(SecretText::new("wrong")))
        .await
        .expect_err("wrong");
    assert_eq!(err.code(), "wrong_passphrase");
    let received = h
        .tracker
        .receive(&created.share_link, Some(SecretText::new("open sesame")))
        .await
        .expect("receives");
    assert_eq!(received.value, "only the recipient reads this");
    assert!(
        !format!("{received:?}").contains("recipient reads"),
        "Debug hides the value"
    );
    let again = h
        .tracker
        .receive(&created.share_link, Some(SecretText::new("open sesame")))
        .await;
    assert_eq!(again.expect_err("one time only").code(), "secret_gone");

    // The log says what happened as data: the wrong passphrase, the reveal, the second try.
    let rows = h.tracker.history(&HistoryFilter::default()).expect("log");
    let host = url::Url::parse(&created.share_link).expect("a link");
    let host = format!(
        "{}:{}",
        host.host_str().expect("host"),
        host.port().expect("port")
    );
    let failed = |code: &str| HistoryDetail::Failed {
        action: HistoryAction::Receive,
        error: hushlink_tracker::ErrorCode::parse(code).expect("a code"),
    };
    let logged: Vec<_> = rows
        .iter()
        .filter(|r| matches!(r.kind, HistoryKind::Received | HistoryKind::Failed))
        .rev()
        .map(|r| (r.kind, r.detail.clone()))
        .collect();
    assert_eq!(
        logged,
        [
            (HistoryKind::Failed, Some(failed("wrong_passphrase"))),
            (
                HistoryKind::Received,
                Some(HistoryDetail::Received { host })
            ),
            (HistoryKind::Failed, Some(failed("secret_gone"))),
        ]
    );
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn end_to_end_needs_a_relay_profile() {
    let h = Harness::new(None);
    let err = h
        .tracker
        .create(CreateRequest {
            label: "x".into(),
            profile_id: Some("eu".into()),
            secret: SecretText::new("x"),
            passphrase: None,
            expiry_secs: None,
            recipient: None,
            email_recipient: false,
            notify: None,
            end_to_end: true,
            sender_note: None,
        })
        .await
        .expect_err("hosted servers cannot decrypt in the browser");
    assert_eq!(err.code(), "e2e_unsupported");
    assert!(h
        .tracker
        .list(&ListFilter::default())
        .expect("list")
        .is_empty());
    h.tracker.shutdown().await;
}

/// Item 13 of issue 14: the exported history is owner-only, whatever the umask.
#[cfg(unix)]
#[tokio::test]
async fn the_exported_history_file_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let relay = relay().await;
    let h = Harness::new(Some(&relay));
    h.tracker
        .create(CreateRequest {
            label: "R&D wifi".into(),
            profile_id: Some("relay".into()),
            secret: SecretText::from("hunter2"),
            passphrase: None,
            expiry_secs: Some(3600),
            recipient: Some("sam@example.com".into()),
            email_recipient: false,
            notify: None,
            end_to_end: false,
            sender_note: None,
        })
        .await
        .expect("created");
    let downloads = tempfile::tempdir().expect("temp dir");
    let path = h
        .tracker
        .export_history_file(&HistoryFilter::default(), downloads.path())
        .expect("exported");
    let text = std::fs::read_to_string(&path).expect("readable by its owner");
    assert!(text.contains("R&D wifi"), "{text}");
    assert!(!text.contains("hunter2"), "no secret in the export");
    let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{} is owner-only", path.display());
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn a_secret_without_a_note_is_created_and_tracked() {
    let server = relay().await;
    let h = Harness::new(Some(&server));
    let (id, link) = h.share("   ", "no note needed", 3600).await;
    let entry = h.tracker.detail(&id).expect("tracked").entry;
    assert_eq!(entry.label, "", "an empty note stays empty");
    assert_eq!(entry.state, SecretState::Unread);
    assert_eq!(
        entry.name(),
        Some("sam@example.com"),
        "named by its recipient"
    );
    assert_eq!(reveal_from_outside(&link).await, "no note needed");
    h.tracker.shutdown().await;
}
