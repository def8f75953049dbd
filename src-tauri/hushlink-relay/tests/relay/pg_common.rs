//! What the PostgreSQL operations tests (`pg_health`, `pg_admin`, `pg_migrate`) share: a
//! fresh database with its CA ([`Db`]), SQL through `psql`, the binary's runs ([`Run`]) and a
//! headless relay on the database ([`Db::relay`]).

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use hushlink_testkit::TestPostgres;

use crate::support::binary::{self, Headless};

/// Cheap Argon2 (debug builds hash slowly) and no rate limits, for the binary's `--config`.
pub const CONFIG: &str = "[relay]\nrate_limit = \"off\"\n\
                          [relay.passphrase_hashing]\nmemory_kib = 256\niterations = 1\n";

/// A fresh database, its URL (with `sslrootcert`) and the cluster it lives in.
pub struct Db {
    pub url: String,
    /// Kept so the cluster outlives the database's users.
    _cluster: Arc<TestPostgres>,
}

impl Db {
    /// A new database of the cluster this test binary shares; `dir` receives the CA file.
    pub fn fresh(dir: &Path) -> Self {
        Self::on(TestPostgres::shared(), dir)
    }

    /// [`Db::fresh`] from async code (starting the cluster blocks).
    pub async fn fresh_async(dir: &Path) -> Self {
        let dir = dir.to_owned();
        tokio::task::spawn_blocking(move || Self::fresh(&dir))
            .await
            .expect("the cluster starts")
    }

    /// The cluster this test binary shares, from async code (starting it blocks).
    pub async fn shared_cluster() -> Arc<TestPostgres> {
        tokio::task::spawn_blocking(TestPostgres::shared)
            .await
            .expect("the cluster starts")
    }

    /// A new database of `pg`; `dir` receives the CA file.
    pub fn on(pg: Arc<TestPostgres>, dir: &Path) -> Self {
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, pg.ca_pem()).expect("writes the CA");
        let url = format!("{}&sslrootcert={}", pg.new_database(), ca.display());
        Self { url, _cluster: pg }
    }

    /// One statement through `psql` (which reads `sslrootcert` as the relay does); its
    /// rows, one per line, columns separated by `|`.
    pub fn sql(&self, statement: &str) -> String {
        let out = Command::new("psql")
            .args([
                "-X",
                "-q",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                &self.url,
                "-c",
            ])
            .arg(statement)
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "psql {statement}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("UTF-8")
            .trim()
            .to_owned()
    }

    /// A count from `statement`.
    pub fn count(&self, statement: &str) -> i64 {
        self.sql(statement).parse().expect("a number")
    }

    /// The binary with `--config` (see [`CONFIG`]), `--database` and a data directory in
    /// `dir`, then `args`.
    pub fn command(&self, dir: &Path, args: &[&str]) -> Command {
        let config = dir.join("relay.toml");
        std::fs::write(&config, CONFIG).expect("writes the config");
        let mut cmd = binary::command(&[]);
        cmd.arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(dir.join("data"))
            .args(["--database", &self.url])
            .args(args);
        cmd
    }

    /// A headless relay serving this database on 127.0.0.1 (its own data directory in `dir`).
    pub fn relay(&self, dir: &Path) -> Headless {
        Headless::start(self.command(dir, &["--listen", "127.0.0.1:0"]))
    }
}

/// What a command printed, and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `cmd` to its end.
    pub fn of(cmd: &mut Command) -> Self {
        let out = cmd.output().expect("the binary runs");
        Self {
            code: out.status.code().expect("exited, not killed"),
            stdout: String::from_utf8(out.stdout).expect("UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("UTF-8"),
        }
    }

    /// Asserts success with nothing on stderr.
    pub fn ok(self, what: &str) -> Self {
        assert_eq!(self.code, 0, "{what} succeeds: {}", self.stderr);
        assert!(self.stderr.is_empty(), "{what}: {}", self.stderr);
        self
    }

    /// Asserts exit `code` with one line on stderr saying `why`, nothing on stdout.
    pub fn fails(self, what: &str, code: i32, why: &str) -> Self {
        assert_eq!(self.code, code, "{what}: {}{}", self.stdout, self.stderr);
        assert_eq!(self.stderr.lines().count(), 1, "{what}: {}", self.stderr);
        assert!(self.stderr.contains(why), "{what}: {}", self.stderr);
        assert!(self.stdout.is_empty(), "{what}: {}", self.stdout);
        self
    }

    /// The last line of stdout (a token or a link, alone there).
    pub fn last_line(&self) -> &str {
        self.stdout.lines().last().expect("some output")
    }
}
