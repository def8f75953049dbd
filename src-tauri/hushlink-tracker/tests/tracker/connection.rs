//! "Check connection" tells a bad address, an unreachable server and a wrong token apart.

use hushlink_tracker::ProfileInput;

use crate::common::{relay, Harness};

fn input(url: &str, username: Option<&str>) -> ProfileInput {
    ProfileInput {
        name: "Test server".into(),
        base_url: url.into(),
        username: username.map(str::to_owned),
        hushlink_relay: true,
    }
}

#[tokio::test]
async fn bad_url_unreachable_and_wrong_token_have_their_own_codes() {
    let server = relay().await;
    let h = Harness::new(Some(&server));

    let err = h
        .tracker
        .add_profile(&input("relay.example", None))
        .expect_err("no scheme");
    assert_eq!(err.code(), "invalid_url");

    let ok = h
        .tracker
        .check_connection("relay")
        .await
        .expect("the relay answers");
    assert!(ok.reachable && !ok.authenticated, "{ok:?}");

    // A port nobody listens on: bind one, note it, close it.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let gone = h
        .tracker
        .add_profile(&input(&format!("http://127.0.0.1:{port}"), None))
        .expect("adds");
    let err = h
        .tracker
        .check_connection(&gone.id)
        .await
        .expect_err("nobody there");
    assert_eq!(err.code(), "server_unreachable");

    let public = h
        .tracker
        .add_profile(&input("http://secrets.example.com", None))
        .expect("adds");
    let err = h
        .tracker
        .check_connection(&public.id)
        .await
        .expect_err("plain http off the LAN");
    assert_eq!(err.code(), "insecure_url");

    let wrong = h
        .tracker
        .add_profile(&input(server.url().as_str(), Some("me@example.com")))
        .expect("adds");
    h.tracker
        .set_token(&wrong.id, Some("not-a-valid-token"))
        .expect("stores");
    let err = h
        .tracker
        .check_connection(&wrong.id)
        .await
        .expect_err("token refused");
    assert_eq!(err.code(), "bad_credentials");
    h.tracker.shutdown().await;
}
