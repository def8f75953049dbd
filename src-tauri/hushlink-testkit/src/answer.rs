//! [`Answer`]: one HTTP answer as recorded or documented (status, headers, body), the shape
//! shared by the fixtures of `tests/fixtures/onetime/` and the exchanges of a recording.

use std::collections::BTreeMap;

use axum::{
    body::Body,
    http::{HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::Value;

/// An HTTP answer to serve exactly.
#[derive(Debug, Clone, Deserialize)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Response headers (names in any case).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body: JSON, or a JSON string holding a body that was not JSON.
    pub body: Value,
}

impl Answer {
    /// The response: this status, these headers, this body (a string body as is, JSON
    /// serialized). Headers that are not valid HTTP are left out; a status that is not is
    /// served as 500.
    pub fn to_response(&self) -> Response {
        let body = match &self.body {
            Value::String(text) => text.clone().into_bytes(),
            json => serde_json::to_vec(json).expect("JSON serializes"),
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                response.headers_mut().append(name, value);
            }
        }
        response
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        self.to_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_body_is_serialized_and_a_string_body_served_as_is() {
        let json: Answer = serde_json::from_value(serde_json::json!({
            "status": 404,
            "headers": {"Content-Type": "application/json", "X-OTS-Intended-Status": "400"},
            "body": {"message": "Unknown secret"},
        }))
        .unwrap();
        let response = json.to_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.headers()["x-ots-intended-status"], "400");

        let text: Answer = serde_json::from_value(serde_json::json!({
            "status": 500, "body": "<html>oops</html>",
        }))
        .unwrap();
        assert_eq!(text.body, Value::String("<html>oops</html>".into()));
        assert!(text.to_response().headers().is_empty());
    }
}
