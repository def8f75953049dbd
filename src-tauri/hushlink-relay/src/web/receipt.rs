//! `/receipt/KEY` and `/private/KEY`: the sender's receipt page and its burn form.
//!
//! The receipt key is the sender's bearer proof, as in Onetime: whoever has it sees the
//! receipt and may burn the secret, so the burn needs no passphrase.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::request::Parts;
use http::StatusCode;

use crate::access_log::Client;
use crate::keys::Key;
use crate::model::BurnError;
use crate::operations::Relay;

use super::i18n::PageLang;
use super::{fault, page, pages, rate_limited, receipt_page, unavailable};

/// The two spellings of the receipt path; the burn form posts back to the one in use.
#[derive(Clone, Copy)]
pub(super) enum Prefix {
    Receipt,
    Private,
}

impl Prefix {
    fn as_str(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Private => "private",
        }
    }
}

fn unknown(pl: PageLang) -> Response {
    page(
        StatusCode::NOT_FOUND,
        pages::message_of(pl, "receipt.unknown"),
    )
}

async fn show(relay: Relay, raw: String, client: Client, parts: Parts, prefix: Prefix) -> Response {
    let pl = PageLang::of(&parts);
    if let Err(retry_after_secs) = relay.hit_page_view(&client) {
        return rate_limited(pl, retry_after_secs);
    }
    let Ok(key) = Key::parse(&raw) else {
        return unknown(pl);
    };
    match relay.receipt(&key).await {
        Ok(Some(receipt)) => {
            let link = receipt.secret_key.as_ref().map(|secret| {
                format!(
                    "{}/secret/{}",
                    crate::http::origin_of(&relay, &parts),
                    secret.expose()
                )
            });
            page(
                StatusCode::OK,
                receipt_page::receipt(pl, &receipt, prefix.as_str(), link.as_deref()),
            )
        }
        Ok(None) => unknown(pl),
        Err(err) => fault(pl, &err),
    }
}

async fn burn(relay: Relay, raw: String, client: Client, pl: PageLang, prefix: Prefix) -> Response {
    // Cross-site forms never get here: `http::cross_site` refuses them for every route.
    let Ok(key) = Key::parse(&raw) else {
        return unknown(pl);
    };
    match relay.burn(&key, None, &client).await {
        // Burned now, or already gone: either way the receipt page tells the state.
        // 303 turns the POST into a GET, so reloading the receipt does not repeat the burn.
        Ok(_) | Err(BurnError::Unknown) => Redirect::to(&format!(
            "/{}/{}{}",
            prefix.as_str(),
            key.expose(),
            pl.query()
        ))
        .into_response(),
        Err(BurnError::Unavailable(err)) => unavailable(pl, err),
        // No passphrase is sent, so none can be wrong; if it ever were, say nothing more.
        Err(err @ BurnError::WrongPassphrase { .. }) => fault(pl, &err),
    }
}

/// `GET /receipt/KEY`.
pub(crate) async fn show_receipt(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    client: Client,
    parts: Parts,
) -> Response {
    show(relay, raw, client, parts, Prefix::Receipt).await
}

/// `GET /private/KEY`.
pub(crate) async fn show_private(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    client: Client,
    parts: Parts,
) -> Response {
    show(relay, raw, client, parts, Prefix::Private).await
}

/// `POST /receipt/KEY/burn`.
pub(crate) async fn burn_receipt(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    client: Client,
    pl: PageLang,
) -> Response {
    burn(relay, raw, client, pl, Prefix::Receipt).await
}

/// `POST /private/KEY/burn`.
pub(crate) async fn burn_private(
    State(relay): State<Relay>,
    Path(raw): Path<String>,
    client: Client,
    pl: PageLang,
) -> Response {
    burn(relay, raw, client, pl, Prefix::Private).await
}
