//! Third-party compatibility, continued: what real Onetime clients see of tokens
//! (`authcheck`, `recent`) and the exact error texts they match on.

use serde_json::Value;

use crate::support::{http, json, share, TestRelay};

#[tokio::test]
async fn authcheck_and_recent_need_a_valid_token() {
    let relay = TestRelay::start(|_| {}).await;
    let issued = relay
        .relay
        .tokens()
        .issue("alice@example.com")
        .await
        .unwrap();
    let token = issued.token.expose().to_owned();

    let anonymous = http()
        .get(relay.api("/api/v1/authcheck"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.headers()["x-ots-intended-status"], "401");
    let (status, body) = json(anonymous).await;
    assert_eq!(
        (status, body),
        (404, serde_json::json!({"message": "Not authorized"}))
    );

    let ok = http()
        .get(relay.api("/api/v1/authcheck"))
        .basic_auth("alice@example.com", Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(json(ok).await.1["status"], "nominal");

    for (user, password) in [
        ("alice@example.com", "wrong"),
        ("bob", token.as_str()),
        ("", token.as_str()),
    ] {
        let (status, body) = json(
            http()
                .get(relay.api("/api/v1/status"))
                .basic_auth(user, Some(password))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["message"].as_str()),
            (404, Some("Not authorized")),
            "bad credentials even on status"
        );
    }

    let (status, created) = json(
        http()
            .post(relay.api("/api/v1/share"))
            .basic_auth("alice@example.com", Some(&token))
            .form(&[("secret", "mine")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(created["custid"], "alice@example.com");
    share(&relay, &[("secret", "anonymous, not listed")]).await;
    let (status, recent) = json(
        http()
            .get(relay.api("/api/v1/private/recent"))
            .basic_auth("alice@example.com", Some(&token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let list = recent.as_array().expect("recent is an array");
    assert_eq!(list.len(), 1, "only the token's own secrets: {recent}");
    // Not the receipt key (issue 14, item 1): the secret's key id, in the same field.
    let share_key = hushlink_relay::Key::parse(created["secret_key"].as_str().unwrap()).unwrap();
    let key_id = hushlink_relay::key_id(&share_key.row_id(hushlink_relay::KeyKind::Secret));
    assert_eq!(list[0]["metadata_key"], key_id.as_str());
    assert_ne!(list[0]["metadata_key"], created["metadata_key"]);
    assert!(list[0].get("secret_key").is_none() && list[0]["secret_ttl"].is_null());

    assert!(relay
        .relay
        .tokens()
        .revoke(&issued.summary.id)
        .await
        .unwrap());
    let (status, _) = json(
        http()
            .get(relay.api("/api/v1/authcheck"))
            .basic_auth("alice@example.com", Some(&token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404, "a revoked token no longer works");
}

#[tokio::test]
async fn error_texts_are_exact() {
    let relay = TestRelay::start(|_| {}).await;
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Value);
    let cases: [Case; 4] = [
        (
            "/api/v1/share",
            vec![],
            serde_json::json!({"message": "You did not provide anything to share"}),
        ),
        (
            "/api/v1/share",
            vec![("secret", "")],
            serde_json::json!({"message": "You did not provide anything to share"}),
        ),
        (
            "/api/v1/secret/short",
            vec![],
            serde_json::json!({"message": "Not Found"}),
        ),
        (
            "/api/v1/no/such/route",
            vec![],
            serde_json::json!({"error": "Not Found"}),
        ),
    ];
    for (path, form, expected) in cases {
        let (status, body) = json(
            http()
                .post(relay.api(path))
                .form(&form)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((status, body), (404, expected), "{path} {form:?}");
    }
    let unknown = "0".repeat(50);
    let (_, body) = json(
        http()
            .post(relay.api(&format!("/api/v1/secret/{unknown}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        body,
        serde_json::json!({"message": "Unknown secret", "secret_key": unknown})
    );
    let (status, _) = json(http().get(relay.api("/api/v1/share")).send().await.unwrap()).await;
    assert_eq!(status, 404, "a wrong method is a v1 404 too");
}
