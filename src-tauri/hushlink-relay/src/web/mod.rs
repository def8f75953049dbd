//! The recipient web pages: what a browser sees when it opens a relay link.
//!
//! | route | page |
//! |---|---|
//! | `GET /secret/KEY` | confirm page (never reveals), or the gone page |
//! | `POST /secret/KEY` | reveals once and shows the secret; wrong passphrase: the form again |
//! | `GET /receipt/KEY`, `GET /private/KEY` | the sender's receipt: state, times, burn button |
//! | `POST /receipt/KEY/burn`, `POST /private/KEY/burn` | burns, then 303 back to the receipt |
//! | `GET /assets/NAME` | stylesheet, page script, icon (compiled in) |
//! | `GET /` | the landing page: what this relay is, whose, how colleagues connect |
//! | `GET /invite/KEY` | how to import an invite into Hushlink; never uses it up |
//! | any other path outside `/api/` | a not-found page ([`not_found`]); `/api/` keeps JSON |
//!
//! Everything is server-rendered HTML that works without scripts; the one script
//! (`ui/relay-page/`, bundled into `assets/relay-page.js`) adds end-to-end decryption, copy
//! buttons and local times. Design decisions:
//!
//! - **No oracle.** Unknown, revealed, burned and expired secrets, and malformed keys, get
//!   one page with one status (404), byte for byte; unknown and consumed keys take the same
//!   path (one indexed read that finds nothing).
//! - **End-to-end mode.** The form's POST reveals as usual; the page then carries the
//!   ciphertext, and the script decrypts it with the key from the link's `#fragment`. The
//!   script re-targets the form at `path#fragment` before it is sent, so the answer page
//!   still has the fragment; browsers never send a fragment to a server. For secrets marked
//!   `e2e`, the reveal button starts disabled and only the script enables it, after checking
//!   that the fragment holds a 32-byte key, so nobody destroys a secret they cannot decrypt.
//! - **Cross-site forms.** Keys are bearer secrets, so a forged form needs the key anyway;
//!   but a page from elsewhere could still make a LAN browser burn a secret the relay would
//!   refuse to show to the outside. The relay's one rule for state-changing requests
//!   ([`crate::http::cross_site`]) refuses them; `from_another_site` is the page it shows.
//!   With `Referrer-Policy: no-referrer` the pages' own forms send `Origin: null`, which that
//!   rule accepts here (not on the API).
//! - **Headers.** [`crate::http::security_headers`] (no-store, a CSP without inline script or
//!   style, `form-action 'self'`, frame-ancestors none, no-referrer, noindex, nosniff) wraps
//!   this router itself, so the pages carry them however the router is mounted.
//!
//! - **Languages.** Every text comes from a catalogue per language (`i18n/*.json`); the
//!   language follows `?lang=` (the picker's links), else `Accept-Language`, else English.
//!
//! Module map: `html` (the escaping type and placeholder filling), `i18n` (catalogues,
//! language choice, plurals), `pages` and `receipt_page` (the documents), `secret`,
//! `receipt`, `landing` and `invite` (handlers), `assets`, `time`.

pub(crate) mod assets;
mod html;
pub(crate) mod i18n;
pub(crate) mod invite;
pub(crate) mod landing;
mod pages;
pub(crate) mod receipt;
mod receipt_page;
pub(crate) mod secret;
pub(crate) mod time;

#[cfg(test)]
mod tests;

use std::fmt::Display;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

use html::Html;
use i18n::{Lang, PageLang, PageWords};

/// Largest form body the pages accept: a passphrase is at most a few hundred bytes.
pub(crate) const FORM_LIMIT: usize = 16 * 1024;

/// English, for the answers made without the request at hand.
const ENGLISH: PageLang = PageLang {
    lang: Lang::En,
    explicit: false,
};

/// An HTML answer.
fn page(status: StatusCode, html: Html) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The words follow the request's Accept-Language.
            (header::VARY, "accept-language"),
        ],
        html.into_string(),
    )
        .into_response()
}

/// The not-found page, for paths outside `/api/` that lead nowhere (the API keeps its JSON
/// error there, which Onetime clients parse). English: [`not_found_for`] speaks the
/// reader's language.
pub fn not_found() -> Response {
    page(StatusCode::NOT_FOUND, pages::not_found(ENGLISH))
}

/// [`not_found`] in the language of the request (`?lang=`, else `Accept-Language`).
pub fn not_found_for(uri: &http::Uri, headers: &http::HeaderMap) -> Response {
    page(
        StatusCode::NOT_FOUND,
        pages::not_found(PageLang::from(uri, headers)),
    )
}

/// A relay fault: logged here, never shown (the cause may name internals).
fn fault(pl: PageLang, err: &dyn Display) -> Response {
    tracing::error!(error = %err, "recipient page failed");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        pages::message_of(pl, "error"),
    )
}

/// The page for what may stop any operation: over a rate limit, or a fault.
fn unavailable(pl: PageLang, err: crate::model::Unavailable) -> Response {
    use crate::model::Unavailable;
    match err {
        Unavailable::RateLimited { retry_after_secs } => rate_limited(pl, retry_after_secs),
        Unavailable::Fault(err) => fault(pl, &err),
    }
}

/// Too many requests from this address.
fn rate_limited(pl: PageLang, retry_after_secs: u64) -> Response {
    let minutes = retry_after_secs.div_ceil(60).max(1);
    let mut response = page(
        StatusCode::TOO_MANY_REQUESTS,
        pages::message(
            pl,
            "wait",
            &pl.lang.t("wait.heading", &[]),
            &pl.lang.plural_t("wait.text", minutes, &[]),
        ),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

/// A form body that is not what the pages send.
fn bad_form(pl: PageLang) -> Response {
    page(StatusCode::BAD_REQUEST, pages::message_of(pl, "badForm"))
}

/// The answer to a form sent from another site, which [`crate::http::cross_site`] refuses
/// for every state-changing route (see the module docs), in the request's language.
pub(crate) fn from_another_site_for(uri: &http::Uri, headers: &http::HeaderMap) -> Response {
    page(
        StatusCode::FORBIDDEN,
        pages::message_of(PageLang::from(uri, headers), "crossSite"),
    )
}
