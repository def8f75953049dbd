//! The server goes away and comes back: the poller backs off, then catches up.

use std::time::Duration;

use hushlink_tracker::{SecretState, TrackerEvent};

use crate::common::{relay, reveal_from_outside, Harness};

#[tokio::test]
async fn poller_backs_off_during_an_outage_and_catches_up() {
    let mut server = relay().await;
    let mut h = Harness::new(Some(&server));
    let (a, link_a) = h.share("first", "one", 3600).await;
    let (b, _) = h.share("second", "two", 3600).await;

    server.stop().await;
    h.advance(Some(&server), Duration::from_secs(16));
    let event = h
        .wait_for("a backoff", |e| {
            matches!(e, TrackerEvent::ServerBackoff { .. })
        })
        .await;
    let TrackerEvent::ServerBackoff {
        profile_id,
        code,
        retry_at,
    } = event
    else {
        unreachable!()
    };
    assert_eq!(
        (profile_id.as_str(), code.as_str()),
        ("relay", "server_unreachable")
    );
    let now = h.clock_now();
    assert!(
        retry_at >= now + 30_000,
        "backs off at least 30 s, got {} ms",
        retry_at - now
    );
    assert_eq!(
        h.tracker.detail(&a).expect("a").entry.state,
        SecretState::Unread,
        "an outage changes no state"
    );

    server.restart().await;
    reveal_from_outside(&link_a).await;
    // Nothing is asked before the backoff ends ...
    h.advance(Some(&server), Duration::from_secs(5));
    assert!(
        h.tracker
            .detail(&a)
            .expect("a")
            .entry
            .last_checked_at
            .is_none(),
        "checked during the backoff"
    );
    // ... and everything is caught up after it.
    h.advance(Some(&server), Duration::from_secs(60));
    h.wait_for("recovery", |e| {
        matches!(e, TrackerEvent::ServerRecovered { .. })
    })
    .await;
    assert_eq!(h.next_change(&a).await, SecretState::Opened);
    assert_eq!(
        h.tracker.detail(&b).expect("b").entry.state,
        SecretState::Unread
    );
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn checks_resume_as_soon_as_the_local_relay_is_back() {
    let server = relay().await;
    let h = Harness::manual(&server, hushlink_tracker::PollPolicy::default());
    let (id, link) = h.share("relay switched off", "text", 3600).await;
    h.tracker.set_local_relay(None);
    h.advance(Some(&server), Duration::from_secs(16));
    h.tracker.poll_due().await;
    reveal_from_outside(&link).await;
    h.advance(Some(&server), Duration::from_secs(60));
    h.tracker.poll_due().await;
    assert_eq!(
        h.tracker.detail(&id).expect("entry").entry.state,
        SecretState::Unread,
        "nothing to ask while the relay profile is gone"
    );
    h.tracker.set_local_relay(Some(server.url()));
    h.tracker.poll_due().await;
    assert_eq!(
        h.tracker.detail(&id).expect("entry").entry.state,
        SecretState::Opened
    );
    h.tracker.shutdown().await;
}
