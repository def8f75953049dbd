//! `hushlink-relay token create|list|revoke`, driving the real binary: on the store when no
//! relay runs; through the admin socket of a running relay, whose next request then sees the
//! change; and against a relay that runs as another user (`nobody`), which root may
//! administer and `daemon` may not. The last test needs root, as CI has; it fails otherwise.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use hushlink_relay::Relay;
use nix::unistd::User;

use crate::support::binary::{self, Headless};
use crate::support::{http, test_config};

/// What a command printed, and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(self, what: &str) -> Self {
        assert_eq!(self.code, 0, "{what} succeeds: {}", self.stderr);
        assert!(
            self.stderr.is_empty(),
            "{what}: nothing on stderr: {}",
            self.stderr
        );
        self
    }

    /// Exit code 1 with exactly one line on stderr, which says `why`.
    fn fails(self, what: &str, why: &str) -> Self {
        assert_eq!(self.code, 1, "{what} fails with 1: {}", self.stdout);
        assert_eq!(
            self.stderr.lines().count(),
            1,
            "{what}: one line: {}",
            self.stderr
        );
        assert!(
            self.stderr.contains(why),
            "{what}: says {why:?}: {}",
            self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "{what}: nothing on stdout: {}",
            self.stdout
        );
        self
    }

    /// The token a `token create` printed: alone on the last line.
    fn token(&self) -> String {
        let last = self.stdout.lines().last().expect("some output").to_owned();
        assert!(
            last.len() >= 40 && last.chars().all(|c| c.is_ascii_alphanumeric()),
            "the last line is the token alone: {last:?}"
        );
        last
    }
}

/// The binary with `args` ([`binary::command`]), as `user` (uid, gid) when given.
fn command(args: &[&str], user: Option<&User>) -> Command {
    let mut cmd = binary::command(args);
    if let Some(user) = user {
        cmd.uid(user.uid.as_raw()).gid(user.gid.as_raw());
    }
    cmd
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

fn token(args: &[&str], dir: &Path) -> Run {
    let mut full = vec!["token"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--data-dir", dir.to_str().expect("UTF-8 path")]);
    run(&mut command(&full, None))
}

/// The headless relay on 127.0.0.1 (port 0) on `dir`, as `user` when given, with cheap
/// Argon2; killed when dropped.
fn start(dir: &Path, user: Option<&User>) -> Headless {
    let config = dir
        .parent()
        .expect("the data dir has a parent")
        .join("relay.toml");
    // Cheap Argon2 (debug builds hash slowly); also a file read by another user.
    std::fs::write(
        &config,
        "[relay.passphrase_hashing]\nmemory_kib = 256\niterations = 1\n",
    )
    .expect("config file");
    let cmd = command(
        &[
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            dir.to_str().expect("UTF-8 path"),
            "--config",
            config.to_str().expect("UTF-8 path"),
        ],
        user,
    );
    Headless::start(cmd)
}

/// `POST /api/v1/share` with `name:token` as HTTP Basic; the status and v1 message.
async fn share(relay: &Headless, name: &str, token: &str) -> (u16, String) {
    let response = http()
        .post(format!("{}/api/v1/share", relay.url))
        .basic_auth(name, Some(token))
        .form(&[("secret", "the wifi password"), ("ttl", "3600")])
        .send()
        .await
        .expect("the relay answers");
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.expect("a JSON answer");
    let message = body["message"].as_str().unwrap_or_default().to_owned();
    if status == 200 {
        assert!(body["secret_key"].is_string(), "created: {body}");
    }
    (status, message)
}

/// A row of `token list` by name: its columns (split on runs of two spaces or more).
fn row(list: &str, name: &str) -> Vec<String> {
    list.lines()
        .map(|line| {
            line.split("  ")
                .map(str::trim)
                .filter(|cell| !cell.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .find(|cells| cells.first().is_some_and(|c| c == name))
        .unwrap_or_else(|| panic!("{name} is listed: {list}"))
}

#[tokio::test]
async fn token_commands_work_on_the_store_when_no_relay_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let data = dir.to_str().unwrap();

    let alice = token(&["create", "alice"], &dir).ok("create").token();
    let created = token(&["create", "carol"], &dir).ok("create");
    let carol = created.token();
    assert_eq!(created.stdout.matches(&carol).count(), 1, "shown once");
    // Options before the subcommand, or from the environment, work the same.
    run(&mut command(
        &["--data-dir", data, "token", "create", "alice"],
        None,
    ))
    .fails("a second alice", "already exists");
    let list = run(command(&["token", "list"], None).env("HUSHLINK_DATA_DIR", data)).ok("list");
    assert_eq!(row(&list.stdout, "alice")[3], "active");
    assert!(
        !list.stdout.contains(&alice) && !list.stdout.contains(&carol),
        "the list shows no token: {}",
        list.stdout
    );

    token(&["revoke", "alice"], &dir).ok("revoke");
    token(&["revoke", "alice"], &dir).fails("revoking twice", "no active token is named \"alice\"");
    let list = token(&["list"], &dir).ok("list").stdout;
    assert!(row(&list, "alice")[3].starts_with("revoked "), "{list}");
    assert_eq!(row(&list, "carol")[3], "active");
    token(&["create", "alice"], &dir).ok("the name is free again once revoked");

    for usage in [
        &["token"][..],
        &["token", "create"],
        &["token", "drop", "x"],
    ] {
        let mut args = usage.to_vec();
        args.extend_from_slice(&["--data-dir", data]);
        assert_eq!(
            run(&mut command(&args, None)).code,
            2,
            "{usage:?} is a usage error"
        );
    }
    token(&["list"], &tmp.path().join("elsewhere"))
        .fails("a list without a store", "no relay database");
    assert!(
        !dir.join("admin.sock").exists(),
        "no relay ran, so no socket"
    );

    // The relay reads what the commands wrote.
    let relay = Relay::open(test_config(&dir)).await.unwrap();
    assert!(
        relay.tokens().verify("carol", &carol).is_some(),
        "carol's token works"
    );
    assert!(
        relay.tokens().verify("alice", &alice).is_none(),
        "alice's first one is revoked"
    );
}

#[tokio::test]
async fn a_revocation_reaches_the_running_relay_on_the_next_request() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let mut relay = start(&dir, None);
    let socket = dir.join("admin.sock");
    let mode = std::fs::metadata(&socket)
        .expect("the relay serves its admin socket")
        .mode();
    assert_eq!(mode & 0o777, 0o600, "only its user may connect");

    // Created through the relay: a token written behind its back would be unknown to it.
    let bob = token(&["create", "bob"], &dir).ok("create").token();
    assert_eq!(
        share(&relay, "bob", &bob).await.0,
        200,
        "the new token works at once"
    );
    token(&["create", "bob"], &dir).fails("a second bob", "already exists");
    let list = token(&["list"], &dir).ok("list").stdout;
    let bob_row = row(&list, "bob");
    assert_ne!(bob_row[2], "-", "last used is known: {list}");
    assert_eq!(bob_row[3], "active");

    let data = dir.to_str().unwrap();
    run(command(&["token", "revoke", "bob"], None).env("HUSHLINK_DATA_DIR", data)).ok("revoke");
    assert_eq!(
        share(&relay, "bob", &bob).await,
        (404, "Not authorized".to_owned()),
        "the very next request is refused (v1 errors are 404 with a message)"
    );

    // A relay killed outright leaves its socket behind; the commands see it is stale.
    relay.kill();
    assert!(socket.exists(), "kill -9 leaves the socket file");
    let list = token(&["list"], &dir).ok("list on the store").stdout;
    assert!(row(&list, "bob")[3].starts_with("revoked "), "{list}");
}

fn system_user(name: &str) -> User {
    User::from_name(name)
        .expect("the user database answers")
        .unwrap_or_else(|| panic!("this test needs the system user {name:?}"))
}

#[tokio::test]
async fn root_administers_a_relay_of_another_user_and_others_are_told_whom_to_run_as() {
    assert!(
        nix::unistd::geteuid().is_root(),
        "this test must run as root (CI does): it starts the relay as `nobody`, then checks \
         that root can administer it and `daemon` cannot"
    );
    let nobody = system_user("nobody");
    let daemon = system_user("daemon");
    // Under /tmp itself, not $TMPDIR: the test session (`scripts/with-test-session`, as CI
    // runs every test) points TMPDIR into a root-only directory that nobody cannot traverse.
    let tmp = tempfile::Builder::new()
        .prefix("hushlink-admin-")
        .tempdir_in("/tmp")
        .unwrap();
    // nobody must reach its data directory; daemon may reach the parent, not inside it.
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::chown(&dir, Some(nobody.uid.as_raw()), Some(nobody.gid.as_raw())).unwrap();
    let mut relay = start(&dir, Some(&nobody));
    let socket = dir.join("admin.sock");
    assert_eq!(
        std::fs::metadata(&socket).expect("the socket").uid(),
        nobody.uid.as_raw(),
        "the socket belongs to the relay's user"
    );

    let erin = token(&["create", "erin"], &dir).ok("root creates").token();
    assert_eq!(
        share(&relay, "erin", &erin).await.0,
        200,
        "the relay knows the token"
    );
    let list = token(&["list"], &dir).ok("root lists").stdout;
    assert_eq!(row(&list, "erin")[3], "active");

    let data = dir.to_str().unwrap();
    for args in [
        &["token", "list", "--data-dir", data][..],
        &["token", "revoke", "erin", "--data-dir", data],
    ] {
        run(&mut command(args, Some(&daemon)))
            .fails("daemon", "permission denied: run as nobody or root");
    }
    assert_eq!(
        share(&relay, "erin", &erin).await.0,
        200,
        "daemon revoked nothing"
    );
    // Loosened permissions do not let daemon in: the relay checks each peer's uid.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o666)).unwrap();
    run(&mut command(
        &["token", "revoke", "erin", "--data-dir", data],
        Some(&daemon),
    ))
    .fails(
        "daemon on an open socket",
        "permission denied: run as nobody or root",
    );
    assert_eq!(
        share(&relay, "erin", &erin).await.0,
        200,
        "still nothing revoked"
    );

    token(&["revoke", "erin"], &dir).ok("root revokes");
    assert_eq!(
        share(&relay, "erin", &erin).await.1,
        "Not authorized",
        "refused on the very next request"
    );
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        assert_eq!(
            entry.metadata().unwrap().uid(),
            nobody.uid.as_raw(),
            "{:?}: root never opened the store itself",
            entry.file_name()
        );
    }

    // With the relay gone, root does not open nobody's store either (it would leave files
    // nobody cannot write); the message says whom to run as.
    relay.kill();
    token(&["list"], &dir).fails("root without a relay", "run this command as nobody");
}
