//! `hushlink-relay --database URL token create|list|revoke` and `invite NAME`, driving the
//! real binary against PostgreSQL: the command works on the database itself (no admin
//! socket, no data directory), and a running instance accepts a token created this way, and
//! refuses one revoked this way, within a second (issue 18).

use std::time::{Duration, Instant};

use crate::pg_common::{Db, Run};
use crate::support::http;

/// Whether the relay at `url` accepts `name`:`token` (v1 `authcheck`: 200 only when valid).
async fn accepted(url: &str, name: &str, token: &str) -> bool {
    let response = http()
        .get(format!("{url}/api/v1/authcheck"))
        .basic_auth(name, Some(token))
        .send()
        .await
        .expect("authcheck answers");
    response.status().as_u16() == 200
}

/// Polls `accepted` until it equals `want`, for at most a second.
async fn within_a_second(url: &str, name: &str, token: &str, want: bool) {
    let deadline = Instant::now() + Duration::from_secs(1);
    while accepted(url, name, token).await != want {
        assert!(
            Instant::now() < deadline,
            "the running relay sees the change within a second (want accepted = {want})"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_commands_work_on_the_database_and_reach_running_instances() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::fresh_async(dir.path()).await;
    let relay_dir = dir.path().join("relay");
    let cli_dir = dir.path().join("cli");
    std::fs::create_dir_all(&relay_dir).unwrap();
    std::fs::create_dir_all(&cli_dir).unwrap();
    let relay = db.relay(&relay_dir);
    let cli = |args: &[&str]| Run::of(&mut db.command(&cli_dir, args));

    let created = cli(&["token", "create", "sam"]).ok("token create");
    let token = created.last_line().to_owned();
    assert!(
        token.len() >= 40,
        "the token alone on the last line: {token:?}"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM tokens WHERE name = 'sam' AND revoked_at IS NULL"),
        1,
        "stored in the database"
    );
    within_a_second(&relay.url, "sam", &token, true).await;

    let listed = cli(&["token", "list"]).ok("token list");
    let sam = listed
        .stdout
        .lines()
        .find(|l| l.starts_with("sam "))
        .expect("sam is listed");
    assert!(sam.ends_with("active"), "{sam}");
    assert!(!listed.stdout.contains(&token), "list never prints a token");

    cli(&["token", "create", "sam"]).fails("a second live sam", 1, "sam");

    cli(&["token", "revoke", "sam"]).ok("token revoke");
    within_a_second(&relay.url, "sam", &token, false).await;
    cli(&["token", "revoke", "sam"]).fails("nothing left to revoke", 1, "sam");

    let invite = cli(&["--public-url", "http://10.0.0.5:7143", "invite", "carol"]).ok("invite");
    assert!(
        invite
            .last_line()
            .starts_with("http://10.0.0.5:7143/invite/"),
        "the link alone on the last line: {}",
        invite.stdout
    );
    assert_eq!(db.count("SELECT count(*) FROM invites"), 1);
    assert_eq!(
        db.count("SELECT count(*) FROM tokens WHERE name = 'carol' AND revoked_at IS NULL"),
        1,
        "the invite's token is in the shared table"
    );
    assert!(
        !cli_dir.join("data").exists(),
        "with --database the commands never touch a data directory"
    );
}
