//! Peers: who may reach the relay at all, and who may create on it.

use super::*;

#[tokio::test]
async fn peers_outside_the_lan_are_refused_with_an_explanation() {
    let (relay, _dir) = open(|_| {}).await;
    let key = keep_one(&relay).await;
    for peer in ["8.8.8.8", "2001:db8::1", "::ffff:1.2.3.4", "100.128.0.1"] {
        let api = call(&relay, peer, post(&format!("/api/v1/secret/{key}")), "").await;
        assert_eq!(api.status, 403, "{peer}");
        assert!(api.content_type.starts_with("application/json"), "{peer}");
        assert!(
            api.body["message"]
                .as_str()
                .unwrap()
                .contains("local network"),
            "{}",
            api.text
        );
        let page = call(
            &relay,
            peer,
            Request::builder()
                .uri(format!("/secret/{key}"))
                .header("accept", "text/html"),
            "",
        )
        .await;
        assert_eq!(page.status, 403);
        assert!(
            page.content_type.starts_with("text/html") && page.text.contains("local network"),
            "{}",
            page.text
        );
    }
    let unknown_peer = hushlink_relay::router(&relay)
        .oneshot(post("/api/v1/status").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        unknown_peer.status(),
        403,
        "a request whose peer cannot be checked is refused"
    );
    assert_survives(&relay, &key).await;
}

#[tokio::test]
async fn allow_list_admits_a_public_range() {
    let (relay, _dir) = open(|c| c.allow = vec!["203.0.113.0/24".parse().unwrap()]).await;
    assert_eq!(
        call(
            &relay,
            "203.0.113.9",
            Request::builder().uri("/api/v1/status"),
            ""
        )
        .await
        .status,
        200
    );
    assert_eq!(
        call(
            &relay,
            "203.0.114.9",
            Request::builder().uri("/api/v1/status"),
            ""
        )
        .await
        .status,
        403
    );
}

#[tokio::test]
async fn lan_peers_need_a_token_to_create_but_not_to_reveal() {
    let (relay, _dir) = open(|_| {}).await;
    let key = keep_one(&relay).await;
    let v1 = call(&relay, "192.168.1.20", form("/api/v1/share"), "secret=x").await;
    assert_eq!((v1.status, v1.intended.as_deref()), (404, Some("401")));
    assert_eq!(v1.body, serde_json::json!({"message": "Not authorized"}));
    let v2 = call(
        &relay,
        "192.168.1.20",
        post("/api/v2/secret/conceal").header("content-type", "application/json"),
        r#"{"secret":{"secret":"x"}}"#,
    )
    .await;
    assert_eq!(v2.status, 401, "{}", v2.text);
    assert_eq!(v2.body["error"], "Authentication Required");
    let bad = call(
        &relay,
        "192.168.1.20",
        form("/api/v1/share").header("authorization", "Basic bm90OmFsbG93ZWQ="),
        "secret=x",
    )
    .await;
    assert_eq!(bad.body["message"], "Not authorized");
    let bearer = call(
        &relay,
        "192.168.1.20",
        form("/api/v1/share").header("authorization", "Bearer abc"),
        "secret=x",
    )
    .await;
    assert_eq!(
        bearer.body["message"], "Not authorized",
        "only Basic is understood"
    );
    let reveal = call(
        &relay,
        "10.0.0.7",
        post(&format!("/api/v1/secret/{key}")),
        "",
    )
    .await;
    assert_eq!(reveal.body["value"], "survivor", "the link alone reveals");
    assert_eq!(
        relay.status().await.unwrap().live_secrets,
        0,
        "no refused create was stored"
    );
}
