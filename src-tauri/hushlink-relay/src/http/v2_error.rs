//! v2 errors: real status codes and the `{"error", "error_type", …}` body of reference §5.3.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use hushlink_protocol::errors as texts;
use hushlink_protocol::v2::ErrorBody;

use super::json_response;
use super::params::ParamsError;

/// A v2 error with its real status.
#[derive(Debug)]
pub enum V2Error {
    /// 401: bad or missing credentials.
    Unauthorized(&'static str),
    /// 404: unknown, consumed, burned or expired.
    NotFound,
    /// 413: body over the limit.
    TooLarge(String),
    /// 422: validation or wrong passphrase; `error_type` names the kind.
    Unprocessable(String, &'static str),
    /// 429 with `Retry-After`.
    RateLimited(u64),
    /// 403 (the token's quota) or 507 (the relay's), `error_type` `QuotaExceeded`.
    QuotaExceeded(crate::model::Quota),
    /// 500: logged, never described.
    Internal,
    /// 503 with `Retry-After`: the shared database does not answer (as the status route
    /// says); the request failed at once and succeeds again by itself once it is back.
    Unavailable,
}

impl IntoResponse for V2Error {
    fn into_response(self) -> Response {
        let body = |error: String, error_type: &str| ErrorBody {
            error: Some(error),
            error_type: Some(error_type.to_owned()),
            ..ErrorBody::default()
        };
        let (status, body) = match self {
            Self::Unauthorized(message) => (
                StatusCode::UNAUTHORIZED,
                ErrorBody {
                    message: Some(message.to_owned()),
                    ..body(texts::AUTHENTICATION_REQUIRED.into(), "Unauthorized")
                },
            ),
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                body(texts::UNKNOWN_SECRET.into(), "RecordNotFound"),
            ),
            Self::TooLarge(text) => (StatusCode::PAYLOAD_TOO_LARGE, body(text, "PayloadTooLarge")),
            Self::Unprocessable(text, kind) => (StatusCode::UNPROCESSABLE_ENTITY, body(text, kind)),
            Self::RateLimited(retry) => {
                let mut response = json_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    &ErrorBody {
                        retry_after: Some(retry),
                        ..body(texts::RATE_LIMITED.into(), "LimitExceeded")
                    },
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry));
                return response;
            }
            Self::QuotaExceeded(quota) => (
                StatusCode::from_u16(quota.status()).unwrap_or(StatusCode::FORBIDDEN),
                body(quota.to_string(), "QuotaExceeded"),
            ),
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                body("Internal Server Error".into(), "ServerError"),
            ),
            Self::Unavailable => {
                let mut response = json_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &body(
                        super::health::UNAVAILABLE.into(),
                        super::health::UNAVAILABLE_TYPE,
                    ),
                );
                response.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(super::health::DEADLINE.as_secs()),
                );
                return response;
            }
        };
        json_response(status, &body)
    }
}

impl From<ParamsError> for V2Error {
    fn from(err: ParamsError) -> Self {
        match err {
            ParamsError::TooLarge(_) => Self::TooLarge(err.to_string()),
            ParamsError::Malformed(_) => Self::Unprocessable(err.to_string(), "FormError"),
        }
    }
}

/// Logs a fault and answers 500 without details (503 while the shared database is lost).
pub fn fault(err: &crate::Error) -> V2Error {
    tracing::error!(error = %err, "v2 request failed");
    match err {
        crate::Error::DatabaseUnavailable(_) => V2Error::Unavailable,
        _ => V2Error::Internal,
    }
}

/// The v2 answer to what may stop any operation.
pub fn unavailable(err: crate::model::Unavailable) -> V2Error {
    use crate::model::Unavailable;
    match err {
        Unavailable::RateLimited { retry_after_secs } => V2Error::RateLimited(retry_after_secs),
        Unavailable::Fault(err) => fault(&err),
    }
}
