//! Every documented error answer, served exactly as the reference shows it, maps to the
//! error kind it means; a wrong mapping fails the row that names it.

use std::time::Duration;

use axum::{response::IntoResponse, Json};
use hushlink_client::{Client, Error, GenerateRequest, ShareRequest};
use hushlink_protocol::{errors, SecretText};
use serde_json::json;

use crate::support::{fixture, Clients, StubServer};

const KEY: &str = "0dbvie5bc9ec88xnt5mh0we4j65gj1pp95nr25xkddh22uv08fc5ryzlrzge6i";

#[derive(Clone, Copy, Debug)]
enum Call {
    Status,
    Share,
    Generate,
    Reveal,
    RevealWithPassphrase,
    Receipt,
    Burn,
    Recent,
    Batch,
}

async fn run(client: &Client, call: Call) -> Error {
    let pass = SecretText::from("open sesame");
    let result = match call {
        Call::Status => client.status().await.map(drop),
        Call::Share => client
            .share(ShareRequest::new(SecretText::from("hunter2")))
            .await
            .map(drop),
        Call::Generate => client.generate(GenerateRequest::default()).await.map(drop),
        Call::Reveal => client.reveal(KEY, None).await.map(drop),
        Call::RevealWithPassphrase => client.reveal(KEY, Some(&pass)).await.map(drop),
        Call::Receipt => client.receipt(KEY).await.map(drop),
        Call::Burn => client.burn(KEY, Some(&pass)).await.map(drop),
        Call::Recent => client.recent().await.map(drop),
        Call::Batch => client.secret_status_batch(&[KEY]).await.map(drop),
    };
    result.expect_err("the fixture is an error answer")
}

fn rejected(text: &str) -> Error {
    Error::Rejected {
        message: text.into(),
    }
}

#[tokio::test]
async fn every_v1_error_fixture_maps_to_its_kind() {
    use Call::*;
    let cases: Vec<(&str, Call, bool, Error)> = vec![
        (
            "v1_error_not_authorized",
            Recent,
            false,
            Error::CredentialsRequired,
        ),
        (
            "v1_error_not_authorized",
            Recent,
            true,
            Error::BadCredentials,
        ),
        (
            "v1_error_not_authorized",
            Status,
            true,
            Error::BadCredentials,
        ),
        (
            "v1_error_unknown_secret",
            Receipt,
            false,
            Error::ReceiptGone,
        ),
        ("v1_error_unknown_secret", Burn, false, Error::SecretGone),
        // The fixture server answers the v2 probe with the same 404, so it cannot tell.
        (
            "v1_error_unknown_secret",
            Reveal,
            false,
            Error::SecretGoneOrWrongPassphrase,
        ),
        (
            "v1_error_unknown_secret",
            RevealWithPassphrase,
            false,
            Error::SecretGoneOrWrongPassphrase,
        ),
        (
            "v1_error_nothing_to_share",
            Share,
            false,
            rejected(errors::NOTHING_TO_SHARE),
        ),
        (
            "v1_error_validation_v023",
            Share,
            false,
            rejected(errors::NOTHING_TO_SHARE),
        ),
        (
            "v1_error_secret_too_large",
            Share,
            false,
            rejected(errors::SECRET_TOO_LARGE),
        ),
        (
            "v1_error_passphrase_too_short",
            Share,
            false,
            rejected(&errors::passphrase_too_short(4)),
        ),
        (
            "v1_error_passphrase_too_long",
            Share,
            false,
            rejected(&errors::passphrase_too_long(128)),
        ),
        (
            "v1_error_passphrase_required",
            Share,
            false,
            rejected(errors::PASSPHRASE_REQUIRED),
        ),
        (
            "v1_error_account_required",
            Share,
            false,
            rejected(errors::ACCOUNT_REQUIRED_FOR_EMAIL),
        ),
        (
            "v1_error_generate_length",
            Generate,
            false,
            rejected(errors::GENERATE_LENGTH_TOO_LONG),
        ),
        (
            "v1_error_double_check_passphrase",
            Burn,
            false,
            Error::WrongPassphrase,
        ),
        (
            "v1_error_rate_limited",
            Share,
            false,
            Error::RateLimited { retry_after: None },
        ),
        (
            "v1_error_rate_limited_v023",
            Reveal,
            false,
            Error::RateLimited { retry_after: None },
        ),
        (
            "v1_error_not_found_short_key",
            Reveal,
            false,
            Error::SecretGone,
        ),
        (
            "v1_error_not_found_short_key",
            Receipt,
            false,
            Error::ReceiptGone,
        ),
        (
            "v1_error_route_not_found",
            Share,
            false,
            Error::Unsupported { call: "share" },
        ),
        (
            "v1_error_unexpected",
            Share,
            false,
            Error::ServerError { status: 404 },
        ),
        ("v1_error_auth_disabled", Status, true, Error::AuthDisabled),
        ("v2_error_unauthorized", Batch, true, Error::BadCredentials),
        (
            "v2_error_route_not_found",
            Batch,
            false,
            Error::Unsupported {
                call: "batch status",
            },
        ),
        (
            "v2_error_limit_exceeded",
            Batch,
            false,
            Error::RateLimited {
                retry_after: Some(Duration::from_secs(1800)),
            },
        ),
        (
            "v2_error_server",
            Batch,
            false,
            Error::ServerError { status: 500 },
        ),
    ];
    for (name, call, authed, expected) in cases {
        let server = StubServer::fixture(name).await;
        let client = if authed {
            server.authed_client()
        } else {
            server.client()
        };
        let got = run(&client, call).await;
        assert_eq!(got, expected, "{name} on {call:?} (credentials: {authed})");
        assert!(
            !server.requests().is_empty(),
            "{name}: the request reached the server"
        );
    }
}

/// A server that answers reveal with `Unknown secret` and the v2 status probe with `probe`.
async fn reveal_server(
    probe: impl Fn() -> axum::response::Response + Send + Sync + 'static,
) -> StubServer {
    StubServer::start(move |seen| {
        if seen.path.starts_with("/api/v2/secret/") {
            probe()
        } else {
            fixture("v1_error_unknown_secret")
        }
    })
    .await
}

#[tokio::test]
async fn reveal_tells_gone_from_wrong_passphrase_when_v2_status_answers() {
    let server = reveal_server(|| fixture("v2_secret_status")).await;
    assert_eq!(
        run(&server.client(), Call::RevealWithPassphrase).await,
        Error::WrongPassphrase
    );
    assert_eq!(
        run(&server.client(), Call::Reveal).await,
        Error::PassphraseRequired
    );
    let probe = server
        .requests()
        .into_iter()
        .find(|s| s.path.starts_with("/api/v2"))
        .expect("probe sent");
    assert_eq!(probe.path, format!("/api/v2/secret/{KEY}/status"));
    assert!(probe.body.is_empty(), "the probe sends no passphrase");

    let gone = reveal_server(|| fixture("v2_secret_status_unknown")).await;
    assert_eq!(
        run(&gone.client(), Call::RevealWithPassphrase).await,
        Error::SecretGone
    );
    assert_eq!(run(&gone.client(), Call::Reveal).await, Error::SecretGone);

    let revealed =
        reveal_server(|| Json(json!({"record": {"state": "revealed"}})).into_response()).await;
    assert_eq!(
        run(&revealed.client(), Call::RevealWithPassphrase).await,
        Error::SecretGone
    );

    let guest_gate = reveal_server(|| fixture("v2_error_unauthorized")).await;
    assert_eq!(
        run(&guest_gate.client(), Call::RevealWithPassphrase).await,
        Error::SecretGoneOrWrongPassphrase,
        "no usable probe answer: the honest ambiguous error"
    );
}

#[test]
fn codes_are_stable_and_distinct() {
    let all = [
        Error::InvalidUrl {
            reason: String::new(),
        },
        Error::InsecureUrl {
            host: String::new(),
        },
        Error::InvalidKey { reason: "" },
        Error::InvalidConfig { reason: "" },
        Error::Unreachable {
            reason: String::new(),
        },
        Error::Timeout,
        Error::Tls {
            reason: String::new(),
        },
        Error::Redirected {
            status: 302,
            location: String::new(),
        },
        Error::BadCredentials,
        Error::CredentialsRequired,
        Error::AuthDisabled,
        Error::SecretGone,
        Error::ReceiptGone,
        Error::WrongPassphrase,
        Error::PassphraseRequired,
        Error::SecretGoneOrWrongPassphrase,
        Error::RateLimited { retry_after: None },
        Error::Rejected {
            message: String::new(),
        },
        Error::ServerError { status: 500 },
        Error::Unsupported { call: "" },
        Error::NotOnetime {
            status: 200,
            excerpt: String::new(),
        },
        Error::Decrypt(hushlink_client::e2e::E2eError::Tampered),
        Error::Setup {
            reason: String::new(),
        },
    ];
    let codes: std::collections::BTreeSet<_> = all.iter().map(|e| e.code().as_str()).collect();
    assert_eq!(codes.len(), all.len(), "every variant has its own code");
    assert!(
        codes
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')),
        "{codes:?}"
    );
}
