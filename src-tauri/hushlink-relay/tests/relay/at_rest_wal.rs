//! Revealed values leave no ciphertext on disk: once the relay has been idle for its
//! checkpointer's period, neither the WAL nor the database file holds one.

use std::path::Path;
use std::time::{Duration, Instant};

use hushlink_relay::KeyKind;
use hushlink_relay::{Client, NewSecret, Relay, SecretText};
use rusqlite::{Connection, OpenFlags};

/// Secrets created and revealed; enough that their pages span many WAL frames.
const SECRETS: usize = 60;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// How many of `ciphertexts` are whole in the database file or its WAL.
fn lingering(db: &Path, ciphertexts: &[Vec<u8>]) -> usize {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let files: Vec<Vec<u8>> = [db.as_os_str().to_owned(), wal]
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_default())
        .collect();
    ciphertexts
        .iter()
        .filter(|c| files.iter().any(|f| contains(f, c)))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revealed_ciphertexts_leave_the_wal_and_the_database_file() {
    if crate::support::sqlite_only(
        "SQLite's WAL scrub; PostgreSQL keeps dead tuples until vacuum (docs/postgres.md)",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::support::test_config(dir.path());
    config.wal_scrub_idle_ms = 50;
    let relay = Relay::open(config).await.unwrap();
    let client = Client::new("127.0.0.1".parse().unwrap(), None);
    let mut keys = Vec::new();
    for i in 0..SECRETS {
        let created = relay
            .create(
                NewSecret {
                    value: Some(SecretText::new(format!("value {i} {}", "x".repeat(i * 7)))),
                    passphrase: (i % 3 == 0).then(|| SecretText::new("pass phrase")),
                    ..NewSecret::default()
                },
                None,
                &client,
            )
            .await
            .unwrap();
        keys.push((created.receipt.secret_key.unwrap(), i % 3 == 0));
    }
    let db = dir.path().join("relay.sqlite3");
    let ciphertexts: Vec<Vec<u8>> = {
        let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        keys.iter()
            .map(|(key, _)| {
                conn.query_row(
                    "SELECT v.value FROM secret_values v JOIN secrets s ON s.id = v.id
                     WHERE s.secret_id = ?1",
                    [key.row_id(KeyKind::Secret)],
                    |r| r.get(0),
                )
                .unwrap()
            })
            .collect()
    };
    assert_eq!(
        lingering(&db, &ciphertexts),
        SECRETS,
        "before the reveals every ciphertext is on disk, so the search finds them"
    );
    for (key, guarded) in &keys {
        let passphrase = guarded.then(|| SecretText::new("pass phrase"));
        relay
            .reveal(key, passphrase.as_ref(), &client)
            .await
            .unwrap();
    }
    // The checkpointer runs on its own; poll until it has scrubbed, up to a deadline far
    // beyond its 50 ms idle period.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = lingering(&db, &ciphertexts);
        if left == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{left} of {SECRETS} revealed ciphertexts are still whole on disk"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
