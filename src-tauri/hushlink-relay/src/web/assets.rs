//! The pages' stylesheet, script and icon, compiled into the binary: a recipient's browser
//! needs nothing but the relay.
//!
//! `relay-page.js` is built from `ui/relay-page/` by `npm run build:relay` (in `ui/`) and
//! committed, so the relay builds without Node.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

/// `(name, content type, bytes)` of every asset.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "relay.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/relay.css"),
    ),
    (
        "relay-page.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/relay-page.js"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_bytes!("../../assets/icon.svg"),
    ),
];

/// `GET /assets/NAME`.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, bytes)) => {
            ([(header::CONTENT_TYPE, *content_type)], *bytes).into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Not Found",
        )
            .into_response(),
    }
}
