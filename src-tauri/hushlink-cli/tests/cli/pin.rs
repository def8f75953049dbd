//! `--pin` end to end: a real relay (the library) on 127.0.0.1 serves plain HTTP and, on a
//! second listener, HTTPS with its own certificate; the binary shares over the pinned
//! connection with a token, and a wrong pin stops before any request reaches the relay.

use hushlink_relay::{AccessAction, AccessLogFilter, Relay};
use hushlink_testkit::TestRelay;

use crate::support::{hushlink, Run};

/// Runs the binary off the runtime's threads, so the relay keeps serving meanwhile.
async fn run(args: Vec<String>, stdin: &str, env: Vec<(String, String)>) -> Run {
    let stdin = stdin.to_owned();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        hushlink(&args, &stdin, &env)
    })
    .await
    .unwrap()
}

async fn creates(relay: &Relay) -> usize {
    let filter = AccessLogFilter {
        action: Some(AccessAction::Create),
        ..AccessLogFilter::default()
    };
    relay.access_log().query(filter).await.unwrap().len()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_over_the_pinned_connection_and_refuse_another_certificate() {
    // Plain HTTP, and HTTPS on a second listener with the relay's own certificate.
    let relay = TestRelay::builder().tls().start().await;
    let (http, https) = (relay.origin(), relay.https_origin());
    let token = relay.relay().tokens().issue("alice").await.unwrap().token;
    let env = vec![("HUSHLINK_TOKEN".to_owned(), token.expose().to_owned())];
    let pin = relay.identity().fingerprint().to_string();
    let secret = "the office wifi password";

    // Credentials, pinned HTTPS for the API, plain-HTTP links for recipients' browsers.
    let pinned = |command: &[&str]| {
        let mut list = vec![
            "--server",
            &https,
            "--pin",
            &pin,
            "--link-base",
            &http,
            "--user",
            "alice",
            "--json",
        ];
        list.extend_from_slice(command);
        args(&list)
    };
    let shared = run(pinned(&["share"]), secret, env.clone()).await;
    assert_eq!(shared.code, 0, "share over the pin: {shared:?}");
    shared.assert_hides(secret, false);
    shared.assert_hides(token.expose(), false);
    let body = shared.json();
    let secret_link = body["secret_link"].as_str().unwrap().to_owned();
    let receipt_link = body["receipt_link"].as_str().unwrap().to_owned();
    assert!(
        secret_link.starts_with(&format!("{}/secret/", http)),
        "recipients get the plain-HTTP address: {secret_link}"
    );
    assert_eq!(creates(relay.relay()).await, 1);

    // The receipt link is on --link-base: it is read over the pinned connection.
    let status = run(pinned(&["status", &receipt_link]), "", env.clone()).await;
    assert_eq!(status.code, 0, "{status:?}");
    assert_eq!(status.json()["state"], "new");

    // A recipient's view: the plain link, no pin, no token.
    let revealed = run(args(&["--json", "reveal", &secret_link]), "", vec![]).await;
    assert_eq!(revealed.code, 0, "{revealed:?}");
    assert_eq!(revealed.json()["value"], secret);

    // Plain hex of another certificate's fingerprint: refused, nothing reaches the relay.
    let wrong = hushlink_relay::fingerprint::of_der(b"another certificate").to_hex();
    let mut list = vec!["--server", &https, "--pin", &wrong];
    list.extend_from_slice(&["--user", "alice", "--json", "share"]);
    let refused = run(args(&list), secret, env.clone()).await;
    assert_eq!(refused.code, 5, "the TLS exit code: {refused:?}");
    let error = &refused.json()["error"];
    assert_eq!(error["code"], "tls_pin_mismatch");
    assert!(
        error["message"].as_str().unwrap().contains(&pin),
        "names the certificate it was shown: {error}"
    );
    refused.assert_hides(token.expose(), false);
    assert_eq!(
        creates(relay.relay()).await,
        1,
        "the relay never saw the refused share"
    );

    // The environment variable works like the flag; a pin needs https://.
    let mut env_pin = env.clone();
    env_pin.push(("HUSHLINK_PIN".to_owned(), pin.clone()));
    let list = ["--server", &https, "--user", "alice", "--json", "check"];
    let checked = run(args(&list), "", env_pin).await;
    assert_eq!(checked.code, 0, "{checked:?}");
    assert_eq!(checked.json()["credentials_valid"], true);
    let list = ["--server", &http, "--json", "check"];
    let only_pin = vec![("HUSHLINK_PIN".to_owned(), pin.clone())];
    let plain = run(args(&list), "", only_pin).await;
    assert_eq!(plain.code, 3, "invalid settings: {plain:?}");
}
