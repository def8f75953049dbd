//! Tests of the secret and receipt SQL against an in-memory database with the real schema.

use rusqlite::Connection;

use super::attempts::*;
use super::receipts::receipt;
use super::rows::*;
use crate::model::{BurnReason, SecretKind, StoredState};

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
            seal: crate::seal::ValueSeal::Link,
            note: None,
            passphrase: Some("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into()),
            e2e: true,
            kind: SecretKind::Generate,
            owner: Some("token-1".into()),
            sealed_secret_key: vec![5; 80],
            ttl: 3_600,
            now: 1_700_000_000,
        },
        NewRow {
            secret_id: [6; 32],
            receipt_id: [7; 32],
            value: vec![8; 10],
            seal: crate::seal::ValueSeal::Link,
            note: None,
            passphrase: None,
            e2e: false,
            kind: SecretKind::Conceal,
            owner: None,
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
        seal: crate::seal::ValueSeal::Link,
        note: None,
        passphrase: None,
        e2e: false,
        kind: SecretKind::Conceal,
        owner: None,
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
    assert_eq!(values(&conn), 0, "expired secrets' values went first");
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
        .query_row("SELECT count(*) FROM secrets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
}

fn values(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM secret_values", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_value_is_taken_once_and_leaves_a_received_receipt_without_it() {
    let mut conn = Connection::open_in_memory().unwrap();
    super::schema::migrate(&mut conn).unwrap();
    let row = plain(1, 1_000);
    insert_secret(&conn, &row).unwrap();
    let taken = take_secret(&conn, &row.secret_id, 1_001, false, Some("10.0.0.9"))
        .unwrap()
        .expect("the first take gets the value");
    assert_eq!(taken.taken.value, row.value);
    assert!(!taken.owned, "no token created it");
    assert!(
        take_secret(&conn, &row.secret_id, 1_001, false, None)
            .unwrap()
            .is_none(),
        "the second take gets nothing"
    );
    assert_eq!(values(&conn), 0, "the sealed value is deleted, not kept");
    let received = receipt(&conn, &row.receipt_id, 1_002).unwrap().unwrap();
    assert_eq!(received.state, StoredState::Received);
    assert_eq!(received.received_ip.as_deref(), Some("10.0.0.9"));
    assert!(
        received.sealed_secret_key.is_empty(),
        "no key to a gone secret"
    );
    assert!(
        burn(&conn, &row.receipt_id, 1_002).unwrap().is_none(),
        "nothing left to burn"
    );
}

#[test]
fn burning_and_failed_attempts_delete_the_value_and_say_why() {
    let mut conn = Connection::open_in_memory().unwrap();
    super::schema::migrate(&mut conn).unwrap();
    let (burned, guessed) = (plain(1, 1_000), guarded(2, 1_000));
    insert_secret(&conn, &burned).unwrap();
    insert_secret(&conn, &guessed).unwrap();
    let by_sender = burn(&conn, &burned.receipt_id, 1_001).unwrap().unwrap();
    assert_eq!(
        (by_sender.state, by_sender.burn_reason),
        (StoredState::Burned, Some(BurnReason::Sender))
    );
    for n in 1..=2 {
        assert_eq!(
            reserve_attempt(&conn, &guessed.secret_id, 1_001, 2).unwrap(),
            Reservation::Reserved(n)
        );
    }
    assert_eq!(
        fail_attempt(&conn, &guessed.secret_id, 1_001, 1, 2).unwrap(),
        Attempt::Counted(1)
    );
    assert_eq!(
        fail_attempt(&conn, &guessed.secret_id, 1_001, 2, 2).unwrap(),
        Attempt::Burned,
        "the last allowed check was wrong"
    );
    assert_eq!(
        fail_attempt(&conn, &guessed.secret_id, 1_001, 2, 2).unwrap(),
        Attempt::Gone
    );
    let by_guesses = receipt(&conn, &guessed.receipt_id, 1_001).unwrap().unwrap();
    assert_eq!(by_guesses.burn_reason, Some(BurnReason::PassphraseAttempts));
    assert_eq!(values(&conn), 0, "both values are gone");
    assert!(peek_secret(&conn, &guessed.secret_id, 1_001)
        .unwrap()
        .is_none());
}

/// A secret with a passphrase hash (never checked here: the SQL only tests its presence).
fn guarded(n: u16, now: i64) -> NewRow {
    NewRow {
        passphrase: Some("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into()),
        ..plain(n, now)
    }
}

#[test]
fn passphrase_checks_are_reserved_up_to_the_limit_and_given_back_on_faults() {
    let mut conn = Connection::open_in_memory().unwrap();
    super::schema::migrate(&mut conn).unwrap();
    let (secret, open) = (guarded(1, 1_000), plain(2, 1_000));
    insert_secret(&conn, &secret).unwrap();
    insert_secret(&conn, &open).unwrap();
    let id = secret.secret_id;
    for n in 1..=3 {
        assert_eq!(
            reserve_attempt(&conn, &id, 1_001, 3).unwrap(),
            Reservation::Reserved(n)
        );
    }
    assert_eq!(
        reserve_attempt(&conn, &id, 1_001, 3).unwrap(),
        Reservation::Exhausted,
        "three checks in flight use up a limit of three"
    );
    release_attempt(&conn, &id).unwrap();
    assert_eq!(
        reserve_attempt(&conn, &id, 1_001, 3).unwrap(),
        Reservation::Reserved(3),
        "a check that could not run is free again"
    );
    assert_eq!(
        reserve_attempt(&conn, &open.secret_id, 1_001, 3).unwrap(),
        Reservation::Gone,
        "no passphrase, nothing to reserve"
    );
    assert_eq!(
        reserve_attempt(&conn, &id, secret.now + secret.ttl, 3).unwrap(),
        Reservation::Gone,
        "expired"
    );
}
