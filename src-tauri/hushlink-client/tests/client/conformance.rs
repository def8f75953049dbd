//! The conformance suite passes against the in-memory server, with and without v2 and
//! accounts: proof that the scenarios themselves are consistent before the relay runs them.

use hushlink_client::{
    conformance::{self, Target},
    test_server::{TestServer, TestServerOptions},
};
use hushlink_protocol::SecretText;

#[tokio::test]
async fn full_suite_against_a_server_with_v2_and_an_account() {
    let options = TestServerOptions {
        account: Some(("alice@example.com".into(), "tok3n".into())),
        v2: true,
    };
    let server = TestServer::start(options).await.unwrap();
    let target = Target {
        base_url: server.url().clone(),
        account: Some(("alice@example.com".into(), SecretText::from("tok3n"))),
    };
    conformance::run_all(&target).await;
    server.stop().await;
}

#[tokio::test]
async fn full_suite_against_a_v1_only_anonymous_server() {
    let server = TestServer::start(TestServerOptions::default())
        .await
        .unwrap();
    conformance::run_all(&Target::new(server.url().clone())).await;
}
