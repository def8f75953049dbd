//! `/secret/KEY`: the recipient's page.
//!
//! A GET shows the confirm page and never reveals: chat apps and mail scanners fetch links to
//! build previews, and each such fetch must leave the secret in place. The reveal is the
//! form's POST to the same path, which works without any script; the script only adds
//! end-to-end decryption and the copy button.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use http::request::Parts;
use http::StatusCode;
use hushlink_protocol::SecretText;
use serde::Deserialize;

use crate::access_log::Client;
use crate::keys::Key;
use crate::model::{PageInfo, RevealError};
use crate::operations::Relay;

use super::i18n::PageLang;
use super::pages::{self, Confirm, Retry};
use super::{bad_form, fault, page, rate_limited, unavailable};

/// The reveal form. Unknown fields are ignored; a repeated field is refused.
#[derive(Deserialize)]
struct RevealForm {
    passphrase: Option<SecretText>,
}

/// The gone page: one answer, byte for byte, for every way a secret can be unavailable.
pub(super) fn gone(pl: PageLang) -> Response {
    page(StatusCode::NOT_FOUND, pages::gone(pl))
}

/// The confirm page for a live secret, with what the relay knows: whose relay sent it, the
/// sender's note if they gave one (Onetime's API has no such field; it is Hushlink's
/// `sender_note`), when it stops working, how many passphrase tries there are, and whether
/// the browser will call the page "Not secure".
fn confirm_page(
    relay: &Relay,
    parts: &Parts,
    key: &Key,
    page_info: &PageInfo,
    retry: Retry,
) -> super::html::Html {
    let info = page_info.info;
    let pl = PageLang::of(parts);
    let from = crate::discovery::display_name(relay.config().name.as_deref());
    let plain_http = !crate::http::origin_of(relay, parts).starts_with("https://");
    pages::confirm(
        pl,
        &Confirm {
            key: key.expose(),
            from: &from,
            sender_note: page_info.sender_note.as_ref().map(|n| n.expose()),
            expires_at: info.expires_at,
            has_passphrase: info.has_passphrase,
            e2e: info.e2e,
            max_attempts: relay.config().max_passphrase_attempts,
            plain_http,
        },
        retry,
    )
}

/// `GET /secret/KEY`: the confirm page, or the gone page. Logs a page view; reveals nothing.
pub(crate) async fn show(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    client: Client,
    parts: Parts,
) -> Response {
    let pl = PageLang::of(&parts);
    // Counted before anything else, so a flood of made-up keys is refused like real ones.
    if let Err(retry_after_secs) = relay.hit_page_view(&client) {
        return rate_limited(pl, retry_after_secs);
    }
    // A malformed key cannot name a stored secret: it gets the same page, without a lookup.
    let Ok(key) = Key::parse(&raw) else {
        return gone(pl);
    };
    match relay.peek_page(&key).await {
        Ok(Some(info)) => {
            relay.record_page_view(&key, &client);
            page(
                StatusCode::OK,
                confirm_page(&relay, &parts, &key, &info, Retry::None),
            )
        }
        Ok(None) => gone(pl),
        Err(err) => fault(pl, &err),
    }
}

/// `POST /secret/KEY`: reveals (and so destroys) the secret, and shows it.
pub(crate) async fn reveal(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    client: Client,
    parts: Parts,
    body: Bytes,
) -> Response {
    let pl = PageLang::of(&parts);
    // Cross-site forms never get here: `http::cross_site` refuses them for every route.
    let Ok(key) = Key::parse(&raw) else {
        return gone(pl);
    };
    let Ok(form) = serde_urlencoded::from_bytes::<RevealForm>(&body) else {
        return bad_form(pl);
    };
    let passphrase = form.passphrase.filter(|p| !p.is_empty());
    let retry = match relay.reveal(&key, passphrase.as_ref(), &client).await {
        Ok(revealed) => {
            return page(
                StatusCode::OK,
                pages::revealed(pl, revealed.value.expose(), revealed.e2e),
            )
        }
        Err(RevealError::Unknown) => return gone(pl),
        Err(RevealError::PassphraseRequired) => Retry::PassphraseMissing,
        Err(RevealError::WrongPassphrase { attempts_left }) => {
            Retry::WrongPassphrase { attempts_left }
        }
        Err(RevealError::BurnedAfterAttempts) => {
            // The reader just typed a passphrase for this secret, so saying it is gone, and
            // why, tells them nothing new.
            return page(StatusCode::NOT_FOUND, pages::message_of(pl, "lastTry"));
        }
        Err(RevealError::Unavailable(err)) => return unavailable(pl, err),
    };
    // Ask again: the secret is still there (a wrong or missing passphrase consumes nothing).
    match relay.peek_page(&key).await {
        Ok(Some(info)) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            confirm_page(&relay, &parts, &key, &info, retry),
        ),
        Ok(None) => gone(pl),
        Err(err) => fault(pl, &err),
    }
}
