//! `/api/v2`: envelopes, real status codes and Hushlink's additive extensions.

use serde_json::json;

use crate::support::v2::conceal;
use crate::support::{http, json, TestRelay};

#[tokio::test]
async fn conceal_reveal_and_receipt_use_the_envelope_and_say_who_revealed() {
    let relay = TestRelay::start(|_| {}).await;
    let (status, body) = json(
        http()
            .get(relay.api("/api/v2/status"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"success": true, "status": "nominal", "locale": "en"})
        )
    );

    let created = conceal(
        &relay,
        json!({"secret": {"secret": "v2 value", "ttl": 600, "e2e": true}}),
    )
    .await;
    assert_eq!(created["success"], true);
    assert_eq!(created["details"]["kind"], "conceal");
    let receipt = &created["record"]["receipt"];
    assert_eq!(
        receipt, &created["record"]["metadata"],
        "metadata mirrors receipt"
    );
    assert_eq!(receipt["state"], "new");
    assert_eq!(receipt["lifespan"], 600);
    assert_eq!(receipt["e2e"], true, "the e2e mark is kept");
    let secret_key = created["record"]["secret"]["identifier"]
        .as_str()
        .unwrap()
        .to_owned();
    let receipt_key = receipt["identifier"].as_str().unwrap().to_owned();
    assert_eq!(receipt["secret_identifier"], secret_key.as_str());
    assert!(receipt["share_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/secret/{secret_key}")));

    let (status, shown) = json(
        http()
            .get(relay.api(&format!("/api/v2/secret/{secret_key}?continue=true")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        shown["record"].get("secret_value").is_none(),
        "GET never reveals, even with continue=true"
    );
    assert_eq!(shown["details"]["e2e"], true);
    let (_, state) = json(
        http()
            .get(relay.api(&format!("/api/v2/secret/{secret_key}/status")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(state["record"]["state"], "new");
    assert!(state["details"]["current_expiration"].as_u64().unwrap() <= 600);

    let reveal = relay.api(&format!("/api/v2/secret/{secret_key}/reveal"));
    let (status, revealed) = json(
        http()
            .post(&reveal)
            .json(&json!({"continue": true}))
            .header("user-agent", "browser/9")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{revealed}");
    assert_eq!(revealed["record"]["secret_value"], "v2 value");
    assert_eq!(revealed["details"]["show_secret"], true);
    let (status, again) = json(
        http()
            .post(&reveal)
            .json(&json!({"continue": true}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, again["error_type"].as_str()),
        (404, Some("RecordNotFound"))
    );

    let (_, state) = json(
        http()
            .get(relay.api(&format!("/api/v2/secret/{secret_key}/status")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        state["record"]["state"], "revealed",
        "single status tells revealed from the receipt"
    );
    let (status, receipt) = json(
        http()
            .get(relay.api(&format!("/api/v2/receipt/{receipt_key}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(receipt["record"]["state"], "revealed");
    assert_eq!(receipt["record"]["is_revealed"], true);
    assert!(
        receipt["record"]["secret_identifier"].is_null(),
        "the share key is gone once revealed"
    );
    assert_eq!(receipt["details"]["revealed_from"], "127.0.0.1");
    assert!(receipt["details"]["revealed_at"].is_u64());
}

#[tokio::test]
async fn form_nesting_generate_burn_and_batch_status() {
    let relay = TestRelay::start(|_| {}).await;
    let (status, created) = json(
        http()
            .post(relay.api("/api/v2/secret/conceal"))
            .form(&[("secret[secret]", "formed"), ("secret[ttl]", "120")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, created["record"]["receipt"]["lifespan"].as_u64()),
        (200, Some(120)),
        "{created}"
    );
    let live = created["record"]["secret"]["identifier"]
        .as_str()
        .unwrap()
        .to_owned();

    let generated = json(
        http()
            .post(relay.api("/api/v2/secret/generate"))
            .json(&json!({"secret": {"length": 20}}))
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    let password = generated["details"]["secret_value"]
        .as_str()
        .expect("extension: the generated value")
        .to_owned();
    assert_eq!(password.chars().count(), 20);
    let burned_receipt = generated["record"]["receipt"]["identifier"]
        .as_str()
        .unwrap()
        .to_owned();
    let burned_secret = generated["record"]["secret"]["identifier"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, burned) = json(
        http()
            .post(relay.api(&format!("/api/v2/receipt/{burned_receipt}/burn")))
            .json(&json!({"continue": true}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{burned}");
    assert_eq!(burned["success"], true);
    assert_eq!(burned["record"]["state"], "burned");
    assert_eq!(burned["record"]["burn_reason"], "sender");
    assert_eq!(burned["details"]["title"], "Secret burned");

    let unknown = "z".repeat(50);
    for body in [
        json!({"identifiers": format!("{live},{burned_secret},{unknown},BAD")}),
        json!({"identifiers": [live, burned_secret, unknown]}),
    ] {
        let (status, batch) = json(
            http()
                .post(relay.api("/api/v2/secret/status"))
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(batch["count"], 1, "only the live secret is listed: {batch}");
        assert_eq!(batch["records"][0]["identifier"], live.as_str());
        assert_eq!(batch["records"][0]["state"], "new");
    }
}

#[tokio::test]
async fn credentials_recent_and_unknown_routes() {
    let relay = TestRelay::start(|_| {}).await;
    let (status, body) = json(
        http()
            .get(relay.api("/api/v2/receipt/recent"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("Authentication Required"))
    );
    let (status, _) = json(
        http()
            .get(relay.api("/api/v2/status"))
            .basic_auth("x", Some("y"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401, "bad credentials are refused everywhere");

    let token = relay
        .relay
        .tokens()
        .issue("erin")
        .await
        .unwrap()
        .token
        .expose()
        .to_owned();
    let (status, _) = json(
        http()
            .post(relay.api("/api/v2/secret/conceal"))
            .basic_auth("erin", Some(&token))
            .json(&json!({"secret": {"secret": "e"}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let (status, recent) = json(
        http()
            .get(relay.api("/api/v2/receipt/recent"))
            .basic_auth("erin", Some(&token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, recent["count"].as_u64()),
        (200, Some(1)),
        "{recent}"
    );
    assert_eq!(recent["custid"], "erin");

    let (status, body) = json(
        http()
            .get(relay.api("/api/v2/nothing/here"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body),
        (404, json!({"error": "Not Found", "error_type": "NotFound"}))
    );
}
