//! v2 reveal and burn act only when asked (`continue: true`), and the probes real clients
//! make first (`/api/v2/version`, `/api/v2/authcheck`), answered as Onetime v0.23.6 does.

use serde_json::{json, Value};

use crate::support::v2::{self, post};
use crate::support::{http, json, TestRelay};

/// Conceals a secret; returns (secret key, receipt key).
async fn conceal(relay: &TestRelay) -> (String, String) {
    let created = v2::conceal(relay, json!({"secret": {"secret": "only when asked"}})).await;
    let key = |v: &Value| v.as_str().expect("a key").to_owned();
    (
        key(&created["record"]["secret"]["identifier"]),
        key(&created["record"]["metadata"]["identifier"]),
    )
}

#[tokio::test]
async fn reveal_without_continue_answers_the_record_and_keeps_the_secret() {
    let relay = TestRelay::start(|_| {}).await;
    let (secret, _) = conceal(&relay).await;
    let reveal = format!("/api/v2/secret/{secret}/reveal");
    for body in [json!({}), json!({"continue": false})] {
        let (status, answer) = post(&relay, &reveal, body.clone()).await;
        assert_eq!(status, 200, "{body} → {answer}");
        assert_eq!(answer["details"]["continue"], false, "{answer}");
        assert_eq!(answer["details"]["show_secret"], false);
        assert_eq!(answer["record"]["identifier"], secret.as_str());
        assert!(
            answer["record"].get("secret_value").is_none()
                && !answer.to_string().contains("only when asked"),
            "no value without continue: {answer}"
        );
    }
    let (status, revealed) = post(&relay, &reveal, json!({"continue": true})).await;
    assert_eq!(status, 200, "the secret was kept: {revealed}");
    assert_eq!(revealed["record"]["secret_value"], "only when asked");
    let (status, _) = post(&relay, &reveal, json!({})).await;
    assert_eq!(status, 404, "once revealed, even a preview finds nothing");
}

#[tokio::test]
async fn burn_without_continue_is_422_and_keeps_the_secret() {
    let relay = TestRelay::start(|_| {}).await;
    let (secret, receipt) = conceal(&relay).await;
    let burn = format!("/api/v2/receipt/{receipt}/burn");
    for body in [json!({}), json!({"continue": "false"})] {
        let (status, answer) = post(&relay, &burn, body.clone()).await;
        assert_eq!(status, 422, "{body} → {answer}");
        assert_eq!(answer["error_type"], "FormError");
        assert!(
            answer["error"]
                .as_str()
                .is_some_and(|e| e.contains("continue")),
            "the message says what to send: {answer}"
        );
    }
    let (_, state) = json(
        http()
            .get(relay.api(&format!("/api/v2/secret/{secret}/status")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(state["record"]["state"], "new", "not burned: {state}");
    let (status, burned) = post(&relay, &burn, json!({"continue": true})).await;
    assert_eq!(
        (status, burned["record"]["state"].as_str()),
        (200, Some("burned"))
    );
}

#[tokio::test]
async fn version_and_authcheck_answer_as_real_clients_expect() {
    let relay = TestRelay::start(|_| {}).await;
    let (status, version) = json(
        http()
            .get(relay.api("/api/v2/version"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        status, 200,
        "no credentials needed, as on v0.23.6: {version}"
    );
    assert_eq!(version["locale"], "en");
    let parts: Vec<&str> = version["version"]
        .as_array()
        .expect("an array, as v0.23.6 sends")
        .iter()
        .map(|v| v.as_str().expect("strings, as v0.23.6 sends"))
        .collect();
    assert_eq!(parts.len(), 3, "{version}");
    let minor: u32 = parts[1].parse().expect("numeric");
    assert!(
        minor >= 24,
        "the relay follows the current generation: {version}"
    );

    let (status, _) = json(
        http()
            .get(relay.api("/api/v2/authcheck"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401, "authcheck without credentials");
    let (status, _) = json(
        http()
            .get(relay.api("/api/v2/authcheck"))
            .basic_auth("erin", Some("not-a-token"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401, "authcheck with a wrong token");
    let token = relay
        .relay
        .tokens()
        .issue("erin")
        .await
        .unwrap()
        .token
        .expose()
        .to_owned();
    let (status, check) = json(
        http()
            .get(relay.api("/api/v2/authcheck"))
            .basic_auth("erin", Some(&token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{check}");
    assert_eq!(check["details"]["authenticated"], true);
    assert_eq!(check["record"]["custid"], "erin");
    assert!(
        !check.to_string().contains(&token),
        "the token is never echoed"
    );
}
