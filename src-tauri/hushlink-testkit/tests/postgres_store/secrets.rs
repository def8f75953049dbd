//! Secrets: a reveal exactly once, attempts counted across instances, burn against reveal,
//! sweeps that take turns.

use std::sync::Arc;

use futures_util::future::join_all;
use tokio_postgres::types::ToSql;
use tokio_postgres::Client;

use crate::sql;
use crate::support::{count, create, id, Db, NOW, TTL};

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
                            &"10.0.0.1",
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
        let params: [&(dyn ToSql + Sync); 7] = [
            &secret,
            &NOW,
            &true,
            &"10.0.0.3",
            &"key0",
            &"ua",
            &"10.0.0.3",
        ];
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
            &[
                &id(1, 1),
                &NOW,
                &false,
                &"10.0.0.4",
                &"key1",
                &"ua",
                &"10.0.0.4",
            ],
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
                let params: [&(dyn ToSql + Sync); 7] = [
                    &secret,
                    &NOW,
                    &false,
                    &"10.0.0.6",
                    &key,
                    &"ua",
                    &None::<String>,
                ];
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
