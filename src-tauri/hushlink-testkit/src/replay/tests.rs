use axum::body::to_bytes;
use tower::ServiceExt;

use super::*;

fn exchange(step: &str, method: &str, path: &str, body: serde_json::Value) -> Exchange {
    serde_json::from_value(serde_json::json!({
        "step": step,
        "request": {"method": method, "path": path},
        "status": 200,
        "headers": {"content-type": "application/json"},
        "body": body,
    }))
    .expect("an exchange")
}

async fn call(app: &Router, method: Method, path: &str) -> (StatusCode, String) {
    let request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, String::from_utf8(body.to_vec()).expect("UTF-8"))
}

#[tokio::test]
async fn steps_of_a_path_are_served_in_order_and_the_last_one_stays() {
    let recording = Recording::from(vec![
        exchange("first", "POST", "/api/v1/private/k", "one".into()),
        exchange("other", "GET", "/api/v1/status", "status".into()),
        exchange("second", "post", "/api/v1/private/k", "two".into()),
    ]);
    let seen = Arc::default();
    let app = router(recording, Arc::clone(&seen));
    let receipt = "/api/v1/private/k";
    assert_eq!(call(&app, Method::POST, receipt).await.1, "one");
    assert_eq!(call(&app, Method::POST, receipt).await.1, "two");
    assert_eq!(call(&app, Method::POST, receipt).await.1, "two");
    assert_eq!(call(&app, Method::GET, "/api/v1/status").await.1, "status");
    let (status, body) = call(&app, Method::GET, receipt).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::NOT_FOUND, r#"{"error":"Not Found"}"#),
        "another method on the same path is not matched"
    );
    assert_eq!(seen.lock().expect("seen").len(), 5);
    assert_eq!(seen.lock().expect("seen")[0], "POST /api/v1/private/k");
}

#[test]
fn the_v0_23_6_recording_loads_and_names_its_steps() {
    let recording = onetime_v0_23_6();
    assert_eq!(
        recording.exchanges().len(),
        102,
        "100 recorded + 2 rate limits"
    );
    let burn = recording.step("v1.burn").expect("recorded");
    assert_eq!(burn.request.method, "POST");
    assert!(burn.request.path.ends_with("/burn"));
    assert_eq!(burn.key().len(), 31, "the key before /burn");
    let picked = recording
        .only(&["v1.status", "v1.receipt.ratelimited"])
        .expect("both recorded");
    let steps: Vec<_> = picked.exchanges().iter().map(|e| e.step.as_str()).collect();
    assert_eq!(steps, ["v1.status", "v1.receipt.ratelimited"]);
    assert!(matches!(
        recording.only(&["v9.nothing"]),
        Err(RecordingError::NoStep(step)) if step == "v9.nothing"
    ));
}

#[test]
fn a_line_that_is_no_exchange_is_reported_with_its_number() {
    let error = Recording::parse("\n{\"step\": 1}\n").expect_err("not an exchange");
    assert!(
        matches!(error, RecordingError::Line { line: 2, .. }),
        "{error}"
    );
}
