//! [`TestPostgres`]: a throwaway PostgreSQL cluster for the relay's PostgreSQL tests.
//!
//! Debian's PostgreSQL (`/usr/lib/postgresql/<newest>/bin`, or the directory in
//! `HUSHLINK_PG_BIN`) runs from a temp dir: `initdb`, a private unix socket directory, TLS
//! on with a certificate signed by a CA the kit makes for this cluster, TCP on 127.0.0.1 on a
//! free port (TLS and a password required there, `pg_hba.conf` has no plain-text line), and
//! `synchronous_commit = on`, as the relay requires of its database. A role and a database
//! for the relay are created; [`TestPostgres::url`] names them.
//!
//! `initdb` and `postgres` refuse to run as root, and CI runs as root: then every server
//! command runs as the `postgres` user (its uid and gid set on the child process), in a
//! directory that user owns. Otherwise they run as the current user.
//!
//! ```no_run
//! # fn demo() {
//! let pg = hushlink_testkit::postgres::TestPostgres::start();
//! let url = pg.url(); // postgres://hushlink:...@127.0.0.1:PORT/hushlink?sslmode=require
//! let ca = pg.ca_pem(); // to verify the server's certificate
//! pg.stop(); // e.g. "PostgreSQL restarted under load"
//! pg.start_again();
//! # let _ = (url, ca); }
//! ```
//!
//! Tests that only need a database share one cluster per binary: [`TestPostgres::shared`]
//! and [`TestPostgres::new_database`]. A suite that opens a relay in nearly every test (the
//! relay's integration suite on PostgreSQL) keeps one for the whole process instead
//! ([`TestPostgres::process_wide`]), so the cluster is not stopped and started between tests.
//!
//! Modules: `setup` (the programs, the server's user, its directory, port, password and
//! certificates), `tests` (the watchdog of [`TestPostgres::process_wide`]).
//!
//! Start, stop and restart block (each waits for `pg_ctl -w`, about a second): call them
//! before a test's runtime work, or through `spawn_blocking`. Dropping the handle stops the
//! server at once (`pg_ctl -m immediate`) and removes its directory.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use tempfile::TempDir;

use setup::{bin_dir, certificates, free_port, private_dir, random_hex, server_owner};

mod setup;
#[cfg(test)]
mod tests;

/// The role and database the relay uses.
pub const USER: &str = "hushlink";
/// The database [`TestPostgres::url`] names.
pub const DATABASE: &str = "hushlink";

/// Tries to start on a port another process took between probing and binding.
const START_TRIES: usize = 5;

/// A running throwaway PostgreSQL cluster; stopped and removed on drop.
pub struct TestPostgres {
    dir: TempDir,
    bin: PathBuf,
    /// uid and gid the server runs as (the `postgres` user when we are root).
    owner: Option<(u32, u32)>,
    port: u16,
    password: String,
    ca_pem: String,
    ca_der: Vec<u8>,
    databases: AtomicU32,
}

impl TestPostgres {
    /// Creates, configures and starts a cluster with the relay's role and database. Panics
    /// with the server's log when it cannot.
    pub fn start() -> Self {
        let bin = bin_dir();
        let owner = server_owner();
        let dir = private_dir(owner);
        let (ca_pem, ca_der, cert_pem, key_pem) = certificates();
        let password = random_hex(16);
        let pg = Self {
            dir,
            bin,
            owner,
            port: 0,
            password,
            ca_pem,
            ca_der,
            databases: AtomicU32::new(0),
        };
        pg.write_owned("server.crt", &cert_pem, 0o644);
        pg.write_owned("ca.pem", &pg.ca_pem.clone(), 0o644);
        pg.write_owned("server.key", &key_pem, 0o600);
        fs::create_dir(pg.socket_dir()).expect("creates the socket directory");
        pg.hand_over(&pg.socket_dir(), 0o700);
        pg.initdb();
        let mut pg = pg;
        pg.first_start();
        pg.psql(&format!(
            "CREATE ROLE {USER} LOGIN PASSWORD '{}'",
            pg.password
        ));
        pg.psql(&format!("CREATE DATABASE {DATABASE} OWNER {USER}"));
        pg
    }

    /// The cluster the tests of this binary running at the moment share (each then takes
    /// its own [`Self::new_database`]): started by the first, stopped when the last drops
    /// its handle. Not for tests that stop or restart the server.
    pub fn shared() -> Arc<Self> {
        static SHARED: Mutex<Weak<TestPostgres>> = Mutex::new(Weak::new());
        // Held while a cluster starts, so concurrent tests wait for the same one.
        let mut slot = SHARED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(pg) = slot.upgrade() {
            return pg;
        }
        let pg = Arc::new(Self::start());
        *slot = Arc::downgrade(&pg);
        pg
    }

    /// The cluster of this whole test process: started by the first call, never stopped
    /// between tests, stopped and removed when the process ends, however it ends (a panic,
    /// `kill -9`, Ctrl-C). Not for tests that stop or restart the server.
    ///
    /// A static is never dropped, so a watchdog does the stopping: a shell in its own process
    /// group (Ctrl-C of the test run does not reach it) reads a pipe whose only writer is
    /// this process; the kernel closes it when the process ends, and the watchdog then stops
    /// the server and removes its directory.
    pub fn process_wide() -> &'static Self {
        static CLUSTER: OnceLock<(TestPostgres, Child)> = OnceLock::new();
        &CLUSTER
            .get_or_init(|| {
                let pg = Self::start();
                let watchdog = pg.watchdog();
                (pg, watchdog)
            })
            .0
    }

    /// Starts the watchdog of [`Self::process_wide`]; it waits on its stdin, which the
    /// returned child holds open until the process ends.
    fn watchdog(&self) -> Child {
        let script =
            r#"cat >/dev/null; "$0" -D "$1" stop -m immediate >/dev/null 2>&1; rm -rf "$2""#;
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", script])
            .arg(self.bin.join("pg_ctl"))
            .arg(self.data_dir())
            .arg(self.dir.path())
            .current_dir("/")
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((uid, gid)) = self.owner {
            cmd.uid(uid).gid(gid);
        }
        cmd.spawn().expect("starts the cluster's watchdog")
    }

    /// `postgres://` URL of the relay's database over TCP, TLS required (`sslmode=require`;
    /// verify the server with [`Self::ca_pem`]).
    pub fn url(&self) -> String {
        self.url_of(DATABASE)
    }

    /// A new empty database owned by the relay's role, for tests sharing one cluster; its
    /// URL as [`Self::url`].
    pub fn new_database(&self) -> String {
        let n = self.databases.fetch_add(1, Ordering::Relaxed);
        let name = format!("{DATABASE}_{n}");
        self.psql(&format!("CREATE DATABASE {name} OWNER {USER}"));
        self.url_of(&name)
    }

    /// The port on 127.0.0.1 (the same after [`Self::stop`] and [`Self::start_again`]).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// PEM of the CA that signed the server's certificate (for `127.0.0.1` and `localhost`).
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// A file holding [`Self::ca_pem`], for `sslrootcert=` in a URL; removed with the cluster.
    pub fn ca_path(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// DER of the same CA certificate.
    pub fn ca_der(&self) -> &[u8] {
        &self.ca_der
    }

    /// Stops the server cleanly (`pg_ctl -m fast`): connections are closed.
    pub fn stop(&self) {
        self.pg_ctl(&["stop", "-m", "fast"])
            .unwrap_or_else(|log| panic!("PostgreSQL did not stop:\n{log}"));
    }

    /// Starts the stopped server again on the same port and data.
    pub fn start_again(&self) {
        self.start_server()
            .unwrap_or_else(|log| panic!("PostgreSQL did not start again:\n{log}"));
    }

    fn url_of(&self, database: &str) -> String {
        format!(
            "postgres://{USER}:{}@127.0.0.1:{}/{database}?sslmode=require",
            self.password, self.port
        )
    }

    /// The cluster's data directory (`PGDATA`): every byte the server keeps on disk, its
    /// WAL included, for tests that search it.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Writes every dirty page to the data files (`CHECKPOINT`), so a search of
    /// [`Self::data_dir`] sees the tables as well as the WAL.
    pub fn checkpoint(&self) {
        self.psql("CHECKPOINT");
    }

    /// `pg_dump` of `database` (plain SQL, as an operator's backup would hold it).
    pub fn pg_dump(&self, database: &str) -> Vec<u8> {
        let out = self
            .command("pg_dump")
            .args(["-U", "postgres", "-d", database, "-h"])
            .arg(self.socket_dir())
            .args(["-p", &self.port.to_string()])
            .output()
            .expect("runs pg_dump");
        check(&out, "pg_dump");
        out.stdout
    }

    fn socket_dir(&self) -> PathBuf {
        self.dir.path().join("sock")
    }

    /// A command run as the server's owner.
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        if let Some((uid, gid)) = self.owner {
            cmd.uid(uid).gid(gid);
        }
        cmd.env("LC_ALL", "C").current_dir(self.dir.path());
        cmd
    }

    fn write_owned(&self, name: &str, contents: &str, mode: u32) {
        let path = self.dir.path().join(name);
        fs::write(&path, contents).unwrap_or_else(|e| panic!("writes {}: {e}", path.display()));
        self.hand_over(&path, mode);
    }

    /// Gives `path` to the server's owner with `mode`.
    fn hand_over(&self, path: &Path, mode: u32) {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("sets a mode");
        if let Some((uid, gid)) = self.owner {
            std::os::unix::fs::chown(path, Some(uid), Some(gid)).expect("chowns to postgres");
        }
    }

    fn initdb(&self) {
        let out = self
            .command("initdb")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
            .args(["--auth-local=trust", "--auth-host=reject"])
            .output()
            .expect("runs initdb");
        check(&out, "initdb");
        // Unix socket: trust (the kit's own set-up, in a directory only the owner enters).
        // TCP: TLS and a password, nothing else. 150 connections: three relay processes
        // with full pools (17 each) beside other tests' relays on a process-wide cluster.
        let hba = "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n";
        fs::write(self.data_dir().join("pg_hba.conf"), hba).expect("writes pg_hba.conf");
        let conf = format!(
            "\n# hushlink_testkit::postgres\n\
             listen_addresses = '127.0.0.1'\n\
             unix_socket_directories = '{sock}'\n\
             ssl = on\n\
             ssl_cert_file = '{dir}/server.crt'\n\
             ssl_key_file = '{dir}/server.key'\n\
             synchronous_commit = on\n\
             password_encryption = 'scram-sha-256'\n\
             shared_buffers = '16MB'\n\
             max_connections = 150\n\
             log_min_messages = warning\n",
            sock = self.socket_dir().display(),
            dir = self.dir.path().display(),
        );
        let path = self.data_dir().join("postgresql.conf");
        let mut text = fs::read_to_string(&path).expect("reads postgresql.conf");
        text.push_str(&conf);
        fs::write(&path, text).expect("writes postgresql.conf");
    }

    /// Starts on a free port, trying another if one was taken meanwhile.
    fn first_start(&mut self) {
        let mut log = String::new();
        for _ in 0..START_TRIES {
            self.port = free_port();
            match self.start_server() {
                Ok(()) => return,
                Err(text) => log = text,
            }
        }
        panic!("PostgreSQL did not start:\n{log}");
    }

    fn start_server(&self) -> Result<(), String> {
        let port = self.port.to_string();
        self.pg_ctl(&["start", "-o", &format!("-p {port}"), "-l", "server.log"])
    }

    /// Runs `pg_ctl -w ARGS`; the server's log on failure.
    fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        let out = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-w", "-t", "30"])
            .args(args)
            .output()
            .expect("runs pg_ctl");
        if out.status.success() {
            return Ok(());
        }
        let log = fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        Err(format!(
            "pg_ctl {args:?}: {}\n{}\n{log}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }

    /// Runs one SQL statement as the superuser over the unix socket.
    fn psql(&self, sql: &str) {
        self.query("postgres", sql);
    }

    /// Runs `sql` in `database` as the superuser over the unix socket; its rows as text,
    /// one a line, columns split by `|` (`psql -At`). For tests that look at what the relay
    /// stored.
    pub fn query(&self, database: &str, sql: &str) -> String {
        let out = self
            .command("psql")
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args(["-U", "postgres", "-d", database, "-h"])
            .arg(self.socket_dir())
            .args(["-p", &self.port.to_string(), "-c", sql])
            .output()
            .expect("runs psql");
        check(&out, "psql");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        // Immediate: a test's cluster holds nothing worth a clean shutdown. Errors (already
        // stopped) do not matter; the directory goes with `dir`.
        let _ = self.pg_ctl(&["stop", "-m", "immediate"]);
    }
}

fn check(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
