//! Benchmarks of the Hushlink relay (issue 8): the measuring stick, not part of the product.
//!
//! Four binaries share this library:
//! - `bench-bare`: an axum server that answers the v1 shapes (status, share, reveal) without
//!   storing or encrypting anything: the machine's ceiling for an HTTP round trip.
//! - `bench-driver`: a closed-loop load generator. N clients each run one operation after
//!   another (status GET, create, create → reveal, reveal of a consumed key, create with a
//!   passphrase) against the relay, the bare server or Snappass, for a bounded time and
//!   count, and print one JSON line: operations/s, requests/s, p50/p99/max latency.
//! - `bench-floor`: the durable floor (issue 19), the v1 shapes over a map whose every
//!   create and reveal is answered only after a group commit to a log file and its
//!   `fdatasync`: the least any durable, exactly-once server must do.
//! - `bench-load`: fills a relay's data directory through the relay library (the same
//!   create path as HTTP, minus HTTP) with a million secrets, or with secrets that expire at
//!   a chosen instant, for the scale and sweeper measurements.
//!
//! `benches/relay/run` orchestrates them; `docs/benchmarks.md` holds the results.
//!
//! Module map:
//! - [`stats`]: latency samples, nearest-rank percentiles, per-second timeline.
//! - [`server`]: what each server under test speaks (paths, forms, expected answers).
//! - [`floor`]: the durable floor's store and its group-committing log writer.
//! - [`v1`]: the v1 answers `bench-bare` and `bench-floor` share.
//! - [`driver`]: the workloads and the closed loop that runs them.
//! - [`error`]: [`Error`], what can go wrong in one call.

pub mod driver;
pub mod error;
pub mod floor;
pub mod server;
pub mod stats;
pub mod v1;

pub use error::{Error, Result};
