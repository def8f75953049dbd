//! Issue 14, item 8: live secrets and their bytes are capped per token and in all, with
//! clear errors in v1 (404, `message`, intended status) and v2 (real status,
//! `QuotaExceeded`). Live, against a relay on 127.0.0.1.

use crate::support::{http, json, TestRelay};

/// A v1 share with `token` (or anonymous, from loopback); (HTTP status, intended status,
/// body).
async fn v1_share(
    relay: &TestRelay,
    token: Option<&str>,
    value: &str,
) -> (u16, String, serde_json::Value) {
    let mut request = http()
        .post(relay.api("/api/v1/share"))
        .form(&[("secret", value)]);
    if let Some(token) = token {
        request = request.basic_auth("sam", Some(token));
    }
    let response = request.send().await.unwrap();
    let intended = response
        .headers()
        .get("x-ots-intended-status")
        .map_or_else(String::new, |v| v.to_str().unwrap().to_owned());
    let (status, body) = json(response).await;
    (status, intended, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_gets_its_quota_of_live_secrets_and_bytes_and_no_more() {
    let relay = TestRelay::start(|c| {
        c.quotas.live_secrets_per_token = 3;
        c.quotas.live_bytes_per_token = 2_000;
    })
    .await;
    let token = relay.relay.tokens().issue("sam").await.unwrap().token;
    let token = token.expose();
    let mut keys = Vec::new();
    for n in 0..3 {
        let (status, _, body) = v1_share(&relay, Some(token), &format!("secret {n}")).await;
        assert_eq!(status, 200, "{body}");
        keys.push(body["secret_key"].as_str().unwrap().to_owned());
    }
    let (status, intended, body) = v1_share(&relay, Some(token), "one too many").await;
    assert_eq!((status, intended.as_str()), (404, "403"), "{body}");
    assert_eq!(
        body["message"],
        "This API token already has 3 live secrets, its limit. Wait until some are revealed, burned or expire."
    );
    let (status, v2) = json(
        http()
            .post(relay.api("/api/v2/secret/conceal"))
            .basic_auth("sam", Some(token))
            .json(&serde_json::json!({"secret": {"secret": "v2 too"}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, v2["error_type"].as_str()),
        (403, Some("QuotaExceeded")),
        "{v2}"
    );

    // A reveal frees a place at once.
    let reveal = http()
        .post(relay.api(&format!("/api/v1/secret/{}", keys[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(reveal.status(), 200);
    let (status, _, body) = v1_share(&relay, Some(token), "fits again").await;
    assert_eq!(status, 200, "{body}");
    // Bytes: 3 live secrets of about 40 sealed bytes each leave no room for 1,900 more...
    let reveal = http()
        .post(relay.api(&format!("/api/v1/secret/{}", keys[1])))
        .send()
        .await
        .unwrap();
    assert_eq!(reveal.status(), 200);
    let (status, intended, body) = v1_share(&relay, Some(token), &"x".repeat(1_950)).await;
    assert_eq!((status, intended.as_str()), (404, "403"), "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("limit of 2000 bytes"),
        "{body}"
    );
    // ...but a smaller one fits.
    let (status, _, body) = v1_share(&relay, Some(token), &"x".repeat(1_000)).await;
    assert_eq!(status, 200, "{body}");
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_as_a_whole_is_capped_for_tokens_and_anonymous_callers() {
    let relay = TestRelay::start(|c| c.quotas.live_secrets = 4).await;
    let token = relay.relay.tokens().issue("sam").await.unwrap().token;
    for n in 0..2 {
        let (status, _, body) = v1_share(&relay, Some(token.expose()), &format!("t{n}")).await;
        assert_eq!(status, 200, "{body}");
        let (status, _, body) = v1_share(&relay, None, &format!("a{n}")).await;
        assert_eq!(status, 200, "loopback creates anonymously: {body}");
    }
    for caller in [None, Some(token.expose())] {
        let (status, intended, body) = v1_share(&relay, caller, "no room").await;
        assert_eq!((status, intended.as_str()), (404, "507"), "{body}");
        assert_eq!(
            body["message"],
            "The relay holds its maximum of 4 live secrets. Try again when some are revealed, burned or expire."
        );
    }
    let (status, v2) = json(
        http()
            .post(relay.api("/api/v2/secret/conceal"))
            .json(&serde_json::json!({"secret": {"secret": "v2"}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, v2["error_type"].as_str()),
        (507, Some("QuotaExceeded")),
        "{v2}"
    );
    assert_eq!(
        relay.relay.status().await.unwrap().live_secrets,
        4,
        "nothing more was stored"
    );
    relay.stop().await;
}

#[test]
fn quotas_have_caps_by_default_and_refuse_zero() {
    let config = hushlink_relay::RelayConfig::default();
    assert_eq!(
        (
            config.quotas.live_secrets,
            config.quotas.live_bytes,
            config.quotas.live_secrets_per_token,
            config.quotas.live_bytes_per_token
        ),
        (10_000, 256 << 20, 1_000, 64 << 20)
    );
    let zero: hushlink_relay::RelayConfig =
        toml::from_str("[quotas]\nlive_bytes_per_token = 0").unwrap();
    let err = zero.validate().unwrap_err().to_string();
    assert!(err.contains("quotas.live_bytes_per_token"), "{err}");
}
