//! Faults under load with relay processes on one PostgreSQL database (issue 18): `kill -9`
//! of one instance loses no acknowledged secret and reveals none twice (checked through the
//! surviving instance); PostgreSQL restarted under load makes requests fail at once with the
//! API's error, and they succeed again without restarting a relay.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hushlink_testkit::TestPostgres;

use crate::pg_common::Db;
use crate::pg_processes::{fresh_db, instances, intended, reveal, WHY};
use crate::support::{http, json, postgres_only};

/// Secrets acknowledged by a create (key, value), and keys whose reveal was acknowledged.
#[derive(Default)]
struct Acked {
    created: Vec<(String, String)>,
    revealed: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_dash_nine_of_one_instance_under_load_loses_and_repeats_nothing() {
    if postgres_only(WHY) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    let mut relays = instances(&db, dir.path(), 2).await;
    let survivor = relays.pop().unwrap();
    let mut victim = relays.pop().unwrap();
    let acked: Arc<Mutex<Acked>> = Arc::default();
    let killed = Arc::new(AtomicBool::new(false));
    let mut writers = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let (url, acked, killed) = (victim.url.clone(), Arc::clone(&acked), Arc::clone(&killed));
        writers.spawn(async move {
            let client = http();
            // Any failure is expected once the instance is killed; before, it fails the test.
            let fail =
                |what: String| assert!(killed.load(Ordering::SeqCst), "before the kill: {what}");
            for n in 0.. {
                if killed.load(Ordering::SeqCst) {
                    return;
                }
                let value = format!("w{worker}-n{n}");
                let created = client
                    .post(format!("{url}/api/v1/share"))
                    .form(&[("secret", &value)])
                    .send()
                    .await;
                let body: serde_json::Value = match created {
                    Ok(r) if r.status() == 200 => match r.json().await {
                        Ok(body) => body,
                        Err(e) => return fail(format!("create body: {e}")),
                    },
                    Ok(r) => return fail(format!("create answered {}", intended(&r))),
                    Err(e) => return fail(format!("create: {e}")),
                };
                let key = body["secret_key"].as_str().unwrap().to_owned();
                // Every third is revealed at once; a 200 means the reveal was committed. A
                // reveal without an answer may or may not have been: its key is in no list.
                if n % 3 == 0 {
                    match client
                        .post(format!("{url}/api/v1/secret/{key}"))
                        .send()
                        .await
                    {
                        Ok(r) if r.status() == 200 => {
                            acked.lock().unwrap().revealed.push(key);
                            continue;
                        }
                        Ok(r) => return fail(format!("reveal answered {}", intended(&r))),
                        Err(e) => return fail(format!("reveal: {e}")),
                    }
                }
                acked.lock().unwrap().created.push((key, value));
            }
        });
    }
    // Killed while the stream runs, once enough is acknowledged (bounded: an instance that
    // cannot keep up fails the test instead of hanging it).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let enough = {
            let acked = acked.lock().unwrap();
            acked.created.len() >= 40 && acked.revealed.len() >= 5
        };
        if enough {
            break;
        }
        assert!(Instant::now() < deadline, "too little acknowledged in 30 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    killed.store(true, Ordering::SeqCst);
    victim.kill(); // SIGKILL, and waits for it
    while let Some(joined) = writers.join_next().await {
        if let Err(e) = joined {
            std::panic::resume_unwind(e.into_panic());
        }
    }

    let client = http();
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    for (key, value) in &acked.created {
        assert_eq!(
            reveal(&client, &survivor.url, key).await,
            (200, Some(value.clone())),
            "an acknowledged create survives the kill, revealed through the other instance"
        );
        assert_eq!(
            reveal(&client, &survivor.url, key).await.0,
            404,
            "and is revealed only once"
        );
    }
    for key in &acked.revealed {
        assert_eq!(
            reveal(&client, &survivor.url, key).await.0,
            404,
            "an acknowledged reveal never repeats"
        );
    }
}

/// One request of the load: when it started, how long it took, its intended status, and
/// whether the body was the v1 API's shape (`{"message": ...}` for an error).
struct Answer {
    at: Instant,
    took: Duration,
    status: u16,
    shaped: bool,
}

/// A create then a reveal on the relay at `url`, both recorded.
async fn create_and_reveal(client: &reqwest::Client, url: &str, answers: &Mutex<Vec<Answer>>) {
    let mut key = None;
    for step in 0..2 {
        let at = Instant::now();
        let request = match &key {
            None => client
                .post(format!("{url}/api/v1/share"))
                .form(&[("secret", "through the restart")]),
            Some(key) => client.post(format!("{url}/api/v1/secret/{key}")),
        };
        // A connection broken by nothing but the database would be a relay bug: unwrap.
        let response = request.send().await.expect("the relay answers");
        let status = intended(&response);
        let (_, body) = json(response).await;
        let shaped = if status == 200 {
            true
        } else {
            body["message"].is_string()
        };
        answers.lock().unwrap().push(Answer {
            at,
            took: at.elapsed(),
            status,
            shaped,
        });
        if step == 0 {
            match body["secret_key"].as_str() {
                Some(k) => key = Some(k.to_owned()),
                None => return,
            }
        }
    }
}

/// Successes (`ok`) or failures that started after `from` (and ended before `to`, if given).
fn count(answers: &Mutex<Vec<Answer>>, from: Instant, to: Option<Instant>, ok: bool) -> usize {
    let answers = answers.lock().unwrap();
    answers
        .iter()
        .filter(|a| a.at >= from && to.is_none_or(|to| a.at + a.took <= to))
        .filter(|a| (a.status == 200) == ok)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_under_load_fails_fast_then_recovers_without_a_relay_restart() {
    if postgres_only(WHY) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A cluster of its own: this test stops it.
    let pg = Arc::new(
        tokio::task::spawn_blocking(TestPostgres::start)
            .await
            .unwrap(),
    );
    let db = {
        let (pg, dir) = (Arc::clone(&pg), dir.path().to_owned());
        Arc::new(
            tokio::task::spawn_blocking(move || Db::on(pg, &dir))
                .await
                .unwrap(),
        )
    };
    let relays = instances(&db, dir.path(), 2).await;
    let client = http();
    let (kept, _) = crate::pg_processes::share(
        &client,
        &relays[0].url,
        &[("secret", "kept across the restart")],
    )
    .await;

    let answers: Arc<Mutex<Vec<Answer>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = tokio::task::JoinSet::new();
    for worker in 0..4 {
        let url = relays[worker % 2].url.clone();
        let (client, answers, stop) = (client.clone(), Arc::clone(&answers), Arc::clone(&stop));
        load.spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                create_and_reveal(&client, &url, &answers).await;
            }
        });
    }
    // Waits (bounded) until `n` answers of the kind that started after `from` are in.
    let wait_for = |n: usize, from: Instant, ok: bool, what: &'static str| {
        let answers = Arc::clone(&answers);
        async move {
            let deadline = Instant::now() + Duration::from_secs(20);
            while count(&answers, from, None, ok) < n {
                assert!(Instant::now() < deadline, "{what} within 20 s");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    let started = Instant::now();
    wait_for(20, started, true, "the load runs").await;

    let stopping = Arc::clone(&pg);
    tokio::task::spawn_blocking(move || stopping.stop())
        .await
        .unwrap();
    let down = Instant::now();
    wait_for(20, down, false, "requests fail while the database is down").await;
    let restarting = Arc::clone(&pg);
    tokio::task::spawn_blocking(move || restarting.start_again())
        .await
        .unwrap();
    let up = Instant::now();
    wait_for(
        20,
        up,
        true,
        "requests succeed again without a relay restart",
    )
    .await;
    stop.store(true, Ordering::SeqCst);
    while let Some(joined) = load.join_next().await {
        joined.unwrap();
    }

    {
        let answers = answers.lock().unwrap();
        let outage: Vec<&Answer> = answers
            .iter()
            .filter(|a| a.at >= down && a.at + a.took <= up)
            .collect();
        assert!(
            outage.len() >= 20,
            "{} answers during the outage",
            outage.len()
        );
        for a in &outage {
            // A lost database is 503 on every route, as the status route says
            // (`http/health.rs`), not v1's "unexpected error" (500): try again shortly.
            assert_eq!(a.status, 503, "a failure with its status code");
            assert!(a.shaped, "in the API's error shape");
            // Under the pool's 5 s wait for a connection: refused at once, not queued (the
            // margin is for this busy machine; an answer takes milliseconds).
            assert!(
                a.took < Duration::from_secs(4),
                "failing fast, not hanging: {:?}",
                a.took
            );
        }
        for a in answers.iter() {
            assert!(a.shaped, "every answer in the API's shape");
            // Bounded by the engine's own limits: 5 s waiting for a pooled connection plus
            // 10 s opening one (TLS and SCRAM, slow in a debug build) as the server returns.
            assert!(
                a.took < Duration::from_secs(17),
                "no request hangs, even across the stop and start: {:?}",
                a.took
            );
        }
    }
    for relay in &relays {
        let (status, _) = json(
            client
                .get(format!("{}/api/v1/status", relay.url))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200, "the instance is nominal again");
    }
    assert_eq!(
        reveal(&client, &relays[1].url, &kept).await,
        (200, Some("kept across the restart".to_owned())),
        "a secret acknowledged before the restart is still there"
    );
}
