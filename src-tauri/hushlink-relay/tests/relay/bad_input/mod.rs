//! Bad input gets the answer the reference prescribes and a clear message, and nothing
//! stored is lost. Peers are simulated through the router (`oneshot` with connect info), so
//! non-LAN addresses are tested without sending traffic anywhere.

use axum::body::Body;
use http::{Method, Request};
use hushlink_relay::{Relay, RelayConfig};
use serde_json::Value;
use tower::ServiceExt;

use crate::support::{from_peer, test_config};

mod peers;

struct Answer {
    status: u16,
    intended: Option<String>,
    retry_after: Option<String>,
    content_type: String,
    body: Value,
    text: String,
}

async fn call(
    relay: &Relay,
    peer: &str,
    request: http::request::Builder,
    body: impl Into<Body>,
) -> Answer {
    let response = hushlink_relay::router(relay)
        .oneshot(from_peer(peer, request, body.into()))
        .await
        .unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let (status, intended, retry_after) = (
        response.status().as_u16(),
        header("x-ots-intended-status"),
        header("retry-after"),
    );
    let content_type = header("content-type").unwrap_or_default();
    assert_eq!(
        header("cache-control").as_deref(),
        Some("no-store"),
        "every answer, errors included"
    );
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        intended,
        retry_after,
        content_type,
        body,
        text,
    }
}

fn post(path: &str) -> http::request::Builder {
    Request::builder().method(Method::POST).uri(path)
}

fn form(path: &str) -> http::request::Builder {
    post(path).header("content-type", "application/x-www-form-urlencoded")
}

async fn open(tweak: impl FnOnce(&mut RelayConfig)) -> (Relay, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    tweak(&mut config);
    (crate::support::open(config).await.unwrap(), dir)
}

/// Creates a secret from loopback; returns its share key.
async fn keep_one(relay: &Relay) -> String {
    let answer = call(relay, "127.0.0.1", form("/api/v1/share"), "secret=survivor").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.body["secret_key"].as_str().unwrap().to_owned()
}

async fn assert_survives(relay: &Relay, key: &str) {
    let answer = call(
        relay,
        "127.0.0.1",
        post(&format!("/api/v1/secret/{key}")),
        "",
    )
    .await;
    assert_eq!(
        answer.body["value"], "survivor",
        "nothing stored was lost: {}",
        answer.text
    );
}

#[tokio::test]
async fn malformed_bodies_and_missing_fields_get_clear_messages() {
    let (relay, _dir) = open(|_| {}).await;
    let key = keep_one(&relay).await;
    let json = |path: &str| post(path).header("content-type", "application/json");
    let cases = [
        (
            json("/api/v1/share"),
            "{\"secret\":",
            "Malformed request body: invalid JSON",
        ),
        (
            json("/api/v1/share"),
            "[\"secret\"]",
            "Malformed request body: the JSON body must be an object",
        ),
        (
            json("/api/v1/share"),
            "{}",
            "You did not provide anything to share",
        ),
        (
            form("/api/v1/share"),
            "ttl=60",
            "You did not provide anything to share",
        ),
        (
            post("/api/v1/share").header("content-type", "multipart/form-data; boundary=x"),
            "--x\r\nbroken",
            "Malformed request body: invalid multipart body",
        ),
        (
            form("/api/v1/generate"),
            "length=500",
            "Generated password length must be no more than 128 characters",
        ),
        (
            form("/api/v1/share"),
            "secret=x&passphrase=ab",
            "Passphrase must be at least 4 characters long",
        ),
    ];
    for (request, body, message) in cases {
        let answer = call(&relay, "127.0.0.1", request, body).await;
        assert_eq!(
            (answer.status, answer.intended.as_deref()),
            (404, Some("400")),
            "{body}: {}",
            answer.text
        );
        assert_eq!(
            answer.body,
            serde_json::json!({"message": message}),
            "{body}"
        );
    }
    let v2 = call(
        &relay,
        "127.0.0.1",
        json("/api/v2/secret/conceal"),
        "{\"secret\":",
    )
    .await;
    assert_eq!(
        (v2.status, v2.body["error"].as_str()),
        (422, Some("Malformed request body: invalid JSON"))
    );
    let v2 = call(
        &relay,
        "127.0.0.1",
        json("/api/v2/secret/conceal"),
        "{\"secret\":{\"ttl\":60}}",
    )
    .await;
    assert_eq!(
        (v2.status, v2.body["error"].as_str()),
        (422, Some("You did not provide anything to share"))
    );
    assert_survives(&relay, &key).await;
}

#[tokio::test]
async fn huge_bodies_and_oversized_secrets_are_refused() {
    let (relay, _dir) = open(|c| {
        c.max_secret_bytes = 1_000;
        c.max_body_bytes = 4_000;
    })
    .await;
    let key = keep_one(&relay).await;
    let huge = format!("secret={}", "a".repeat(10_000));
    let v1 = call(&relay, "127.0.0.1", form("/api/v1/share"), huge.clone()).await;
    assert_eq!((v1.status, v1.intended.as_deref()), (404, Some("413")));
    assert_eq!(
        v1.body["message"],
        "Request body exceeds the limit of 4000 bytes"
    );
    let v2 = call(&relay, "127.0.0.1", form("/api/v2/secret/conceal"), huge).await;
    assert_eq!(v2.status, 413);
    let big = format!("secret={}", "b".repeat(1_001));
    let v1 = call(&relay, "127.0.0.1", form("/api/v1/share"), big).await;
    assert_eq!(
        v1.body["message"],
        "Secret value exceeds the maximum size of 1000 bytes"
    );
    assert_survives(&relay, &key).await;
}

#[tokio::test]
async fn unknown_and_malformed_keys_answer_as_gone() {
    let (relay, _dir) = open(|_| {}).await;
    let key = keep_one(&relay).await;
    let upper = key.to_uppercase();
    for raw in [
        upper.as_str(),
        "0123456789abcdefghijklmnopqrstuvwxyz",
        "abcdefghij_klmnopqrstu",
    ] {
        let v1 = call(
            &relay,
            "127.0.0.1",
            post(&format!("/api/v1/secret/{raw}")),
            "",
        )
        .await;
        assert_eq!(
            v1.body,
            serde_json::json!({"message": "Unknown secret", "secret_key": raw}),
            "{raw}"
        );
        let receipt = call(
            &relay,
            "127.0.0.1",
            Request::builder().uri(format!("/api/v1/private/{raw}")),
            "",
        )
        .await;
        assert_eq!(receipt.body["message"], "Unknown secret");
        let v2 = call(
            &relay,
            "127.0.0.1",
            post(&format!("/api/v2/secret/{raw}/reveal")),
            "",
        )
        .await;
        assert_eq!(
            (v2.status, v2.body["error_type"].as_str()),
            (404, Some("RecordNotFound"))
        );
    }
    let short = call(&relay, "127.0.0.1", post("/api/v1/secret/abc"), "").await;
    assert_eq!(short.body, serde_json::json!({"message": "Not Found"}));
    assert_survives(&relay, &key).await;
}

#[tokio::test]
async fn wrong_passphrases_are_rate_limited_per_address() {
    let (relay, _dir) = open(|c| {
        c.rate_limits.passphrase_failures = 2;
        c.max_passphrase_attempts = 10;
    })
    .await;
    let created = call(
        &relay,
        "127.0.0.1",
        form("/api/v1/share"),
        "secret=locked&passphrase=right-one",
    )
    .await;
    let key = created.body["secret_key"].as_str().unwrap().to_owned();
    let reveal =
        || post(&format!("/api/v2/secret/{key}/reveal")).header("content-type", "application/json");
    for _ in 0..2 {
        let wrong = call(
            &relay,
            "192.168.7.7",
            reveal(),
            r#"{"passphrase":"wrong-one","continue":true}"#,
        )
        .await;
        assert_eq!(
            (wrong.status, wrong.body["error"].as_str()),
            (422, Some("Incorrect passphrase"))
        );
    }
    let limited = call(
        &relay,
        "192.168.7.7",
        reveal(),
        r#"{"passphrase":"right-one","continue":true}"#,
    )
    .await;
    assert_eq!(limited.status, 429, "{}", limited.text);
    assert!(
        limited.retry_after.unwrap().parse::<u64>().unwrap() > 0,
        "Retry-After is set"
    );
    assert_eq!(limited.body["error_type"], "LimitExceeded");
    let v1 = call(
        &relay,
        "192.168.7.7",
        form(&format!("/api/v1/secret/{key}")),
        "passphrase=right-one",
    )
    .await;
    assert_eq!(
        (v1.intended.as_deref(), v1.body["message"].as_str()),
        (
            Some("429"),
            Some("Rate limit exceeded. Please try again later.")
        )
    );
    let other = call(
        &relay,
        "192.168.7.8",
        reveal(),
        r#"{"passphrase":"right-one","continue":true}"#,
    )
    .await;
    assert_eq!(
        other.body["record"]["secret_value"], "locked",
        "another address is not limited: {}",
        other.text
    );
}
