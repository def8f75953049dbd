//! The switch's relay owns its data directory as the headless relay does: token commands
//! reach it over the admin socket, and no second relay opens the store while it runs.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use hushlink_relay::admin::{run_token_command, socket_path, DataDirLock, TokenCommand};
use hushlink_relay::RelayConfig;

use super::*;

const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn on_lo(ip: IpAddr) -> Endpoint {
    let port = || {
        std::net::TcpListener::bind((ip, 0))
            .and_then(|l| l.local_addr())
            .expect("an ephemeral port")
            .port()
    };
    Endpoint {
        interface: "lo".into(),
        ip,
        port: port(),
        https_port: port(),
    }
}

/// What `hushlink-relay token ... --data-dir DIR` does once its arguments are parsed (the
/// binary's `main` calls exactly this), returning its stdout.
async fn token_command(data_dir: &Path, command: TokenCommand) -> String {
    run_token_command(RelayConfig::with_data_dir(data_dir), &command)
        .await
        .unwrap_or_else(|error| panic!("the token command failed: {error}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn token_commands_reach_the_running_relay_through_its_admin_socket() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("relay");
    let switch = RelaySwitch::new(data.clone(), Arc::new(|_| {}));
    switch.start_on(on_lo(LOCALHOST)).await.expect("starts");
    assert!(
        socket_path(&data).exists(),
        "the admin socket is bound while the relay runs"
    );

    let printed = token_command(
        &data,
        TokenCommand::Create {
            name: "Front desk".into(),
        },
    )
    .await;
    let token = printed.lines().last().expect("the token's line").to_owned();
    let relay = switch.relay().await.expect("running");
    // Written to the store behind the relay's back, the token would be missing from the
    // running relay's table until a restart.
    assert_eq!(
        relay
            .tokens()
            .verify("Front desk", &token)
            .map(|identity| identity.name),
        Some("Front desk".to_owned()),
        "the running relay accepts the token at once: {printed}"
    );

    // A move to a new address reopens the relay: the socket follows it.
    let moved = on_lo(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
    switch.start_on(moved).await.expect("moves");
    let listed = token_command(&data, TokenCommand::List).await;
    assert!(listed.contains("Front desk"), "{listed}");
    token_command(
        &data,
        TokenCommand::Revoke {
            name: "Front desk".into(),
        },
    )
    .await;
    let relay = switch.relay().await.expect("running");
    assert!(
        relay.tokens().verify("Front desk", &token).is_none(),
        "refused from the next request on"
    );

    switch.stop().await;
    assert!(
        !socket_path(&data).exists(),
        "the socket file goes with the relay"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_relay_on_the_same_directory_is_refused_while_the_first_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("relay");
    let first = RelaySwitch::new(data.clone(), Arc::new(|_| {}));
    first.start_on(on_lo(LOCALHOST)).await.expect("starts");
    assert!(
        DataDirLock::try_acquire(&data)
            .expect("the lock file opens")
            .is_none(),
        "the running relay holds the directory's lock"
    );

    let second = RelaySwitch::new(data.clone(), Arc::new(|_| {}));
    let error = second
        .start_on(on_lo(LOCALHOST))
        .await
        .expect_err("the directory is taken");
    assert!(
        matches!(&error, SwitchError::DataDirInUse { dir } if *dir == data),
        "{error:?}"
    );
    assert!(second.relay().await.is_none());
    let panel = second.panel().await;
    assert!(!panel.running);
    assert_eq!(
        panel.problem,
        Some(RelayProblem::DataDirInUse {
            data_dir: data.display().to_string()
        })
    );
    let json = serde_json::to_string(&panel).expect("serializes");
    assert!(
        json.contains("\"code\":\"relay_data_dir_in_use\""),
        "the UI branches on the code: {json}"
    );
    assert!(
        first.relay().await.is_some() && socket_path(&data).exists(),
        "the refusal leaves the first relay and its socket alone"
    );

    first.stop().await;
    let lock = DataDirLock::try_acquire(&data)
        .expect("the lock file opens")
        .expect("released on stop");
    drop(lock);
    let panel = second
        .start_on(on_lo(LOCALHOST))
        .await
        .expect("free once the first stopped");
    assert!(panel.running && panel.problem.is_none());
    second.stop().await;
}

#[tokio::test]
async fn a_lock_held_without_an_admin_socket_refuses_after_the_wait() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("relay");
    // As a token command working on the store, or a relay still opening it, holds it.
    let held = DataDirLock::try_acquire(&data)
        .expect("the lock file opens")
        .expect("free");
    let wait = Duration::from_millis(200);
    let started = tokio::time::Instant::now();
    let error = admin::lock(&data, wait).await.expect_err("held");
    assert!(
        matches!(error, SwitchError::DataDirInUse { .. }),
        "{error:?}"
    );
    assert!(
        started.elapsed() >= wait,
        "waits for a command to finish first"
    );
    drop(held);
    admin::lock(&data, wait)
        .await
        .expect("free once the holder let go");
}
