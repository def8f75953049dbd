//! Exactly once: of any number of concurrent reveals of one key, exactly one gets the value.

use std::sync::Arc;

use hushlink_relay::{Client, NewSecret, RateLimit, RevealError, SecretText};

use crate::support::{http, share, TestRelay};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_reveals_yield_exactly_one_value() {
    let dir = tempfile::tempdir().unwrap();
    // 5,000 reveals from one address: a test of exactly-once, not of the rate limit.
    let mut config = crate::support::test_config(dir.path());
    config.rate_limit = RateLimit::Off;
    let relay = crate::support::open(config).await.unwrap();
    let client = Arc::new(Client::new("127.0.0.1".parse().unwrap(), None));
    for round in 0..5 {
        let value = format!("round {round}");
        let new = NewSecret {
            value: Some(SecretText::new(value.clone())),
            ..NewSecret::default()
        };
        let key = relay
            .create(new, None, &client)
            .await
            .unwrap()
            .receipt
            .secret_key
            .unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..1_000 {
            let (relay, key, client) = (relay.clone(), key.clone(), Arc::clone(&client));
            tasks.spawn(async move { relay.reveal(&key, None, &client).await });
        }
        let mut winners = Vec::new();
        let mut gone = 0;
        while let Some(joined) = tasks.join_next().await {
            match joined.unwrap() {
                Ok(revealed) => winners.push(revealed.value.expose().to_owned()),
                Err(RevealError::Unknown) => gone += 1,
                Err(other) => panic!("round {round}: unexpected {other:?}"),
            }
        }
        assert_eq!(
            winners,
            vec![value],
            "round {round}: exactly one reveal wins"
        );
        assert_eq!(
            gone, 999,
            "round {round}: every other caller is told it is gone"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_http_reveals_yield_exactly_one_value() {
    let relay = TestRelay::start(|_| {}).await;
    let client = http();
    for round in 0..3 {
        let (key, _) = share(&relay, &[("secret", "over http")]).await;
        let url = relay.api(&format!("/api/v1/secret/{key}"));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..100 {
            let (client, url) = (client.clone(), url.clone());
            tasks.spawn(async move { client.post(url).send().await.unwrap().status().as_u16() });
        }
        let mut statuses = Vec::new();
        while let Some(status) = tasks.join_next().await {
            statuses.push(status.unwrap());
        }
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "round {round}: {statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 404).count(),
            99,
            "round {round}"
        );
    }
}
