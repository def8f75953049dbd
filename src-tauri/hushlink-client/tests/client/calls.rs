//! Every call against the documented success answers: what the client sends (method, path,
//! form, auth, user agent) and what it makes of the answer.

use axum::http::Method;
use hushlink_client::{GenerateRequest, ShareRequest, USER_AGENT};
use hushlink_protocol::{v1, SecretText, State};

use crate::support::{fixture, fixture_body, form, Clients, StubServer};

const SK: &str = "0dbvie5bc9ec88xnt5mh0we4j65gj1pp95nr25xkddh22uv08fc5ryzlrzge6i";
const MK: &str = "9anrj6jyrxbupnijxdpvn80uhaz6atypbampv05cz7hwxdd65g0d454u1mvhrh";

#[tokio::test]
async fn status_and_authcheck_are_gets_with_our_user_agent() {
    let server = StubServer::fixture("v1_status").await;
    assert!(server.client().status().await.unwrap().is_nominal());
    let seen = server.last();
    assert_eq!(
        (&seen.method, seen.path.as_str()),
        (&Method::GET, "/api/v1/status")
    );
    assert_eq!(seen.user_agent.as_deref(), Some(USER_AGENT));
    assert!(USER_AGENT.starts_with("hushlink/"));
    assert_eq!(
        seen.authorization, None,
        "anonymous calls send no Authorization header"
    );

    let server = StubServer::fixture("v1_authcheck").await;
    server.authed_client().authcheck().await.unwrap();
    let seen = server.last();
    assert_eq!(seen.path, "/api/v1/authcheck");
    // base64("alice@example.com:tok3n")
    assert_eq!(
        seen.authorization.as_deref(),
        Some("Basic YWxpY2VAZXhhbXBsZS5jb206dG9rM24=")
    );

    let legacy = StubServer::fixture("v1_status_legacy").await;
    assert!(
        legacy.client().status().await.unwrap().is_nominal(),
        "status without locale"
    );
}

#[tokio::test]
async fn share_posts_a_form_and_builds_both_links() {
    let server = StubServer::fixture("v1_share").await;
    let request = ShareRequest {
        passphrase: Some(SecretText::from("open sesame")),
        ttl: Some(3600),
        recipient: Some("bob@example.com".into()),
        ..ShareRequest::new(SecretText::from("hunter2 & co"))
    };
    let shared = server.client().share(request).await.unwrap();
    let seen = server.last();
    assert_eq!(
        (&seen.method, seen.path.as_str()),
        (&Method::POST, "/api/v1/share")
    );
    let fields = form(&seen);
    for (name, value) in [
        ("secret", "hunter2 & co"),
        ("passphrase", "open sesame"),
        ("ttl", "3600"),
        ("recipient", "bob@example.com"),
    ] {
        assert!(
            fields.contains(&(name.into(), value.into())),
            "{name} sent as a form field: {fields:?}"
        );
    }
    assert_eq!(shared.receipt.state, State::New);
    assert_eq!(
        shared.secret_link.to_url().as_str(),
        format!("{}secret/{SK}", server.url())
    );
    assert_eq!(
        shared.receipt_link.to_url().as_str(),
        format!("{}receipt/{MK}", server.url())
    );
}

#[tokio::test]
async fn share_answers_of_older_servers_are_accepted() {
    for name in ["v1_share_v023", "v1_share_string_numbers"] {
        let server = StubServer::fixture(name).await;
        let shared = server
            .client()
            .share(ShareRequest::new(SecretText::from("x")))
            .await
            .unwrap();
        assert_eq!(shared.receipt.ttl, Some(3600), "{name}");
        assert_eq!(
            shared.secret_link.key, "6r4zzqmbl7jm7n0dt6y38nsevqgsi8o",
            "{name}"
        );
    }
}

#[tokio::test]
async fn links_use_the_custom_domain_the_server_minted_on() {
    let server = StubServer::start(|_| {
        let mut body = fixture_body("v1_share");
        body["share_domain"] = "secrets.example.com".into();
        axum::Json(body).into_response()
    })
    .await;
    let shared = server
        .client()
        .share(ShareRequest::new(SecretText::from("x")))
        .await
        .unwrap();
    assert_eq!(
        shared.secret_link.base.as_str(),
        "https://secrets.example.com/",
        "a public share domain gives https links, whatever our base's scheme"
    );
}

#[tokio::test]
async fn a_share_domain_cannot_turn_links_into_plain_http_to_a_public_host() {
    let server = StubServer::start(|_| {
        let mut body = fixture_body("v1_share");
        body["share_domain"] = "http://secrets.example.com".into();
        axum::Json(body).into_response()
    })
    .await;
    let shared = server
        .client()
        .share(ShareRequest::new(SecretText::from("x")))
        .await
        .unwrap();
    assert_eq!(
        shared.secret_link.base.host_str(),
        Some("127.0.0.1"),
        "the downgrade is ignored: links stay on the profile's own base"
    );
}

use axum::response::IntoResponse;

#[tokio::test]
async fn generate_returns_the_password() {
    for name in ["v1_generate", "v1_generate_v023"] {
        let server = StubServer::fixture(name).await;
        let generated = server
            .client()
            .generate(GenerateRequest {
                ttl: Some(600),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            generated.receipt.generated_value().map(SecretText::expose),
            Some("Xk7#pQ2mZr9w"),
            "{name}"
        );
        let seen = server.last();
        assert_eq!(seen.path, "/api/v1/generate");
        assert_eq!(form(&seen), [("ttl".to_owned(), "600".to_owned())]);
    }
}

#[tokio::test]
async fn reveal_posts_passphrase_and_continue() {
    let server = StubServer::fixture("v1_reveal").await;
    let answer = server
        .client()
        .reveal(SK, Some(&SecretText::from("open sesame")))
        .await
        .unwrap();
    assert_eq!(answer.value.expose(), "correct horse battery staple");
    let seen = server.last();
    assert_eq!(
        (&seen.method, &seen.path),
        (&Method::POST, &format!("/api/v1/secret/{SK}"))
    );
    assert_eq!(
        form(&seen),
        [
            ("passphrase".to_owned(), "open sesame".to_owned()),
            ("continue".to_owned(), "true".to_owned())
        ]
    );
}

#[tokio::test]
async fn receipt_reports_every_state() {
    let cases = [
        ("v1_receipt_new", State::New),
        ("v1_receipt_viewed_v023", State::Viewed),
        ("v1_receipt_received", State::Received),
        ("v1_receipt_burned", State::Burned),
        ("v1_receipt_expired", State::Expired),
        ("v1_receipt_orphaned", State::Orphaned),
    ];
    for (name, state) in cases {
        let server = StubServer::fixture(name).await;
        let receipt = server.client().receipt(MK).await.unwrap();
        assert_eq!(receipt.state, state, "{name}");
        assert_eq!(server.last().path, format!("/api/v1/private/{MK}"));
    }
}

#[tokio::test]
async fn burn_reports_burned_even_when_head_sends_the_stale_receipt() {
    for name in ["v1_burn", "v1_burn_relay"] {
        let server = StubServer::fixture(name).await;
        let burned = server.client().burn(MK, None).await.unwrap();
        assert_eq!(burned.state.state, State::Burned, "{name}");
        assert_eq!(burned.secret_shortkey.as_deref(), Some("0dbvie5b"));
        let seen = server.last();
        assert_eq!(
            (&seen.method, &seen.path),
            (&Method::POST, &format!("/api/v1/private/{MK}/burn"))
        );
        assert_eq!(form(&seen), [("continue".to_owned(), "true".to_owned())]);
    }
}

#[tokio::test]
async fn recent_lists_receipts() {
    let server = StubServer::fixture("v1_recent").await;
    let recent: Vec<v1::Receipt> = server.authed_client().recent().await.unwrap();
    assert_eq!(recent.len(), 2);
    assert_eq!(server.last().path, "/api/v1/private/recent");
    let empty = StubServer::fixture("v1_recent_empty").await;
    assert!(empty.authed_client().recent().await.unwrap().is_empty());
}

#[tokio::test]
async fn batch_status_posts_identifiers_to_v2() {
    let server = StubServer::fixture("v2_secret_status_batch").await;
    let answer = server
        .client()
        .secret_status_batch(&[SK, "abcdefghijklmnopqrst"])
        .await
        .unwrap();
    assert_eq!(answer.records[0].secret_key(), Some(SK));
    let seen = server.last();
    assert_eq!(
        (&seen.method, seen.path.as_str()),
        (&Method::POST, "/api/v2/secret/status")
    );
    assert_eq!(
        form(&seen),
        [(
            "identifiers".to_owned(),
            format!("{SK},abcdefghijklmnopqrst")
        )]
    );
}

#[tokio::test]
async fn malformed_keys_are_refused_before_any_request() {
    let server = StubServer::start(|_| fixture("v1_reveal")).await;
    let client = server.client();
    for key in ["", "../status", "abc/def", "key?x=1", &"a".repeat(129)] {
        let err = client.reveal(key, None).await.unwrap_err();
        assert_eq!(err.code(), "invalid_key", "{key:?}");
    }
    assert!(server.requests().is_empty(), "no request was sent");
}
