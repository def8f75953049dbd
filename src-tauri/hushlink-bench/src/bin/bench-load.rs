//! `bench-load`: fills a relay data directory with secrets, fast, for the scale test.
//!
//! It opens the directory with the relay library and calls the same `Relay::create` the
//! HTTP handlers call (keys minted, value sealed, secret + receipt + access-log line written
//! in group commits, default durability), from many tasks at once; only HTTP is skipped.
//! The relay must not be running on that directory meanwhile.
//!
//! With `--expire-at EPOCH` the secrets get the relay's minimum TTL (60 s) on a clock set
//! to `EPOCH - 60`, so they all expire at `EPOCH`: that is how the benchmark makes 100,000
//! secrets expire while a load runs, without waiting for them to be created in real time.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use hushlink_relay::{Client, Clock, NewSecret, Relay, RelayConfig, SecretText};

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
    /// Unix time at which they all expire; default: they live 7 days.
    #[arg(long)]
    expire_at: Option<i64>,
    /// Creates in flight.
    #[arg(long, default_value_t = 256)]
    concurrency: u64,
}

fn main() {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|err| fail(&format!("cannot start the runtime: {err}")));
    runtime.block_on(load(args));
}

fn fail(message: &str) -> ! {
    eprintln!("bench-load: {message}");
    std::process::exit(1);
}

async fn load(args: Args) {
    let (clock, ttl) = match args.expire_at {
        Some(at) => (Clock::manual(at - 60), Some(60)),
        None => (Clock::system(), None),
    };
    let config = RelayConfig {
        // No sweep while loading (the first tick runs at once and finds nothing).
        sweep_interval_secs: 86_400,
        ..RelayConfig::with_data_dir(&args.data_dir)
    };
    let relay = Relay::open_with_clock(config, clock)
        .await
        .unwrap_or_else(|err| fail(&format!("cannot open the relay: {err}")));
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks: tokio::task::JoinSet<Result<(), hushlink_relay::CreateError>> =
        tokio::task::JoinSet::new();
    for _ in 0..args.concurrency.max(1) {
        let relay = relay.clone();
        let next = Arc::clone(&next);
        let count = args.count;
        tasks.spawn(async move {
            let client = Client::new(IpAddr::V4(Ipv4Addr::LOCALHOST), Some("bench-load"));
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= count {
                    return Ok(());
                }
                let new = NewSecret {
                    value: Some(SecretText::new(format!("bulkvalue{index:016}"))),
                    ttl_secs: ttl,
                    passphrase: None,
                    e2e: false,
                    generate_length: None,
                };
                relay.create(new, None, &client).await?;
            }
        });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(Ok(())) => {}
            Ok(Err(err)) => fail(&format!("create failed: {err}")),
            Err(_) => fail("a loader task panicked"),
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    drop(relay);
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
