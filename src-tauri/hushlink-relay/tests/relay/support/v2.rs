//! `/api/v2` calls with JSON bodies.

use serde_json::Value;

use super::{http, json, TestRelay};

/// `POST path` with a JSON `body`; the status and the JSON answer.
pub async fn post(relay: &TestRelay, path: &str, body: Value) -> (u16, Value) {
    json(
        http()
            .post(relay.api(path))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// `POST /api/v2/secret/conceal` with `body`, which must succeed; the answer.
pub async fn conceal(relay: &TestRelay, body: Value) -> Value {
    let (status, created) = post(relay, "/api/v2/secret/conceal", body).await;
    assert_eq!(status, 200, "{created}");
    created
}
