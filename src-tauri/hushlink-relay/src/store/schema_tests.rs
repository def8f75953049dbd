//! Tests of the schema and its migrations, on in-memory databases.

use super::*;

/// A database as the first release left it: migration 1 only, with a receipt in it.
fn version_one() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(MIGRATIONS[0]).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute(
        "INSERT INTO receipts (id, secret_id, secret_key, owner, kind, state, has_passphrase,
            e2e, ttl, created_at, updated_at, secret_expires_at, expires_at)
         VALUES (x'01', x'02', x'', 'token-1', 'conceal', 'new', 0, 0, 60, 1, 1, 61, 121)",
        [],
    )
    .unwrap();
    conn
}

/// A version-2 database (separate secrets and receipts) with a live secret and a
/// revealed one.
fn version_two() -> Connection {
    let conn = version_one();
    conn.execute_batch(MIGRATIONS[1]).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    conn.execute_batch(
        "INSERT INTO secrets (id, receipt_id, value, passphrase, failed_attempts, e2e,
            created_at, expires_at)
         VALUES (x'0a', x'0b', x'c0ffee', 'phc', 2, 1, 5, 65);
         INSERT INTO receipts (id, secret_id, secret_key, owner, kind, state, has_passphrase,
            e2e, ttl, created_at, updated_at, secret_expires_at, expires_at)
         VALUES (x'0b', x'0a', x'5e', NULL, 'conceal', 'new', 1, 1, 60, 5, 5, 65, 125),
                (x'0d', x'0c', x'', NULL, 'generate', 'received', 0, 0, 60, 6, 9, 66, 126);",
    )
    .unwrap();
    conn
}

fn one<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> T {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn an_older_database_is_upgraded_in_place_and_keeps_its_rows() {
    let mut conn = version_one();
    assert_eq!(migrate(&mut conn).unwrap(), 1, "reports the version found");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, latest_version());
    let kept: i64 = one(
        &conn,
        "SELECT count(*) FROM secrets WHERE owner = 'token-1'",
    );
    assert_eq!(kept, 1, "the receipt survived both migrations");
    let state: String = one(&conn, "SELECT state FROM secrets WHERE owner = 'token-1'");
    assert_eq!(
        state, "expired",
        "a new receipt whose secret row was gone reads as expired"
    );
    let index: String = one(
        &conn,
        "SELECT sql FROM sqlite_master WHERE name = 'secrets_by_owner'",
    );
    assert!(index.contains("WHERE owner IS NOT NULL"), "{index}");
    assert_eq!(migrate(&mut conn).unwrap(), latest_version(), "idempotent");
}

#[test]
fn version_two_rows_become_one_row_per_secret_with_the_live_value_beside_it() {
    let mut conn = version_two();
    assert_eq!(migrate(&mut conn).unwrap(), 2);
    let live: (String, Option<String>, i64, Vec<u8>) = conn
        .query_row(
            "SELECT s.state, s.passphrase, s.failed_attempts, v.value
             FROM secrets s JOIN secret_values v ON v.id = s.id WHERE s.secret_id = x'0a'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        live,
        ("new".into(), Some("phc".into()), 2, vec![0xc0, 0xff, 0xee]),
        "the live secret keeps its value, passphrase and failed attempts"
    );
    let revealed: (String, i64) = conn
        .query_row(
            "SELECT state, (SELECT count(*) FROM secret_values v WHERE v.id = s.id)
             FROM secrets s WHERE receipt_id = x'0d'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        revealed,
        ("received".into(), 0),
        "a revealed one has no value"
    );
    let old: i64 = one(
        &conn,
        "SELECT count(*) FROM sqlite_master WHERE name IN ('receipts', 'secrets_v2', 'receipts_v2')",
    );
    assert_eq!(old, 0, "the version-2 tables are gone");
}

#[test]
fn a_secret_sealed_before_migration_3_is_revealed_once_after_it() {
    use crate::keys::{Key, KeyKind};
    use crate::seal::{open_text, seal, Purpose};
    let conn = version_one();
    conn.execute_batch(MIGRATIONS[1]).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    let (secret_key, receipt_key) = (Key::generate().unwrap(), Key::generate().unwrap());
    let secret_id = secret_key.row_id(KeyKind::Secret);
    let receipt_id = receipt_key.row_id(KeyKind::Receipt);
    let value = seal(
        secret_key.expose(),
        Purpose::Value,
        &secret_id,
        b"kept across the upgrade",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO secrets (id, receipt_id, value, e2e, created_at, expires_at)
         VALUES (?1, ?2, ?3, 0, 100, 3700)",
        rusqlite::params![secret_id, receipt_id, value],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO receipts (id, secret_id, secret_key, kind, state, has_passphrase, e2e,
            ttl, created_at, updated_at, secret_expires_at, expires_at)
         VALUES (?1, ?2, x'', 'conceal', 'new', 0, 0, 3600, 100, 100, 3700, 7300)",
        rusqlite::params![receipt_id, secret_id],
    )
    .unwrap();
    let mut conn = conn;
    // As the writer opens it (configure_writer): foreign keys enforced during the upgrade.
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    migrate(&mut conn).unwrap();
    let taken = crate::store::take_secret(&conn, &secret_id, 200, false, None)
        .unwrap()
        .expect("the live secret survived the migration");
    let text = open_text(
        secret_key.expose(),
        Purpose::Value,
        &secret_id,
        &taken.taken.value,
    )
    .expect("its sealed value still opens with the link's key");
    assert_eq!(text.expose(), "kept across the upgrade");
    assert!(
        crate::store::take_secret(&conn, &secret_id, 200, false, None)
            .unwrap()
            .is_none(),
        "and it is still revealed only once"
    );
}

#[test]
fn listing_by_owner_still_uses_the_partial_index() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate(&mut conn).unwrap();
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT id FROM secrets
             WHERE owner = ?1 AND created_at >= ?2 AND expires_at > ?3 ORDER BY created_at",
        )
        .unwrap()
        .query_map(rusqlite::params!["token-1", 0, 0], |r| r.get(3))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(
        plan.iter().any(|step| step.contains("secrets_by_owner")),
        "{plan:?}"
    );
}

/// At 1,000,000 rows a full scan per request or per sweep job would stall the writer.
#[test]
fn hot_statements_search_indexes_and_never_scan_the_table() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate(&mut conn).unwrap();
    let statements = [
        "DELETE FROM secret_values WHERE id = (SELECT id FROM secrets WHERE secret_id = ?1
            AND state = 'new' AND secret_expires_at > ?2 AND (?3 OR passphrase IS NULL))",
        "SELECT id FROM secrets WHERE receipt_id = ?1 AND state = 'new' AND secret_expires_at > ?2",
        "SELECT id FROM secrets WHERE state = 'new' AND secret_expires_at <= ?1 LIMIT ?2",
        "SELECT id FROM secrets WHERE expires_at <= ?1 LIMIT ?2",
        "SELECT count(*) FROM secrets WHERE state = 'new' AND secret_expires_at > ?1",
    ];
    for sql in statements {
        let params = vec![0_i64; sql.matches('?').count()];
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(rusqlite::params_from_iter(params), |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter().all(|step| !step.starts_with("SCAN")),
            "{sql}: {plan:?}"
        );
    }
}

/// Migration 5: the receipt keys sealed under creators' tokens are gone, the rows stay.
#[test]
fn receipt_keys_sealed_for_tokens_are_dropped_and_rows_kept() {
    let mut conn = version_two();
    for (index, sql) in MIGRATIONS.iter().enumerate().take(4).skip(2) {
        conn.execute_batch(sql).unwrap();
        conn.pragma_update(None, "user_version", index + 1).unwrap();
    }
    conn.execute(
        "UPDATE secrets SET owner = 'token-1', owner_receipt_key = x'5ea1ed'",
        [],
    )
    .unwrap();
    assert_eq!(migrate(&mut conn).unwrap(), 4);
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('secrets')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(
        !columns.iter().any(|c| c == "owner_receipt_key"),
        "{columns:?}"
    );
    assert_eq!(
        one::<i64>(
            &conn,
            "SELECT count(*) FROM secrets WHERE owner = 'token-1'"
        ),
        3,
        "every receipt is kept, with its owner for `recent`"
    );
}

fn page_size(conn: &Connection) -> i64 {
    conn.pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap()
}

#[test]
fn a_new_database_gets_small_pages_and_an_older_one_keeps_its_own() {
    let dir = tempfile::tempdir().unwrap();
    // As the relay makes one: an empty owner-only file first, then the writer's settings.
    let fresh = dir.path().join("fresh.sqlite3");
    let store = crate::store::Store::open(&fresh, Durability::Full, None).unwrap();
    drop(store);
    assert_eq!(page_size(&Connection::open(&fresh).unwrap()), NEW_PAGE_SIZE);

    // As a relay before NEW_PAGE_SIZE left it: 4 KiB pages, WAL, schema 8, a row.
    let older = dir.path().join("older.sqlite3");
    let mut conn = Connection::open(&older).unwrap();
    conn.pragma_update(None, "page_size", 4_096).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    let tx = conn.transaction().unwrap();
    for sql in &MIGRATIONS[..8] {
        tx.execute_batch(sql).unwrap();
    }
    tx.pragma_update(None, "user_version", 8).unwrap();
    tx.execute(
        "INSERT INTO tokens (id, name, hash, created_at) VALUES ('t1', 'Sam', x'01', 1)",
        [],
    )
    .unwrap();
    tx.commit().unwrap();
    drop(conn);
    let mut conn = Connection::open(&older).unwrap();
    configure_writer(&conn).unwrap();
    migrate(&mut conn).unwrap();
    assert_eq!(
        page_size(&conn),
        4_096,
        "an existing database is not rewritten"
    );
    let limit: i64 = conn
        .pragma_query_value(None, "journal_size_limit", |r| r.get(0))
        .unwrap();
    assert_eq!(
        limit,
        (WAL_PAGES + 2_000) * 4_096,
        "the WAL limit follows its pages"
    );
    assert_eq!(one::<String>(&conn, "SELECT name FROM tokens"), "Sam");
}

#[test]
fn a_database_from_a_newer_relay_is_refused() {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "user_version", latest_version() + 1)
        .unwrap();
    assert!(matches!(
        migrate(&mut conn),
        Err(crate::Error::SchemaTooNew { .. })
    ));
}
