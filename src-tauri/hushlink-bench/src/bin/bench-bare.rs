//! `bench-bare`: the machine's ceiling for the relay's HTTP round trips. It answers the
//! Onetime v1 shapes the driver uses (status, share, reveal) with bodies of the same size
//! and headers as the relay's, but stores, hashes and encrypts nothing. Prints
//! `listening on http://ADDR:PORT` once bound, like `hushlink-relay`; stops on Ctrl-C or
//! SIGTERM. Binds loopback only.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use clap::Parser;
use hushlink_bench::server::BARE_GONE_PREFIX;
use serde_json::json;

#[derive(Debug, Parser)]
#[command(
    name = "bench-bare",
    about = "A v1-shaped HTTP server that does no work"
)]
struct Args {
    /// Loopback address and port (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
}

/// Mints distinct 50-character keys without an RNG (the point is to do no work).
#[derive(Default)]
struct Mint(AtomicU64);

impl Mint {
    fn key(&self) -> String {
        format!("b{:049}", self.0.fetch_add(1, Ordering::Relaxed))
    }
}

fn main() {
    let args = Args::parse();
    if !args.listen.ip().is_loopback() {
        eprintln!("bench-bare: binds loopback only");
        std::process::exit(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|err| {
            eprintln!("bench-bare: cannot start the runtime: {err}");
            std::process::exit(1)
        });
    if let Err(err) = runtime.block_on(run(args.listen)) {
        eprintln!("bench-bare: {err}");
        std::process::exit(1);
    }
}

async fn run(listen: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let local = listener.local_addr()?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{local}")?;
        stdout.flush()?;
    }
    let app = Router::new()
        .route("/api/v1/status", get(status))
        .route("/api/v1/share", post(share))
        .route("/api/v1/secret/{key}", post(reveal))
        .with_state(Arc::new(Mint::default()));
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// JSON with the relay's content type and its `no-store` header (the cheapest of its
/// security headers; the others cost the same to write).
fn answer(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn status() -> Response {
    answer(
        StatusCode::OK,
        &json!({"status": "nominal", "locale": "en"}),
    )
}

async fn share(
    State(mint): State<Arc<Mint>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if form.get("secret").is_none_or(String::is_empty) {
        return answer(
            StatusCode::NOT_FOUND,
            &json!({"message": "You did not provide anything to share"}),
        );
    }
    let metadata_key = mint.key();
    let secret_key = mint.key();
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

async fn reveal(Path(key): Path<String>) -> Response {
    if key.starts_with(BARE_GONE_PREFIX) {
        return answer(
            StatusCode::NOT_FOUND,
            &json!({"message": "Unknown secret", "secret_key": key}),
        );
    }
    answer(
        StatusCode::OK,
        &json!({"value": "benchvalue0000x0000000000000000", "secret_key": key,
                "share_domain": "http://127.0.0.1"}),
    )
}
