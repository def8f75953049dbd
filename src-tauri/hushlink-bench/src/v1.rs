//! The Onetime v1 answers `bench-bare` and `bench-floor` give, with the relay's bodies,
//! sizes and headers, and how both run: bind loopback, print the address, serve until
//! Ctrl-C (SIGTERM ends the process as it would the relay).

use std::io::Write;
use std::net::SocketAddr;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::json;

/// JSON with the relay's content type and its `no-store` header (the cheapest of its
/// security headers; the others cost the same to write).
pub fn answer(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /api/v1/status`.
pub fn status() -> Response {
    answer(
        StatusCode::OK,
        &json!({"status": "nominal", "locale": "en"}),
    )
}

/// A share without a secret.
pub fn nothing_to_share() -> Response {
    answer(
        StatusCode::NOT_FOUND,
        &json!({"message": "You did not provide anything to share"}),
    )
}

/// The receipt a create answers with.
pub fn receipt(metadata_key: &str, secret_key: &str) -> Response {
    let url = format!("http://127.0.0.1/receipt/{metadata_key}");
    answer(
        StatusCode::OK,
        &json!({
            "custid": "anon", "metadata_key": metadata_key, "secret_key": secret_key,
            "ttl": 3600, "metadata_ttl": 7200, "secret_ttl": 3600, "metadata_url": url,
            "state": "new", "updated": 1_782_197_560, "created": 1_782_197_560,
            "recipient": [], "share_domain": "", "passphrase_required": false,
            "identifier": metadata_key, "secret_identifier": secret_key,
            "has_passphrase": false, "recipients": [], "receipt_ttl": 7200, "receipt_url": url,
        }),
    )
}

/// A revealed value.
pub fn revealed(secret_key: &str, value: &str) -> Response {
    answer(
        StatusCode::OK,
        &json!({"value": value, "secret_key": secret_key, "share_domain": "http://127.0.0.1"}),
    )
}

/// A key that is not (or no longer) there.
pub fn unknown_secret(secret_key: &str) -> Response {
    answer(
        StatusCode::NOT_FOUND,
        &json!({"message": "Unknown secret", "secret_key": secret_key}),
    )
}

/// Binds `listen` (loopback only), prints `listening on http://ADDR` once bound, and serves
/// `app` until Ctrl-C.
pub fn serve(name: &str, listen: SocketAddr, app: Router) -> ! {
    if !listen.ip().is_loopback() {
        eprintln!("{name}: binds loopback only");
        std::process::exit(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|err| {
            eprintln!("{name}: cannot start the runtime: {err}");
            std::process::exit(1)
        });
    match runtime.block_on(run(listen, app)) {
        Ok(()) => std::process::exit(0),
        Err(err) => {
            eprintln!("{name}: {err}");
            std::process::exit(1)
        }
    }
}

async fn run(listen: SocketAddr, app: Router) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let local = listener.local_addr()?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{local}")?;
        stdout.flush()?;
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
