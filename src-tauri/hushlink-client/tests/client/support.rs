//! What the client's tests add to the test kit's stub server and fixtures: clients for the
//! stub's URL, and the documented answers of `tests/fixtures/onetime/` by name.

use axum::response::{IntoResponse, Response};
use hushlink_client::{Client, ServerConfig};
use hushlink_protocol::SecretText;
use hushlink_testkit::{fixtures, Seen};
use serde_json::Value;

pub use hushlink_testkit::fixtures::path as fixture_path;
pub use hushlink_testkit::stub::raw;
pub use hushlink_testkit::StubServer;

/// Clients for a stub server: anonymous, or with the test account's credentials.
pub trait Clients {
    fn client(&self) -> Client;
    fn authed_client(&self) -> Client;
}

impl Clients for StubServer {
    fn client(&self) -> Client {
        Client::new(ServerConfig::new(self.url().clone())).unwrap()
    }

    fn authed_client(&self) -> Client {
        let config = ServerConfig::new(self.url().clone())
            .with_credentials("alice@example.com", SecretText::from("tok3n"));
        Client::new(config).unwrap()
    }
}

/// The fixture's answer: its status, headers and body, as documented.
pub fn fixture(name: &str) -> Response {
    fixtures::onetime(name).into_response()
}

/// The fixture's body as JSON, for comparisons.
pub fn fixture_body(name: &str) -> Value {
    fixtures::onetime(name).body
}

/// The form fields of a request body.
pub fn form(seen: &Seen) -> Vec<(String, String)> {
    seen.form()
}
