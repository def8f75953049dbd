//! Tracking 1,000 active secrets against a real relay on 127.0.0.1:
//!
//! 1. requests per minute while the secrets are young, and once they are a day old
//!    (simulated time, a poll pass per simulated second);
//! 2. how long after a reveal the tracker notices it;
//! 3. list / filter / search latency over the 1,000 entries;
//! 4. CPU used by the background poller in real time (the relay runs in the same process,
//!    so this is an upper bound for the tracker).
//!
//! Run: `cargo bench -p hushlink-tracker --bench tracking --profile dev`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use hushlink_client::{Client, Link, SecretText, ServerConfig};
use hushlink_relay::clock::Clock as RelayClock;
use hushlink_relay::{Relay, RelayConfig};
use hushlink_tracker::{
    Clock, CreateRequest, ListFilter, ManualClock, MemoryKeychain, PollPolicy, RecordingNotifier,
    SecretState, SortKey, SystemClock, Tracker, TrackerConfig, TrackerEvent,
};
use tokio::net::TcpListener;

const SECRETS: usize = 1_000;
const START_SECS: i64 = 1_795_996_800;

async fn start_relay(dir: &std::path::Path, clock: RelayClock) -> url::Url {
    let relay = Relay::open_with_clock(RelayConfig::with_data_dir(dir), clock)
        .await
        .expect("relay");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url =
        url::Url::parse(&format!("http://{}/", listener.local_addr().expect("addr"))).expect("url");
    tokio::spawn(async move {
        let _ = hushlink_relay::serve(listener, relay, std::future::pending()).await;
    });
    url
}

fn tracker(
    dir: &std::path::Path,
    clock: Arc<dyn Clock>,
    background: bool,
    relay: &url::Url,
    policy: PollPolicy,
) -> Tracker {
    let tracker = Tracker::start(TrackerConfig {
        data_dir: dir.join("data"),
        config_dir: dir.join("config"),
        keychain: Arc::new(MemoryKeychain::new()),
        notifier: Arc::new(RecordingNotifier::new()),
        clock,
        policy,
        client_options: Default::default(),
        background_poller: background,
    })
    .expect("tracker");
    tracker.set_local_relay(Some(relay.clone()));
    tracker
}

async fn fill(tracker: &Tracker) -> Vec<(String, String)> {
    let started = Instant::now();
    // 16 at a time: only to save setup time (the UI shares one at a time).
    let out: Vec<(String, String)> = futures_util::stream::iter(0..SECRETS)
        .map(|i| async move {
            let created = tracker
                .create(CreateRequest {
                    label: format!("secret {i:04} for {}", ["Sam", "Ana", "Lee", "Kim"][i % 4]),
                    profile_id: Some("relay".into()),
                    secret: SecretText::new(format!("value {i}")),
                    passphrase: None,
                    expiry_secs: Some(7 * 86_400),
                    recipient: Some(format!("person{}@example.com", i % 50)),
                    email_recipient: false,
                    notify: None,
                    end_to_end: false,
                    sender_note: None,
                })
                .await
                .expect("create");
            (created.entry.id.clone(), created.share_link.clone())
        })
        .buffered(16)
        .collect()
        .await;
    println!(
        "created {SECRETS} secrets in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    out
}

fn requests(t: &Tracker) -> u64 {
    let s = t.poll_stats();
    s.batch_requests + s.receipt_requests
}

/// Steps simulated time one second at a time; returns requests per simulated minute.
async fn simulate(
    t: &Tracker,
    clock: &ManualClock,
    relay: &RelayClock,
    minutes: usize,
    mut each_second: impl FnMut(usize),
) -> Vec<u64> {
    let mut per_minute = Vec::new();
    for minute in 0..minutes {
        let before = requests(t);
        for second in 0..60 {
            clock.advance(Duration::from_secs(1));
            relay.advance(1);
            each_second(minute * 60 + second);
            t.poll_due().await;
        }
        per_minute.push(requests(t) - before);
    }
    per_minute
}

fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    fields
        .get(11)
        .and_then(|u| u.parse::<u64>().ok())
        .unwrap_or(0)
        + fields
            .get(12)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
}

fn timed(label: &str, runs: usize, mut f: impl FnMut() -> usize) {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{label:<38} median {:6.2} ms   p95 {:6.2} ms   max {:6.2} ms   ({} rows)",
        times[runs / 2],
        times[runs * 95 / 100],
        times[runs - 1],
        f()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // 1-3: simulated time, a poll pass per simulated second.
    let relay_dir = tempfile::tempdir().expect("dir");
    let relay_clock = RelayClock::manual(START_SECS);
    let url = start_relay(relay_dir.path(), relay_clock.clone()).await;
    let dir = tempfile::tempdir().expect("dir");
    let clock = Arc::new(ManualClock::new(START_SECS * 1000));
    let t = tracker(
        dir.path(),
        clock.clone(),
        false,
        &url,
        PollPolicy::default(),
    );
    let secrets = fill(&t).await;

    // 50 secrets are revealed from outside at known simulated times in the first hour.
    let reveal_at: HashMap<usize, usize> = (0..50).map(|i| (i * 71 % 3600, i * 20)).collect();
    let mut revealed: HashMap<String, i64> = HashMap::new();
    let recipient = Client::new(ServerConfig::new(url.clone())).expect("client");
    let mut events = t.subscribe();
    let mut noticed: HashMap<String, i64> = HashMap::new();
    let mut young = Vec::new();
    for minute in 0..60 {
        let before = requests(&t);
        for second in 0..60 {
            clock.advance(Duration::from_secs(1));
            relay_clock.advance(1);
            if let Some(&index) = reveal_at.get(&(minute * 60 + second)) {
                let (id, link) = &secrets[index];
                let link = Link::parse(link).expect("link");
                recipient.reveal_link(&link, None).await.expect("reveal");
                revealed.insert(id.clone(), clock.now_ms());
            }
            t.poll_due().await;
            while let Ok(event) = events.try_recv() {
                if let TrackerEvent::StateChanged { entry } = event {
                    noticed.insert(entry.id, clock.now_ms());
                }
            }
        }
        young.push(requests(&t) - before);
    }
    let mut delays: Vec<f64> = revealed
        .iter()
        .filter_map(|(id, at)| noticed.get(id).map(|seen| (seen - at) as f64 / 1000.0))
        .collect();
    delays.sort_by(f64::total_cmp);
    println!(
        "first hour: requests/min max {} mean {:.1} (budget {}/min); {} of {} reveals noticed, delay median {:.0} s, max {:.0} s",
        young.iter().max().unwrap_or(&0),
        young.iter().sum::<u64>() as f64 / young.len() as f64,
        PollPolicy::default().requests_per_minute,
        delays.len(),
        revealed.len(),
        delays.get(delays.len() / 2).copied().unwrap_or(f64::NAN),
        delays.last().copied().unwrap_or(f64::NAN),
    );

    clock.advance(Duration::from_secs(86_400));
    relay_clock.advance(86_400);
    let old = simulate(&t, &clock, &relay_clock, 30, |_| {}).await;
    println!(
        "day-old secrets: requests/min max {} mean {:.2}",
        old.iter().max().unwrap_or(&0),
        old.iter().sum::<u64>() as f64 / old.len() as f64
    );
    let stats = t.poll_stats();
    println!(
        "totals: {} batch + {} receipt requests",
        stats.batch_requests, stats.receipt_requests
    );

    // 3: list, filter, search.
    timed("list all (newest first)", 200, || {
        t.list(&ListFilter::default()).expect("list").len()
    });
    timed("filter state = unread", 200, || {
        t.list(&ListFilter {
            states: vec![SecretState::Unread],
            ..ListFilter::default()
        })
        .expect("list")
        .len()
    });
    timed("search \"sam\" (label or recipient)", 200, || {
        t.list(&ListFilter {
            search: Some("sam".into()),
            ..ListFilter::default()
        })
        .expect("list")
        .len()
    });
    timed("search \"person7@\" sorted by label", 200, || {
        t.list(&ListFilter {
            search: Some("person7@".into()),
            sort: SortKey::Label,
            ..ListFilter::default()
        })
        .expect("list")
        .len()
    });
    t.shutdown().await;

    // 4: real time, background poller, system clocks. Checks every 5 minutes at least (the
    // pace of hour-old secrets), so after the start-up catch-up the poller has nothing to do.
    let relay_dir = tempfile::tempdir().expect("dir");
    let url = start_relay(relay_dir.path(), RelayClock::system()).await;
    let dir = tempfile::tempdir().expect("dir");
    let t = tracker(
        dir.path(),
        Arc::new(SystemClock),
        true,
        &url,
        PollPolicy {
            min_interval: Duration::from_secs(300),
            ..PollPolicy::default()
        },
    );
    fill(&t).await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let (cpu0, wall0, req0) = (cpu_ticks(), Instant::now(), requests(&t));
    tokio::time::sleep(Duration::from_secs(20)).await;
    let ticks = cpu_ticks() - cpu0;
    let wall = wall0.elapsed().as_secs_f64();
    println!(
        "idle: {:.2} % of one core over {wall:.0} s with 1,000 tracked secrets (tracker + relay process), {} requests",
        ticks as f64 / 100.0 / wall * 100.0,
        requests(&t) - req0
    );
    t.shutdown().await;
}
