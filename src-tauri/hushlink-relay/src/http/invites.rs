//! `POST /api/v2/invite/KEY/accept`: the sealed invite, once.
//!
//! | status | body |
//! |---|---|
//! | 200 | `{"success":true,"sealed":"<base64url>"}` |
//! | 404 | `{"error":"Unknown invite","error_type":"InviteNotFound","message":…}` (also a malformed key) |
//! | 410 | `InviteUsed`, `InviteWithdrawn` or `InviteExpired`, each with its own `message` |
//! | 429 | the v2 rate-limit answer (counted as a reveal) |
//! | 500 | `{"error":"Internal Server Error","error_type":"ServerError"}` |
//!
//! Merged into [`Relay::router`], so the peer filter and security headers apply.

use axum::extract::{Path, State};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::StatusCode;
use hushlink_protocol::invite::{AcceptResponse, InviteErrorBody, InviteErrorType};

use crate::access_log::Client;
use crate::http::json_response;
use crate::invites::AcceptError;
use crate::keys::Key;
use crate::operations::Relay;

pub(crate) async fn accept(
    State(relay): State<Relay>,
    client: Client,
    Path(key): Path<String>,
) -> Response {
    let Ok(key) = Key::parse(&key) else {
        return refusal(&AcceptError::NotFound);
    };
    match relay.accept_invite(&key, &client).await {
        Ok(sealed) => json_response(
            StatusCode::OK,
            &AcceptResponse {
                success: true,
                sealed: URL_SAFE_NO_PAD.encode(sealed),
            },
        ),
        Err(err) => refusal(&err),
    }
}

fn refusal(err: &AcceptError) -> Response {
    let (status, error, error_type) = match err {
        AcceptError::NotFound => (
            StatusCode::NOT_FOUND,
            "Unknown invite",
            InviteErrorType::InviteNotFound,
        ),
        AcceptError::Used => (
            StatusCode::GONE,
            "Invite already used",
            InviteErrorType::InviteUsed,
        ),
        AcceptError::Withdrawn => (
            StatusCode::GONE,
            "Invite withdrawn",
            InviteErrorType::InviteWithdrawn,
        ),
        AcceptError::Expired => (
            StatusCode::GONE,
            "Invite expired",
            InviteErrorType::InviteExpired,
        ),
        AcceptError::RateLimited { retry_after_secs } => {
            let body = serde_json::json!({
                "error": "Rate limit exceeded. Please try again later.",
                "error_type": "LimitExceeded",
                "retry_after": retry_after_secs,
            });
            let mut response = json_response(StatusCode::TOO_MANY_REQUESTS, &body);
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, (*retry_after_secs).into());
            return response;
        }
        AcceptError::Fault(fault) => {
            tracing::error!(error = %fault, "accepting an invite failed");
            let body = serde_json::json!({
                "error": "Internal Server Error",
                "error_type": "ServerError",
            });
            return json_response(StatusCode::INTERNAL_SERVER_ERROR, &body);
        }
    };
    let body = InviteErrorBody {
        error: error.to_owned(),
        error_type,
        message: err.to_string(),
    };
    json_response(status, &body)
}
