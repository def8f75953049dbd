//! Two relays (`Relay::open_on_postgres`) on one PostgreSQL database, through the operations
//! the HTTP layer calls: issue 18's guarantees where requests land on either instance.

use std::sync::Arc;
use std::time::Duration;

use hushlink_protocol::SecretText;
use hushlink_testkit::TestPostgres;

use crate::access_log::Client;
use crate::clock::Clock;
use crate::config::RelayConfig;
use crate::model::NewSecret;
use crate::operations::Relay;
use crate::RevealError;

/// Two relays on a fresh database of the shared cluster (and the cluster, kept alive).
async fn two_relays(dir: &std::path::Path) -> (Arc<TestPostgres>, Relay, Relay) {
    let pg = tokio::task::spawn_blocking(TestPostgres::shared)
        .await
        .unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, pg.ca_pem()).unwrap();
    let url = format!("{}&sslrootcert={}", pg.new_database(), ca.display());
    let config = RelayConfig::for_tests(dir);
    let (a, b) = tokio::join!(
        Relay::open_on_postgres(config.clone(), Clock::system(), &url),
        Relay::open_on_postgres(config, Clock::system(), &url),
    );
    (pg, a.unwrap(), b.unwrap())
}

fn client() -> Client {
    Client::new("127.0.0.1".parse().unwrap(), None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reveals_and_guesses_spread_over_two_relays_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_pg, a, b) = two_relays(dir.path()).await;
    let created = a
        .create(
            NewSecret {
                value: Some(SecretText::new("the vault code")),
                ..NewSecret::default()
            },
            None,
            &client(),
        )
        .await
        .unwrap();
    let key = created.receipt.secret_key.unwrap();
    let reveals = (0..20).map(|i| {
        let relay = if i % 2 == 0 { a.clone() } else { b.clone() };
        let key = key.clone();
        async move { relay.reveal(&key, None, &client()).await }
    });
    let results = futures_util::future::join_all(reveals).await;
    let shown: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(shown.len(), 1, "one reveal of twenty, across two relays");
    assert_eq!(shown[0].value.expose(), "the vault code");
    assert!(results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .all(|e| matches!(e, RevealError::Unknown)));

    let guarded = a
        .create(
            NewSecret {
                value: Some(SecretText::new("behind a passphrase")),
                passphrase: Some(SecretText::new("right horse")),
                ..NewSecret::default()
            },
            None,
            &client(),
        )
        .await
        .unwrap()
        .receipt
        .secret_key
        .unwrap();
    let mut left = Vec::new();
    for i in 0..5 {
        let relay = if i % 2 == 0 { &a } else { &b };
        let guess = SecretText::new(format!("wrong {i}"));
        match relay.reveal(&guarded, Some(&guess), &client()).await {
            Err(RevealError::WrongPassphrase { attempts_left }) => left.push(attempts_left),
            Err(RevealError::BurnedAfterAttempts) => left.push(0),
            other => panic!("{:?}", other.map(|r| r.e2e)),
        }
    }
    assert_eq!(
        left,
        [4, 3, 2, 1, 0],
        "five guesses over two relays burn it"
    );
    assert!(b
        .reveal(&guarded, Some(&SecretText::new("right horse")), &client())
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_revoked_on_one_relay_is_refused_by_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let (_pg, a, b) = two_relays(dir.path()).await;
    let issued = a.tokens().issue("sam").await.unwrap();
    let password = issued.token.expose().to_owned();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while b.tokens().verify("sam", &password).is_none() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "b learns of the token"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(a.tokens().revoke_named("sam").await.unwrap() == 1);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    while b.tokens().verify("sam", &password).is_some() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "b refuses the revoked token within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
