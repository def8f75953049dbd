//! Creates on several instances at once (issue 18, "creates no longer serialized"): they
//! run side by side, and the quotas still hold exactly when they race at the limit. Two
//! `PgStore`s on one database of a real server stand in for two relay instances.
//!
//! To catch a create inside its transaction, a test trigger on `access_log` (the last row
//! a create writes) waits for an advisory lock the test holds: a create then stays open,
//! holding whatever locks it took, until the test lets it go. `pg_locks` shows who waits
//! for what, so nothing here depends on timing.

use std::time::Duration;

use deadpool_postgres::Object;
use futures_util::{stream, StreamExt};
use hushlink_testkit::TestPostgres;

use super::tests::{line, with_root, NOW, TTL};
use super::{sql, PgStore};
use crate::access_log::AccessAction;
use crate::config::Quotas;
use crate::model::{Quota, SecretKind};
use crate::seal::ValueSeal;
use crate::store::{NewRow, Storage};

/// The advisory lock the test trigger waits for (any key the relay does not use).
const HOLD: i64 = 4242;

/// Two instances on a fresh database, and the server (kept alive with them).
async fn two_stores() -> (std::sync::Arc<TestPostgres>, PgStore, PgStore) {
    let pg = tokio::task::spawn_blocking(TestPostgres::shared)
        .await
        .unwrap();
    let url = with_root(&pg.new_database(), &pg);
    let (a, b) = tokio::join!(PgStore::open(&url), PgStore::open(&url));
    (pg, a.unwrap(), b.unwrap())
}

/// A secret numbered `n` (any `u16`), `bytes` long, created with `owner`'s token.
fn secret(n: u16, owner: Option<&str>, bytes: usize) -> NewRow {
    let mut id = [0; 32];
    id[..2].copy_from_slice(&n.to_be_bytes());
    let mut receipt = id;
    receipt[2] = 1;
    NewRow {
        secret_id: id,
        receipt_id: receipt,
        value: vec![7; bytes],
        seal: ValueSeal::Link,
        note: None,
        passphrase: None,
        e2e: false,
        kind: SecretKind::Conceal,
        owner: owner.map(str::to_owned),
        sealed_secret_key: vec![9; 80],
        ttl: TTL,
        now: NOW,
    }
}

/// Makes every create whose log line has key id `hold` wait, inside its transaction, for
/// [`HOLD`]; returns the connection that holds it (drop or unlock to let them go).
async fn hold_creates(store: &PgStore) -> Object {
    let admin = store.client().await.unwrap();
    admin
        .batch_execute(&format!(
            "CREATE FUNCTION test_hold() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN PERFORM pg_advisory_xact_lock_shared({HOLD}); RETURN NULL; END $$;
             CREATE TRIGGER test_hold AFTER INSERT ON access_log FOR EACH ROW
                 WHEN (NEW.key_id = 'hold') EXECUTE FUNCTION test_hold();
             SELECT pg_advisory_lock({HOLD});"
        ))
        .await
        .unwrap();
    admin
}

/// An advisory lock as `pg_locks` shows it.
#[derive(Clone, Copy, Debug)]
enum Lock {
    /// A one-part key.
    Key(i64),
    /// Any token's quota lock (two-part key, first part [`sql::OWNER_LOCK_CLASS`]).
    Owner,
}

/// Waits until `n` transactions of this database (tests running at once share the
/// cluster) wait for `lock`, or fails at a deadline far beyond any
/// wait a correct run needs.
async fn waiting_for(observer: &Object, lock: Lock, n: i64) {
    let (key, class) = match lock {
        Lock::Key(key) => (Some(key), None),
        Lock::Owner => (None, Some(i64::from(sql::OWNER_LOCK_CLASS))),
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let waiting: i64 = observer
            .query_one(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                   AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND ((objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1)
                     OR (objsubid = 2 AND classid::bigint = $2))",
                &[&key, &class],
            )
            .await
            .unwrap()
            .get(0);
        if waiting == n {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{waiting} transactions wait for {lock:?}, expected {n}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn held_line() -> crate::store::LogLine {
    crate::store::LogLine::new(NOW, AccessAction::Create, Some("hold".into()), None, None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_on_two_instances_are_open_at_the_same_time() {
    let (_pg, a, b) = two_stores().await;
    let holder = hold_creates(&a).await;
    let on = |store: &PgStore, n| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .create_secret(secret(n, Some("tok"), 40), held_line(), Quotas::default())
                .await
        })
    };
    let (first, second) = (on(&a, 1), on(&b, 2));
    // Both creates are inside their transactions, past the quota check, at once: under a
    // lock that every create holds to its commit, the second would wait for the first.
    waiting_for(&holder, Lock::Key(HOLD), 2).await;
    holder
        .execute("SELECT pg_advisory_unlock($1)", &[&HOLD])
        .await
        .unwrap();
    for create in [first, second] {
        assert!(create.await.unwrap().unwrap().is_ok(), "both are created");
    }
}

/// `creates` concurrent creates spread over both instances, `bytes(n)` long each; returns
/// the sizes of those created and of those refused, with the quota each refusal named.
async fn race(
    stores: [&PgStore; 2],
    creates: u16,
    owner: Option<&str>,
    bytes: impl Fn(u16) -> usize,
    quotas: Quotas,
) -> (Vec<usize>, Vec<(usize, Quota)>) {
    let tries = (0..creates).map(|n| {
        let store = stores[usize::from(n % 2)].clone();
        let row = secret(n, owner, bytes(n));
        async move {
            let size = row.value.len();
            let made = store
                .create_secret(row, line(AccessAction::Create, 1), quotas)
                .await
                .expect("no fault");
            (size, made.err())
        }
    });
    let (mut made, mut refused) = (Vec::new(), Vec::new());
    // As many in flight as the two pools have connections: more would only queue for
    // one (and could outwait the pool on a busy machine).
    let outcomes: Vec<_> = stream::iter(tries)
        .buffer_unordered(2 * crate::config::DATABASE_POOL_SIZE_DEFAULT)
        .collect()
        .await;
    for (size, quota) in outcomes {
        match quota {
            None => made.push(size),
            Some(quota) => refused.push((size, quota)),
        }
    }
    (made, refused)
}

/// `max_connections` of the server: the margin the engine keeps for creates in flight.
async fn max_connections(store: &PgStore) -> u16 {
    let client = store.client().await.unwrap();
    let row = client
        .query_one("SELECT current_setting('max_connections')::int", &[])
        .await
        .unwrap();
    u16::try_from(row.get::<_, i32>(0)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_quota_holds_exactly_when_both_instances_race_across_it() {
    let (_pg, a, b) = two_stores().await;
    // Room for more than the margin, so the race runs from far below the quota (no lock
    // wait) through near it (each create alone) to beyond it.
    let room = max_connections(&a).await + 20;
    let quotas = Quotas {
        live_secrets: u64::from(room),
        ..Quotas::default()
    };
    let (made, refused) = race([&a, &b], room + 60, None, |_| 40, quotas).await;
    assert_eq!(
        made.len(),
        usize::from(room),
        "exactly the quota is created"
    );
    assert!(refused
        .iter()
        .all(|(_, q)| *q == Quota::RelaySecrets(u64::from(room))));
    let (secrets, bytes) = usage(&a, "").await;
    assert_eq!((secrets, bytes), (i64::from(room), i64::from(room) * 40));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_byte_quota_holds_when_both_instances_race_with_mixed_sizes() {
    let (_pg, a, b) = two_stores().await;
    let margin = usize::from(max_connections(&a).await) * super::create::FAST_BYTES;
    let limit = margin + 40 * 1024;
    let quotas = Quotas {
        live_bytes_per_token: u64::try_from(limit).unwrap(),
        ..Quotas::default()
    };
    // Mostly values small enough for the unlocked path, every seventh one larger.
    let size = |n: u16| {
        if n.is_multiple_of(7) {
            super::create::FAST_BYTES + 1000
        } else {
            super::create::FAST_BYTES - 5000
        }
    };
    let creates = u16::try_from(limit / (super::create::FAST_BYTES - 5000) + 40).unwrap();
    let (made, refused) = race([&a, &b], creates, Some("tok"), size, quotas).await;
    let used: usize = made.iter().sum();
    assert!(used <= limit, "{used} bytes kept under a quota of {limit}");
    assert!(!refused.is_empty());
    for (size, quota) in refused {
        assert_eq!(quota, Quota::TokenBytes(u64::try_from(limit).unwrap()));
        assert!(
            used + size > limit,
            "a {size}-byte value was refused with room left"
        );
    }
    assert_eq!(usage(&b, "tok").await.1, i64::try_from(used).unwrap());
}

/// Live secrets and bytes of `owner` (`""`: all) as the counters hold them.
async fn usage(store: &PgStore, owner: &str) -> (i64, i64) {
    let client = store.client().await.unwrap();
    let row = client.query_one(sql::USAGE, &[&owner]).await.unwrap();
    (row.get(0), row.get(1))
}

/// One secret committed, one create passing under the shared lock held in flight, one
/// more passing (it counts the one in flight in its margin), then one that might not fit
/// once the one in flight commits: it must wait for it under `lock`, exclusively, and only
/// then count. `quotas` leave exactly that room for `size`-byte values of `owner`.
async fn near_waits_for_in_flight(
    owner: Option<&'static str>,
    size: usize,
    quotas: Quotas,
    lock: Lock,
) {
    let (_pg, a, b) = two_stores().await;
    let create = |store: &PgStore, n, line| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .create_secret(secret(n, owner, size), line, quotas)
                .await
                .unwrap()
        })
    };
    let plain = || line(AccessAction::Create, 1);
    assert!(create(&a, 0, plain()).await.unwrap().is_ok());
    let holder = hold_creates(&a).await;
    let in_flight = create(&a, 1, held_line());
    waiting_for(&holder, Lock::Key(HOLD), 1).await;
    assert!(create(&b, 2, plain()).await.unwrap().is_ok());
    let near = create(&b, 3, plain());
    waiting_for(&holder, lock, 1).await;
    assert!(!near.is_finished());
    holder
        .execute("SELECT pg_advisory_unlock($1)", &[&HOLD])
        .await
        .unwrap();
    assert!(in_flight.await.unwrap().is_ok());
    assert!(near.await.unwrap().is_ok());
    let (secrets, bytes) = usage(&a, owner.unwrap_or("")).await;
    assert_eq!((secrets, bytes), (4, 4 * i64::try_from(size).unwrap()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_near_the_relay_quota_waits_for_the_creates_in_flight() {
    let others = u64::from(max_connections_of_shared().await - 1);
    let quotas = Quotas {
        live_secrets: others + 2,
        ..Quotas::default()
    };
    near_waits_for_in_flight(None, 40, quotas, Lock::Key(sql::QUOTA_LOCK)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_near_a_token_byte_quota_waits_for_its_creates_in_flight() {
    let others = u64::from(max_connections_of_shared().await - 1);
    let size = 1000;
    let fast = u64::try_from(super::create::FAST_BYTES).unwrap();
    let quotas = Quotas {
        live_bytes_per_token: others * fast + 2 * size,
        ..Quotas::default()
    };
    let size = usize::try_from(size).unwrap();
    near_waits_for_in_flight(Some("tok"), size, quotas, Lock::Owner).await;
}

/// `max_connections` of the binary's shared cluster.
async fn max_connections_of_shared() -> u16 {
    let (_pg, a, _) = two_stores().await;
    max_connections(&a).await
}
