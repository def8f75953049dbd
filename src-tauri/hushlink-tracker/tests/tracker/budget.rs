//! Frugality: one batch request covers many secrets, and the request budget holds.

use std::time::Duration;

use hushlink_tracker::{ListFilter, PollPolicy, SecretState};

use crate::common::{relay, reveal_from_outside, Harness};

#[tokio::test]
async fn one_batch_request_covers_many_unread_secrets() {
    let server = relay().await;
    let h = Harness::manual(&server, PollPolicy::default());
    let mut links = Vec::new();
    for i in 0..5 {
        links.push(h.share(&format!("secret {i}"), "text", 3600).await);
    }
    h.advance(Some(&server), Duration::from_secs(16));
    h.tracker.poll_due().await;
    let stats = h.tracker.poll_stats();
    assert_eq!(
        (stats.batch_requests, stats.receipt_requests),
        (1, 0),
        "five unread secrets, one request"
    );

    reveal_from_outside(&links[1].1).await;
    reveal_from_outside(&links[3].1).await;
    h.advance(Some(&server), Duration::from_secs(16));
    h.tracker.poll_due().await;
    let stats = h.tracker.poll_stats();
    assert_eq!(
        (stats.batch_requests, stats.receipt_requests),
        (2, 2),
        "the batch finds two secrets gone; only their receipts are read"
    );
    let viewed = h
        .tracker
        .list(&ListFilter {
            states: vec![SecretState::Opened],
            ..ListFilter::default()
        })
        .expect("list");
    assert_eq!(viewed.len(), 2);
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn the_request_budget_holds_and_deferred_checks_still_happen() {
    let server = relay().await;
    let policy = PollPolicy {
        requests_per_minute: 6,
        batch_size: 1,
        ..PollPolicy::default()
    };
    let h = Harness::manual(&server, policy);
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(h.share(&format!("secret {i}"), "text", 3600).await.0);
    }
    // Ten simulated minutes, a pass every simulated second.
    for _ in 0..600 {
        h.advance(Some(&server), Duration::from_secs(1));
        h.tracker.poll_due().await;
    }
    let stats = h.tracker.poll_stats();
    let total = stats.batch_requests + stats.receipt_requests;
    assert!(
        total <= 6 * 10 + 1,
        "6 per minute for 10 minutes (+ the initial burst), made {total}"
    );
    assert!(total >= 50, "the budget is used, not starved: {total}");
    for id in &ids {
        let entry = h.tracker.detail(id).expect("entry").entry;
        assert!(
            entry.last_checked_at.is_some(),
            "every secret was checked at least once"
        );
    }
    h.tracker.shutdown().await;
}
