//! The counters against a real schema: every way a value leaves keeps them equal to a
//! count of the live rows.

use rusqlite::Connection;

use super::*;
use crate::model::SecretKind;
use crate::store::rows::*;

fn store() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::store::schema::configure_writer(&conn).unwrap();
    crate::store::schema::migrate(&mut conn).unwrap();
    install(&conn).unwrap();
    conn
}

fn row(n: u8, owner: Option<&str>, bytes: usize, now: i64) -> NewRow {
    NewRow {
        secret_id: [n; 32],
        receipt_id: [n.wrapping_add(100); 32],
        value: vec![7; bytes],
        seal: crate::seal::ValueSeal::Link,
        note: None,
        passphrase: None,
        e2e: false,
        kind: SecretKind::Conceal,
        owner: owner.map(str::to_owned),
        sealed_secret_key: vec![1; 16],
        ttl: 60,
        now,
    }
}

fn counted(conn: &Connection, owner: Option<&str>) -> Usage {
    let (secrets, bytes): (i64, i64) = conn
        .query_row(
            "SELECT count(*), coalesce(sum(length(v.value)), 0) FROM secret_values v
             JOIN secrets s ON s.id = v.id WHERE ?1 IS NULL OR s.owner = ?1",
            [owner],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    Usage {
        secrets: secrets as u64,
        bytes: bytes as u64,
    }
}

#[test]
fn counters_follow_creates_reveals_burns_expiry_and_receipt_deletion() {
    let conn = store();
    for (n, owner) in [
        (1, Some("sam")),
        (2, Some("sam")),
        (3, None),
        (4, Some("ada")),
    ] {
        insert_secret(&conn, &row(n, owner, 10 * usize::from(n), 1_000)).unwrap();
    }
    assert_eq!(
        usage(&conn, None).unwrap(),
        Usage {
            secrets: 4,
            bytes: 100
        }
    );
    assert_eq!(
        usage(&conn, Some("sam")).unwrap(),
        Usage {
            secrets: 2,
            bytes: 30
        }
    );
    assert_eq!(usage(&conn, Some("nobody")).unwrap(), Usage::default());

    assert!(take_secret(&conn, &[1; 32], 1_001, false, None)
        .unwrap()
        .is_some());
    assert!(burn(&conn, &[104; 32], 1_001).unwrap().is_some());
    for owner in [None, Some("sam"), Some("ada")] {
        assert_eq!(
            usage(&conn, owner).unwrap(),
            counted(&conn, owner),
            "{owner:?}"
        );
    }
    assert_eq!(
        usage(&conn, None).unwrap(),
        Usage {
            secrets: 2,
            bytes: 50
        }
    );

    // A receipt swept while its value is still there (a sweep backlog) takes it along.
    insert_secret(&conn, &row(6, Some("ada"), 6, 1_000)).unwrap();
    conn.execute(
        "UPDATE secrets SET expires_at = 0 WHERE secret_id = ?1",
        [[6_u8; 32]],
    )
    .unwrap();
    let swept = sweep(&conn, 1_001, 0, 100).unwrap();
    assert_eq!((swept.secrets, swept.receipts), (0, 1));
    assert_eq!(usage(&conn, Some("ada")).unwrap(), Usage::default());
    assert_eq!(counted(&conn, Some("ada")), Usage::default());
    assert_eq!(
        usage(&conn, None).unwrap(),
        Usage {
            secrets: 2,
            bytes: 50
        }
    );
    // Everything left expires, and its receipts go.
    insert_secret(&conn, &row(5, Some("sam"), 5, 1_000)).unwrap();
    let _ = sweep(&conn, 1_061, 0, 1).unwrap();
    let _ = sweep(&conn, 10_000, 0, 100).unwrap();
    for owner in [None, Some("sam"), Some("ada")] {
        assert_eq!(usage(&conn, owner).unwrap(), Usage::default(), "{owner:?}");
    }
}

#[test]
fn counters_are_rebuilt_from_the_live_rows_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        insert_secret(&conn, &row(1, Some("sam"), 40, 1_000)).unwrap();
        insert_secret(&conn, &row(2, None, 2, 1_000)).unwrap();
    }
    let conn = Connection::open(&path).unwrap();
    install(&conn).unwrap();
    assert_eq!(
        usage(&conn, None).unwrap(),
        Usage {
            secrets: 2,
            bytes: 42
        }
    );
    assert_eq!(
        usage(&conn, Some("sam")).unwrap(),
        Usage {
            secrets: 1,
            bytes: 40
        }
    );
}

/// A store on a temporary file: its writer thread keeps the counters.
fn open_store() -> (tempfile::TempDir, crate::store::Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::store::Store::open(
        &dir.path().join("db.sqlite3"),
        crate::store::Durability::Full,
        None,
    )
    .unwrap();
    (dir, store)
}

/// The writer's counters for `owner` and a count of the rows, read in one writer job.
async fn both(store: &crate::store::Store, owner: Option<&'static str>) -> (Usage, Usage) {
    store
        .write(move |conn| Ok((usage(conn, owner)?, counted(conn, owner))))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_failed_job_leaves_the_counters_as_they_were() {
    let (_dir, store) = open_store();
    store
        .write(|conn| insert_secret(conn, &row(1, Some("sam"), 10, 1_000)))
        .await
        .unwrap();
    // A guarded job that created, then failed: its savepoint is rolled back, and so are the
    // counters; the job before it stays counted.
    let failed = store
        .write(|conn| {
            insert_secret(conn, &row(2, Some("sam"), 20, 1_000))?;
            Err::<(), _>(crate::error::Error::Corrupt)
        })
        .await;
    assert!(failed.is_err());
    let (kept, rows) = both(&store, Some("sam")).await;
    assert_eq!(kept, rows);
    assert_eq!(
        kept,
        Usage {
            secrets: 1,
            bytes: 10
        }
    );
    // An unguarded job that fails voids its whole group commit, counters included.
    let failed = store
        .write_unguarded(|conn| {
            insert_secret(conn, &row(3, None, 30, 1_000))?;
            assert!(take_secret(conn, &[1; 32], 1_001, false, None)?.is_some());
            Err::<(), _>(crate::error::Error::Corrupt)
        })
        .await;
    assert!(failed.is_err());
    for owner in [None, Some("sam")] {
        let (kept, rows) = both(&store, owner).await;
        assert_eq!(kept, rows, "{owner:?}");
        assert_eq!(
            kept,
            Usage {
                secrets: 1,
                bytes: 10
            },
            "{owner:?}"
        );
    }
}

#[tokio::test]
async fn the_writers_counters_follow_every_path_a_value_leaves_by() {
    let (_dir, store) = open_store();
    store
        .write(|conn| {
            for (n, owner) in [
                (1, Some("sam")),
                (2, Some("sam")),
                (3, None),
                (4, Some("ada")),
            ] {
                insert_secret(conn, &row(n, owner, 10 * usize::from(n), 1_000))?;
            }
            Ok(())
        })
        .await
        .unwrap();
    store
        .write_unguarded(|conn| take_secret(conn, &[1; 32], 1_001, false, None).map(drop))
        .await
        .unwrap();
    store
        .write(|conn| burn(conn, &[104; 32], 1_001).map(drop))
        .await
        .unwrap();
    for owner in [None, Some("sam"), Some("ada")] {
        let (kept, rows) = both(&store, owner).await;
        assert_eq!(kept, rows, "{owner:?}");
    }
    store
        .write(|conn| sweep(conn, 10_000, 0, 100).map(drop))
        .await
        .unwrap();
    for owner in [None, Some("sam"), Some("ada")] {
        assert_eq!(
            both(&store, owner).await,
            (Usage::default(), Usage::default())
        );
    }
}
