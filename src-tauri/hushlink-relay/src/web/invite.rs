//! `GET /invite/KEY`: what a browser shows for an invite link. It says to open the link in
//! Hushlink and how, and never uses the invite up (link previews and curious clicks are
//! harmless). The fragment, which unlocks the invite, stays in the browser.

use axum::extract::{Path, State};
use axum::response::Response;
use http::StatusCode;

use super::html::{escape, fill, Html};
use super::pages::{self, Kind};
use super::{fault, page};
use crate::keys::Key;
use crate::operations::Relay;

const INVITE: &str = include_str!("../../assets/pages/invite.html");

/// The invite page while the invite can be accepted; otherwise one "no longer valid" page
/// (404) for used, withdrawn, expired, unknown and malformed keys alike.
pub(crate) async fn show(State(relay): State<Relay>, Path(key): Path<String>) -> Response {
    let pending = match Key::parse(&key) {
        Ok(key) => match relay.invite_is_pending(&key).await {
            Ok(pending) => pending,
            Err(err) => return fault(&err),
        },
        Err(_) => false,
    };
    if !pending {
        return page(
            StatusCode::NOT_FOUND,
            pages::message(
                "This invite can no longer be used",
                "It was already imported, withdrawn, or it expired, or the link is incomplete. \
                 Ask whoever sent it for a new invite.",
            ),
        );
    }
    // The name the invite itself carries and mDNS announces: the configured one, else the
    // host name.
    let name = crate::discovery::display_name(relay.config().name.as_deref());
    let whose = fill(
        "You are invited to the Hushlink relay <strong>{{name}}</strong>.",
        &[("name", &escape(&name))],
    );
    page(StatusCode::OK, invite_page(&whose))
}

fn invite_page(whose: &Html) -> Html {
    let main = fill(INVITE, &[("whose", whose)]);
    pages::layout(Kind::Invite, "Open this invite in Hushlink", &main)
}
