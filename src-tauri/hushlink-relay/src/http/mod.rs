//! The HTTP face of the relay: the API handlers of `/api/v1` (Onetime v1, exactly), `/api/v2`
//! (the JSON API with real status codes) and the invite accept route, and what every route
//! shares: the request's [`Call`], the peer address, the origin links are minted with, and
//! the hardening. [`crate::router()`] lists the routes; the recipient pages are `crate::web`.
//!
//! One layer, [`guard::Hardening`], wraps every route, including the fallbacks, and runs in
//! this order:
//! - the `Host` check of [`host`] (DNS rebinding), for one listener ([`crate::router_on()`]);
//! - [`peer_refusal`]: LAN-only (see [`crate::peer_filter`]); refused peers get 403 with a
//!   JSON or HTML explanation and never reach a handler. [`crate::serve()`] already closes
//!   their connections at accept, before a byte is read; this check covers a router served
//!   otherwise;
//! - [`cross_site::refusal`]: browsers' state-changing requests from other sites get 403
//!   (item 4 of issue 14);
//! - on the answer: [`insert_security_headers`] (`Cache-Control: no-store`, a strict CSP
//!   without inline script, `Referrer-Policy: no-referrer`, `X-Robots-Tag: noindex`,
//!   `nosniff`, frame-ancestors none) and, over TLS, [`STRICT_TRANSPORT_SECURITY`].

pub mod auth;
pub mod cross_site;
pub mod guard;
pub(crate) mod health;
pub mod host;
pub(crate) mod invites;
pub mod params;
pub mod v1;
pub mod v2;
pub mod v2_error;
pub mod v2_wire;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::response::{Html, IntoResponse, Response};
use axum::serve::IncomingStream;
use axum::Json;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::request::Parts;
use http::StatusCode;
use tokio::net::TcpListener;

use crate::access_log::Client;
use crate::operations::Relay;
use auth::Auth;
use params::{Params, ParamsError};

/// The Content-Security-Policy of every answer: nothing inline, nothing from elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
     frame-ancestors 'none'";

/// The connection's peer, as the listener saw it (axum connect info).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerAddr {
    /// Remote address.
    pub addr: SocketAddr,
    /// The connection is TLS (links are minted with `https://`).
    pub tls: bool,
}

impl Connected<IncomingStream<'_, TcpListener>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        Self {
            addr: *stream.remote_addr(),
            tls: false,
        }
    }
}

/// Everything a handler needs from a request.
pub struct Call {
    /// Who is asking.
    pub client: Client,
    /// Their credentials.
    pub auth: Auth,
    /// `scheme://host[:port]` for links in answers.
    pub origin: String,
    /// Merged parameters.
    pub params: Params,
}

/// Why a request could not become a [`Call`].
#[derive(Debug)]
pub enum CallError {
    /// An `Authorization` header that is not valid credentials of a live token.
    InvalidCredentials,
    /// A body over [`SMALL_BODY_BYTES`] from a caller who may not create: only creating
    /// needs one that large.
    LargeBodyNeedsToken,
    /// The parameters could not be read.
    Params(ParamsError),
}

/// The most a caller who may not create (no valid token, and not admitted by
/// `anonymous_create`) may send: enough for a reveal's passphrase or a batch status of
/// [`crate::operations::MAX_STATUS_KEYS`] keys, far below `max_body_bytes`, so a flood of such
/// bodies holds little memory (issue 14, item 6).
pub const SMALL_BODY_BYTES: usize = 64 * 1024;

impl Call {
    /// Reads the peer, credentials, origin and parameters of a request.
    ///
    /// Credentials that are present but invalid are refused before the body is read
    /// (reference §2 refuses them anyway), so nobody without a valid token can make the
    /// relay wait for and hold `max_body_bytes` (issue 14, item 6). A caller who may not
    /// create gets at most [`SMALL_BODY_BYTES`] read.
    pub async fn read(relay: &Relay, request: Request) -> Result<Self, CallError> {
        let (mut parts, body) = request.into_parts();
        let client = client_of(&parts);
        let auth = Auth::from_headers(&parts.headers, relay.tokens());
        if matches!(auth, Auth::Invalid) {
            return Err(CallError::InvalidCredentials);
        }
        let may_create = auth.credentials().is_some()
            || relay
                .config()
                .anonymous_create
                .admits(client.ip, client.is_proxied());
        let limit = if may_create {
            relay.config().max_body_bytes
        } else {
            SMALL_BODY_BYTES.min(relay.config().max_body_bytes)
        };
        let origin = origin_of(relay, &parts);
        parts.extensions.clear();
        let params = Params::from_request(Request::from_parts(parts, body), limit)
            .await
            .map_err(|err| match err {
                ParamsError::TooLarge(_) if !may_create => CallError::LargeBodyNeedsToken,
                err => CallError::Params(err),
            })?;
        Ok(Self {
            client,
            auth,
            origin,
            params,
        })
    }
}

fn peer_of(parts: &Parts) -> Option<PeerAddr> {
    parts
        .extensions
        .get::<ConnectInfo<PeerAddr>>()
        .map(|info| info.0)
}

fn client_of(parts: &Parts) -> Client {
    let ip = peer_of(parts).map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |p| p.addr.ip());
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    Client::new(ip, user_agent).proxied(has_proxy_headers(&parts.headers))
}

/// Headers a reverse proxy adds to say whom it forwards for. The relay never believes what
/// they say (anyone can send them); their presence only tells it that the peer address is
/// a proxy's, so a loopback or LAN peer is not to be trusted as local.
const PROXY_HEADERS: [&str; 3] = ["forwarded", "x-forwarded-for", "x-real-ip"];

fn has_proxy_headers(headers: &http::HeaderMap) -> bool {
    PROXY_HEADERS.iter().any(|name| headers.contains_key(*name))
}

/// The origin links are minted with: `public_url` if configured, else the request's `Host`
/// (restricted to host-name characters, since it is echoed into answers).
pub fn origin_of(relay: &Relay, parts: &Parts) -> String {
    if let Some(url) = &relay.config().public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let scheme = if peer_of(parts).is_some_and(|p| p.tls) {
        "https"
    } else {
        "http"
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.len() <= 255)
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// Recipient pages and other non-API code use this to learn who is asking.
impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(client_of(parts))
    }
}

/// Explanation given to refused peers.
pub(crate) const REFUSED: &str =
    "This Hushlink relay only serves its local network. Your address is outside the \
     ranges it accepts; ask the relay's administrator to add it to the allow-list.";

/// The refusal of a peer outside the LAN ranges and the allow-list (or of a request whose
/// peer is unknown): 403, before any handler runs. `None` lets the request through.
pub fn peer_refusal(relay: &Relay, request: &Request) -> Option<Response> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<PeerAddr>>()
        .map(|info| info.0.addr.ip());
    if peer.is_some_and(|ip| relay.peer_filter().permits(ip)) {
        return None;
    }
    // The path is not logged: it may hold a secret or receipt key.
    tracing::info!(peer = ?peer, "refused a peer outside the allowed ranges");
    let wants_html = !request.uri().path().starts_with("/api/")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    if wants_html {
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not available</title></head>\
             <body><h1>Not available from your network</h1><p>{REFUSED}</p></body></html>"
        );
        return Some((StatusCode::FORBIDDEN, Html(page)).into_response());
    }
    let body =
        serde_json::json!({ "error": "Forbidden", "error_type": "Forbidden", "message": REFUSED });
    Some((StatusCode::FORBIDDEN, Json(body)).into_response())
}

/// The security headers every answer carries (module docs), all static values.
const SECURITY_HEADERS: [(HeaderName, &str); 8] = [
    (header::CACHE_CONTROL, "no-store"),
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (HeaderName::from_static("x-robots-tag"), "noindex, nofollow"),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    ),
];

/// Sets the security headers on an answer's headers, replacing any a handler set.
pub fn insert_security_headers(headers: &mut HeaderMap) {
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

/// Adds the security headers to an answer ([`insert_security_headers`]), as a
/// `map_response` function for routers mounted without [`guard::Hardening`].
pub async fn security_headers(mut response: Response) -> Response {
    insert_security_headers(response.headers_mut());
    response
}

/// `Strict-Transport-Security` sent on answers over TLS: a browser that reached the relay
/// by name over a trusted certificate keeps using HTTPS for a year, so a network attacker
/// cannot strip it to plain HTTP later. Browsers ignore it over plain HTTP, for IP-address
/// hosts and for certificates they do not trust (a pinned self-signed one). Without
/// `includeSubDomains`: the relay speaks for its own host only. [`guard::Hardening`] adds it
/// to every answer of the router on a TLS connection, errors and the peer filter's refusals
/// included, but not to a refused `Host` (that name is not the relay's); plain-HTTP answers
/// get none.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// `application/json; charset=utf-8`, the exact type Onetime answers with.
pub fn json_response(status: StatusCode, body: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut response = (status, bytes).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "serializing an answer failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
