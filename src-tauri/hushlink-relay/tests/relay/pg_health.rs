//! `/api/v1/status` and `/api/v2/status` of a headless relay on PostgreSQL: "nominal" while
//! the database answers, 503 with the API's error shape while it is down, and nominal again
//! once it is back, without restarting the relay (issue 18).

use std::sync::Arc;
use std::time::{Duration, Instant};

use hushlink_protocol::errors::INTENDED_STATUS_HEADER;
use hushlink_testkit::TestPostgres;

use crate::pg_common::Db;
use crate::support::http;

/// The status of both APIs: (v1 status, v1 body, v1 intended status, v2 status, v2 body).
async fn statuses(
    url: &str,
) -> (
    u16,
    serde_json::Value,
    Option<String>,
    u16,
    serde_json::Value,
) {
    let client = http();
    let v1 = client
        .get(format!("{url}/api/v1/status"))
        .send()
        .await
        .expect("v1 status answers");
    let intended = v1
        .headers()
        .get(INTENDED_STATUS_HEADER)
        .map(|v| v.to_str().expect("ASCII").to_owned());
    let (v1_status, v1_body) = crate::support::json(v1).await;
    let v2 = client
        .get(format!("{url}/api/v2/status"))
        .send()
        .await
        .expect("v2 status answers");
    let (v2_status, v2_body) = crate::support::json(v2).await;
    (v1_status, v1_body, intended, v2_status, v2_body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_follows_the_database_down_and_back_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    // Its own cluster: this test stops it.
    let pg = Arc::new(
        tokio::task::spawn_blocking(TestPostgres::start)
            .await
            .unwrap(),
    );
    let db = Db::on(pg.clone(), dir.path());
    let relay = db.relay(dir.path());

    let (v1, body, _, v2, body2) = statuses(&relay.url).await;
    assert_eq!((v1, v2), (200, 200), "{body} {body2}");
    assert_eq!(body["status"], "nominal");
    assert_eq!(body2["status"], "nominal");

    let stopper = pg.clone();
    tokio::task::spawn_blocking(move || stopper.stop())
        .await
        .unwrap();
    let asked = Instant::now();
    let (v1, body, intended, v2, body2) = statuses(&relay.url).await;
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "fails fast: {:?}",
        asked.elapsed()
    );
    assert_eq!(v1, 503, "v1 says unavailable: {body}");
    assert_eq!(intended.as_deref(), Some("503"));
    assert!(body["message"].is_string(), "v1's error shape: {body}");
    assert!(body.get("status").is_none(), "not nominal: {body}");
    assert_eq!(v2, 503, "v2 says unavailable: {body2}");
    assert_eq!(body2["error_type"], "ServiceUnavailable");
    assert!(body2["error"].is_string(), "v2's error shape: {body2}");

    let starter = pg.clone();
    tokio::task::spawn_blocking(move || starter.start_again())
        .await
        .unwrap();
    // The pool reconnects on its own; poll briefly for the first new connection.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (v1, _, _, v2, body2) = statuses(&relay.url).await;
        if (v1, v2) == (200, 200) {
            assert_eq!(body2["status"], "nominal");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "nominal again: {v1} {v2} {body2}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
