//! Tests of the secret and receipt SQL against an in-memory database with the real schema.

use rusqlite::Connection;

use super::receipts::receipt;
use super::rows::*;

/// `NewRow::receipt` stands in for reading the receipt back after a create; it must
/// describe exactly what the insert stored.
#[test]
fn the_receipt_of_a_new_row_is_what_the_store_reads_back() {
    let mut conn = Connection::open_in_memory().unwrap();
    super::schema::migrate(&mut conn).unwrap();
    let rows = [
        NewRow {
            secret_id: [1; 32],
            receipt_id: [2; 32],
            value: vec![3; 40],
            passphrase: Some("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into()),
            e2e: true,
            kind: Kind::Generate,
            owner: Some("token-1".into()),
            owner_receipt_key: Some(vec![4; 60]),
            sealed_secret_key: vec![5; 80],
            ttl: 3_600,
            now: 1_700_000_000,
        },
        NewRow {
            secret_id: [6; 32],
            receipt_id: [7; 32],
            value: vec![8; 10],
            passphrase: None,
            e2e: false,
            kind: Kind::Conceal,
            owner: None,
            owner_receipt_key: None,
            sealed_secret_key: vec![9; 80],
            ttl: 60,
            now: 1_700_000_001,
        },
    ];
    for row in &rows {
        insert_secret(&conn, row).unwrap();
        let stored = receipt(&conn, &row.receipt_id, row.now).unwrap().unwrap();
        assert_eq!(format!("{:?}", row.receipt()), format!("{stored:?}"));
    }
}

fn plain(n: u16, now: i64) -> NewRow {
    let mut secret_id = [0u8; 32];
    secret_id[..2].copy_from_slice(&n.to_be_bytes());
    let mut receipt_id = secret_id;
    receipt_id[31] = 1;
    NewRow {
        secret_id,
        receipt_id,
        value: vec![0; 16],
        passphrase: None,
        e2e: false,
        kind: Kind::Conceal,
        owner: None,
        owner_receipt_key: None,
        sealed_secret_key: vec![0; 16],
        ttl: 60,
        now,
    }
}

#[test]
fn every_kind_of_deletion_is_bounded_per_job() {
    let mut conn = Connection::open_in_memory().unwrap();
    super::schema::migrate(&mut conn).unwrap();
    for n in 0..25 {
        insert_secret(&conn, &plain(n, 1_000)).unwrap();
    }
    // Past the secrets' TTL: 25 secrets to expire, 10 per job.
    let first = sweep(&conn, 1_060, 0, 10).unwrap();
    assert_eq!((first.secrets, first.receipts), (10, 0));
    assert!(first.is_partial(10));
    while sweep(&conn, 1_060, 0, 10).unwrap().is_partial(10) {}
    // Past the receipts' 2 × TTL, and every log line past retention.
    let receipts = sweep(&conn, 1_120, 1_121, 10).unwrap();
    assert_eq!(receipts.receipts, 10, "receipts are bounded too");
    assert_eq!(
        receipts.log_lines, 10,
        "and so are log lines (25 expire lines)"
    );
    assert!(receipts.is_partial(10));
    let mut jobs = 1;
    loop {
        jobs += 1;
        if !sweep(&conn, 1_120, 1_121, 10).unwrap().is_partial(10) {
            break;
        }
    }
    assert_eq!(jobs, 3, "25 rows in jobs of 10");
    let left: i64 = conn
        .query_row("SELECT count(*) FROM receipts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
}
