//! A relay whose PostgreSQL schema cannot be brought up to date does not serve: the process
//! stops at once with the reason on stderr and exit code 1, before printing `listening on`
//! (issue 18). Two reasons: a database a newer relay migrated, and a migration that fails.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::pg_common::{Db, Run};

/// Starts the relay on `db` and waits (at most 30 s) for it to exit by itself.
fn serve_until_it_stops(db: &Db, dir: &Path) -> Run {
    let mut child = db
        .command(dir, &["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the relay starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().expect("waits").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the relay kept running on a database it cannot migrate");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("its output");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
    }
}

#[test]
fn a_schema_newer_than_the_binary_stops_the_instance_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::fresh(dir.path());
    // A command on the database migrates it to this build's version...
    Run::of(&mut db.command(dir.path(), &["token", "list"])).ok("token list");
    let current: i64 = db.count("SELECT version FROM hushlink_schema");
    assert!(current >= 1);
    // ...then a "newer relay" moves it on.
    db.sql("UPDATE hushlink_schema SET version = 999");
    let run = serve_until_it_stops(&db, dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "never listened: {}", run.stdout);
    assert!(
        run.stderr.contains("schema version 999") && run.stderr.contains("upgrade"),
        "says why and what to do: {}",
        run.stderr
    );
    assert_eq!(
        db.count("SELECT version FROM hushlink_schema"),
        999,
        "left as found"
    );
}

#[test]
fn a_failing_migration_stops_the_instance_and_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::fresh(dir.path());
    // Something else already uses a table name the first migration creates.
    db.sql("CREATE TABLE tokens (owner_of_something_else integer)");
    let run = serve_until_it_stops(&db, dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "never listened: {}", run.stdout);
    assert!(
        run.stderr.contains("to version 1 failed"),
        "says which migration failed: {}",
        run.stderr
    );
    assert_eq!(
        db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'secrets'"),
        0,
        "the failed migration was rolled back"
    );
}
