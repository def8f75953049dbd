//! `GET /` (and `HEAD /`): the landing page for whoever scans the relay's QR code or types
//! its address.

use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use http::StatusCode;

use super::page;
use super::pages::{self, Owner};
use crate::operations::Relay;

/// The landing page, naming the relay's owner (or its machine) and the address colleagues
/// give Hushlink: `public_url` when configured, else the address this browser used.
pub(crate) async fn show(State(relay): State<Relay>, parts: Parts) -> Response {
    let address = crate::http::origin_of(&relay, &parts);
    let host;
    let owner = match &relay.config().name {
        Some(name) => Owner::Named(name.trim()),
        None => {
            host = hostname();
            Owner::Host(&host)
        }
    };
    page(StatusCode::OK, pages::landing(owner, &address))
}

/// This machine's name, as the page's fallback for an unnamed relay.
fn hostname() -> String {
    #[cfg(unix)]
    let name = nix::unistd::gethostname()
        .ok()
        .and_then(|name| name.into_string().ok());
    #[cfg(not(unix))]
    let name = std::env::var("COMPUTERNAME").ok();
    name.map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "this computer".to_owned())
}
