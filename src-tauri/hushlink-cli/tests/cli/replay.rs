//! The binary against the recorded answers of a real Onetime v0.23.6 server
//! (`tests/fixtures/onetime/real-v0.23.6/`), served exactly by the test kit's replay server.

use hushlink_testkit::replay::onetime_v0_23_6;
use hushlink_testkit::ReplayServer;

use crate::support::hushlink;

async fn serve(steps: &[&str]) -> ReplayServer {
    let recording = onetime_v0_23_6().only(steps).expect("recorded steps");
    ReplayServer::start(recording).await
}

const ACCOUNT: [(&str, &str); 2] = [
    ("HUSHLINK_USER", "tester@example.com"),
    ("HUSHLINK_TOKEN", "recorded-token"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_status_reveal_and_burn_work_on_v0_23_6() {
    let server = serve(&[
        "v1.share.form",
        "v1.receipt.post.before",
        "v1.reveal.form",
        "v1.receipt.after_reveal",
    ])
    .await;
    let url = server.url().as_str();
    let share = hushlink(&["--server", url, "--json", "share"], "s1 form\n", &[]);
    assert_eq!(share.code, 0, "{share:?}");
    let shared = share.json();
    let secret_link = shared["secret_link"].as_str().expect("secret link");
    let receipt_link = shared["receipt_link"].as_str().expect("receipt link");
    assert!(
        secret_link.ends_with("/secret/26wgt9qnhex2wvp7esgvow1fidxzp4w"),
        "31-character keys: {secret_link}"
    );

    let status = hushlink(&["status", receipt_link], "", &[]);
    assert_eq!(status.code, 0, "{status:?}");
    assert!(
        status.stdout.contains("viewed (not opened yet)"),
        "v0.23.6's `viewed` is the sender's own fetch: {status:?}"
    );

    let reveal = hushlink(&["reveal", secret_link], "", &[]);
    assert_eq!(
        (reveal.code, reveal.stdout.as_str()),
        (0, "s1 form"),
        "{reveal:?}"
    );

    let status = hushlink(&["--json", "status", receipt_link], "", &[]);
    assert_eq!(status.json()["state"], "received", "{status:?}");

    let burn_server = serve(&["v1.burn"]).await;
    let receipt = format!(
        "{}receipt/1g4ivt84szuairskwq91awxr853gj28",
        burn_server.url()
    );
    let burn = hushlink(&["--json", "burn", &receipt], "", &[]);
    assert_eq!(burn.code, 0, "{burn:?}");
    assert_eq!(
        burn.json()["state"],
        "burned",
        "the stale nested `new` of v0.23.6's answer is not shown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_recent_says_the_server_cannot_list_recent_secrets() {
    let server = serve(&["v1.recent.auth"]).await;
    let url = server.url().as_str();
    let plain = hushlink(&["--server", url, "recent"], "", &ACCOUNT);
    assert_eq!(
        plain.code, 12,
        "an unsupported call, not a server error: {plain:?}"
    );
    assert!(
        plain.stderr.contains("cannot list recent secrets"),
        "{plain:?}"
    );
    assert!(!plain.stderr.contains("internal"), "{plain:?}");

    let json = hushlink(&["--server", url, "--json", "recent"], "", &ACCOUNT);
    assert_eq!(
        json.json()["error"]["code"],
        "recent_unavailable",
        "{json:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cripes_rate_limited_is_the_rate_limit_exit_code() {
    let server = serve(&["v1.receipt.ratelimited"]).await;
    let receipt = format!("{}receipt/3oap7yuoyqqlg3h2ya2xglq36t4u87f", server.url());
    let status = hushlink(&["--json", "status", &receipt], "", &[]);
    assert_eq!(status.code, 9, "{status:?}");
    assert_eq!(status.json()["error"]["code"], "rate_limited");
}
