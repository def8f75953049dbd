//! `/secret/KEY`: the recipient's page.
//!
//! A GET shows the confirm page and never reveals: chat apps and mail scanners fetch links to
//! build previews, and each such fetch must leave the secret in place. The reveal is the
//! form's POST to the same path, which works without any script; the script only adds
//! end-to-end decryption and the copy button.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use http::StatusCode;
use hushlink_protocol::SecretText;
use serde::Deserialize;

use crate::access_log::Client;
use crate::keys::Key;
use crate::model::RevealError;
use crate::operations::Relay;

use super::pages::{self, Retry};
use super::{bad_form, fault, page, rate_limited, unavailable};

/// The reveal form. Unknown fields are ignored; a repeated field is refused.
#[derive(Deserialize)]
struct RevealForm {
    passphrase: Option<SecretText>,
}

/// The gone page: one answer, byte for byte, for every way a secret can be unavailable.
pub(super) fn gone() -> Response {
    page(StatusCode::NOT_FOUND, pages::gone())
}

/// `GET /secret/KEY`: the confirm page, or the gone page. Logs a page view; reveals nothing.
pub(crate) async fn show(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    client: Client,
) -> Response {
    // Counted before anything else, so a flood of made-up keys is refused like real ones.
    if let Err(retry_after_secs) = relay.hit_page_view(&client) {
        return rate_limited(retry_after_secs);
    }
    // A malformed key cannot name a stored secret: it gets the same page, without a lookup.
    let Ok(key) = Key::parse(&raw) else {
        return gone();
    };
    match relay.peek(&key).await {
        Ok(Some(info)) => {
            relay.record_page_view(&key, &client);
            page(
                StatusCode::OK,
                pages::confirm(key.expose(), info.has_passphrase, info.e2e, Retry::None),
            )
        }
        Ok(None) => gone(),
        Err(err) => fault(&err),
    }
}

/// `POST /secret/KEY`: reveals (and so destroys) the secret, and shows it.
pub(crate) async fn reveal(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    client: Client,
    body: Bytes,
) -> Response {
    // Cross-site forms never get here: `http::cross_site` refuses them for every route.
    let Ok(key) = Key::parse(&raw) else {
        return gone();
    };
    let Ok(form) = serde_urlencoded::from_bytes::<RevealForm>(&body) else {
        return bad_form();
    };
    let passphrase = form.passphrase.filter(|p| !p.is_empty());
    let retry = match relay.reveal(&key, passphrase.as_ref(), &client).await {
        Ok(revealed) => {
            return page(
                StatusCode::OK,
                pages::revealed(revealed.value.expose(), revealed.e2e),
            )
        }
        Err(RevealError::Unknown) => return gone(),
        Err(RevealError::PassphraseRequired) => Retry::PassphraseMissing,
        Err(RevealError::WrongPassphrase { attempts_left }) => {
            Retry::WrongPassphrase { attempts_left }
        }
        Err(RevealError::BurnedAfterAttempts) => {
            // The reader just typed a passphrase for this secret, so saying it is gone, and
            // why, tells them nothing new.
            return page(
                StatusCode::NOT_FOUND,
                pages::message(
                    "The secret was destroyed",
                    "That was the last wrong passphrase the relay allows, so it destroyed the secret. \
                     Its sender will see why. Ask them to share it again.",
                ),
            );
        }
        Err(RevealError::Unavailable(err)) => return unavailable(err),
    };
    // Ask again: the secret is still there (a wrong or missing passphrase consumes nothing).
    match relay.peek(&key).await {
        Ok(Some(info)) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::confirm(key.expose(), info.has_passphrase, info.e2e, retry),
        ),
        Ok(None) => gone(),
        Err(err) => fault(&err),
    }
}
