//! The client against the recorded answers of a real Onetime v0.23.6 server
//! (`tests/fixtures/onetime/real-v0.23.6/`), served exactly by the test kit's replay server.

use hushlink_client::{Client, Error, Generation, ServerConfig, ShareRequest, State};
use hushlink_protocol::{v1, v2, SecretText};
use hushlink_testkit::replay::{Exchange, Recording};
use hushlink_testkit::ReplayServer;
use serde_json::Value;

fn recording() -> Recording {
    hushlink_testkit::replay::onetime_v0_23_6()
}

async fn serve(steps: &[&str]) -> ReplayServer {
    ReplayServer::start(recording().only(steps).expect("steps exist")).await
}

fn client_for(server: &ReplayServer, exchange: &Exchange) -> Client {
    let mut config = ServerConfig::new(server.url().clone());
    match exchange.request.auth.as_deref() {
        Some("good") => {
            config = config.with_credentials("tester@example.com", SecretText::from("good"))
        }
        Some(_) => config = config.with_credentials("tester@example.com", SecretText::from("bad")),
        None => {}
    }
    Client::new(config).expect("client")
}

/// What a call made of the recorded answer: `"ok"` or the error code.
fn code<T>(result: &Result<T, Error>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(e) => e.code().as_str(),
    }
}

/// Runs the client call the step's request stands for; `None` for requests the client never
/// sends (aliases, GET receipts, JSON bodies, placeholder keys).
async fn run(client: &Client, exchange: &Exchange) -> Option<&'static str> {
    let (method, template) = (
        exchange.request.method.as_str(),
        exchange.request.template.as_str(),
    );
    let key = exchange.key();
    let passphrase = match exchange.step.as_str() {
        "v1.reveal.pass.right" | "v1.burn.pass.right" => Some(SecretText::from("correct horse")),
        "v1.reveal.pass.wrong" | "v1.burn.pass.wrong" => Some(SecretText::from("wrong one")),
        _ => None,
    };
    let request = || ShareRequest::new(SecretText::from("replayed"));
    Some(match (method, template) {
        (_, "/api/v1/status") => code(&client.status().await),
        (_, "/api/v1/authcheck") => code(&client.authcheck().await),
        (_, "/api/v1/share") => {
            let shared = client.share(request()).await;
            if let Ok(shared) = &shared {
                assert_eq!(shared.secret_link.key.len(), 31, "v0.23.6 keys are 31 long");
                assert_eq!(shared.receipt_link.key.len(), 31);
            }
            code(&shared)
        }
        (_, "/api/v1/generate") => {
            let shared = client.generate(v1::GenerateRequest::default()).await;
            if let Ok(shared) = &shared {
                assert!(shared.receipt.value.is_some(), "v0.23.6 returns the value");
            }
            code(&shared)
        }
        ("POST", t) if t.starts_with("/api/v1/secret/") && !key.contains('.') => {
            code(&client.reveal(key, passphrase.as_ref()).await)
        }
        ("POST", t) if t.starts_with("/api/v1/private/") && t.ends_with("/burn") => {
            code(&client.burn(key, passphrase.as_ref()).await)
        }
        ("POST", t) if t.starts_with("/api/v1/private/") && !t.ends_with("recent") => {
            code(&client.receipt(key).await)
        }
        ("GET", "/api/v1/private/recent") => code(&client.recent().await),
        ("POST", "/api/v2/secret/status") => code(
            &client
                .secret_status_batch(&["a0000000000", "b0000000000"])
                .await,
        ),
        _ => return None,
    })
}

#[tokio::test]
async fn every_recorded_answer_the_client_can_get_maps_to_its_outcome() {
    let expected = [
        ("v1.status", "ok"),
        ("v1.status.badauth", "bad_credentials"),
        ("v1.authcheck.noauth", "credentials_required"),
        ("v1.authcheck.auth", "ok"),
        ("v1.share.form", "ok"),
        ("v1.share.multipart", "ok"),
        ("v1.share.query", "ok"),
        ("v1.share.json", "rejected"),
        ("v1.share.pass", "ok"),
        ("v1.share.pass.short", "rejected"),
        ("v1.share.empty", "rejected"),
        ("v1.share.nosecret", "rejected"),
        ("v1.share.ttl.5", "ok"),
        ("v1.share.ttl.abc", "ok"),
        ("v1.share.ttl.huge", "ok"),
        ("v1.share.ttl.default", "ok"),
        ("v1.share.big11000", "ok"),
        ("v1.share.recipient.anon", "rejected"),
        ("v1.share.recipient.auth", "ok"),
        ("v1.share.recipient.bad.auth", "ok"),
        ("v1.share.auth", "ok"),
        ("v1.share.badauth", "bad_credentials"),
        ("v1.generate.form", "ok"),
        ("v1.generate.pass", "ok"),
        ("v1.generate.auth", "ok"),
        ("v1.generate.multipart", "ok"),
        ("v1.receipt.post.before", "ok"),
        ("v1.receipt.generated", "ok"),
        ("v1.reveal.form", "ok"),
        // v1 says `Unknown secret`; the v0.23.6 recording has no v2 status for this key,
        // so the client cannot tell gone from a passphrase problem.
        ("v1.reveal.again", "secret_gone_or_wrong_passphrase"),
        ("v1.receipt.after_reveal", "ok"),
        ("v1.reveal.multipart", "ok"),
        ("v1.reveal.query", "ok"),
        ("v1.reveal.generated", "ok"),
        ("v1.reveal.pass.missing", "secret_gone_or_wrong_passphrase"),
        ("v1.reveal.pass.wrong", "secret_gone_or_wrong_passphrase"),
        ("v1.reveal.pass.right", "ok"),
        ("v1.receipt.pass.after", "ok"),
        ("v1.reveal.pass.query", "ok"),
        ("v1.reveal.unknown", "secret_gone_or_wrong_passphrase"),
        ("v1.reveal.shortkey", "secret_gone_or_wrong_passphrase"),
        ("v1.receipt.unknown", "receipt_gone"),
        ("v1.share.forburn", "ok"),
        ("v1.burn", "ok"),
        ("v1.burn.again", "secret_gone"),
        ("v1.receipt.after_burn", "ok"),
        ("v1.reveal.after_burn", "secret_gone_or_wrong_passphrase"),
        ("v1.share.forburnpass", "ok"),
        ("v1.burn.pass.missing", "wrong_passphrase"),
        ("v1.burn.pass.wrong", "wrong_passphrase"),
        ("v1.burn.pass.right", "ok"),
        ("v1.burn.unknown", "secret_gone"),
        ("v1.recent.noauth", "credentials_required"),
        ("v1.recent.auth", "recent_unavailable"),
        ("v2.secret.status_list", "server_error"),
        ("v1.receipt.ratelimited", "rate_limited"),
        ("v2.secret.status_list.ratelimited", "rate_limited"),
    ];
    let recording = recording();
    let mut covered = 0;
    for (step, want) in expected {
        let exchange = recording.step(step).expect("step recorded").clone();
        let server = serve(&[step]).await;
        let client = client_for(&server, &exchange);
        let got = run(&client, &exchange)
            .await
            .unwrap_or_else(|| panic!("{step}: the client has a call for it"));
        assert_eq!(
            got, want,
            "{step}: recorded answer {}",
            exchange.answer.body
        );
        covered += 1;
    }
    assert_eq!(covered, expected.len());
}

#[tokio::test]
async fn viewed_receipts_of_v0_23_are_unread_and_received_is_read() {
    let server = serve(&[
        "v1.receipt.post.before",
        "v1.receipt.after_reveal",
        "v1.receipt.generated",
    ])
    .await;
    let client = Client::new(ServerConfig::new(server.url().clone())).unwrap();
    let s1 = recording()
        .step("v1.receipt.post.before")
        .unwrap()
        .key()
        .to_owned();
    let first = client.receipt(&s1).await.expect("receipt");
    assert_eq!(
        first.state,
        State::Viewed,
        "v0.23.6 says viewed after the sender's fetch"
    );
    assert!(
        first.state.is_unread(),
        "viewed is the sender's own look: unread"
    );
    let later = client.receipt(&s1).await.expect("receipt");
    assert_eq!(later.state, State::Received);
    assert!(!later.state.is_unread());
    assert!(
        later.received.is_some(),
        "the reveal time is in the receipt"
    );

    let g1 = recording()
        .step("v1.receipt.generated")
        .unwrap()
        .key()
        .to_owned();
    let generated = client.receipt(&g1).await.expect("receipt");
    assert_eq!(generated.state, State::Viewed, "generate starts as viewed");
    assert!(generated.state.is_unread());
}

#[tokio::test]
async fn a_burn_answer_with_a_stale_nested_new_state_is_reported_burned() {
    let exchange = recording().step("v1.burn").unwrap().clone();
    assert_eq!(
        exchange.answer.body["state"]["state"], "new",
        "the recording is stale"
    );
    let server = serve(&["v1.burn"]).await;
    let client = Client::new(ServerConfig::new(server.url().clone())).unwrap();
    let burned = client.burn(exchange.key(), None).await.expect("burns");
    assert_eq!(burned.state.state, State::Burned, "a 200 burn means burned");
    assert_eq!(burned.secret_shortkey.as_deref(), Some("m2mtmi"));
    assert_eq!(
        burned.state.secret_key.as_deref(),
        Some("m2mtmi7sli4hf6nxp29fo6j4h3prlsu"),
        "the old key is kept as the server sent it"
    );
}

#[tokio::test]
async fn broken_recent_says_the_server_cannot_list_recent_secrets() {
    let server = serve(&["v1.recent.auth"]).await;
    let exchange = recording().step("v1.recent.auth").unwrap().clone();
    let error = client_for(&server, &exchange)
        .recent()
        .await
        .expect_err("v0.23.6 cannot list");
    assert_eq!(error, Error::RecentUnavailable);
    assert_eq!(error.code(), "recent_unavailable");
    assert!(!error.is_transient(), "asking again gives the same bug");
    let text = error.to_string();
    assert!(text.contains("cannot list recent secrets"), "{text}");
    assert!(
        !text.contains("internal"),
        "not reported as an internal error: {text}"
    );
}

/// Every recorded success body parses into the protocol type for its route, v2 records with
/// numbers as strings and `""` timestamps included.
#[test]
fn every_recorded_success_body_parses() {
    let mut parsed = 0;
    let mut skipped = Vec::new();
    let mut empty_times = 0;
    for exchange in recording().exchanges() {
        if exchange.answer.status != 200 {
            continue;
        }
        let t = exchange.request.template.as_str();
        let body = exchange.answer.body.clone();
        let ok = |r: Result<(), serde_json::Error>| {
            r.unwrap_or_else(|e| panic!("{}: {e}: {body}", exchange.step))
        };
        let step = exchange.step.as_str();
        let as_v1_receipt = |v: Value| serde_json::from_value::<v1::Receipt>(v).map(drop);
        match t {
            "/api/v2/version" => {
                let version: v2::VersionResponse =
                    serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{step}: {e}"));
                assert_eq!(version.version, [0, 23, 6], "{step}");
            }
            "/api/v1/status" | "/api/v1/authcheck" | "/api/v2/status" => {
                ok(serde_json::from_value::<v1::StatusResponse>(body.clone()).map(drop))
            }
            _ if step.starts_with("v1.reveal") => {
                ok(serde_json::from_value::<v1::RevealResponse>(body.clone()).map(drop))
            }
            _ if step.starts_with("v1.burn") => {
                ok(serde_json::from_value::<v1::BurnResponse>(body.clone()).map(drop))
            }
            _ if step.starts_with("v1.") => ok(as_v1_receipt(body.clone())),
            _ if t.starts_with("/api/v2/secret/") && !step.starts_with("v2.conceal") => {
                let envelope: v2::Envelope<v2::SecretRecord> =
                    serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{step}: {e}"));
                if step == "v2.secret.status" {
                    assert_eq!(
                        envelope.record.created,
                        Some(1_796_579_858),
                        "string number"
                    );
                }
            }
            _ if t.starts_with("/api/v2/receipt/{") || t.starts_with("/api/v2/private/{") => {
                let envelope: v2::Envelope<v2::ReceiptRecord> =
                    serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{step}: {e}"));
                let raw = &body["record"];
                if raw["received"] == "" {
                    assert_eq!(envelope.record.received, None, "{step}: \"\" is no time");
                    empty_times += 1;
                }
            }
            _ if step.starts_with("v2.conceal") || step.starts_with("v2.generate") => {
                let envelope: v2::Envelope<Value> =
                    serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{step}: {e}"));
                let receipt: v2::ReceiptRecord =
                    serde_json::from_value(envelope.record["metadata"].clone())
                        .unwrap_or_else(|e| panic!("{step}: {e}"));
                assert_eq!(receipt.identifier.as_deref().map(str::len), Some(31));
            }
            _ => {
                skipped.push(exchange.step.clone());
                continue;
            }
        }
        parsed += 1;
    }
    assert_eq!(parsed, 57, "every 200 answer with a protocol type");
    assert_eq!(
        empty_times, 4,
        "v2 receipts with `received: \"\"` were checked"
    );
    assert_eq!(
        skipped,
        [
            "v2.authcheck.auth",
            "v2.recent.auth",
            "v2.private_recent.auth"
        ],
        "answers the client has no type for (yet)"
    );
}

#[tokio::test]
async fn a_v0_23_server_is_known_by_its_version_and_gets_no_batch_status() {
    let server = serve(&["v2.version.noauth", "v2.secret.status_list"]).await;
    let client = Client::new(ServerConfig::new(server.url().clone())).unwrap();
    assert_eq!(client.generation().await, Generation::V023);
    for _ in 0..2 {
        let error = client
            .clone()
            .secret_status_batch(&["a0000000000", "b0000000000"])
            .await
            .expect_err("no batch on v0.23");
        assert_eq!(error.code(), "unsupported");
    }
    assert_eq!(
        server.requests(),
        ["GET /api/v2/version"],
        "asked once, and the broken batch route never"
    );
}

#[tokio::test]
async fn without_a_version_route_the_client_tries_and_reads_the_answer() {
    let server = serve(&["v2.secret.status_list"]).await;
    let client = Client::new(ServerConfig::new(server.url().clone())).unwrap();
    let error = client
        .secret_status_batch(&["a0000000000", "b0000000000"])
        .await
        .expect_err("v0.23.6 answers 500");
    assert_eq!(error.code(), "server_error");
    assert_eq!(client.generation().await, Generation::Unknown);
    assert_eq!(
        server.requests(),
        ["GET /api/v2/version", "POST /api/v2/secret/status"],
        "the host name decides nothing; the unknown answer is kept"
    );
}
