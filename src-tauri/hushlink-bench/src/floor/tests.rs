//! The floor's two promises: a value is revealed exactly once however many ask at the same
//! moment, and nothing is acknowledged before the batch holding its record is synced.

use std::io;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use super::*;

/// What a sink under test has seen.
#[derive(Default)]
struct Log {
    appended: Vec<u8>,
    /// Bytes of `appended` covered by a completed sync.
    synced: usize,
    batches: usize,
}

/// A sink that records, and whose `sync` waits for the test to let it go (when `gate` is
/// set); it tells the test when a sync has begun.
struct Held {
    log: Arc<Mutex<Log>>,
    entered: mpsc::Sender<()>,
    gate: Option<mpsc::Receiver<()>>,
    fail_sync: bool,
    /// How long a sync takes, as a disk's flush does: what makes concurrent requests
    /// overlap while one batch is being synced.
    flush: Duration,
}

impl Sink for Held {
    fn append(&mut self, batch: &[u8]) -> io::Result<()> {
        let mut log = self.log.lock().unwrap();
        log.appended.extend_from_slice(batch);
        log.batches += 1;
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        let _ = self.entered.send(());
        std::thread::sleep(self.flush);
        if let Some(gate) = &self.gate {
            gate.recv().map_err(|_| io::Error::other("gate dropped"))?;
        }
        if self.fail_sync {
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        let mut log = self.log.lock().unwrap();
        log.synced = log.appended.len();
        Ok(())
    }
}

impl Log {
    /// Whether `record` was appended and a sync has completed since.
    fn synced(&self, record: &str) -> bool {
        let text = String::from_utf8_lossy(&self.appended[..self.synced]);
        text.contains(record)
    }
}

struct Rig {
    floor: Arc<Floor>,
    log: Arc<Mutex<Log>>,
    entered: mpsc::Receiver<()>,
    release: Option<mpsc::Sender<()>>,
}

fn rig(held: bool, fail_sync: bool) -> Rig {
    rig_with(held, fail_sync, Duration::ZERO)
}

fn rig_with(held: bool, fail_sync: bool, flush: Duration) -> Rig {
    let log = Arc::new(Mutex::new(Log::default()));
    let (entered_tx, entered) = mpsc::channel();
    let (release, gate) = if held {
        let (tx, rx) = mpsc::channel();
        (Some(tx), Some(rx))
    } else {
        (None, None)
    };
    let sink = Held {
        log: Arc::clone(&log),
        entered: entered_tx,
        gate,
        fail_sync,
        flush,
    };
    Rig {
        floor: Arc::new(Floor::new(Journal::start(sink).unwrap())),
        log,
        entered,
        release,
    }
}

impl Rig {
    fn wait_for_sync(&self) {
        self.entered
            .recv_timeout(Duration::from_secs(10))
            .expect("the writer reaches its sync");
    }

    fn release(&self) {
        self.release.as_ref().unwrap().send(()).unwrap();
    }

    fn text(&self) -> String {
        String::from_utf8(self.log.lock().unwrap().appended.clone()).unwrap()
    }
}

/// Bounded wait showing a request is still unanswered (it may only finish after a release).
const STILL_WAITING: Duration = Duration::from_millis(150);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_value_is_revealed_exactly_once_under_concurrent_reveals() {
    let rig = rig_with(false, false, Duration::from_millis(2));
    let mut created = Vec::new();
    for n in 0..40 {
        let value = format!("value {n}\nwith a newline");
        let minted = rig.floor.create(value.clone()).await.unwrap();
        created.push((minted.secret_key, value));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (key, _) in &created {
        for _ in 0..8 {
            let (floor, key) = (Arc::clone(&rig.floor), key.clone());
            tasks.spawn(async move { (key.clone(), floor.reveal(&key).await.unwrap()) });
        }
    }
    let mut won: HashMap<String, Vec<String>> = HashMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (key, got) = joined.unwrap();
        won.entry(key).or_default().extend(got);
    }
    for (key, value) in &created {
        assert_eq!(won[key], vec![value.clone()], "one winner with the value");
    }
    let text = rig.text();
    for (key, _) in &created {
        assert_eq!(text.matches(&format!("r {key}\n")).count(), 1);
    }
    assert_eq!(rig.floor.reveal(&created[0].0).await, Ok(None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_is_answered_only_after_its_record_is_synced() {
    let rig = rig(true, false);
    let (floor, log) = (Arc::clone(&rig.floor), Arc::clone(&rig.log));
    let mut create = tokio::spawn(async move {
        let minted = floor.create("kept".into()).await.unwrap();
        let record = format!("c {} 4\nkept\n", minted.secret_key);
        let synced = log.lock().unwrap().synced(&record);
        (minted, synced)
    });
    rig.wait_for_sync();
    assert!(rig.text().starts_with("c "), "appended before the sync");
    assert!(tokio::time::timeout(STILL_WAITING, &mut create)
        .await
        .is_err());
    rig.release();
    let (minted, synced_when_answered) = create.await.unwrap();
    assert!(synced_when_answered);
    assert!(rig
        .text()
        .starts_with(&format!("c {} 4\nkept\n", minted.secret_key)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reveal_is_answered_only_after_its_record_is_synced_and_the_rest_batch_up() {
    let rig = rig(true, false);
    let floor = Arc::clone(&rig.floor);
    let create = tokio::spawn(async move { floor.create("once".into()).await.unwrap() });
    rig.wait_for_sync();
    rig.release();
    let key = create.await.unwrap().secret_key;

    let (floor, log) = (Arc::clone(&rig.floor), Arc::clone(&rig.log));
    let reveal_key = key.clone();
    let mut reveal = tokio::spawn(async move {
        let got = floor.reveal(&reveal_key).await.unwrap();
        let synced = log.lock().unwrap().synced(&format!("r {reveal_key}\n"));
        (got, synced)
    });
    rig.wait_for_sync();
    // Taken from the map already: a racing reveal finds nothing, before any sync.
    let second = tokio::time::timeout(STILL_WAITING, rig.floor.reveal(&key)).await;
    assert_eq!(second, Ok(Ok(None)), "answered at once, with nothing");
    // While the writer is held, more creates queue up behind it.
    let waiting: Vec<_> = (0..5)
        .map(|n| {
            let floor = Arc::clone(&rig.floor);
            tokio::spawn(async move { floor.create(format!("queued {n}")).await.unwrap() })
        })
        .collect();
    assert!(tokio::time::timeout(STILL_WAITING, &mut reveal)
        .await
        .is_err());
    rig.release();
    assert_eq!(reveal.await.unwrap(), (Some("once".into()), true));
    rig.wait_for_sync();
    rig.release();
    for task in waiting {
        task.await.unwrap();
    }
    // create, reveal, then the five queued creates in one group commit.
    assert_eq!(rig.log.lock().unwrap().batches, 3);
}

#[tokio::test]
async fn a_failed_sync_fails_the_batch_and_every_write_after_it() {
    let rig = rig(false, true);
    let want = Err(FloorError::Journal {
        kind: io::ErrorKind::StorageFull,
    });
    assert_eq!(rig.floor.create("lost".into()).await, want);
    assert_eq!(rig.floor.create("refused".into()).await, want);
    // The refused create reached no sink: the writer stopped writing at the first failure.
    assert_eq!(rig.log.lock().unwrap().batches, 1);
}
