//! The PostgreSQL engine through the [`Storage`] interface the operations use, on a real
//! server (`hushlink_testkit::TestPostgres`), with two `PgStore`s standing in for two relay
//! instances on one database.

use std::sync::Arc;

use hushlink_testkit::TestPostgres;

use super::PgStore;
use crate::access_log::{AccessAction, AccessLogFilter};
use crate::config::Quotas;
use crate::model::{Quota, SecretKind, StoredState};
use crate::seal::ValueSeal;
use crate::store::{Attempt, LogLine, NewRow, Reservation, Storage, Take, TokenRow};
use crate::Error;

pub(super) const NOW: i64 = 1_700_000_000;
pub(super) const TTL: i64 = 600;

/// Two instances on a fresh database of the binary's shared cluster, as the operations
/// see them, and the second's engine (for its token-change hook).
async fn two_instances() -> (
    Arc<TestPostgres>,
    Arc<dyn Storage>,
    Arc<dyn Storage>,
    PgStore,
) {
    let pg = tokio::task::spawn_blocking(TestPostgres::shared)
        .await
        .unwrap();
    let url = with_root(&pg.new_database(), &pg);
    let (a, b) = tokio::join!(PgStore::open(&url), PgStore::open(&url));
    let b = b.unwrap();
    (pg, Arc::new(a.unwrap()), Arc::new(b.clone()), b)
}

/// `url` naming the kit's CA as `sslrootcert` (the engine reads it again on reconnects).
pub(super) fn with_root(url: &str, pg: &TestPostgres) -> String {
    format!("{url}&sslrootcert={}", pg.ca_path().display())
}

/// Waits until the instance's token listener is connected (it bumps once then).
async fn listening(changes: &mut tokio::sync::watch::Receiver<u64>) {
    tokio::time::timeout(
        std::time::Duration::from_secs(5),
        changes.wait_for(|n| *n > 0),
    )
    .await
    .expect("the token listener connects")
    .unwrap();
    changes.borrow_and_update();
}

fn row(n: u8, owner: Option<&str>, passphrase: bool) -> NewRow {
    NewRow {
        secret_id: [n; 32],
        receipt_id: [n.wrapping_add(100); 32],
        value: vec![n; 40],
        seal: ValueSeal::Link,
        note: None,
        passphrase: passphrase.then(|| "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA".to_owned()),
        e2e: false,
        kind: SecretKind::Conceal,
        owner: owner.map(str::to_owned),
        sealed_secret_key: vec![9; 80],
        ttl: TTL,
        now: NOW,
    }
}

pub(super) fn line(action: AccessAction, n: u8) -> LogLine {
    LogLine::new(
        NOW,
        action,
        Some(format!("key{n}")),
        Some("10.0.0.7".into()),
        None,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_created_on_one_instance_is_revealed_once_across_both() {
    let (_pg, a, b, _) = two_instances().await;
    let mut feed = b.subscribe_log();
    for n in 1..=10 {
        let stored = a
            .create_secret(
                row(n, Some("tok"), false),
                line(AccessAction::Create, n),
                Quotas::default(),
            )
            .await
            .unwrap()
            .expect("within the quotas");
        assert_eq!(stored.state, StoredState::New);
    }
    let races = (1..=10u8).flat_map(|n| {
        [a.clone(), b.clone(), a.clone(), b.clone()].map(|store| async move {
            let taken = store
                .take_secret(
                    [n; 32],
                    NOW,
                    false,
                    "10.0.0.8".into(),
                    line(AccessAction::Reveal, n),
                )
                .await
                .unwrap();
            matches!(taken, Take::Taken(t) if t.value == vec![n; 40])
        })
    });
    let wins = futures_util::future::join_all(races)
        .await
        .into_iter()
        .filter(|&won| won)
        .count();
    assert_eq!(wins, 10, "one reveal per secret across both instances");
    let receipt = b.receipt([101; 32], NOW).await.unwrap().unwrap();
    assert_eq!(receipt.state, StoredState::Received);
    assert_eq!(receipt.received_ip.as_deref(), Some("10.0.0.8"));
    assert!(receipt.sealed_secret_key.is_empty());
    let heard = feed.recv().await.unwrap();
    assert_eq!(
        heard.action,
        AccessAction::Reveal,
        "b announces its own committed lines"
    );
    let reveals = a
        .query_log(AccessLogFilter {
            action: Some(AccessAction::Reveal),
            ..AccessLogFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(reveals.len(), 10, "one log for all instances");
    assert!(reveals.iter().all(|l| l.token_name.as_deref().is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_spread_over_instances_burn_after_the_limit() {
    let (_pg, a, b, _) = two_instances().await;
    a.create_secret(
        row(1, None, true),
        line(AccessAction::Create, 1),
        Quotas::default(),
    )
    .await
    .unwrap()
    .unwrap();
    assert!(matches!(
        b.take_secret(
            [1; 32],
            NOW,
            false,
            "x".into(),
            line(AccessAction::Reveal, 1)
        )
        .await
        .unwrap(),
        Take::NeedsPassphrase
    ));
    let mut outcomes = Vec::new();
    for guess in 0..6 {
        let store = if guess % 2 == 0 { &a } else { &b };
        match store.reserve_attempt([1; 32], NOW, 5).await.unwrap() {
            Reservation::Reserved(n) => outcomes.push(
                store
                    .fail_attempt(
                        [1; 32],
                        NOW,
                        n,
                        5,
                        line(AccessAction::FailedPassphrase, 1),
                        line(AccessAction::Burn, 1),
                    )
                    .await
                    .unwrap(),
            ),
            other => assert_eq!(
                other,
                Reservation::Gone,
                "after the burn the secret is gone"
            ),
        }
    }
    assert_eq!(
        outcomes,
        [1, 2, 3, 4]
            .map(Attempt::Counted)
            .into_iter()
            .chain([Attempt::Burned])
            .collect::<Vec<_>>()
    );
    let receipt = a.receipt([101; 32], NOW).await.unwrap().unwrap();
    assert_eq!(receipt.state, StoredState::Burned);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quotas_tokens_and_sweeps_are_shared_by_the_instances() {
    let (_pg, a, b, b_engine) = two_instances().await;
    let quotas = Quotas {
        live_secrets_per_token: 3,
        ..Quotas::default()
    };
    let mut refused = None;
    for n in 1..=4 {
        let store = if n % 2 == 0 { &a } else { &b };
        if let Err(quota) = store
            .create_secret(
                row(n, Some("tok"), false),
                line(AccessAction::Create, n),
                quotas,
            )
            .await
            .unwrap()
        {
            refused = Some((n, quota));
        }
    }
    assert_eq!(refused, Some((4, Quota::TokenSecrets(3))));

    let mut changes = b_engine.token_changes();
    listening(&mut changes).await;
    let token = TokenRow {
        id: "t1".into(),
        name: "sam".into(),
        hash: [7; 32],
        created_at: NOW,
        revoked_at: None,
    };
    assert!(a.insert_token(token.clone()).await.unwrap());
    tokio::time::timeout(std::time::Duration::from_secs(1), changes.changed())
        .await
        .expect("the other instance hears of a new token within a second")
        .unwrap();
    assert!(!b
        .insert_token(TokenRow {
            id: "t2".into(),
            ..token
        })
        .await
        .unwrap());
    assert_eq!(
        b.revoke_tokens_named("sam".into(), NOW).await.unwrap(),
        ["t1"]
    );
    let listed = b.list_tokens().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].revoked_at.is_some());

    let swept = (
        a.sweep(NOW + TTL, 0, 100).await.unwrap(),
        b.sweep(NOW + TTL, 0, 100).await.unwrap(),
    );
    assert_eq!(swept.0.secrets + swept.1.secrets, 3, "each expired once");
    assert_eq!(a.counts(NOW + TTL).await.unwrap(), (0, 3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_database_fails_requests_fast_and_they_recover_by_themselves() {
    let pg = Arc::new(
        tokio::task::spawn_blocking(TestPostgres::start)
            .await
            .unwrap(),
    );
    let store = PgStore::open(&with_root(&pg.url(), &pg)).await.unwrap();
    let mut tokens = store.token_changes();
    listening(&mut tokens).await;
    let storage: &dyn Storage = &store;
    storage
        .create_secret(
            row(1, None, false),
            line(AccessAction::Create, 1),
            Quotas::default(),
        )
        .await
        .unwrap()
        .unwrap();
    tokio::task::spawn_blocking({
        let pg = pg.clone();
        move || pg.stop()
    })
    .await
    .unwrap();
    let started = std::time::Instant::now();
    let failed = storage.peek_secret([1; 32], NOW).await;
    assert!(
        matches!(failed, Err(Error::DatabaseUnavailable(_))),
        "{failed:?}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "fails fast"
    );
    assert!(
        storage.counts(NOW).await.is_err(),
        "the status page's counts report the database down"
    );
    tokio::task::spawn_blocking({
        let pg = pg.clone();
        move || pg.start_again()
    })
    .await
    .unwrap();
    let mut peeked = storage.peek_secret([1; 32], NOW).await;
    for _ in 0..3 {
        if peeked.is_ok() {
            break;
        }
        // A pooled connection broken by the restart is found closed and replaced.
        peeked = storage.peek_secret([1; 32], NOW).await;
    }
    assert!(peeked.unwrap().is_some(), "the same store answers again");
    storage.counts(NOW).await.expect("and report it back");
    tokio::time::timeout(std::time::Duration::from_secs(5), tokens.changed())
        .await
        .expect("the token listener reconnects and says so")
        .unwrap();
}
