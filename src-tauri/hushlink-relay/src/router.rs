//! The one list of the relay's routes: the v1 API, the v2 API, the invite accept route, the
//! recipient pages and the fallbacks, with the layers that wrap them all.
//!
//! A new route goes here, with its handler in `http` (API) or `web` (pages), calling an
//! operation of [`Relay`] (`operations`), which stores through `store`.

use std::net::SocketAddr;
use std::sync::Arc;

use ::http::StatusCode;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::http::guard::Hardening;
use crate::http::{self, host, invites, v1, v2};
use crate::operations::Relay;
use crate::web;

/// The complete router: API, recipient pages, security headers, the peer filter and the
/// cross-site rule. Serve it with connect info [`http::PeerAddr`]; a request without it is
/// refused, since its peer cannot be checked. It does not check `Host`, which needs the
/// listener's address: a server serves [`router_on`] (as [`crate::serve()`] does).
pub fn router(relay: &Relay) -> Router {
    hardened(relay, Hardening::new(relay, None))
}

/// [`router`] for a listener bound to `local`, behind the `Host` check of `http::host`
/// (DNS rebinding). [`crate::serve()`] and [`crate::serve_tls()`] serve this one.
pub fn router_on(relay: &Relay, local: SocketAddr) -> Router {
    let own = Arc::new(host::OwnHosts::new(relay.config(), local));
    hardened(relay, Hardening::new(relay, Some(own)))
}

/// The routes behind `hardening`: one layer for every check and header (`http::guard`).
fn hardened(relay: &Relay, hardening: Hardening) -> Router {
    let limit = relay.config().max_body_bytes;
    Router::new()
        .nest("/api/v1", v1_routes())
        .nest("/api/v2", v2_routes())
        .route("/api/v2/invite/{key}/accept", post(invites::accept))
        .merge(page_routes())
        .fallback(not_found)
        // The body limit is enforced while reading parameters (`Params::from_request`),
        // so v1 can answer it the v1 way; this outer limit is a backstop for other routes.
        .layer(DefaultBodyLimit::max(limit))
        .layer(hardening)
        .with_state(relay.clone())
}

/// Onetime v1, under `/api/v1`. `private`, `metadata` and `receipt` are three names of one
/// thing (Onetime's history); unknown paths and methods get v1's exact 404.
fn v1_routes() -> Router<Relay> {
    Router::new()
        .route("/status", get(v1::status))
        .route("/authcheck", get(v1::authcheck))
        .route("/share", post(v1::share))
        .route("/create", post(v1::share))
        .route("/generate", post(v1::generate))
        .route("/secret/{key}", post(v1::reveal))
        .route("/private/recent", get(v1::recent))
        .route("/private/{key}", get(v1::receipt).post(v1::receipt))
        .route("/private/{key}/burn", post(v1::burn))
        .route("/metadata/recent", get(v1::recent))
        .route("/metadata/{key}", get(v1::receipt).post(v1::receipt))
        .route("/metadata/{key}/burn", post(v1::burn))
        .route("/receipt/recent", get(v1::recent))
        .route("/receipt/{key}", get(v1::receipt).post(v1::receipt))
        .route("/receipt/{key}/burn", post(v1::burn))
        .fallback(v1::not_found)
        .method_not_allowed_fallback(v1::not_found)
}

/// The v2 JSON API, under `/api/v2`.
fn v2_routes() -> Router<Relay> {
    Router::new()
        .route("/status", get(v2::status))
        .route("/version", get(v2::probe::version))
        .route("/authcheck", get(v2::probe::authcheck))
        .route("/secret/conceal", post(v2::conceal))
        .route("/secret/generate", post(v2::generate))
        .route("/secret/status", post(v2::batch_status))
        .route("/secret/{key}", get(v2::show_secret))
        .route("/secret/{key}/reveal", post(v2::reveal))
        .route("/secret/{key}/status", get(v2::secret_status))
        .route("/receipt/recent", get(v2::recent))
        .route("/receipt/{key}", get(v2::receipt))
        .route("/receipt/{key}/burn", post(v2::burn))
        .route("/private/recent", get(v2::recent))
        .route("/private/{key}", get(v2::receipt))
        .route("/private/{key}/burn", post(v2::burn))
        .route("/metadata/recent", get(v2::recent))
        .route("/metadata/{key}", get(v2::receipt))
        .route("/metadata/{key}/burn", post(v2::burn))
        .fallback(v2::not_found)
        .method_not_allowed_fallback(v2::not_found)
}

/// The recipient pages (`web`), with their own small body limit; the security headers are
/// applied here too, so the pages carry them however this router is mounted. (Behind
/// [`router`] they are set twice; only page requests pay for that, not the API's.)
pub(crate) fn page_routes() -> Router<Relay> {
    Router::new()
        .route("/", get(web::landing::show))
        .route(
            "/secret/{key}",
            get(web::secret::show).post(web::secret::reveal),
        )
        .route("/receipt/{key}", get(web::receipt::show_receipt))
        .route("/private/{key}", get(web::receipt::show_private))
        .route("/receipt/{key}/burn", post(web::receipt::burn_receipt))
        .route("/private/{key}/burn", post(web::receipt::burn_private))
        .route("/invite/{key}", get(web::invite::show))
        .route("/assets/{name}", get(web::assets::asset))
        .layer(DefaultBodyLimit::max(web::FORM_LIMIT))
        .layer(middleware::map_response(http::security_headers))
}

/// Unknown routes: the API's exact JSON error under `/api`, a page everywhere else (a person
/// who mistypes the relay's address should not meet JSON).
async fn not_found(uri: ::http::Uri, headers: ::http::HeaderMap) -> Response {
    let path = uri.path();
    if path != "/api" && !path.starts_with("/api/") {
        return web::not_found_for(&uri, &headers);
    }
    (
        StatusCode::NOT_FOUND,
        Json(hushlink_protocol::v1::ErrorBody::route_not_found()),
    )
        .into_response()
}
