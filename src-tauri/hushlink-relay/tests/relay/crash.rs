//! `kill -9` of the headless relay under a stream of creates and reveals: after a restart
//! every acknowledged secret is revealable exactly once, and no acknowledged reveal repeats.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{http, json};

fn start(data_dir: &Path) -> (Child, String) {
    start_logging(data_dir, "warn", Stdio::null())
}

fn start_logging(data_dir: &Path, level: &str, stderr: Stdio) -> (Child, String) {
    // A config file with a cheap Argon2 cost (debug builds hash slowly); also proves the
    // binary reads its TOML file. No rate limit: the writers below create and reveal as
    // fast as they can from one address, as a benchmark does.
    std::fs::create_dir_all(data_dir).unwrap();
    let config = data_dir.join("relay-test.toml");
    std::fs::write(
        &config,
        "[relay]\nrate_limit = \"off\"\n[relay.passphrase_hashing]\nmemory_kib = 256\niterations = 1\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hushlink-relay"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .arg("--config")
        .arg(&config)
        .env("HUSHLINK_LOG", level)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("relay binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("first stdout line");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "the real port: {url}"
    );
    (child, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_dash_nine_loses_no_acknowledged_create_or_reveal() {
    if crate::support::sqlite_only(
        "restarts on the SQLite data dir; pg_processes kills a relay on PostgreSQL",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut child, url) = start(dir.path());
    let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let revealed: Arc<Mutex<Vec<String>>> = Arc::default();
    let killed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let (url, acked, revealed, killed) = (
            url.clone(),
            Arc::clone(&acked),
            Arc::clone(&revealed),
            Arc::clone(&killed),
        );
        writers.spawn(async move {
            let client = http();
            let mut n = 0;
            // Any failure is fine once the relay is killed; before that it fails the test.
            let fail = |what: String| {
                assert!(
                    killed.load(std::sync::atomic::Ordering::SeqCst),
                    "before the kill: {what}"
                );
            };
            while !killed.load(std::sync::atomic::Ordering::SeqCst) {
                n += 1;
                let value = format!("w{worker}-n{n}");
                let answer = client
                    .post(format!("{url}/api/v1/share"))
                    .form(&[("secret", &value)])
                    .send()
                    .await;
                let body = match answer {
                    Ok(response) if response.status() == 200 => {
                        match response.json::<serde_json::Value>().await {
                            Ok(body) => body,
                            Err(err) => return fail(format!("create body: {err}")),
                        }
                    }
                    Ok(response) => return fail(format!("create status {}", response.status())),
                    Err(err) => return fail(format!("create: {err}")),
                };
                let key = body["secret_key"].as_str().unwrap().to_owned();
                // Every third secret is revealed right away; a 200 means the reveal is committed.
                if n % 3 == 0 {
                    match client
                        .post(format!("{url}/api/v1/secret/{key}"))
                        .send()
                        .await
                    {
                        Ok(response) if response.status() == 200 => {
                            revealed.lock().unwrap().push(key);
                            continue;
                        }
                        Ok(response) => {
                            return fail(format!("reveal status {}", response.status()))
                        }
                        // The reveal may or may not have committed: this key is in neither list.
                        Err(err) => return fail(format!("reveal: {err}")),
                    }
                }
                acked.lock().unwrap().push((key, value));
            }
        });
    }
    // Kill while the stream is still running, once enough has been acknowledged (bounded:
    // a relay that cannot keep up fails the test instead of hanging it).
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.lock().unwrap().len() < 40 || revealed.lock().unwrap().len() < 5 {
        assert!(
            Instant::now() < deadline,
            "the relay acknowledged too little within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    killed.store(true, std::sync::atomic::Ordering::SeqCst);
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    while let Some(joined) = writers.join_next().await {
        if let Err(err) = joined {
            std::panic::resume_unwind(err.into_panic());
        }
    }

    let (mut child, url) = start(dir.path());
    let client = http();
    let acked = acked.lock().unwrap().clone();
    let revealed = revealed.lock().unwrap().clone();
    assert!(
        acked.len() > 20 && !revealed.is_empty(),
        "the stream ran: {} creates, {} reveals",
        acked.len(),
        revealed.len()
    );
    for (key, value) in &acked {
        let (status, body) = json(
            client
                .post(format!("{url}/api/v1/secret/{key}"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["value"].as_str()),
            (200, Some(value.as_str())),
            "acknowledged create survived"
        );
        let (status, _) = json(
            client
                .post(format!("{url}/api/v1/secret/{key}"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 404, "and is revealed only once");
    }
    for key in &revealed {
        let (status, body) = json(
            client
                .post(format!("{url}/api/v1/secret/{key}"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["message"].as_str()),
            (404, Some("Unknown secret")),
            "an acknowledged reveal never repeats"
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn logs_never_contain_secret_text_keys_or_passphrases() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("stderr.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (mut child, url) = start_logging(&dir.path().join("data"), "trace", Stdio::from(log));
    let client = http();
    let mut needles = vec![
        "log-needle-secret-text".to_owned(),
        "log-needle-passphrase".to_owned(),
    ];
    let form = [
        ("secret", "log-needle-secret-text"),
        ("passphrase", "log-needle-passphrase"),
    ];
    let (_, created) = json(
        client
            .post(format!("{url}/api/v1/share"))
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let key = created["secret_key"].as_str().unwrap().to_owned();
    let receipt = created["metadata_key"].as_str().unwrap().to_owned();
    for passphrase in ["log-needle-wrong", "log-needle-passphrase"] {
        client
            .post(format!("{url}/api/v1/secret/{key}"))
            .form(&[("passphrase", passphrase)])
            .send()
            .await
            .unwrap();
    }
    client
        .get(format!("{url}/secret/{key}"))
        .send()
        .await
        .unwrap();
    client
        .get(format!("{url}/api/v1/receipt/{receipt}"))
        .send()
        .await
        .unwrap();
    client
        .post(format!("{url}/api/v1/receipt/{receipt}/burn"))
        .send()
        .await
        .unwrap();
    client
        .post(format!("{url}/api/v1/share"))
        .form(&[("secret", "")])
        .send()
        .await
        .unwrap();
    needles.extend(["log-needle-wrong".to_owned(), key, receipt]);
    child.kill().unwrap();
    child.wait().unwrap();
    let text = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        text.contains("relay started"),
        "the log was captured: {text}"
    );
    for needle in &needles {
        assert!(!text.contains(needle.as_str()), "the log leaks {needle:?}");
    }
}

#[tokio::test]
async fn sigterm_stops_gracefully_after_exactly_one_stdout_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hushlink-relay"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .expect("the start line")
        .to_owned();
    let (status, _) = json(
        http()
            .get(format!("{url}/api/v1/status"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // Bounded wait: a relay that ignores SIGTERM fails the test instead of hanging it.
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the relay did not stop within 10 s of SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        exit.success(),
        "SIGTERM is a clean stop, not a crash: {exit:?}"
    );
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert_eq!(rest, "", "stdout carries exactly one line");
}

#[test]
fn tls_flags_make_the_start_line_say_https() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/relay/fixtures");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hushlink-relay"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .arg("--tls-cert")
        .arg(fixtures.join("cert.pem"))
        .env("HUSHLINK_TLS_KEY", fixtures.join("key.pem"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        line.starts_with("listening on https://127.0.0.1:"),
        "{line:?}"
    );
}
