//! `hushlink-relay migrate --from sqlite:DIR --to postgres://...` through the real binary: a
//! SQLite relay with live secrets, passphrase secrets, a token and its log moves into
//! PostgreSQL; each secret is revealed exactly once there with its original link, passphrases
//! are still required, the token still works, the log came along; the copy is refused while
//! the SQLite relay runs and into a target that already holds data, changing nothing (issue 18).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::pg_common::{Db, Run, CONFIG};
use crate::support::binary::{self, Headless};
use crate::support::http;

/// The binary on the SQLite relay in `dir/data`, with the cheap test config.
fn on_sqlite(dir: &Path, args: &[&str]) -> Command {
    let config = dir.join("relay.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let mut cmd = binary::command(&[]);
    cmd.arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args);
    cmd
}

fn migrate(from: &Path, to: &str) -> Command {
    binary::command(&[
        "migrate",
        "--from",
        &format!("sqlite:{}", from.display()),
        "--to",
        to,
    ])
}

/// Creates a secret through v1 `share`; its secret key (what the link carries).
async fn share(url: &str, form: &[(&str, &str)], auth: Option<(&str, &str)>) -> String {
    let mut request = http().post(format!("{url}/api/v1/share")).form(form);
    if let Some((name, token)) = auth {
        request = request.basic_auth(name, Some(token));
    }
    let (status, body) = crate::support::json(request.send().await.unwrap()).await;
    assert_eq!(status, 200, "share: {body}");
    body["secret_key"].as_str().unwrap().to_owned()
}

/// Reveals through v1; the value, or `None` when the relay refused.
async fn reveal(url: &str, key: &str, passphrase: Option<&str>) -> Option<String> {
    let form: Vec<(&str, &str)> = passphrase.map(|p| ("passphrase", p)).into_iter().collect();
    let response = http()
        .post(format!("{url}/api/v1/secret/{key}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let (status, body) = crate::support::json(response).await;
    (status == 200).then(|| body["value"].as_str().unwrap().to_owned())
}

/// The number after `label: ` on its own line of `migrate`'s report.
fn counted(report: &str, label: &str) -> u64 {
    let line = report
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{label}: ")))
        .unwrap_or_else(|| panic!("{label} in {report}"));
    line.split(' ').next().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_relay_moves_to_postgres_and_each_secret_is_revealed_once_there() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::fresh_async(dir.path()).await;
    let sqlite: PathBuf = dir.path().join("sqlite");
    std::fs::create_dir_all(&sqlite).unwrap();
    let data = sqlite.join("data");

    // An office relay on SQLite, with a token, plain and passphrase secrets, one revealed.
    let mut office = Headless::start(on_sqlite(&sqlite, &["--listen", "127.0.0.1:0"]));
    let token = Run::of(&mut on_sqlite(&sqlite, &["token", "create", "sam"]))
        .ok("token create")
        .last_line()
        .to_owned();
    let url = office.url.clone();
    let mut plain = Vec::new();
    for i in 0..3 {
        let value = format!("plain secret {i}");
        plain.push((share(&url, &[("secret", &value)], None).await, value));
    }
    let owned = share(&url, &[("secret", "sam's secret")], Some(("sam", &token))).await;
    plain.push((owned, "sam's secret".to_owned()));
    let mut guarded = Vec::new();
    for i in 0..2 {
        let value = format!("guarded secret {i}");
        let form = [("secret", value.as_str()), ("passphrase", "right horse")];
        guarded.push((share(&url, &form, None).await, value));
    }
    let gone = share(&url, &[("secret", "revealed already")], None).await;
    assert!(reveal(&url, &gone, None).await.is_some());

    // Refused while the relay runs; the target is not even touched.
    Run::of(&mut migrate(&data, &db.url)).fails("while the relay runs", 1, "running");
    assert_eq!(
        db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
        0,
        "a refused migrate leaves the target as it was"
    );

    // Killed, not stopped: what it acknowledged is in its WAL, and must come along.
    office.kill();
    let moved = Run::of(&mut migrate(&data, &db.url)).ok("migrate");
    assert_eq!(counted(&moved.stdout, "secrets"), 7, "{}", moved.stdout);
    assert!(moved.stdout.contains("(6 live)"), "{}", moved.stdout);
    assert_eq!(counted(&moved.stdout, "tokens"), 1);
    let log_lines = counted(&moved.stdout, "access-log lines");
    assert_eq!(
        i64::try_from(log_lines).unwrap(),
        db.count("SELECT count(*) FROM access_log")
    );
    assert_eq!(
        db.count("SELECT count(*) FROM access_log WHERE action = 'create'"),
        7
    );
    assert_eq!(
        db.count("SELECT count(*) FROM access_log WHERE action = 'reveal'"),
        1
    );
    assert!(data.join("relay.sqlite3").exists(), "the source is kept");

    // A relay on PostgreSQL: each secret once, with its original key.
    let pg_dir = dir.path().join("pg");
    std::fs::create_dir_all(&pg_dir).unwrap();
    let relay = db.relay(&pg_dir);
    let (kept, plain) = plain.split_last().unwrap();
    for (key, value) in plain {
        assert_eq!(
            reveal(&relay.url, key, None).await.as_deref(),
            Some(value.as_str())
        );
        assert_eq!(reveal(&relay.url, key, None).await, None, "only once");
    }
    for (key, value) in &guarded {
        assert_eq!(
            reveal(&relay.url, key, None).await,
            None,
            "needs its passphrase"
        );
        let shown = reveal(&relay.url, key, Some("right horse")).await;
        assert_eq!(shown.as_deref(), Some(value.as_str()));
        assert_eq!(reveal(&relay.url, key, Some("right horse")).await, None);
    }
    assert_eq!(
        reveal(&relay.url, &gone, None).await,
        None,
        "still revealed"
    );
    let authcheck = http()
        .get(format!("{}/api/v1/authcheck", relay.url))
        .basic_auth("sam", Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(authcheck.status().as_u16(), 200, "sam's token still works");

    // A second migrate into the same database: refused with 3, nothing changes.
    let snapshot =
        "SELECT (SELECT count(*) FROM secrets) || ' ' || (SELECT count(*) FROM secret_values)
        || ' ' || (SELECT count(*) FROM tokens) || ' ' || (SELECT count(*) FROM access_log)";
    let before = db.sql(snapshot);
    // Without --to, the target is --database (as HUSHLINK_DATABASE would give it).
    let from = format!("sqlite:{}", data.display());
    let again = &[
        "--database",
        db.url.as_str(),
        "migrate",
        "--from",
        from.as_str(),
    ];
    Run::of(&mut binary::command(again)).fails("into a non-empty target", 3, "already holds");
    assert_eq!(db.sql(snapshot), before, "the refused copy changed nothing");
    assert_eq!(
        reveal(&relay.url, &kept.0, None).await.as_deref(),
        Some(kept.1.as_str()),
        "the secret left alone is still there, once"
    );
    assert_eq!(reveal(&relay.url, &kept.0, None).await, None);
}

#[test]
fn the_help_shows_the_database_and_migrate() {
    let help = Run::of(&mut binary::command(&["--help"])).ok("--help");
    for word in ["--database", "HUSHLINK_DATABASE", "migrate", "PostgreSQL"] {
        assert!(
            help.stdout.contains(word),
            "{word} in --help: {}",
            help.stdout
        );
    }
    let migrate = Run::of(&mut binary::command(&["migrate", "--help"])).ok("migrate --help");
    for word in ["--from", "sqlite:DIR", "--to", "Exit code 3"] {
        assert!(migrate.stdout.contains(word), "{word}: {}", migrate.stdout);
    }
}
