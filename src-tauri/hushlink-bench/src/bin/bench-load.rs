//! `bench-load`: fills a relay data directory with secrets, fast, for the scale test.
//!
//! Rows are made and written by the relay's own code: keys minted with `Key::generate`,
//! the value and the receipt's copy of the secret key sealed with `seal::seal`, then
//! `store::insert_secret` (secret + receipt) and `store::insert_log` (the `create` line), on
//! a connection configured and migrated by the relay's `schema` module. What is skipped is
//! HTTP and the one-job-per-request group commit: rows go in transactions of 10,000 with
//! `synchronous=OFF` (set-up, not measurement; the relay measured afterwards runs with its
//! defaults). One thread seals, another writes. The relay must not run on that directory.
//!
//! With `--expire-at EPOCH` the secrets get the relay's minimum TTL (60 s) and a creation
//! time of `EPOCH - 60`, so they all expire at `EPOCH`: that is how the benchmark makes
//! 100,000 secrets expire while a load runs, without creating them in real time.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use hushlink_relay::keys::{key_id, Key, KeyKind};
use hushlink_relay::model::SecretKind;
use hushlink_relay::seal::{self, Purpose};
use hushlink_relay::store::{self, schema, LogLine, NewRow};
use hushlink_relay::AccessAction;
use rusqlite::Connection;

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
    std::fs::create_dir_all(&args.data_dir).map_err(|e| format!("data dir: {e}"))?;
    let path = args.data_dir.join("relay.sqlite3");
    let mut conn = Connection::open(&path).map_err(|e| format!("open: {e}"))?;
    schema::configure_writer(&conn).map_err(|e| format!("configure: {e}"))?;
    schema::migrate(&mut conn).map_err(|e| format!("migrate: {e}"))?;
    conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")
        .map_err(|e| format!("pragmas: {e}"))?;
    let (created_at, ttl) = match args.expire_at {
        Some(at) => (at - MIN_TTL, MIN_TTL),
        None => (now(), LIVE_TTL),
    };
    let (tx, rx) = mpsc::sync_channel::<Vec<(NewRow, LogLine)>>(4);
    let count = args.count;
    let sealer = std::thread::spawn(move || -> Result<(), String> {
        let mut done = 0;
        while done < count {
            let n = CHUNK.min(count - done);
            let rows = (done..done + n)
                .map(|i| make_row(i, created_at, ttl))
                .collect::<Result<Vec<_>, _>>()?;
            done += n;
            if tx.send(rows).is_err() {
                break; // The writer failed; it reports why.
            }
        }
        Ok(())
    });
    for rows in rx {
        let txn = conn.transaction().map_err(|e| format!("begin: {e}"))?;
        for (row, line) in &rows {
            store::insert_secret(&txn, row).map_err(|e| format!("insert: {e}"))?;
            store::insert_log(&txn, line).map_err(|e| format!("log: {e}"))?;
        }
        txn.commit().map_err(|e| format!("commit: {e}"))?;
    }
    sealer
        .join()
        .map_err(|_| "the sealing thread panicked".to_owned())??;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(|e| format!("checkpoint: {e}"))?;
    Ok(())
}

/// One secret as `Relay::create` would write it for an anonymous loopback caller.
fn make_row(index: u64, now: i64, ttl: i64) -> Result<(NewRow, LogLine), String> {
    let fail = |e: hushlink_relay::Error| e.to_string();
    let secret_key = Key::generate().map_err(fail)?;
    let receipt_key = Key::generate().map_err(fail)?;
    let secret_id = secret_key.row_id(KeyKind::Secret);
    let receipt_id = receipt_key.row_id(KeyKind::Receipt);
    let value = format!("bulkvalue{index:016}");
    let row = NewRow {
        secret_id,
        receipt_id,
        value: seal::seal(
            secret_key.expose(),
            Purpose::Value,
            &secret_id,
            value.as_bytes(),
        )
        .map_err(fail)?,
        seal: seal::ValueSeal::Link,
        passphrase: None,
        e2e: false,
        kind: SecretKind::Conceal,
        owner: None,
        sealed_secret_key: seal::seal(
            receipt_key.expose(),
            Purpose::SecretKeyInReceipt,
            &receipt_id,
            secret_key.expose().as_bytes(),
        )
        .map_err(fail)?,
        ttl,
        now,
    };
    let line = LogLine::new(
        now,
        AccessAction::Create,
        Some(key_id(&secret_id)),
        Some("127.0.0.1".to_owned()),
        Some("bench-load".to_owned()),
    );
    Ok((row, line))
}
