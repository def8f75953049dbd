//! `bench-driver`: runs one workload at one concurrency against one server and prints one
//! JSON line of results on stdout. Exits 1 if any operation failed or none completed, so a
//! script can trust a zero exit. Only loopback targets are accepted.

use std::time::Duration;

use clap::Parser;
use hushlink_bench::driver::{self, Plan, Workload};
use hushlink_bench::server::{Server, Target};

#[derive(Debug, Parser)]
#[command(
    name = "bench-driver",
    about = "Closed-loop HTTP load for the relay benchmarks"
)]
struct Args {
    /// Base URL of the server, e.g. http://127.0.0.1:7143 (loopback only). Repeat it for
    /// instances sharing one database: each create goes to one, its reveal to the next.
    #[arg(long, required = true)]
    url: Vec<String>,
    /// Which server it is (decides paths and answers).
    #[arg(long, value_enum)]
    server: Server,
    /// What each operation is.
    #[arg(long, value_enum)]
    workload: Workload,
    /// Clients in flight.
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Recorded seconds.
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Unrecorded seconds before.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Stop after this many recorded operations.
    #[arg(long, default_value_t = 5_000_000)]
    max_ops: u64,
    /// Add one line per second (ops, p99, max) to the report.
    #[arg(long)]
    timeline: bool,
}

fn main() {
    let args = Args::parse();
    let bases: Vec<String> = args
        .url
        .iter()
        .map(|url| url.trim_end_matches('/').to_owned())
        .collect();
    if !bases.iter().all(|base| is_loopback(base)) {
        exit_with("only http://127.0.0.1:PORT or http://[::1]:PORT targets are driven");
    }
    if args.concurrency == 0
        || !(0.0..=600.0).contains(&args.duration)
        || !(0.0..=60.0).contains(&args.warmup)
    {
        exit_with("need concurrency >= 1, duration <= 600 s and warmup <= 60 s");
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = match reqwest::Client::builder()
        .no_proxy()
        .http1_only()
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(30))
        .build()
    {
        Ok(client) => client,
        Err(err) => exit_with(&format!("cannot build the HTTP client: {err}")),
    };
    let plan = Plan {
        workload: args.workload,
        concurrency: args.concurrency,
        warmup: Duration::from_secs_f64(args.warmup),
        duration: Duration::from_secs_f64(args.duration),
        max_ops: args.max_ops,
        timeline: args.timeline,
    };
    let target = Target {
        server: args.server,
        bases,
        client,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => exit_with(&format!("cannot start the runtime: {err}")),
    };
    let report = runtime.block_on(driver::run(target, plan));
    match serde_json::to_string(&report) {
        Ok(line) => println!("{line}"),
        Err(err) => exit_with(&format!("cannot write the report: {err}")),
    }
    if report.errors > 0 || report.ops == 0 {
        eprintln!(
            "bench-driver: {} {} x{}: {} errors, {} ops (first error: {})",
            report.server.name(),
            report.workload.name(),
            report.concurrency,
            report.errors,
            report.ops,
            report.first_error.as_deref().unwrap_or("none")
        );
        std::process::exit(1);
    }
}

fn is_loopback(base: &str) -> bool {
    base.starts_with("http://127.0.0.1:") || base.starts_with("http://[::1]:")
}

fn exit_with(message: &str) -> ! {
    eprintln!("bench-driver: {message}");
    std::process::exit(2);
}
