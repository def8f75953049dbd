//! Closing and reopening the tracker loses nothing, and what happened meanwhile is learned.

use std::time::Duration;

use hushlink_tracker::{ListFilter, SecretState};

use crate::common::{relay, reveal_from_outside, Harness};

#[tokio::test]
async fn transitions_while_closed_are_detected_on_start() {
    let server = relay().await;
    let h = Harness::new(Some(&server));
    let (viewed, viewed_link) = h.share("read while closed", "one", 3600).await;
    let (expired, _) = h.share("expires while closed", "two", 120).await;
    let (waiting, _) = h.share("still waiting", "three", 7200).await;
    let before = h.tracker.list(&ListFilter::default()).expect("list");

    // Close; the recipient reads one; the TTL of another passes.
    let closed = h.close().await;
    reveal_from_outside(&viewed_link).await;
    closed.advance(Some(&server), Duration::from_secs(600));
    let mut h = closed.reopen(Some(&server));

    let after = h.tracker.list(&ListFilter::default()).expect("list");
    assert_eq!(after.len(), before.len(), "nothing lost");
    let mut changes = vec![];
    for _ in 0..2 {
        let event = h
            .wait_for("a state change", |e| {
                matches!(e, hushlink_tracker::TrackerEvent::StateChanged { .. })
            })
            .await;
        if let hushlink_tracker::TrackerEvent::StateChanged { entry } = event {
            changes.push((entry.id, entry.state));
        }
    }
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected = vec![
        (viewed.clone(), SecretState::Opened),
        (expired.clone(), SecretState::Expired),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        changes, expected,
        "both changes found by the check on start"
    );
    assert_eq!(
        h.tracker.detail(&waiting).expect("kept").entry.state,
        SecretState::Unread
    );
    assert_eq!(h.notifier.shown().len(), 2, "viewed + expired unread");
    assert!(h
        .tracker
        .share_link(&viewed)
        .expect("link still opens")
        .starts_with("http://127.0.0.1:"));
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn a_restart_mid_way_keeps_the_schedule_and_still_detects_a_view() {
    let server = relay().await;
    let h = Harness::new(Some(&server));
    let (id, link) = h.share("mid-way", "text", 3600).await;
    h.advance(Some(&server), Duration::from_secs(16));
    let h = h.restart(Some(&server)).await;
    let mut h = h.restart(Some(&server)).await;
    reveal_from_outside(&link).await;
    h.advance(Some(&server), Duration::from_secs(120));
    assert_eq!(h.next_change(&id).await, SecretState::Opened);
    let detail = h.tracker.detail(&id).expect("detail");
    assert_eq!(
        detail.history.len(),
        2,
        "unread then viewed, once: {:?}",
        detail.history
    );
    h.tracker.shutdown().await;
}
