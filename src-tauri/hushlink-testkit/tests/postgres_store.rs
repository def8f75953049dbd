//! The relay's PostgreSQL schema and statements (`hushlink-relay/src/store_pg`) against a
//! real server, with many connections at once standing in for many relay instances: the
//! migrations run once, and each guarantee of issue 18 holds under concurrency (a reveal
//! exactly once, passphrase attempts counted across connections, burn against reveal,
//! sweeps sharing work, quotas, one live token per name, an invite accepted once).
//!
//! Until the relay declares `store_pg` (issue 18, phase 2), these files are compiled here by
//! path: they use only `tokio_postgres`. Once the relay's own tests run its engine on
//! PostgreSQL, this file moves there.

#[path = "../../hushlink-relay/src/store_pg/schema.rs"]
#[allow(dead_code)]
mod schema;
#[path = "../../hushlink-relay/src/store_pg/sql.rs"]
#[allow(dead_code)]
mod sql;

use std::sync::Arc;

use futures_util::future::join_all;
use futures_util::{stream, StreamExt};
use hushlink_testkit::TestPostgres;
use tokio::sync::mpsc;
use tokio_postgres::types::ToSql;
use tokio_postgres::{AsyncMessage, Client};
use tokio_postgres_rustls::MakeRustlsConnect;

const NOW: i64 = 1_700_000_000;
const TTL: i64 = 3_600;

struct Db {
    _pg: Arc<TestPostgres>,
    url: String,
    ca: Vec<u8>,
}

impl Db {
    /// A fresh database on the shared cluster, migrated.
    async fn new() -> Self {
        let pg = tokio::task::spawn_blocking(TestPostgres::shared)
            .await
            .unwrap();
        let url = pg.new_database();
        let db = Self {
            ca: pg.ca_der().to_vec(),
            _pg: pg,
            url,
        };
        schema::migrate(&mut db.connect().await)
            .await
            .expect("migrates");
        db
    }

    async fn connect(&self) -> Client {
        let (client, connection) = tokio_postgres::connect(&self.url, tls(&self.ca))
            .await
            .expect("connects");
        tokio::spawn(connection);
        client
    }

    /// A connection whose notifications arrive on the receiver (channel names), as an
    /// instance's token-cache listener gets them.
    async fn listener(&self) -> (Client, mpsc::UnboundedReceiver<String>) {
        let (client, mut connection) = tokio_postgres::connect(&self.url, tls(&self.ca))
            .await
            .expect("connects");
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut messages = stream::poll_fn(move |cx| connection.poll_message(cx));
            while let Some(Ok(message)) = messages.next().await {
                if let AsyncMessage::Notification(n) = message {
                    let _ = tx.send(n.channel().to_owned());
                }
            }
        });
        (client, rx)
    }

    /// `n` connections: stand-ins for as many relay instances.
    async fn instances(&self, n: usize) -> Vec<Arc<Client>> {
        let mut out = Vec::new();
        for _ in 0..n {
            out.push(Arc::new(self.connect().await));
        }
        out
    }
}

/// A TLS connector trusting the kit's CA.
fn tls(ca_der: &[u8]) -> MakeRustlsConnect {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca_der.to_vec().into()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    MakeRustlsConnect::new(config)
}

fn id(tag: u8, n: usize) -> Vec<u8> {
    let mut id = vec![tag; 32];
    id[..8].copy_from_slice(&(n as u64).to_be_bytes());
    id
}

/// Creates secret `n` (owner `owner`, passphrase column `passphrase`), as the relay does.
async fn create(db: &Client, n: usize, owner: Option<&str>, passphrase: Option<&str>) {
    db.execute(
        sql::CREATE,
        &[
            &id(1, n),
            &id(2, n),
            &vec![9u8; 60],
            &passphrase,
            &owner,
            &"conceal",
            &false,
            &TTL,
            &NOW,
            &(NOW + TTL),
            &(NOW + 2 * TTL),
            &vec![7u8; 100],
            &2i16,
            &format!("key{n}"),
            &None::<String>,
            &None::<String>,
            &owner.map(|o| format!("token of {o}")),
        ],
    )
    .await
    .expect("creates");
}

async fn count(db: &Client, sql: &str) -> i64 {
    db.query_one(sql, &[]).await.unwrap().get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_run_once_when_instances_start_together() {
    let pg = tokio::task::spawn_blocking(TestPostgres::shared)
        .await
        .unwrap();
    let db = Db {
        url: pg.new_database(),
        ca: pg.ca_der().to_vec(),
        _pg: pg,
    };
    let mut clients = Vec::new();
    for _ in 0..3 {
        clients.push(db.connect().await);
    }
    let found: Vec<i64> = join_all(clients.iter_mut().map(schema::migrate))
        .await
        .into_iter()
        .map(|r| r.expect("every instance starts"))
        .collect();
    assert_eq!(
        found.iter().filter(|&&v| v == 0).count(),
        1,
        "one instance migrated, the others found it done: {found:?}"
    );
    assert!(found
        .iter()
        .all(|&v| v == 0 || v == schema::latest_version()));
    let client = &mut clients[0];
    assert_eq!(
        schema::migrate(client).await.unwrap(),
        schema::latest_version()
    );
    client
        .execute("UPDATE hushlink_schema SET version = 99", &[])
        .await
        .unwrap();
    assert!(
        matches!(
            schema::migrate(client).await,
            Err(schema::MigrateError::TooNew { found: 99, .. })
        ),
        "a newer schema stops the instance"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_secret_is_revealed_once_however_many_instances_race() {
    let db = Db::new().await;
    let instances = db.instances(6).await;
    const SECRETS: usize = 20;
    for n in 0..SECRETS {
        create(&instances[0], n, Some("tok1"), None).await;
    }
    let tries = (0..SECRETS).flat_map(|n| {
        instances.iter().map(move |client| {
            let client = Arc::clone(client);
            async move {
                let rows = client
                    .query(
                        sql::TAKE,
                        &[
                            &id(1, n),
                            &NOW,
                            &false,
                            &"10.0.0.1",
                            &format!("key{n}"),
                            &"ua",
                        ],
                    )
                    .await
                    .expect("a losing reveal is no error");
                (n, rows)
            }
        })
    });
    let mut wins = [0; SECRETS];
    for (n, rows) in join_all(tries).await {
        for row in rows {
            assert_eq!(row.get::<_, Vec<u8>>(0), vec![7u8; 100], "the sealed value");
            assert_eq!(row.get::<_, i16>(1), 2);
            wins[n] += 1;
        }
    }
    assert_eq!(wins, [1; SECRETS], "exactly one reveal per secret");
    let client = &instances[0];
    assert_eq!(count(client, "SELECT count(*) FROM secret_values").await, 0);
    assert_eq!(
        count(
            client,
            "SELECT coalesce(sum(secrets), 0)::bigint FROM live_usage"
        )
        .await,
        0,
        "the usage counters followed the reveals"
    );
    assert_eq!(
        count(
            client,
            "SELECT count(*) FROM access_log WHERE action = 'reveal' AND token_name = 'token of tok1'"
        )
        .await,
        SECRETS as i64,
        "one reveal line each, naming the creating token"
    );
    assert_eq!(
        count(client, "SELECT count(*) FROM secrets WHERE state = 'received' AND octet_length(secret_key) = 0").await,
        SECRETS as i64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passphrase_attempts_are_counted_across_instances_and_the_last_burns() {
    let db = Db::new().await;
    let instances = db.instances(4).await;
    create(
        &instances[0],
        0,
        None,
        Some("$argon2id$v=19$m=8,t=1,p=1$c2FsdA"),
    )
    .await;
    create(
        &instances[0],
        1,
        None,
        Some("$argon2id$v=19$m=8,t=1,p=1$c2FsdA"),
    )
    .await;
    let reserves = (0..40).map(|i| {
        let client = Arc::clone(&instances[i % instances.len()]);
        async move {
            client
                .query_opt(sql::RESERVE_ATTEMPT, &[&id(1, 0), &NOW, &5i32])
                .await
                .unwrap()
                .map(|row| row.get::<_, i32>(0))
        }
    });
    let mut reserved: Vec<i32> = join_all(reserves).await.into_iter().flatten().collect();
    reserved.sort_unstable();
    assert_eq!(reserved, [1, 2, 3, 4, 5], "40 guesses, 5 checks in all");

    // The fifth wrong answer burns; a right passphrase racing it cannot also reveal.
    let secret = id(1, 0);
    let burn = async {
        let params: [&(dyn ToSql + Sync); 5] = [&secret, &NOW, &"key0", &"10.0.0.2", &"ua"];
        instances[1].query(sql::BURN_AFTER_ATTEMPTS, &params).await
    };
    let take = async {
        let params: [&(dyn ToSql + Sync); 6] = [&secret, &NOW, &true, &"10.0.0.3", &"key0", &"ua"];
        instances[2].query(sql::TAKE, &params).await
    };
    let (burned, taken) = tokio::join!(burn, take);
    assert_eq!(
        burned.unwrap().len() + taken.unwrap().len(),
        1,
        "burn and reveal: exactly one wins"
    );
    // Without the passphrase checked, a passphrase secret is never taken.
    let refused = instances[0]
        .query(
            sql::TAKE,
            &[&id(1, 1), &NOW, &false, &"10.0.0.4", &"key1", &"ua"],
        )
        .await
        .unwrap();
    assert!(refused.is_empty());
    instances[0]
        .execute(sql::RESERVE_ATTEMPT, &[&id(1, 1), &NOW, &5i32])
        .await
        .unwrap();
    instances[0]
        .execute(sql::RELEASE_ATTEMPT, &[&id(1, 1)])
        .await
        .unwrap();
    assert_eq!(
        count(&instances[0], "SELECT failed_attempts::bigint FROM secrets WHERE kind = 'conceal' ORDER BY id DESC LIMIT 1").await,
        0,
        "a released reservation is given back"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sender_burns_or_the_recipient_reveals_never_both() {
    let db = Db::new().await;
    let instances = db.instances(2).await;
    const SECRETS: usize = 30;
    for n in 0..SECRETS {
        create(&instances[0], n, None, None).await;
    }
    let races = (0..SECRETS).map(|n| {
        let (a, b) = (Arc::clone(&instances[0]), Arc::clone(&instances[1]));
        async move {
            let (secret, receipt, key) = (id(1, n), id(2, n), format!("key{n}"));
            let burn = async {
                let params: [&(dyn ToSql + Sync); 5] = [&receipt, &NOW, &"10.0.0.5", &"ua", &key];
                a.query(sql::BURN, &params).await
            };
            let take = async {
                let params: [&(dyn ToSql + Sync); 6] =
                    [&secret, &NOW, &false, &"10.0.0.6", &key, &"ua"];
                b.query(sql::TAKE, &params).await
            };
            let (burned, taken) = tokio::join!(burn, take);
            let burned = burned.unwrap();
            if let Some(row) = burned.first() {
                assert_eq!(row.get::<_, &str>(4), "burned");
                assert_eq!(row.get::<_, &str>(5), "sender");
            }
            burned.len() + taken.unwrap().len()
        }
    });
    assert!(
        join_all(races).await.into_iter().all(|wins| wins == 1),
        "every race has exactly one winner"
    );
    let client = &instances[0];
    assert_eq!(
        count(
            client,
            "SELECT count(*) FROM secrets WHERE state IN ('burned', 'received')"
        )
        .await,
        SECRETS as i64
    );
    assert_eq!(
        count(
            client,
            "SELECT count(*) FROM access_log WHERE action IN ('burn', 'reveal')"
        )
        .await,
        SECRETS as i64,
        "one line per outcome"
    );
}

/// One sweep turn as an instance runs it: `None` when another instance's sweep holds the
/// turn, else how many secrets it expired.
async fn sweep(client: &mut Client, now: i64) -> Option<usize> {
    let tx = client.transaction().await.unwrap();
    let turn: bool = tx
        .query_one(sql::TRY_LOCK, &[&sql::SWEEP_LOCK])
        .await
        .unwrap()
        .get(0);
    if !turn {
        return None;
    }
    let rows = tx.query(sql::EXPIRE_SECRETS, &[&now, &7i64]).await.unwrap();
    let keys: Vec<String> = rows
        .iter()
        .map(|row| format!("key-of-{}", row.get::<_, i64>(0)))
        .collect();
    tx.execute(sql::LOG_EXPIRED, &[&now, &keys]).await.unwrap();
    tx.execute(sql::DELETE_RECEIPTS, &[&now, &7i64])
        .await
        .unwrap();
    tx.execute(sql::DELETE_LOG, &[&(now - 86_400), &7i64])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    Some(rows.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweepers_on_every_instance_expire_each_secret_once() {
    let db = Db::new().await;
    let creator = db.connect().await;
    const SECRETS: usize = 40;
    for n in 0..SECRETS {
        create(&creator, n, Some("tok"), None).await;
    }
    let after_ttl = NOW + TTL;
    let sweepers = (0..3).map(|_| async {
        let mut client = db.connect().await;
        let mut expired = 0;
        loop {
            match sweep(&mut client, after_ttl).await {
                Some(0) => break,
                Some(n) => expired += n,
                None => tokio::task::yield_now().await,
            }
        }
        expired
    });
    let expired: usize = join_all(sweepers).await.into_iter().sum();
    assert_eq!(expired, SECRETS, "each secret expired once in all");
    assert_eq!(
        count(
            &creator,
            "SELECT count(*) FROM access_log WHERE action = 'expire'"
        )
        .await,
        SECRETS as i64
    );
    assert_eq!(
        count(
            &creator,
            "SELECT coalesce(sum(secrets), 0)::bigint FROM live_usage"
        )
        .await,
        0
    );
    // Past 2 x TTL the receipts go too, a bounded batch per turn.
    let mut client = db.connect().await;
    for _ in 0..SECRETS {
        sweep(&mut client, NOW + 2 * TTL).await;
    }
    assert_eq!(count(&creator, "SELECT count(*) FROM secrets").await, 0);
}

/// One create as an instance runs it: the quota lock, the check, the insert.
async fn create_within(client: &mut Client, n: usize, max_secrets: i64) -> bool {
    let tx = client.transaction().await.unwrap();
    tx.execute(sql::LOCK, &[&sql::QUOTA_LOCK]).await.unwrap();
    let used: i64 = tx.query_one(sql::USAGE, &[&"tok"]).await.unwrap().get(0);
    if used >= max_secrets {
        return false;
    }
    tx.execute(
        sql::CREATE,
        &[
            &id(1, n),
            &id(2, n),
            &vec![9u8; 60],
            &None::<String>,
            &Some("tok"),
            &"generate",
            &true,
            &TTL,
            &NOW,
            &(NOW + TTL),
            &(NOW + 2 * TTL),
            &vec![7u8; 44],
            &1i16,
            &format!("key{n}"),
            &None::<String>,
            &None::<String>,
            &Some("tok name"),
        ],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quota_holds_across_instances_creating_at_once_and_tokens_stay_unique() {
    let db = Db::new().await;
    let mut clients = Vec::new();
    for _ in 0..4 {
        clients.push(db.connect().await);
    }
    let creates = clients
        .iter_mut()
        .enumerate()
        .map(|(i, client)| async move {
            let mut made = 0;
            for k in 0..5 {
                made += usize::from(create_within(client, i * 10 + k, 7).await);
            }
            made
        });
    let made: usize = join_all(creates).await.into_iter().sum();
    assert_eq!(made, 7, "20 creates against a quota of 7");
    let usage = clients[0].query_one(sql::USAGE, &[&""]).await.unwrap();
    assert_eq!(
        (usage.get::<_, i64>(0), usage.get::<_, i64>(1)),
        (7, 7 * 44),
        "the total counts secrets and sealed bytes"
    );

    // One live token per name, whichever instance issues it; every instance hears of it.
    let (listener, mut heard) = db.listener().await;
    listener
        .batch_execute(&format!("LISTEN {}", schema::TOKENS_CHANNEL))
        .await
        .unwrap();
    let issues = clients[..3]
        .iter()
        .enumerate()
        .map(|(i, client)| async move {
            client
                .query_opt(
                    sql::INSERT_TOKEN,
                    &[&format!("id{i}"), &"sam", &vec![i as u8; 32], &NOW],
                )
                .await
                .unwrap()
                .is_some()
        });
    let issued = join_all(issues).await.into_iter().filter(|&ok| ok).count();
    assert_eq!(issued, 1, "one of three concurrent issues of a name wins");
    assert_eq!(
        heard.recv().await.as_deref(),
        Some(schema::TOKENS_CHANNEL),
        "another instance hears that the tokens changed"
    );
    let revoked = clients[0]
        .query(sql::REVOKE_TOKENS_NAMED, &[&"sam", &NOW])
        .await
        .unwrap();
    assert_eq!(revoked.len(), 1);
    assert!(
        clients[1]
            .query_opt(sql::INSERT_TOKEN, &[&"id9", &"sam", &vec![9u8; 32], &NOW])
            .await
            .unwrap()
            .is_some(),
        "the name is free again once revoked"
    );
}
