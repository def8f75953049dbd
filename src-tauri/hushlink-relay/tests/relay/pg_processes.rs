//! Several real `hushlink-relay` processes on one PostgreSQL database (issue 18): 200
//! concurrent reveals of each of 100 secrets spread over three instances give one success
//! per secret; passphrase guesses spread over instances burn after five in all; a token
//! revoked through one instance is refused by another within a second. Faults (`kill -9`,
//! PostgreSQL restarted) are in `pg_processes_faults`.
//!
//! PostgreSQL-only: they run with `HUSHLINK_TEST_ENGINE=postgres` (the phase of
//! `scripts/test` that runs the suite on PostgreSQL).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::sync::Semaphore;

use crate::pg_common::{Db, Run};
use crate::support::binary::{self, Headless};
use crate::support::{http, json, postgres_only};

/// Why these tests skip on SQLite.
pub const WHY: &str = "relay processes sharing one PostgreSQL database";

/// `n` relay processes serving `db`, each with its own data directory under `dir`, started
/// at once (so they also migrate at once, under the advisory lock).
pub async fn instances(db: &Arc<Db>, dir: &Path, n: usize) -> Vec<Headless> {
    let starts = (0..n).map(|i| {
        let (db, dir) = (Arc::clone(db), dir.join(format!("relay-{i}")));
        tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(&dir).unwrap();
            db.relay(&dir)
        })
    });
    futures_util::future::join_all(starts)
        .await
        .into_iter()
        .map(|started| started.expect("an instance starts"))
        .collect()
}

/// Repeats rounds of 16 concurrent status checks on the relay at `url` until one round all
/// succeeds (bounded). The pool is already open when the relay prints `listening on`
/// (`pg_pool`); this only makes sure the instance answers through its database before a
/// test about exactly-once starts its burst.
pub async fn warm(client: &reqwest::Client, url: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let checks = (0..16).map(|_| async {
            let answer = client.get(format!("{url}/api/v1/status")).send().await;
            answer.is_ok_and(|r| r.status() == 200)
        });
        if futures_util::future::join_all(checks)
            .await
            .into_iter()
            .all(|ok| ok)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the relay at {url} reaches its database"
        );
    }
}

/// A fresh database of the shared cluster.
pub async fn fresh_db(dir: &Path) -> Arc<Db> {
    Arc::new(Db::fresh_async(dir).await)
}

/// Creates a secret through v1 on the relay at `url`: (secret key, receipt key).
pub async fn share(client: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> (String, String) {
    let (status, body) = json(
        client
            .post(format!("{url}/api/v1/share"))
            .form(form)
            .send()
            .await
            .expect("share answers"),
    )
    .await;
    assert_eq!(status, 200, "share: {body}");
    let key = |field: &str| body[field].as_str().expect(field).to_owned();
    (key("secret_key"), key("metadata_key"))
}

/// The status a v1 answer means: v1 sends every error as 404 with the real status in
/// `X-OTS-Intended-Status` (as Onetime does), so a 404 alone says nothing.
pub fn intended(response: &reqwest::Response) -> u16 {
    response
        .headers()
        .get(hushlink_protocol::errors::INTENDED_STATUS_HEADER)
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .unwrap_or(response.status().as_u16())
}

/// v1 reveal: the intended status and, on success, the value.
pub async fn reveal(client: &reqwest::Client, url: &str, key: &str) -> (u16, Option<String>) {
    let response = client
        .post(format!("{url}/api/v1/secret/{key}"))
        .send()
        .await
        .expect("reveal answers");
    let status = intended(&response);
    let (_, body) = json(response).await;
    (status, body["value"].as_str().map(str::to_owned))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_reveals_of_each_of_a_hundred_secrets_over_three_instances_win_once() {
    if postgres_only(WHY) {
        return;
    }
    const SECRETS: usize = 100;
    const REVEALS: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    let relays = instances(&db, dir.path(), 3).await;
    let urls: Vec<String> = relays.iter().map(|r| r.url.clone()).collect();
    let client = http();
    for url in &urls {
        warm(&client, url).await;
    }
    let mut secrets = Vec::new();
    for i in 0..SECRETS {
        let value = format!("secret number {i}");
        let (key, _) = share(&client, &urls[i % 3], &[("secret", &value)]).await;
        secrets.push((key, value));
    }
    // Each secret's 200 reveals are spawned together, spread over the three instances; a
    // semaphore per instance holds one secret's share of them in flight (67), so each
    // secret's reveals race one another while no request waits long for a pooled
    // connection (16 per instance) on this small machine.
    let in_flight: Vec<_> = urls
        .iter()
        .map(|_| Arc::new(Semaphore::new(REVEALS.div_ceil(3))))
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for (s, (key, _)) in secrets.iter().enumerate() {
        for r in 0..REVEALS {
            let instance = (s + r) % 3;
            let permit = Arc::clone(&in_flight[instance])
                .acquire_owned()
                .await
                .unwrap();
            let (client, url, key) = (client.clone(), urls[instance].clone(), key.clone());
            tasks.spawn(async move {
                let answer = reveal(&client, &url, &key).await;
                drop(permit);
                (s, answer)
            });
        }
    }
    let mut wins = vec![Vec::new(); SECRETS];
    while let Some(joined) = tasks.join_next().await {
        let (s, (status, value)) = joined.unwrap();
        match status {
            200 => wins[s].push(value.expect("a value with the 200")),
            404 => {}
            other => panic!("secret {s}: a reveal answered {other}"),
        }
    }
    for (s, ((_, value), won)) in secrets.iter().zip(&wins).enumerate() {
        assert_eq!(
            won,
            &vec![value.clone()],
            "secret {s}: exactly one reveal wins"
        );
    }
}

/// v2 reveal with `passphrase` on the relay at `url`, from 127.0.0.`from` (each guesser an
/// address of its own, so the per-address limit on failures does not hide the count): the
/// status.
async fn guess(from: u8, url: &str, key: &str, passphrase: &str) -> u16 {
    reqwest::Client::builder()
        .no_proxy()
        .local_address(std::net::IpAddr::from([127, 0, 0, from]))
        .build()
        .unwrap()
        .post(format!("{url}/api/v2/secret/{key}/reveal"))
        .json(&json!({"continue": true, "passphrase": passphrase}))
        .send()
        .await
        .expect("reveal answers")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passphrase_guesses_spread_over_instances_burn_after_five_in_all() {
    if postgres_only(WHY) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    let relays = instances(&db, dir.path(), 3).await;
    let client = http();
    let form = [("secret", "the safe's code"), ("passphrase", "right horse")];

    // Four wrong guesses, one per instance in turn, leave the secret to the right one.
    let (key, _) = share(&client, &relays[0].url, &form).await;
    for i in 0..4 {
        let status = guess(
            10 + i as u8,
            &relays[i % 3].url,
            &key,
            &format!("wrong {i}"),
        )
        .await;
        assert_eq!(status, 422, "wrong guess {i} is refused, the secret kept");
    }
    let right = client
        .post(format!("{}/api/v2/secret/{key}/reveal", relays[1].url))
        .json(&json!({"continue": true, "passphrase": "right horse"}))
        .send()
        .await
        .unwrap();
    let (status, body) = json(right).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["record"]["secret_value"], "the safe's code");

    // Twenty wrong guesses at once over the three instances: five are checked in all (four
    // answered "wrong", the fifth burns the secret); the others find it gone (404) or five
    // checks already in flight (429, try again in a second). Then the right one finds it
    // gone.
    let (key, receipt) = share(&client, &relays[2].url, &form).await;
    let guesses = (0..20).map(|i| {
        let (url, key) = (relays[i % 3].url.clone(), key.clone());
        async move { guess(20 + i as u8, &url, &key, &format!("wrong {i}")).await }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let wrong = statuses.iter().filter(|s| **s == 422).count();
    assert_eq!(
        wrong, 4,
        "four checks said wrong, the fifth burned: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [422, 404, 429].contains(s)),
        "{statuses:?}"
    );
    assert_eq!(
        guess(50, &relays[0].url, &key, "right horse").await,
        404,
        "burned after five wrong guesses in all"
    );
    let (status, body) = json(
        client
            .get(format!("{}/api/v2/receipt/{receipt}", relays[1].url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["record"]["state"], "burned", "{body}");
}

/// Whether the relay at `url` accepts `name`:`token` (v1 `authcheck`).
async fn accepted(client: &reqwest::Client, url: &str, name: &str, token: &str) -> bool {
    let response = client
        .get(format!("{url}/api/v1/authcheck"))
        .basic_auth(name, Some(token))
        .send()
        .await
        .expect("authcheck answers");
    response.status().as_u16() == 200
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_revoked_through_one_instance_is_refused_by_the_other_within_a_second() {
    if postgres_only(WHY) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    let relays = instances(&db, dir.path(), 2).await;
    let client = http();
    // Through instance 0's admin socket: the command names its data directory and no
    // `--database` (with it, the command would work on the database itself).
    let admin = |args: &'static [&'static str]| {
        let dir = dir.path().join("relay-0");
        tokio::task::spawn_blocking(move || {
            let mut cmd = binary::command(&["--config"]);
            cmd.arg(dir.join("relay.toml"))
                .arg("--data-dir")
                .arg(dir.join("data"))
                .args(args);
            Run::of(&mut cmd)
        })
    };
    let created = admin(&["token", "create", "sam"]).await.unwrap();
    let token = created.ok("token create").last_line().to_owned();
    // Issued on instance 0; instance 1 learns of it from the database's notification.
    let deadline = Instant::now() + Duration::from_secs(1);
    while !accepted(&client, &relays[1].url, "sam", &token).await {
        assert!(
            Instant::now() < deadline,
            "instance 1 accepts the new token"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(accepted(&client, &relays[0].url, "sam", &token).await);

    admin(&["token", "revoke", "sam"])
        .await
        .unwrap()
        .ok("token revoke");
    let revoked = Instant::now();
    assert!(
        !accepted(&client, &relays[0].url, "sam", &token).await,
        "the instance that revoked refuses at once"
    );
    while accepted(&client, &relays[1].url, "sam", &token).await {
        assert!(
            revoked.elapsed() < Duration::from_secs(1),
            "instance 1 refuses the revoked token within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
