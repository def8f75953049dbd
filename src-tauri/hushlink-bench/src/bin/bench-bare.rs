//! `bench-bare`: the machine's ceiling for the relay's HTTP round trips. It answers the
//! Onetime v1 shapes the driver uses (status, share, reveal) with bodies of the same size
//! and headers as the relay's, but stores, hashes and encrypts nothing. Prints
//! `listening on http://ADDR:PORT` once bound, like `hushlink-relay`; stops on Ctrl-C or
//! SIGTERM. Binds loopback only.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use clap::Parser;
use hushlink_bench::server::BARE_GONE_PREFIX;
use hushlink_bench::v1;

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
    let app = Router::new()
        .route("/api/v1/status", get(|| async { v1::status() }))
        .route("/api/v1/share", post(share))
        .route("/api/v1/secret/{key}", post(reveal))
        .with_state(Arc::new(Mint::default()));
    v1::serve("bench-bare", args.listen, app)
}

async fn share(
    State(mint): State<Arc<Mint>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if form.get("secret").is_none_or(String::is_empty) {
        return v1::nothing_to_share();
    }
    v1::receipt(&mint.key(), &mint.key())
}

async fn reveal(Path(key): Path<String>) -> Response {
    if key.starts_with(BARE_GONE_PREFIX) {
        return v1::unknown_secret(&key);
    }
    v1::revealed(&key, "benchvalue0000x0000000000000000")
}
