//! The admin socket in process, as the app would serve it: the protocol's answers, and the
//! socket's file hygiene. The binary's commands are tested in `tests/relay/admin.rs`.

use std::os::unix::fs::PermissionsExt;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;
use tokio::sync::oneshot;

use super::*;
use crate::config::RelayConfig;
use crate::operations::Relay;

struct Served {
    relay: Relay,
    socket: std::path::PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), AdminError>>,
    _dir: tempfile::TempDir,
}

async fn serve() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let config = RelayConfig::for_tests(dir.path().join("data"));
    let relay = Relay::open(config).await.unwrap();
    let socket = socket_path(&relay.config().data_dir);
    // Bound before the task starts, so connecting needs no wait.
    let listener = AdminListener::bind(&socket).await.unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(listener.serve(relay.clone(), async {
        let _ = stopped.await;
    }));
    Served {
        relay,
        socket,
        stop: Some(stop),
        task,
        _dir: dir,
    }
}

async fn ask(socket: &std::path::Path, request: AdminRequest) -> AdminResponse {
    let mut client = AdminClient::connect(socket)
        .await
        .unwrap()
        .expect("the socket is served");
    client.request(&request).await.unwrap()
}

#[tokio::test]
async fn the_socket_issues_lists_and_revokes_in_the_relays_own_token_table() {
    let served = serve().await;
    let mode = std::fs::metadata(&served.socket)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let AdminResponse::TokenCreated { summary, token } = ask(
        &served.socket,
        AdminRequest::TokenCreate {
            name: "alice".into(),
        },
    )
    .await
    else {
        panic!("created")
    };
    assert_eq!(summary.name, "alice");
    assert!(
        served
            .relay
            .tokens()
            .verify("alice", token.expose())
            .is_some(),
        "the relay's live table has it"
    );
    let again = ask(
        &served.socket,
        AdminRequest::TokenCreate {
            name: "alice".into(),
        },
    )
    .await;
    assert!(
        matches!(
            again,
            AdminResponse::Error {
                code: AdminErrorCode::NameTaken,
                ..
            }
        ),
        "{again:?}"
    );
    let bad = ask(
        &served.socket,
        AdminRequest::TokenCreate { name: "a:b".into() },
    )
    .await;
    assert!(
        matches!(
            bad,
            AdminResponse::Error {
                code: AdminErrorCode::InvalidName,
                ..
            }
        ),
        "{bad:?}"
    );

    let AdminResponse::Tokens { tokens } = ask(&served.socket, AdminRequest::TokenList).await
    else {
        panic!("a list")
    };
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].summary, summary);
    assert_eq!(tokens[0].last_used_at, None, "nothing created with it yet");

    let revoked = ask(
        &served.socket,
        AdminRequest::TokenRevoke {
            name: "alice".into(),
        },
    )
    .await;
    assert_eq!(
        revoked,
        AdminResponse::TokenRevoked {
            name: "alice".into(),
            count: 1
        }
    );
    assert!(
        served
            .relay
            .tokens()
            .verify("alice", token.expose())
            .is_none(),
        "gone from the live table at once"
    );
    let missing = ask(
        &served.socket,
        AdminRequest::TokenRevoke {
            name: "alice".into(),
        },
    )
    .await;
    assert!(
        matches!(
            missing,
            AdminResponse::Error {
                code: AdminErrorCode::NotFound,
                ..
            }
        ),
        "{missing:?}"
    );
}

#[tokio::test]
async fn a_garbled_line_gets_a_bad_request_and_the_connection_stays_usable() {
    let served = serve().await;
    let stream = UnixStream::connect(&served.socket).await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write
        .write_all(b"{\"op\":\"drop_tables\"}\n")
        .await
        .unwrap();
    let answer: AdminResponse =
        serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert!(
        matches!(
            answer,
            AdminResponse::Error {
                code: AdminErrorCode::BadRequest,
                ..
            }
        ),
        "{answer:?}"
    );
    write.write_all(b"{\"op\":\"token_list\"}\n").await.unwrap();
    let answer: AdminResponse =
        serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(answer, AdminResponse::Tokens { tokens: vec![] });
}

#[tokio::test]
async fn a_second_server_is_refused_and_stopping_removes_the_socket() {
    let mut served = serve().await;
    let err = AdminListener::bind(&served.socket).await.unwrap_err();
    assert!(
        matches!(err, AdminError::AlreadyRunning { .. }),
        "a live socket is not stolen: {err}"
    );
    let _ = served.stop.take().unwrap().send(());
    (&mut served.task).await.unwrap().unwrap();
    assert!(
        !served.socket.exists(),
        "no stale socket after a clean stop"
    );
    assert!(
        AdminClient::connect(&served.socket)
            .await
            .unwrap()
            .is_none(),
        "nothing answers: commands work on the store"
    );
}

#[tokio::test]
async fn a_stale_socket_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SOCKET_NAME);
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
    assert!(path.exists(), "a socket file nobody serves");
    assert!(
        AdminClient::connect(&path).await.unwrap().is_none(),
        "refused connections mean no relay"
    );
    let listener = AdminListener::bind(&path).await.expect("replaces it");
    assert_eq!(listener.path(), path);
}
