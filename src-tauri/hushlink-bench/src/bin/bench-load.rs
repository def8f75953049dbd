//! `bench-load`: fills a relay data directory with secrets, fast, for the scale test.
//!
//! Rows are made and written by the relay's own code, through its supported bulk interface
//! (`hushlink_relay::bulk`): each secret sealed as `Relay::create` seals a share (keys
//! minted, value and the receipt's copy of the secret key sealed, the `create` log line),
//! written with the store's own inserts into a database configured and migrated by the
//! relay. What is skipped is HTTP and the one-job-per-request group commit: rows go in
//! transactions of 10,000 with `synchronous=OFF` (set-up, not measurement; the relay
//! measured afterwards runs with its defaults). One thread seals, another writes. The relay
//! must not run on that directory.
//!
//! With `--expire-at EPOCH` the secrets get the relay's minimum TTL (60 s) and a creation
//! time of `EPOCH - 60`, so they all expire at `EPOCH`: that is how the benchmark makes
//! 100,000 secrets expire while a load runs, without creating them in real time.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use hushlink_relay::bulk::{BulkLoader, BulkSecret};

/// Rows per transaction.
const CHUNK: u64 = 10_000;
/// Default TTL of loaded secrets: 7 days, the relay's default.
const LIVE_TTL: i64 = 7 * 86_400;
/// The relay's minimum TTL.
const MIN_TTL: i64 = 60;

#[derive(Debug, Parser)]
#[command(
    name = "bench-load",
    about = "Bulk-create secrets in a relay data directory"
)]
struct Args {
    /// The relay's data directory (created if missing).
    #[arg(long)]
    data_dir: PathBuf,
    /// Secrets to create.
    #[arg(long)]
    count: u64,
    /// Unix time at which they all expire; default: they live 7 days from now.
    #[arg(long)]
    expire_at: Option<i64>,
}

fn main() {
    let args = Args::parse();
    let started = Instant::now();
    if let Err(message) = load(&args) {
        eprintln!("bench-load: {message}");
        std::process::exit(1);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "created": args.count,
            "seconds": (seconds * 1000.0).round() / 1000.0,
            "per_sec": (args.count as f64 / seconds).round(),
            "expire_at": args.expire_at,
        })
    );
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

fn load(args: &Args) -> Result<(), String> {
    let mut loader = BulkLoader::open(&args.data_dir).map_err(|e| format!("open: {e}"))?;
    let (created_at, ttl) = match args.expire_at {
        Some(at) => (at - MIN_TTL, MIN_TTL),
        None => (now(), LIVE_TTL),
    };
    let (tx, rx) = mpsc::sync_channel::<Vec<BulkSecret>>(4);
    let count = args.count;
    let sealer = std::thread::spawn(move || -> Result<(), String> {
        let mut done = 0;
        while done < count {
            let n = CHUNK.min(count - done);
            let rows = (done..done + n)
                .map(|i| {
                    BulkSecret::seal(&format!("bulkvalue{i:016}"), created_at, ttl, "bench-load")
                        .map_err(|e| e.to_string())
                })
                .collect::<Result<Vec<_>, _>>()?;
            done += n;
            if tx.send(rows).is_err() {
                break; // The writer failed; it reports why.
            }
        }
        Ok(())
    });
    for rows in rx {
        loader.insert(&rows).map_err(|e| format!("insert: {e}"))?;
    }
    sealer
        .join()
        .map_err(|_| "the sealing thread panicked".to_owned())??;
    loader.finish().map_err(|e| format!("checkpoint: {e}"))?;
    Ok(())
}
