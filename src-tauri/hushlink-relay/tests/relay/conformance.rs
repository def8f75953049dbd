//! The client's conformance suite against the relay: every scenario the client crate
//! defines, through the real client, over HTTP on an ephemeral port.

use hushlink_client::conformance::{self, Target};
use hushlink_client::SecretText;

use crate::support::TestRelay;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_conformance_suite_passes_against_the_relay() {
    // The suite checks the hosted size limit and its exact text.
    let relay = TestRelay::start(|c| {
        c.max_secret_bytes = hushlink_client::protocol::limits::MAX_SECRET_BYTES
    })
    .await;
    let issued = relay
        .relay
        .tokens()
        .issue("conformance@example.com")
        .await
        .unwrap();
    let target = Target {
        base_url: relay.url.parse().unwrap(),
        account: Some((
            "conformance@example.com".into(),
            SecretText::new(issued.token.expose()),
        )),
    };
    conformance::run_all(&target).await;
}
