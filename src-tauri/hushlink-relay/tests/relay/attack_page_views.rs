//! Issue 14, item 7: page GETs (`/secret/KEY`, `/receipt/KEY`, `/private/KEY`) are rate
//! limited per address, and a repeated view of one secret from one address is logged once
//! per window: a flood of GETs cannot fill the access log or the relay panel's live feed.

use axum::body::Body;
use http::{Method, Request};
use hushlink_relay::{AccessAction, AccessLogFilter, Relay};
use tower::ServiceExt;

use crate::support::{from_peer, http, share, TestRelay};

/// `view_page` lines in the access log.
async fn view_lines(relay: &Relay) -> usize {
    relay
        .access_log()
        .query(AccessLogFilter {
            action: Some(AccessAction::ViewPage),
            ..AccessLogFilter::default()
        })
        .await
        .unwrap()
        .len()
}

/// The status of `GET path` sent by `peer` through the router.
async fn get_from(relay: &Relay, peer: &str, path: &str) -> u16 {
    let request = Request::builder().method(Method::GET).uri(path);
    hushlink_relay::router(relay)
        .oneshot(from_peer(peer, request, Body::empty()))
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_views_of_one_secret_make_one_log_line_and_one_event() {
    let relay = TestRelay::start(|_| {}).await;
    let (key, _) = share(&relay, &[("secret", "viewed a lot")]).await;
    let mut feed = relay.relay.access_log().subscribe();
    let url = relay.api(&format!("/secret/{key}"));
    let client = http();
    let mut shown = 0;
    for _ in 0..2_000 {
        let status = client.get(&url).send().await.unwrap().status().as_u16();
        assert!(
            status == 200 || status == 429,
            "a page or a refusal: {status}"
        );
        shown += usize::from(status == 200);
    }
    assert_eq!(
        shown,
        relay.relay.config().rate_limits.page_views as usize,
        "loopback is limited like any address: the limit's worth of pages, then 429"
    );
    // A reveal is logged after the views; once it is in the log, so is every view before it.
    let reveal = client.post(&url).send().await.unwrap();
    assert_eq!(reveal.status(), 200, "the views consumed nothing");
    let mut events = Vec::new();
    loop {
        let line = feed.recv().await.unwrap();
        if line.action == AccessAction::Reveal {
            break;
        }
        events.push(line.action);
    }
    assert_eq!(
        events,
        [AccessAction::ViewPage],
        "one live event for 2,000 views"
    );
    assert_eq!(view_lines(&relay.relay).await, 1, "one access-log row");
    relay.stop().await;
}

#[tokio::test]
async fn a_flood_of_page_gets_gets_429_and_other_addresses_are_not_affected() {
    let dir = tempfile::tempdir().unwrap();
    let relay = crate::support::open(crate::support::test_config(dir.path()))
        .await
        .unwrap();
    let limit = relay.config().rate_limits.page_views;
    assert!(limit < 2_000, "the default stops a flood of 2,000");
    let unknown = "0dbvie5bc9ec88xnt5mh0we4j65gj1pp95nr25xkddh22uv08fc5ryzlrzge6i";
    let paths = [
        format!("/secret/{unknown}"),
        format!("/receipt/{unknown}"),
        format!("/private/{unknown}"),
    ];
    let mut statuses = std::collections::BTreeMap::new();
    for n in 0..2_000 {
        let status = get_from(&relay, "192.168.5.5", &paths[n % 3]).await;
        *statuses.entry(status).or_insert(0_u32) += 1;
    }
    assert_eq!(
        statuses.get(&404).copied(),
        Some(limit),
        "the limit's worth of pages, all three routes counted together: {statuses:?}"
    );
    assert_eq!(
        statuses.get(&429).copied(),
        Some(2_000 - limit),
        "{statuses:?}"
    );
    assert_eq!(
        get_from(&relay, "192.168.5.6", &paths[0]).await,
        404,
        "another address still gets its page"
    );
}

#[tokio::test]
async fn each_address_and_each_secret_is_logged_once_per_window() {
    let dir = tempfile::tempdir().unwrap();
    let relay = crate::support::open(crate::support::test_config(dir.path()))
        .await
        .unwrap();
    let mut keys = Vec::new();
    for value in ["one", "two"] {
        let created = relay
            .create(
                hushlink_relay::NewSecret {
                    value: Some(hushlink_relay::SecretText::new(value)),
                    ..Default::default()
                },
                None,
                &hushlink_relay::Client::in_process(),
            )
            .await
            .unwrap();
        keys.push(created.receipt.secret_key.unwrap());
    }
    for peer in ["10.1.1.1", "10.1.1.2"] {
        for key in &keys {
            for _ in 0..3 {
                let path = format!("/secret/{}", key.expose());
                assert_eq!(get_from(&relay, peer, &path).await, 200);
            }
        }
    }
    // Views are logged without waiting for their commit. On SQLite the one writer commits the
    // reveal's line after them, so they are all there once it returns. On PostgreSQL a
    // background writer logs them on its own connection, unordered with the reveal's commit:
    // wait for them (bounded), then count, so a duplicate still shows as a fifth line.
    let reveal = relay
        .reveal(&keys[0], None, &hushlink_relay::Client::in_process())
        .await;
    assert!(reveal.is_ok());
    let mut seen = view_lines(&relay).await;
    if crate::support::engine::Engine::current() == crate::support::engine::Engine::Postgres {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while seen < 4 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            seen = view_lines(&relay).await;
        }
    }
    assert_eq!(seen, 4, "two addresses × two secrets");
}
