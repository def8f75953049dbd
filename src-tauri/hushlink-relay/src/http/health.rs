//! Health of `GET /api/v1/status` and `GET /api/v2/status`: "nominal" only while the relay's
//! storage answers (issue 18).
//!
//! Several relay instances behind a load balancer share one PostgreSQL database; an instance
//! that cannot reach it must say so, so the balancer stops sending it requests and the
//! operator's monitoring sees why. The status then answers **503** (with the API's error
//! shape: v1 `{"message"}` plus `X-OTS-Intended-Status: 503`, v2 `{"error","error_type"}`), and
//! "nominal" again as soon as the database answers: the pool reconnects by itself.
//!
//! The check is one `SELECT 1` on a pooled connection, bounded by [`DEADLINE`] so a database
//! that swallows packets makes the status fail fast instead of hanging the balancer's probe.
//! On SQLite ([`crate::store::Storage::ping`]) the check asks no disk: it fails once the
//! store's writer stopped for good (a failed commit or flush, after which every write fails
//! until a restart); a single failed write shows on that request itself.

use std::time::Duration;

use axum::response::Response;
use http::{HeaderValue, StatusCode};
use hushlink_protocol::errors::INTENDED_STATUS_HEADER;

use super::json_response;
use crate::operations::Relay;

/// Longest a status request waits for the database before answering 503.
pub const DEADLINE: Duration = Duration::from_secs(2);

/// What the status says while storage does not answer (no driver detail: it is logged).
pub const UNAVAILABLE: &str = "The relay's database is unreachable; try again shortly";

/// `v2`'s `error_type` for it.
pub const UNAVAILABLE_TYPE: &str = "ServiceUnavailable";

/// Whether the relay's storage answered within [`DEADLINE`]; the reason it did not is
/// logged (it never holds secret text).
pub(crate) async fn storage_answers(relay: &Relay) -> bool {
    match tokio::time::timeout(DEADLINE, relay.check_storage()).await {
        Ok(Ok(())) => true,
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "status: the relay's storage does not answer");
            false
        }
        Err(_) => {
            tracing::warn!(deadline = ?DEADLINE, "status: the relay's storage did not answer in time");
            false
        }
    }
}

/// The v1 status while storage does not answer: the v1 error shape, but with the real 503
/// (not v1's usual 404), so a load balancer's probe sees the instance is unhealthy.
pub(crate) fn v1_unavailable() -> Response {
    let body = hushlink_protocol::v1::ErrorBody::message(UNAVAILABLE);
    let mut response = json_response(StatusCode::SERVICE_UNAVAILABLE, &body);
    response
        .headers_mut()
        .insert(INTENDED_STATUS_HEADER, HeaderValue::from(503u16));
    response
}

/// The v2 status while storage does not answer: 503 with `{"error","error_type"}`.
pub(crate) fn v2_unavailable() -> Response {
    let body = hushlink_protocol::v2::ErrorBody {
        error: Some(UNAVAILABLE.to_owned()),
        error_type: Some(UNAVAILABLE_TYPE.to_owned()),
        ..hushlink_protocol::v2::ErrorBody::default()
    };
    json_response(StatusCode::SERVICE_UNAVAILABLE, &body)
}
