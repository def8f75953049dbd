//! Third-party compatibility: the v1 calls real Onetime clients make (reference §9), each as
//! a plain HTTP request.

use serde_json::Value;

use crate::support::{http, json, share, TestRelay};

const MULTIPART_BOUNDARY: &str = "hushlinktestboundary";

fn multipart(fields: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{MULTIPART_BOUNDARY}--\r\n"));
    body
}

async fn reveal_value(relay: &TestRelay, key: &str) -> String {
    let (status, body) = json(
        http()
            .post(relay.api(&format!("/api/v1/secret/{key}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "reveal succeeds: {body}");
    assert_eq!(body["secret_key"], key);
    body["value"].as_str().expect("value").to_owned()
}

fn assert_integer(body: &Value, field: &str) {
    assert!(
        body[field].is_u64(),
        "{field} must be a JSON integer, got {}",
        body[field]
    );
}

#[tokio::test]
async fn status_is_nominal_with_every_security_header() {
    let relay = TestRelay::start(|_| {}).await;
    let response = http()
        .get(relay.api("/api/v1/status"))
        .send()
        .await
        .unwrap();
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/json; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["x-robots-tag"]
        .to_str()
        .unwrap()
        .contains("noindex"));
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "no inline script: {csp}");
    let (status, body) = json(response).await;
    assert_eq!(
        (status, body),
        (
            200,
            serde_json::json!({"status": "nominal", "locale": "en"})
        )
    );

    let missing = http().get(relay.api("/nowhere")).send().await.unwrap();
    assert_eq!(
        missing.headers()["cache-control"],
        "no-store",
        "fallbacks carry the headers too"
    );
}

#[tokio::test]
async fn share_accepts_urlencoded_multipart_query_string_and_json() {
    let relay = TestRelay::start(|_| {}).await;
    let client = http();
    let value = "pa ss&w=rd\u{e9}";
    let responses = [
        client
            .post(relay.api("/api/v1/share"))
            .form(&[("secret", value), ("ttl", "3600")])
            .send()
            .await
            .unwrap(),
        client
            .post(relay.api("/api/v1/share"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
            )
            .body(multipart(&[("secret", value), ("ttl", "3600")]))
            .send()
            .await
            .unwrap(),
        client
            .post(relay.api("/api/v1/share"))
            .query(&[("secret", value), ("ttl", "3600")])
            .send()
            .await
            .unwrap(),
        client
            .post(relay.api("/api/v1/share"))
            .json(&serde_json::json!({"secret": value, "ttl": 3600}))
            .send()
            .await
            .unwrap(),
    ];
    for response in responses {
        let (status, body) = json(response).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["ttl"], 3600);
        assert_eq!(body["secret_ttl"], 3600);
        assert_eq!(body["metadata_ttl"], 7200, "receipts live twice as long");
        assert_eq!(body["state"], "new");
        assert_eq!(body["custid"], "anon");
        assert_eq!(body["recipient"], serde_json::json!([]));
        assert_eq!(body["share_domain"], "");
        assert_eq!(body["passphrase_required"], false);
        for field in ["ttl", "metadata_ttl", "secret_ttl", "created", "updated"] {
            assert_integer(&body, field);
        }
        let key = body["secret_key"].as_str().unwrap();
        assert_eq!(key.len(), 50);
        assert!(body["metadata_url"].as_str().unwrap().ends_with(&format!(
            "/receipt/{}",
            body["metadata_key"].as_str().unwrap()
        )));
        assert_eq!(
            reveal_value(&relay, key).await,
            value,
            "the value round-trips through every encoding"
        );
    }
}

#[tokio::test]
async fn create_alias_and_every_receipt_spelling_answer_the_same() {
    let relay = TestRelay::start(|_| {}).await;
    let (status, body) = json(
        http()
            .post(relay.api("/api/v1/create"))
            .form(&[("secret", "x1")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "/create is an alias of /share: {body}");
    let metadata_key = body["metadata_key"].as_str().unwrap();
    let secret_key = body["secret_key"].as_str().unwrap();
    for prefix in ["private", "metadata", "receipt"] {
        let url = relay.api(&format!("/api/v1/{prefix}/{metadata_key}"));
        for response in [
            http().get(&url).send().await.unwrap(),
            http().post(&url).send().await.unwrap(),
        ] {
            let (status, receipt) = json(response).await;
            assert_eq!(status, 200, "{prefix}: {receipt}");
            assert_eq!(receipt["metadata_key"], metadata_key);
            assert_eq!(
                receipt["secret_key"], secret_key,
                "the receipt shows the share key while new"
            );
            assert_eq!(
                receipt["state"], "new",
                "fetching a receipt does not change it"
            );
            assert_eq!(receipt["passphrase_required"], false);
        }
    }
}

#[tokio::test]
async fn revealed_secret_is_gone_and_its_receipt_says_received() {
    let relay = TestRelay::start(|_| {}).await;
    let (secret_key, metadata_key) = share(&relay, &[("secret", "once")]).await;
    assert_eq!(reveal_value(&relay, &secret_key).await, "once");

    let second = http()
        .post(relay.api(&format!("/api/v1/secret/{secret_key}")))
        .send()
        .await
        .unwrap();
    assert_eq!(second.headers()["x-ots-intended-status"], "404");
    let (status, body) = json(second).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        serde_json::json!({"message": "Unknown secret", "secret_key": secret_key})
    );

    let (_, receipt) = json(
        http()
            .get(relay.api(&format!("/api/v1/private/{metadata_key}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(receipt["state"], "received");
    assert!(
        receipt.get("secret_key").is_none(),
        "secret_key is absent once received: {receipt}"
    );
    assert_integer(&receipt, "received");
    assert!(receipt["secret_ttl"].is_null());
}

#[tokio::test]
async fn burn_nests_the_receipt_under_state_with_a_short_key() {
    let relay = TestRelay::start(|_| {}).await;
    let (secret_key, metadata_key) = share(&relay, &[("secret", "burn me")]).await;
    let (status, body) = json(
        http()
            .post(relay.api(&format!("/api/v1/private/{metadata_key}/burn")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["state"]["state"], "burned",
        "clients read .state.state"
    );
    assert_eq!(body["state"]["secret_key"], "");
    assert!(body["state"]["secret_ttl"].is_null());
    assert_eq!(body["secret_shortkey"], &secret_key[..8]);

    let (status, body) = json(
        http()
            .post(relay.api(&format!("/api/v1/secret/{secret_key}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (404, Some("Unknown secret")),
        "burned means gone"
    );
    let (status, body) = json(
        http()
            .post(relay.api(&format!("/api/v1/metadata/{metadata_key}/burn")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        serde_json::json!({"message": "Unknown secret", "secret_key": metadata_key})
    );
}

#[tokio::test]
async fn generate_returns_the_password_once() {
    let relay = TestRelay::start(|_| {}).await;
    let (status, body) = json(
        http()
            .post(relay.api("/api/v1/generate"))
            .form(&[("ttl", "600")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let value = body["value"]
        .as_str()
        .expect("generate returns value")
        .to_owned();
    assert_eq!(value.chars().count(), 12);
    assert_eq!(body["ttl"], 600);
    let key = body["secret_key"].as_str().unwrap();
    assert_eq!(reveal_value(&relay, key).await, value);
}

#[tokio::test]
async fn passphrase_secrets_answer_unknown_until_the_right_passphrase() {
    let relay = TestRelay::start(|_| {}).await;
    let (key, _) = share(
        &relay,
        &[("secret", "guarded"), ("passphrase", "open sesame")],
    )
    .await;
    let url = relay.api(&format!("/api/v1/secret/{key}"));
    for form in [vec![], vec![("passphrase", "wrong one")]] {
        let (status, body) = json(http().post(&url).form(&form).send().await.unwrap()).await;
        assert_eq!(
            (status, body["message"].as_str()),
            (404, Some("Unknown secret")),
            "{form:?}"
        );
    }
    let (status, body) = json(
        http()
            .post(&url)
            .form(&[("passphrase", "open sesame")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body["value"].as_str()), (200, Some("guarded")));
}

#[tokio::test]
async fn ttl_is_clamped_never_rejected() {
    let relay = TestRelay::start(|c| c.max_ttl_secs = 86_400).await;
    for (asked, granted) in [
        ("5", 60),
        ("999999999", 86_400),
        ("abc", 60),
        ("3600", 3_600),
        ("-5", 60),
        ("7200.9", 7_200),
        ("99999999999999999999999", 86_400),
        ("", 86_400),
    ] {
        let (status, body) = json(
            http()
                .post(relay.api("/api/v1/share"))
                .form(&[("secret", "t"), ("ttl", asked)])
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["ttl"].as_u64()),
            (200, Some(granted)),
            "ttl={asked}"
        );
    }
    let (_, body) = json(
        http()
            .post(relay.api("/api/v1/share"))
            .form(&[("secret", "t")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        body["ttl"], 86_400,
        "the default is clamped to the maximum too"
    );
}
