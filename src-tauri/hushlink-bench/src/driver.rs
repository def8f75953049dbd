//! The workloads and the closed loop that runs them.
//!
//! `concurrency` clients each run one operation after another with no think time (a closed
//! loop: throughput is what the server sustains at that many outstanding operations). A
//! warm-up (not recorded) fills connection pools and caches; then operations are recorded
//! for `duration`. The run stops by itself at the deadline or after `max_ops` operations,
//! whichever comes first (a client that has not completed one recorded operation by the
//! deadline gets up to 10 s more); a client that sees 100 errors in a row gives up.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::Error;
use crate::server::{Handle, Server, Target};
use crate::stats::{Samples, Second, Summary, Timeline};

/// Passphrase of the passphrase workload (Argon2id happens on create; reveal not measured).
pub const PASSPHRASE: &str = "correct horse battery";
/// Consumed keys each client cycles through in the `gone` workload.
const GONE_KEYS_PER_CLIENT: usize = 4;
/// Consecutive errors after which a client stops (server dead: no point spinning).
const MAX_ERRORS_IN_A_ROW: u32 = 100;
/// Extra time a client gets past the deadline to complete its first recorded operation.
const GRACE: Duration = Duration::from_secs(10);

/// What one operation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// (a) the status / health GET.
    Status,
    /// (b) create a secret.
    Create,
    /// (c) create, then reveal it: what a user does (one operation, two requests).
    Cycle,
    /// (d) reveal a key that was already consumed: what an attacker does.
    Gone,
    /// (e) create with a passphrase (Argon2id on the server).
    Passphrase,
}

impl Workload {
    /// Lowercase name, as in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::Create => "create",
            Self::Cycle => "cycle",
            Self::Gone => "gone",
            Self::Passphrase => "passphrase",
        }
    }

    /// HTTP requests per operation.
    pub fn requests_per_op(self) -> u64 {
        if self == Self::Cycle {
            2
        } else {
            1
        }
    }
}

/// How to run.
#[derive(Clone, Debug)]
pub struct Plan {
    /// What each operation is.
    pub workload: Workload,
    /// Clients in flight.
    pub concurrency: usize,
    /// Unrecorded time first.
    pub warmup: Duration,
    /// Recorded time.
    pub duration: Duration,
    /// Upper bound on recorded operations.
    pub max_ops: u64,
    /// Also report one line per second.
    pub timeline: bool,
}

/// One JSON line of results.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Server under test.
    pub server: Server,
    /// Workload.
    pub workload: Workload,
    /// Clients.
    pub concurrency: usize,
    /// Recorded seconds (from the end of warm-up to the last recorded completion).
    pub seconds: f64,
    /// Operations completed (a cycle counts once).
    pub ops: u64,
    /// Operations per second.
    pub ops_per_sec: f64,
    /// HTTP requests per second.
    pub requests_per_sec: f64,
    /// Failed operations (wrong status, wrong answer, transport error).
    pub errors: u64,
    /// The first error seen, for the log.
    pub first_error: Option<String>,
    /// Latency of whole operations.
    pub latency: Summary,
    /// Latency of the create requests (create, cycle, passphrase).
    pub create: Option<Summary>,
    /// Latency of the reveal requests (cycle, gone).
    pub reveal: Option<Summary>,
    /// One line per second, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Vec<Second>>,
}

#[derive(Default)]
struct Tally {
    ops: Samples,
    creates: Samples,
    reveals: Samples,
    timeline: Timeline,
    errors: u64,
    first_error: Option<String>,
    last_finish: Option<Instant>,
}

impl Tally {
    fn error(&mut self, err: &Error) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(err.to_string());
        }
    }

    fn merge(&mut self, other: Tally) {
        self.ops.merge(other.ops);
        self.creates.merge(other.creates);
        self.reveals.merge(other.reveals);
        self.timeline.merge(other.timeline);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        self.last_finish = self.last_finish.max(other.last_finish);
    }
}

/// A value unique to this client and operation (alphanumeric, so no escaping anywhere).
fn value_for(client: usize, op: u64) -> String {
    format!("benchvalue{client:04}x{op:016}")
}

/// Runs the plan against the target and reports.
pub async fn run(target: Target, plan: Plan) -> Report {
    let gone = if plan.workload == Workload::Gone {
        prepare_gone(&target, plan.concurrency).await
    } else {
        Ok(Vec::new())
    };
    let mut total = Tally::default();
    let gone = match gone {
        Ok(gone) => gone,
        Err(err) => {
            total.error(&err);
            Vec::new()
        }
    };
    let start = Instant::now();
    let recorded_from = start + plan.warmup;
    let end = recorded_from + plan.duration;
    let recorded = Arc::new(AtomicU64::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for client in 0..plan.concurrency {
        let target = target.clone();
        let plan = plan.clone();
        let recorded = Arc::clone(&recorded);
        let keys: Vec<Handle> = gone
            .iter()
            .skip(client * GONE_KEYS_PER_CLIENT)
            .take(GONE_KEYS_PER_CLIENT)
            .cloned()
            .collect();
        if plan.workload == Workload::Gone && keys.is_empty() {
            // Preparing the consumed keys failed (counted above): nothing to try again.
            continue;
        }
        tasks.spawn(async move {
            client_loop(target, plan, client, keys, recorded, recorded_from, end).await
        });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(tally) => total.merge(tally),
            Err(_) => {
                total.errors += 1;
                total
                    .first_error
                    .get_or_insert_with(|| "a client task panicked".into());
            }
        }
    }
    report(&target, &plan, total, recorded_from)
}

async fn client_loop(
    target: Target,
    plan: Plan,
    client: usize,
    gone: Vec<Handle>,
    recorded: Arc<AtomicU64>,
    recorded_from: Instant,
    end: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut in_a_row = 0;
    let mut op: u64 = 0;
    loop {
        let begun = Instant::now();
        // Past the deadline a client stops, unless it has not finished one recorded
        // operation yet (a loaded machine, a tiny smoke run): then it gets a short grace.
        if begun >= end && (!tally.ops.is_empty() || begun >= end + GRACE) {
            break;
        }
        let record = begun >= recorded_from;
        if record && recorded.fetch_add(1, Ordering::Relaxed) >= plan.max_ops {
            break;
        }
        op += 1;
        let outcome = one_op(
            &target,
            plan.workload,
            client,
            op,
            &gone,
            &mut tally,
            record,
        )
        .await;
        let finished = Instant::now();
        match outcome {
            Ok(()) => {
                in_a_row = 0;
                if record {
                    tally.ops.push(finished - begun);
                    if plan.timeline {
                        tally
                            .timeline
                            .push(finished - recorded_from, finished - begun);
                    }
                    tally.last_finish = Some(finished);
                }
            }
            Err(err) => {
                tally.error(&err);
                in_a_row += 1;
                if in_a_row >= MAX_ERRORS_IN_A_ROW || matches!(err, Error::Unsupported { .. }) {
                    break;
                }
            }
        }
    }
    tally
}

async fn one_op(
    target: &Target,
    workload: Workload,
    client: usize,
    op: u64,
    gone: &[Handle],
    tally: &mut Tally,
    record: bool,
) -> crate::Result<()> {
    // Spread over the instances (one, unless several share a database): client by client,
    // and each client's operations in turn.
    let at = client.wrapping_add(usize::try_from(op).unwrap_or(0));
    match workload {
        Workload::Status => target.status(at).await,
        Workload::Create | Workload::Passphrase => {
            let passphrase = (workload == Workload::Passphrase).then_some(PASSPHRASE);
            let begun = Instant::now();
            target
                .create(at, &value_for(client, op), passphrase)
                .await?;
            if record {
                tally.creates.push(begun.elapsed());
            }
            Ok(())
        }
        Workload::Cycle => {
            let value = value_for(client, op);
            let begun = Instant::now();
            let handle = target.create(at, &value, None).await?;
            let created = Instant::now();
            target.reveal(&handle, &value).await?;
            if record {
                tally.creates.push(created - begun);
                tally.reveals.push(created.elapsed());
            }
            Ok(())
        }
        Workload::Gone => {
            let handle = &gone[usize::try_from(op).unwrap_or(0) % gone.len().max(1)];
            let begun = Instant::now();
            target.reveal_gone(handle).await?;
            if record {
                tally.reveals.push(begun.elapsed());
            }
            Ok(())
        }
    }
}

/// Creates and reveals the keys the `gone` workload will try again (the bare server stores
/// nothing, so it gets keys it treats as consumed).
async fn prepare_gone(target: &Target, concurrency: usize) -> crate::Result<Vec<Handle>> {
    let count = concurrency * GONE_KEYS_PER_CLIENT;
    if target.server == Server::Bare {
        return Ok((0..count).map(Target::bare_gone_handle).collect());
    }
    let mut handles = Vec::with_capacity(count);
    for index in 0..count {
        let value = value_for(9_999, index as u64);
        let handle = target.create(index, &value, None).await?;
        target.reveal(&handle, &value).await?;
        handles.push(handle);
    }
    Ok(handles)
}

fn report(target: &Target, plan: &Plan, mut total: Tally, recorded_from: Instant) -> Report {
    let seconds = total
        .last_finish
        .map_or(0.0, |last| (last - recorded_from).as_secs_f64())
        .max(plan.duration.as_secs_f64().min(1e-3));
    let ops = total.ops.len() as u64;
    let per_sec = |n: u64| {
        if seconds > 0.0 {
            (n as f64 / seconds * 10.0).round() / 10.0
        } else {
            0.0
        }
    };
    let optional = |samples: &mut Samples| (!samples.is_empty()).then(|| samples.summary());
    Report {
        server: target.server,
        workload: plan.workload,
        concurrency: plan.concurrency,
        seconds: (seconds * 1000.0).round() / 1000.0,
        ops,
        ops_per_sec: per_sec(ops),
        requests_per_sec: per_sec(ops * plan.workload.requests_per_op()),
        errors: total.errors,
        first_error: total.first_error.take(),
        latency: total.ops.summary(),
        create: optional(&mut total.creates),
        reveal: optional(&mut total.reveals),
        timeline: plan.timeline.then(|| total.timeline.seconds()),
    }
}
