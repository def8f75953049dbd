//! The state mapping against a server that answers exactly as hosted Onetime does: the
//! protocol engineer's recorded answers in `tests/fixtures/onetime/`, served by a
//! purpose-built router that picks the receipt by the shared text.

use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hushlink_client::SecretText;
use hushlink_testkit::{fixtures, StubServer};
use hushlink_tracker::{CreateRequest, ProfileInput, SecretState};
use serde_json::Value;

use crate::common::Harness;

/// `POST /share` answers the recorded share, with a metadata key that names the receipt
/// fixture to serve later (the secret text picks it); `POST /private/KEY` serves it.
fn share(body: &str) -> Response {
    let wanted = url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "secret")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let mut recorded = fixtures::onetime("v1_share");
    recorded.body["metadata_key"] = Value::String(format!("fixture{wanted}receiptkey000000000000"));
    recorded.into_response()
}

fn receipt(key: &str) -> Response {
    if key.starts_with("fixtureratelimited") {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "300")],
            "{}",
        )
            .into_response();
    }
    let name = match key
        .trim_start_matches("fixture")
        .split("receiptkey")
        .next()
        .unwrap_or("")
    {
        "new" => "v1_receipt_new",
        "viewed" => "v1_receipt_viewed_v023",
        "received" => "v1_receipt_received",
        "burned" => "v1_receipt_burned",
        "expired" => "v1_receipt_expired",
        "orphaned" => "v1_receipt_orphaned",
        _ => "v1_error_unknown_secret",
    };
    fixtures::onetime(name).into_response()
}

/// Share and receipt as above; any other request gets an empty 404 (no such route).
async fn fixture_server() -> StubServer {
    StubServer::start(|seen| {
        let post = seen.method == axum::http::Method::POST;
        match seen.path.strip_prefix("/api/v1/private/") {
            Some(key) if post && !key.contains('/') => receipt(key),
            None if post && seen.path == "/api/v1/share" => share(&seen.body),
            _ => (StatusCode::NOT_FOUND, Body::empty()).into_response(),
        }
    })
    .await
}

async fn create(h: &Harness, profile: &str, wanted_state: &str) -> String {
    h.tracker
        .create(CreateRequest {
            label: format!("fixture {wanted_state}"),
            profile_id: Some(profile.into()),
            secret: SecretText::new(wanted_state),
            passphrase: None,
            expiry_secs: Some(3600),
            recipient: None,
            email_recipient: false,
            notify: None,
            end_to_end: false,
            sender_note: None,
        })
        .await
        .expect("the fixture server accepts the share")
        .entry
        .id
        .clone()
}

#[tokio::test]
async fn hosted_states_map_as_the_reference_says() {
    let server = fixture_server().await;
    let h = Harness::new(None);
    let profile = h
        .tracker
        .add_profile(&ProfileInput {
            name: "Hosted look-alike".into(),
            base_url: server.url().to_string(),
            username: None,
            hushlink_relay: false,
        })
        .expect("adds");
    let table = [
        ("new", SecretState::Unread),
        ("viewed", SecretState::Unread),
        ("received", SecretState::Opened),
        ("burned", SecretState::Burned),
        ("expired", SecretState::Expired),
        ("orphaned", SecretState::Orphaned),
        ("gone", SecretState::Orphaned),
    ];
    for (wire, expected) in table {
        let id = create(&h, &profile.id, wire).await;
        let entry = h.tracker.refresh(&id).await.expect("refreshes");
        assert_eq!(entry.state, expected, "receipt state {wire:?}");
        let granted = entry.expires_at - entry.created_at;
        assert_eq!(granted, 3_600_000, "expiry from the server's effective ttl");
    }

    // A receipt that 404s after the secret's TTL means it expired unread.
    let late = create(&h, &profile.id, "gone").await;
    h.clock.advance(Duration::from_secs(3601));
    assert_eq!(
        h.tracker.refresh(&late).await.expect("refreshes").state,
        SecretState::Expired
    );
    drop(server);
    h.tracker.shutdown().await;
}

#[tokio::test]
async fn a_429_with_retry_after_pauses_the_server_that_long() {
    let server = fixture_server().await;
    let mut h = Harness::new(None);
    let profile = h
        .tracker
        .add_profile(&ProfileInput {
            name: "Busy server".into(),
            base_url: server.url().to_string(),
            username: None,
            hushlink_relay: false,
        })
        .expect("adds");
    h.tracker.set_default_profile(&profile.id).expect("default");
    let id = create(&h, &profile.id, "ratelimited").await;
    h.clock.advance(Duration::from_secs(16));
    let event = h
        .wait_for("a backoff", |e| {
            matches!(e, hushlink_tracker::TrackerEvent::ServerBackoff { .. })
        })
        .await;
    let hushlink_tracker::TrackerEvent::ServerBackoff { code, retry_at, .. } = event else {
        unreachable!()
    };
    assert_eq!(code, "rate_limited");
    assert_eq!(
        retry_at - h.clock_now(),
        300_000,
        "Retry-After: 300 is obeyed"
    );
    assert_eq!(
        h.tracker.detail(&id).expect("entry").entry.state,
        SecretState::Unread
    );

    h.tracker.remove_profile(&profile.id).expect("removes");
    assert_eq!(
        h.tracker.settings().default_profile,
        "global",
        "the default falls back"
    );
    drop(server);
    h.tracker.shutdown().await;
}
