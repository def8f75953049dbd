//! `hushlink-relay invite NAME` through the real binary: through a running relay's admin
//! socket, and on the store when none runs; the printed link imports with the client.

use std::path::Path;

use hushlink_client::invite::{accept_invite, InviteError};
use hushlink_client::{Client, ServerConfig};
use hushlink_relay::Relay;

use crate::support::binary::{command, Headless};
use crate::support::test_config;

/// Runs `invite NAME` on `dir` for a relay at `url`; returns the link on the last line.
fn invite(name: &str, dir: &Path, url: &str) -> String {
    let out = command(&[
        "invite",
        name,
        "--data-dir",
        dir.to_str().expect("UTF-8 path"),
        "--public-url",
        url,
    ])
    .output()
    .expect("the binary runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(out.status.success(), "invite succeeds: {stderr}");
    assert!(stderr.is_empty(), "nothing on stderr: {stderr}");
    let last = stdout.lines().last().expect("some output").to_owned();
    assert!(
        last.starts_with(&format!("{url}/invite/")) && last.contains('#'),
        "the link alone on the last line: {stdout}"
    );
    assert_eq!(stdout.matches('#').count(), 1, "printed once: {stdout}");
    last
}

/// The headless relay on 127.0.0.1:0 on `dir`, killed when dropped.
fn start(dir: &Path) -> Headless {
    Headless::start(command(&[
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        dir.to_str().expect("UTF-8 path"),
    ]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_printed_link_of_a_running_relay_imports_once_and_its_token_works_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let relay = start(&dir);
    let link = invite("erin", &dir, &relay.url);

    let imported = accept_invite(&link).await.expect("the link imports");
    assert_eq!(imported.token_name, "erin");
    assert_eq!(imported.origin, relay.url);
    let base = imported.origin.parse().unwrap();
    Client::new(ServerConfig::new(base).with_credentials("erin", imported.token.clone()))
        .unwrap()
        .authcheck()
        .await
        .expect("the running relay issued the token in its own table");
    let again = accept_invite(&link).await.unwrap_err();
    assert!(matches!(again, InviteError::Used), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_relay_the_invite_is_made_on_the_store_for_the_next_start() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    // Bound first, so the invite can name the port the relay will serve on.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let link = invite("frank", &dir, &url);

    let relay = Relay::open(test_config(&dir))
        .await
        .expect("the relay opens");
    let served = relay.clone();
    let server = tokio::spawn(async move {
        hushlink_relay::serve(listener, served, std::future::pending()).await
    });
    let imported = accept_invite(&link).await.expect("the link imports");
    assert_eq!(imported.token_name, "frank");
    assert!(
        relay
            .tokens()
            .verify("frank", imported.token.expose())
            .is_some(),
        "the store's token is live after the start"
    );
    server.abort();
}
