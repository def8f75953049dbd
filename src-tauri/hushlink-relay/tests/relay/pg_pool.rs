//! The PostgreSQL pool of a headless relay: as large as configured (`--database-pool-size`,
//! `HUSHLINK_DATABASE_POOL_SIZE`, `relay.database_pool_size`), every connection open when
//! the relay prints `listening on`, so a burst right then opens none; a database that lets
//! only part of the pool in still gets a relay that serves; bad sizes stop the start with
//! the field's name.
//!
//! `pg_stat_activity` is the witness: the pool's connections carry `application_name`
//! `hushlink-relay` (the token listener's is `hushlink-relay-listen`), and each has its
//! backend's pid, so "no new connection" is "the same pids", not a timing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hushlink_testkit::TestPostgres;

use crate::pg_common::{Db, Run, CONFIG};
use crate::pg_processes::share;
use crate::support::binary::{self, Headless};
use crate::support::engine::database_name;
use crate::support::{http, postgres_only};

/// Why the pool tests skip on SQLite.
const WHY: &str = "the PostgreSQL connection pool";

/// The pids of the pool's connections to `db`'s database, ascending, comma-separated.
fn pool_pids(db: &Db) -> String {
    db.sql(
        "SELECT coalesce(string_agg(pid::text, ',' ORDER BY pid), '') FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = 'hushlink-relay'",
    )
}

/// How many connections the pool holds to `db`'s database.
fn pool_count(db: &Db) -> usize {
    let pids = pool_pids(db);
    pids.split(',').filter(|pid| !pid.is_empty()).count()
}

/// A relay on a fresh database of `pg`, started by `cmd` (given the database and a data
/// directory under `dir`) before it is started.
async fn relay_on(
    pg: &Arc<TestPostgres>,
    dir: PathBuf,
    cmd: impl FnOnce(&Db, &Path) -> std::process::Command + Send + 'static,
) -> (Db, Headless) {
    let pg = Arc::clone(pg);
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::on(pg, &dir);
        let relay = Headless::start(cmd(&db, &dir));
        (db, relay)
    })
    .await
    .expect("the relay starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configured_pool_is_open_when_the_relay_says_it_listens() {
    if postgres_only(WHY) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pg = Db::shared_cluster().await;
    let listen = ["--listen", "127.0.0.1:0"];
    let (by_default, by_flag, by_variable, by_file) = tokio::join!(
        relay_on(&pg, dir.path().join("default"), move |db, dir| db
            .command(dir, &listen)),
        relay_on(&pg, dir.path().join("flag"), move |db, dir| {
            let mut cmd = db.command(dir, &listen);
            cmd.args(["--database-pool-size", "5"]);
            cmd
        }),
        relay_on(&pg, dir.path().join("variable"), move |db, dir| {
            let mut cmd = db.command(dir, &listen);
            cmd.env("HUSHLINK_DATABASE_POOL_SIZE", "3");
            cmd
        }),
        relay_on(&pg, dir.path().join("file"), move |db, dir| {
            let cmd = db.command(dir, &listen);
            let config = CONFIG.replacen("[relay]\n", "[relay]\ndatabase_pool_size = 7\n", 1);
            std::fs::write(dir.join("relay.toml"), config).unwrap();
            cmd
        }),
    );
    // Read at once: nothing asked these relays anything yet.
    assert_eq!(pool_count(&by_default.0), 16, "the default size");
    assert_eq!(pool_count(&by_flag.0), 5, "--database-pool-size");
    assert_eq!(pool_count(&by_variable.0), 3, "HUSHLINK_DATABASE_POOL_SIZE");
    assert_eq!(pool_count(&by_file.0), 7, "relay.database_pool_size");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_right_after_listening_on_opens_no_connection() {
    if postgres_only(WHY) {
        return;
    }
    const POOL: usize = 8;
    let dir = tempfile::tempdir().unwrap();
    let pg = Db::shared_cluster().await;
    let (db, relay) = relay_on(&pg, dir.path().to_owned(), |db, dir| {
        let mut cmd = db.command(dir, &["--listen", "127.0.0.1:0"]);
        cmd.args(["--database-pool-size", &POOL.to_string()]);
        cmd
    })
    .await;
    let before = pool_pids(&db);
    assert_eq!(before.split(',').count(), POOL, "filled: {before}");

    // Four creates per pooled connection at once: they queue for the pool, never for a
    // handshake.
    let client = http();
    let creates = (0..4 * POOL).map(|i| {
        let (client, url) = (client.clone(), relay.url.clone());
        async move { share(&client, &url, &[("secret", &format!("burst {i}"))]).await }
    });
    let made = futures_util::future::join_all(creates).await;
    assert_eq!(made.len(), 4 * POOL);

    assert_eq!(
        pool_pids(&db),
        before,
        "the burst ran on the connections opened before `listening on`"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM secrets"),
        i64::try_from(4 * POOL).unwrap(),
        "every create committed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_lets_part_of_the_pool_in_still_gets_a_serving_relay() {
    if postgres_only(WHY) {
        return;
    }
    const LIMIT: usize = 3;
    let dir = tempfile::tempdir().unwrap();
    let pg = Db::shared_cluster().await;
    let db = Db::on(Arc::clone(&pg), dir.path());
    let name = database_name(&db.url).to_owned();
    // The relay's role is not a superuser, so the database's limit binds it; the
    // superuser's socket connection (`query`) is not counted against it.
    db.sql(&format!("ALTER DATABASE {name} CONNECTION LIMIT {LIMIT}"));
    let relay = {
        let mut cmd = db.command(dir.path(), &["--listen", "127.0.0.1:0"]);
        cmd.args(["--database-pool-size", "16"]);
        tokio::task::spawn_blocking(move || Headless::start(cmd))
            .await
            .expect("the relay starts on a pool it can only partly fill")
    };
    let relay_sessions: usize = pg
        .query(
            &name,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
             AND application_name LIKE 'hushlink-relay%'",
        )
        .trim()
        .parse()
        .unwrap();
    assert!(
        (1..=LIMIT).contains(&relay_sessions),
        "within the database's limit: {relay_sessions}"
    );
    share(&http(), &relay.url, &[("secret", "served")]).await;
    let stored = pg.query(&name, "SELECT count(*) FROM secrets");
    assert_eq!(stored.trim(), "1", "the create committed");
}

#[test]
fn a_pool_size_out_of_bounds_stops_the_start_naming_the_setting() {
    // Refused while reading the settings, before any connection: no database needed.
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://relay:unused@127.0.0.1:9/none?sslmode=require";
    let start = |size: &str, how: &str| {
        let mut cmd = binary::command(&["--listen", "127.0.0.1:0", "--database", url]);
        cmd.arg("--data-dir").arg(dir.path().join("data"));
        match how {
            "flag" => {
                cmd.args(["--database-pool-size", size]);
            }
            "variable" => {
                cmd.env("HUSHLINK_DATABASE_POOL_SIZE", size);
            }
            _ => {
                let config = dir.path().join(format!("relay-{size}.toml"));
                let text = format!("[relay]\ndatabase_pool_size = {size}\n");
                std::fs::write(&config, text).unwrap();
                cmd.arg("--config").arg(config);
            }
        }
        Run::of(&mut cmd)
    };
    for (size, how) in [
        ("0", "flag"),
        ("257", "variable"),
        ("0", "file"),
        ("1000", "file"),
    ] {
        start(size, how).fails(
            &format!("pool size {size} by {how}"),
            1,
            "database_pool_size",
        );
    }
}
