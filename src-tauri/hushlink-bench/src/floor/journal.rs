//! The floor's group commit: one writer thread appends every record that arrived while it
//! was busy as one batch, calls `fdatasync`, and only then lets the waiting requests go on.
//!
//! Where the bytes go is a [`Sink`] (the log file in the server; a sink a test can hold in
//! its tests), so "nothing is acknowledged before its sync" can be tested directly.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc;

use tokio::sync::oneshot;

use super::FloorError;

/// Where committed batches go.
pub trait Sink: Send + 'static {
    /// Appends one batch.
    fn append(&mut self, batch: &[u8]) -> io::Result<()>;
    /// Makes everything appended so far durable.
    fn sync(&mut self) -> io::Result<()>;
}

/// The log file: `write_all` then `fdatasync` (`File::sync_data`).
impl Sink for File {
    fn append(&mut self, batch: &[u8]) -> io::Result<()> {
        self.write_all(batch)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.sync_data()
    }
}

struct Entry {
    record: Vec<u8>,
    done: oneshot::Sender<Result<(), FloorError>>,
}

/// Handle to the writer thread; the thread ends when the last handle is dropped.
pub struct Journal {
    queue: mpsc::Sender<Entry>,
}

impl Journal {
    /// Opens (appends to) the log file at `path` and starts its writer.
    pub fn open(path: &Path) -> io::Result<Self> {
        let file = File::options().create(true).append(true).open(path)?;
        Self::start(file)
    }

    /// Starts the writer thread over `sink`.
    pub fn start(sink: impl Sink) -> io::Result<Self> {
        let (queue, entries) = mpsc::channel();
        std::thread::Builder::new()
            .name("floor-writer".into())
            .spawn(move || write_batches(sink, &entries))?;
        Ok(Self { queue })
    }

    /// Appends `record` in the next batch and returns once that batch is synced.
    pub async fn commit(&self, record: Vec<u8>) -> Result<(), FloorError> {
        let (done, synced) = oneshot::channel();
        self.queue
            .send(Entry { record, done })
            .map_err(|_| FloorError::Stopped)?;
        synced.await.map_err(|_| FloorError::Stopped)?
    }
}

/// The writer: blocks for the first record, takes whatever else is queued, appends and syncs
/// them as one batch, then answers them all. After a failed write or sync nothing more is
/// accepted (what was appended may not be on disk; a server that carried on would
/// acknowledge writes it cannot vouch for).
fn write_batches(mut sink: impl Sink, entries: &mpsc::Receiver<Entry>) {
    let mut batch = Vec::new();
    let mut bytes = Vec::new();
    let mut broken: Option<io::ErrorKind> = None;
    while let Ok(first) = entries.recv() {
        batch.push(first);
        batch.extend(entries.try_iter());
        let outcome = match broken {
            Some(kind) => Err(kind),
            None => {
                bytes.clear();
                for entry in &batch {
                    bytes.extend_from_slice(&entry.record);
                }
                sink.append(&bytes)
                    .and_then(|()| sink.sync())
                    .map_err(|err| err.kind())
            }
        };
        if let Err(kind) = outcome {
            broken = Some(kind);
        }
        for entry in batch.drain(..) {
            // A request that gave up waiting has nobody to tell.
            let _ = entry
                .done
                .send(outcome.map_err(|kind| FloorError::Journal { kind }));
        }
    }
}
