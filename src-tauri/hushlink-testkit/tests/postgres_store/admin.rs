//! Migrations, quotas, tokens and invites across instances.

use futures_util::future::join_all;
use tokio_postgres::Client;

use crate::support::{count, id, Db, NOW, TTL};
use crate::{schema, sql};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_run_once_when_instances_start_together() {
    let db = Db::empty().await;
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

/// One create as an instance runs it near the quota: both quota locks exclusively, then
/// the check and the insert in one statement.
async fn create_within(client: &mut Client, n: usize, max_secrets: i64) -> bool {
    let tx = client.transaction().await.unwrap();
    tx.execute(sql::LOCK, &[&sql::QUOTA_LOCK]).await.unwrap();
    tx.execute(sql::OWNER_LOCK, &[&sql::OWNER_LOCK_CLASS, &"tok"])
        .await
        .unwrap();
    let made = tx
        .query_one(
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
                &None::<Vec<u8>>,
                &max_secrets,
                &i64::MAX,
                &i64::MAX,
                &i64::MAX,
                &true,
                &true,
                &16_384i64,
            ],
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let created: bool = made.get(0);
    let over: bool = made.get(1);
    assert_eq!(created, !over, "refused only for the token's secrets");
    created
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

/// Stores token `token` and a pending invite for it, expiring at `expires_at`.
async fn invite(client: &Client, n: usize, token: &str, expires_at: i64) {
    client
        .execute(
            sql::INSERT_TOKEN,
            &[&token, &format!("name of {token}"), &id(5, n), &NOW],
        )
        .await
        .unwrap();
    client
        .execute(
            sql::INSERT_INVITE,
            &[
                &format!("inv{n}"),
                &id(6, n),
                &token,
                &vec![3u8; 80],
                &NOW,
                &expires_at,
            ],
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_is_accepted_once_and_withdrawing_or_expiring_revokes_its_token() {
    let db = Db::new().await;
    let instances = db.instances(4).await;
    let client = &instances[0];
    invite(client, 0, "t0", NOW + TTL).await;
    invite(client, 1, "t1", NOW + TTL).await;
    invite(client, 2, "t2", NOW + 60).await;

    let accepts = instances.iter().map(|client| async move {
        client
            .query_opt(sql::ACCEPT_INVITE, &[&id(6, 0), &NOW, &"10.0.0.9"])
            .await
            .unwrap()
            .map(|row| row.get::<_, Vec<u8>>(0))
    });
    let taken: Vec<Vec<u8>> = join_all(accepts).await.into_iter().flatten().collect();
    assert_eq!(
        taken,
        [vec![3u8; 80]],
        "one accept takes the sealed payload"
    );
    let refusal = client
        .query_one(sql::INVITE_REFUSAL, &[&id(6, 0)])
        .await
        .unwrap();
    assert_eq!(refusal.get::<_, &str>(0), "accepted");
    assert_eq!(
        count(
            client,
            "SELECT count(*) FROM invites WHERE octet_length(sealed) > 0"
        )
        .await,
        2,
        "the accepted invite's payload is emptied"
    );

    let withdrawn = client
        .query_opt(sql::WITHDRAW_INVITE, &[&"inv1", &NOW])
        .await
        .unwrap()
        .map(|row| row.get::<_, String>(0));
    assert_eq!(withdrawn.as_deref(), Some("t1"));
    let expired: Vec<String> = client
        .query(sql::EXPIRE_INVITES, &[&(NOW + 61)])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(expired, ["t2"]);
    assert_eq!(
        count(
            client,
            "SELECT count(*) FROM tokens WHERE revoked_at IS NOT NULL AND id IN ('t1', 't2')"
        )
        .await,
        2,
        "withdrawing and expiring revoke the invites' tokens in the same statement"
    );
    let states: Vec<String> = client
        .query(sql::LIST_INVITES, &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(5))
        .collect();
    assert_eq!(states, ["accepted", "withdrawn", "expired"]);
    assert!(client
        .query_opt(sql::INVITE_IS_PENDING, &[&id(6, 2), &NOW])
        .await
        .unwrap()
        .is_none());
    client
        .execute(sql::FORGET_INVITES, &[&(NOW + TTL)])
        .await
        .unwrap();
    assert_eq!(count(client, "SELECT count(*) FROM invites").await, 0);
}
