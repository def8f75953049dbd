//! The poller against the recorded answers of a real Onetime v0.23.6 server, served exactly
//! by the test kit's replay server (`tests/fixtures/onetime/real-v0.23.6/`).

use std::time::Duration;

use hushlink_client::SecretText;
use hushlink_testkit::replay::{onetime_v0_23_6, Exchange, Recording};
use hushlink_testkit::ReplayServer;
use hushlink_tracker::{CreateRequest, PollPolicy, ProfileInput, SecretState, TrackerEvent};

use crate::common::Harness;

/// The recorded exchanges of these steps, in this order.
fn steps(names: &[&str]) -> Vec<Exchange> {
    onetime_v0_23_6()
        .only(names)
        .expect("recorded steps")
        .exchanges()
        .to_vec()
}

/// The recorded answer of `POST /api/v1/generate`, served for `POST /api/v1/share` (the
/// tracker shares; the body is the same shape, and it carries the generated secret's keys).
fn generated_as_share() -> Exchange {
    let mut exchange = steps(&["v1.generate.form"]).remove(0);
    exchange.request.path = "/api/v1/share".into();
    exchange
}

async fn serve(exchanges: Vec<Exchange>) -> ReplayServer {
    ReplayServer::start(Recording::from(exchanges)).await
}

async fn profile(h: &Harness, server: &ReplayServer) -> String {
    h.tracker
        .add_profile(&ProfileInput {
            name: "Onetime v0.23.6".into(),
            base_url: server.url().to_string(),
            username: None,
            hushlink_relay: false,
        })
        .expect("adds")
        .id
}

async fn create(h: &Harness, profile: &str, label: &str) -> String {
    h.tracker
        .create(CreateRequest {
            label: label.into(),
            profile_id: Some(profile.into()),
            secret: SecretText::new("replayed"),
            passphrase: None,
            expiry_secs: Some(3600),
            recipient: None,
            email_recipient: false,
            notify: None,
            end_to_end: false,
            sender_note: None,
        })
        .await
        .expect("the recorded share is accepted")
        .entry
        .id
        .clone()
}

fn count(server: &ReplayServer, request: &str) -> usize {
    server.requests().iter().filter(|r| *r == request).count()
}

/// Passes of the poller, a simulated minute apart, until `done` or 120 passes.
async fn poll_until(h: &Harness, done: impl Fn() -> bool) {
    for _ in 0..120 {
        h.clock.advance(Duration::from_secs(60));
        h.tracker.poll_due().await;
        if done() {
            return;
        }
    }
    panic!("the poller never got there");
}

fn backoffs(h: &mut Harness) -> Vec<String> {
    let mut codes = Vec::new();
    while let Ok(event) = h.events.try_recv() {
        if let TrackerEvent::ServerBackoff { code, .. } = event {
            codes.push(code.to_string());
        }
    }
    codes
}

const S1_RECEIPT: &str = "POST /api/v1/private/3oap7yuoyqqlg3h2ya2xglq36t4u87f";
const G1_RECEIPT: &str = "POST /api/v1/private/1j864fyu73ai6v2gexj73pssdprjtk7";
const SP_RECEIPT: &str = "POST /api/v1/private/3otdxj99rksfd9f059n3neknv6pwas2";
const BATCH: &str = "POST /api/v2/secret/status";

#[tokio::test]
async fn viewed_after_the_senders_fetch_is_unread_and_only_received_notifies() {
    let server = serve(steps(&[
        "v1.share.form",
        "v1.receipt.post.before",
        "v1.receipt.after_reveal",
    ]))
    .await;
    let h = Harness::offline(PollPolicy::default());
    let profile = profile(&h, &server).await;
    let id = create(&h, &profile, "first").await;
    let link = h.tracker.share_link(&id).expect("link");
    assert!(
        link.ends_with("/secret/26wgt9qnhex2wvp7esgvow1fidxzp4w"),
        "a 31-character key is a valid link: {link}"
    );

    poll_until(&h, || count(&server, S1_RECEIPT) == 1).await;
    let entry = h.tracker.detail(&id).expect("entry").entry;
    assert_eq!(
        entry.state,
        SecretState::Unread,
        "`viewed` is the sender's own fetch"
    );
    assert!(
        h.notifier.shown().is_empty(),
        "no notification for `viewed`"
    );

    poll_until(&h, || count(&server, S1_RECEIPT) == 2).await;
    let entry = h.tracker.detail(&id).expect("entry").entry;
    assert_eq!(
        entry.state,
        SecretState::Opened,
        "`received` is the recipient's read"
    );
    assert_eq!(
        h.notifier.shown().len(),
        1,
        "one notification, for the read"
    );
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn a_generated_secret_starting_as_viewed_stays_unread() {
    let server = serve(vec![
        generated_as_share(),
        steps(&["v1.receipt.generated"]).remove(0),
    ])
    .await;
    let h = Harness::offline(PollPolicy::default());
    let profile = profile(&h, &server).await;
    let id = create(&h, &profile, "generated").await;
    poll_until(&h, || count(&server, G1_RECEIPT) >= 3).await;
    let entry = h.tracker.detail(&id).expect("entry").entry;
    assert_eq!(entry.state, SecretState::Unread);
    assert!(
        h.notifier.shown().is_empty(),
        "a generated secret is not read by itself"
    );
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn batch_status_500_falls_back_to_receipts_once_and_is_remembered() {
    let mut exchanges = steps(&["v1.share.form"]);
    exchanges.push(generated_as_share());
    exchanges.extend(steps(&[
        "v1.share.pass",
        "v2.secret.status_list",
        "v1.receipt.post.before",
        "v1.receipt.generated",
        "v1.receipt.pass.after",
    ]));
    let server = serve(exchanges).await;
    let mut h = Harness::offline(PollPolicy::default());
    let profile = profile(&h, &server).await;
    let s1 = create(&h, &profile, "s1").await;
    let g1 = create(&h, &profile, "g1").await;
    let sp = create(&h, &profile, "sp").await;

    poll_until(&h, || count(&server, SP_RECEIPT) == 1).await;
    assert_eq!(count(&server, BATCH), 1, "batch status was tried");
    assert_eq!(
        (count(&server, S1_RECEIPT), count(&server, G1_RECEIPT)),
        (1, 1),
        "the same pass read every receipt instead"
    );
    let state = |id: &str| h.tracker.detail(id).expect("entry").entry.state;
    assert_eq!(state(&sp), SecretState::Opened);
    assert_eq!(
        (state(&s1), state(&g1)),
        (SecretState::Unread, SecretState::Unread)
    );
    assert!(
        backoffs(&mut h).is_empty(),
        "the 500 is no failure of the user's secrets"
    );
    assert_eq!(h.tracker.poll_stats().failures, 0);

    // Two unread secrets would make a batch worth it: the server is remembered as having none.
    poll_until(&h, || count(&server, S1_RECEIPT) == 2).await;
    assert_eq!(count(&server, G1_RECEIPT), 2);
    assert_eq!(count(&server, BATCH), 1, "batch status is not asked again");
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn a_server_that_says_it_is_v0_23_never_gets_a_batch_status() {
    let mut exchanges = steps(&["v1.share.form"]);
    exchanges.push(generated_as_share());
    exchanges.extend(steps(&[
        "v2.version.noauth",
        "v2.secret.status_list",
        "v1.receipt.post.before",
        "v1.receipt.generated",
    ]));
    let server = serve(exchanges).await;
    let mut h = Harness::offline(PollPolicy::default());
    let profile = profile(&h, &server).await;
    create(&h, &profile, "s1").await;
    create(&h, &profile, "g1").await;
    poll_until(&h, || count(&server, S1_RECEIPT) == 2).await;
    assert_eq!(count(&server, G1_RECEIPT), 2);
    assert_eq!(
        count(&server, BATCH),
        0,
        "v0.23's batch status is known broken"
    );
    assert_eq!(
        count(&server, "GET /api/v2/version"),
        1,
        "the generation is asked once per profile"
    );
    assert!(backoffs(&mut h).is_empty());
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn cripes_rate_limited_backs_the_poller_off() {
    let server = serve(steps(&["v1.share.form", "v1.receipt.ratelimited"])).await;
    let mut h = Harness::offline(PollPolicy::default());
    let profile = profile(&h, &server).await;
    let id = create(&h, &profile, "limited").await;
    poll_until(&h, || count(&server, S1_RECEIPT) == 1).await;
    assert_eq!(
        backoffs(&mut h),
        ["rate_limited"],
        "v0.23.6's 404 text is a rate limit"
    );
    assert_eq!(
        h.tracker.detail(&id).expect("entry").entry.state,
        SecretState::Unread
    );
    // Within the backoff the server is left alone.
    h.tracker.poll_due().await;
    h.clock.advance(Duration::from_secs(1));
    h.tracker.poll_due().await;
    assert_eq!(
        count(&server, S1_RECEIPT),
        1,
        "no request during the backoff"
    );
    h.tracker.shutdown().await;
}
