//! One rule for every state-changing request (issue 14, item 4): a browser may send it only
//! from the relay's own pages.
//!
//! Any web page a LAN user visits can make the browser POST to the relay (a form, or `fetch`
//! with a "simple" body): reveal a secret blind, burn it, or create secrets, which loopback
//! may do without a token. Browsers say where such a request comes from; non-browser clients
//! (Onetime libraries, curl, the app) send neither header and pass unchanged. A POST, PUT,
//! PATCH or DELETE is refused with 403 when
//!
//! - `Sec-Fetch-Site` is anything but `same-origin` or `none` (typed in, bookmarked); or
//! - `Origin` names another origin than the request's own (`http[s]://` + its `Host`, which
//!   [`super::host`] has checked) or than `public_url`; or
//! - `Origin` is `null` on `/api/`, unless `Sec-Fetch-Site` vouches for it. Browsers send
//!   `null` for a page that asks for no referrer, and for https pages posting to http: on a
//!   plain-HTTP LAN relay, where browsers send no `Sec-Fetch-*` at all (they send it only to
//!   https and loopback), this is what a forged request looks like. The recipient pages' own
//!   forms also send `null` (the relay's `Referrer-Policy: no-referrer`), so on the pages a
//!   `null` origin is let through: a forged page POST still needs the link's key.
//!
//! The API also reads a JSON body only under `Content-Type: application/json` (see
//! [`super::params`]): a form may send `text/plain` cross-site without asking, JSON it may not.

use axum::extract::{ConnectInfo, Request};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::header::{self, HeaderMap};
use http::StatusCode;

use super::PeerAddr;
use crate::operations::Relay;

/// Whether a browser sent this request from somewhere else than `own_origins`. `null_is_own`
/// lets an `Origin: null` through when `Sec-Fetch-Site` does not decide (the pages' forms).
pub fn from_another_site(headers: &HeaderMap, own_origins: &[String], null_is_own: bool) -> bool {
    let site = headers.get("sec-fetch-site").map(|v| v.as_bytes());
    if site.is_some_and(|site| site != b"same-origin" && site != b"none") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    match origin.to_str() {
        Ok("null") => site.is_none() && !null_is_own,
        Ok(origin) => !own_origins
            .iter()
            .any(|own| own.eq_ignore_ascii_case(origin)),
        Err(_) => true,
    }
}

/// The origins a request may come from: its own (scheme of the connection, its `Host`) and
/// the configured `public_url` (behind a TLS proxy the connection itself is plain).
fn own_origins(relay: &Relay, request: &Request) -> Vec<String> {
    let tls = request
        .extensions()
        .get::<ConnectInfo<PeerAddr>>()
        .is_some_and(|info| info.0.tls);
    let scheme = if tls { "https" } else { "http" };
    let mut origins = Vec::with_capacity(2);
    if let Some(host) = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
    {
        origins.push(format!("{scheme}://{host}"));
    }
    if let Some(url) = &relay.config().public_url {
        origins.push(url.trim_end_matches('/').to_owned());
    }
    origins
}

/// The refusal of a state-changing request that a browser sent from another site (module
/// docs): 403. `None` lets the request through.
pub fn refusal(relay: &Relay, request: &Request) -> Option<Response> {
    if request.method().is_safe() {
        return None;
    }
    let headers = request.headers();
    // Clients other than browsers send neither header: decided without building the origins.
    if !headers.contains_key("sec-fetch-site") && !headers.contains_key(header::ORIGIN) {
        return None;
    }
    let api = request.uri().path().starts_with("/api/");
    let origins = own_origins(relay, request);
    if !from_another_site(headers, &origins, !api) {
        return None;
    }
    // Neither the path (it may hold a key) nor the origin (the requester's text) is logged.
    tracing::info!("refused a state-changing request sent from another site");
    if !api {
        return Some(crate::web::from_another_site_for(request.uri(), headers));
    }
    let body = serde_json::json!({
        "error": "Forbidden",
        "error_type": "Forbidden",
        "message": "This request came from another web site through a browser, so the relay \
                    ignored it. Clients of the API send no Origin header.",
    });
    Some((StatusCode::FORBIDDEN, Json(body)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn refused(pairs: &[(&'static str, &'static str)], null_is_own: bool) -> bool {
        let own = ["http://relay.lan:7143".to_owned()];
        from_another_site(&headers(pairs), &own, null_is_own)
    }

    #[test]
    fn clients_without_browser_headers_pass() {
        assert!(!refused(&[], false));
        assert!(
            !refused(&[("sec-fetch-mode", "cors")], false),
            "Node's fetch sends only this"
        );
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        for site in ["same-origin", "none"] {
            assert!(!refused(&[("sec-fetch-site", site)], false), "{site}");
            assert!(
                !refused(&[("sec-fetch-site", site), ("origin", "null")], false),
                "{site}"
            );
        }
        for site in ["cross-site", "same-site", "something-new"] {
            assert!(refused(&[("sec-fetch-site", site)], true), "{site}");
            let own_origin = [
                ("sec-fetch-site", site),
                ("origin", "http://relay.lan:7143"),
            ];
            assert!(refused(&own_origin, true), "{site} even with an own Origin");
        }
    }

    #[test]
    fn origin_must_be_the_requests_own() {
        assert!(!refused(&[("origin", "http://relay.lan:7143")], false));
        assert!(!refused(&[("origin", "HTTP://Relay.LAN:7143")], false));
        for other in [
            "http://evil.example",
            "https://relay.lan:7143",
            "http://relay.lan:7144",
            "http://relay.lan",
        ] {
            let pairs = [("origin", other)];
            assert!(refused(&pairs, true), "{other}");
        }
    }

    #[test]
    fn a_null_origin_passes_only_on_the_pages() {
        assert!(refused(&[("origin", "null")], false), "API");
        assert!(
            !refused(&[("origin", "null")], true),
            "the pages' own no-referrer forms"
        );
    }
}
