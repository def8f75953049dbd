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

    // A receipt deleted while its value is still there (a sweep backlog) takes it along.
    insert_secret(&conn, &row(6, Some("ada"), 6, 1_000)).unwrap();
    conn.execute("DELETE FROM secrets WHERE secret_id = ?1", [[6_u8; 32]])
        .unwrap();
    assert_eq!(usage(&conn, Some("ada")).unwrap(), Usage::default());
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

#[test]
fn a_rolled_back_create_is_not_counted() {
    let conn = store();
    conn.execute_batch("SAVEPOINT job").unwrap();
    insert_secret(&conn, &row(1, Some("sam"), 10, 1_000)).unwrap();
    conn.execute_batch("ROLLBACK TO job; RELEASE job").unwrap();
    assert_eq!(usage(&conn, Some("sam")).unwrap(), Usage::default());
    assert_eq!(usage(&conn, None).unwrap(), Usage::default());
}
