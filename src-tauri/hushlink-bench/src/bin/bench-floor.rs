//! `bench-floor`: the durable floor (issue 19). The v1 shapes of `bench-bare`, but a create
//! keeps its value in a map and a reveal takes it out exactly once, and each is answered only
//! after its record is in a group commit to `--log` that has been `fdatasync`ed. No
//! encryption, no indexes, no expiry: what any durable, exactly-once server must at least do.
//! Prints `listening on http://ADDR:PORT` once bound; binds loopback only.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use clap::Parser;
use hushlink_bench::floor::{Floor, FloorError, Journal};
use hushlink_bench::v1;
use serde_json::json;

#[derive(Debug, Parser)]
#[command(
    name = "bench-floor",
    about = "The durable floor: a map and a group-committed, fdatasync'ed log"
)]
struct Args {
    /// Loopback address and port (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// The log file (created, or appended to).
    #[arg(long)]
    log: PathBuf,
}

fn main() {
    let args = Args::parse();
    let journal = Journal::open(&args.log).unwrap_or_else(|err| {
        eprintln!("bench-floor: cannot open {}: {err}", args.log.display());
        std::process::exit(1)
    });
    let app = Router::new()
        .route("/api/v1/status", get(|| async { v1::status() }))
        .route("/api/v1/share", post(share))
        .route("/api/v1/secret/{key}", post(reveal))
        .with_state(Arc::new(Floor::new(journal)));
    v1::serve("bench-floor", args.listen, app)
}

async fn share(
    State(floor): State<Arc<Floor>>,
    Form(mut form): Form<HashMap<String, String>>,
) -> Response {
    let Some(value) = form.remove("secret").filter(|v| !v.is_empty()) else {
        return v1::nothing_to_share();
    };
    match floor.create(value).await {
        Ok(minted) => v1::receipt(&minted.metadata_key, &minted.secret_key),
        Err(err) => failed(&err),
    }
}

async fn reveal(State(floor): State<Arc<Floor>>, Path(key): Path<String>) -> Response {
    match floor.reveal(&key).await {
        Ok(Some(value)) => v1::revealed(&key, &value),
        Ok(None) => v1::unknown_secret(&key),
        Err(err) => failed(&err),
    }
}

fn failed(err: &FloorError) -> Response {
    v1::answer(
        StatusCode::INTERNAL_SERVER_ERROR,
        &json!({"message": err.to_string()}),
    )
}
