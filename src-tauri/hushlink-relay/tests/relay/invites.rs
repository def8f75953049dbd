//! One-time invites against the real relay on 127.0.0.1, imported with the client crate:
//! the browser page never uses an invite up, the client gets a working token exactly once,
//! and expired or withdrawn invites fail with their own errors.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hushlink_client::invite::{accept_invite, Invite, InviteError};
use hushlink_client::{Client, ServerConfig, ShareRequest};
use hushlink_relay::{Clock, CreatedInvite, InviteAddress, InviteState, TlsIdentity};

use crate::support::{http, TestRelay};

async fn invite(relay: &TestRelay, name: &str, ttl: Option<u64>) -> CreatedInvite {
    relay
        .relay
        .create_invite(name, ttl, &InviteAddress::plain(relay.url.clone()))
        .await
        .expect("invite created")
}

/// A client of the relay that authenticates with the invite's token.
fn client_of(invite: &Invite) -> Client {
    let base = invite.origin.parse().expect("origin is a URL");
    Client::new(
        ServerConfig::new(base).with_credentials(invite.token_name.clone(), invite.token.clone()),
    )
    .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_page_leaves_it_whole_and_the_client_imports_it_once() {
    let relay = TestRelay::start(|c| c.name = Some("Front office".into())).await;
    let created = invite(&relay, "alice", None).await;
    let link = created.link.expose();
    let page_url = link.split('#').next().expect("path part").to_owned();
    assert_eq!(
        page_url,
        format!("{}/invite/{}", relay.url, created.link.key)
    );

    for _ in 0..2 {
        let page = http().get(&page_url).send().await.expect("page");
        assert_eq!(
            page.status(),
            200,
            "the page shows while the invite is pending"
        );
        let headers = page.headers().clone();
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'none'"),
            "the pages' CSP applies"
        );
        assert_eq!(headers["cache-control"], "no-store");
        let html = page.text().await.unwrap();
        assert!(html.contains("Open this invite in Hushlink"), "{html}");
        assert!(html.contains("Add a server"), "it says how");
        assert!(html.contains("Front office"), "and whose relay it is");
    }

    let imported = accept_invite(&link).await.expect("the invite imports");
    assert_eq!(imported.name, "Front office");
    assert_eq!(imported.origin, relay.url);
    assert_eq!(imported.token_name, "alice");
    assert_eq!(imported.https_port, None);
    let colleague = client_of(&imported);
    colleague
        .authcheck()
        .await
        .expect("the relay knows the token");
    let shared = colleague
        .share(ShareRequest::new("from alice's new profile".into()))
        .await
        .expect("the token creates a secret with HTTP Basic");
    assert!(shared.receipt.secret_key.is_some_and(|k| !k.is_empty()));

    let again = accept_invite(&link).await.unwrap_err();
    assert!(matches!(again, InviteError::Used), "{again}");
    assert_eq!(again.code(), "invite_used");
    let raw = http()
        .post(format!(
            "{}/api/v2/invite/{}/accept",
            relay.url, created.link.key
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 410);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["error_type"], "InviteUsed");
    assert!(body["message"].as_str().unwrap().contains("already used"));

    let gone_page = http().get(&page_url).send().await.unwrap();
    assert_eq!(gone_page.status(), 404, "a used invite's page says so");
    let states = relay.relay.list_invites().await.unwrap();
    assert_eq!(states[0].state, InviteState::Accepted);
    assert_eq!(states[0].accepted_from.as_deref(), Some("127.0.0.1"));
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_invite_fails_with_its_own_error() {
    let clock = Clock::manual(1_800_000_000);
    let relay = TestRelay::start_with_clock(|_| {}, clock.clone()).await;
    let created = invite(&relay, "bob", Some(3_600)).await;
    clock.advance(3_601);
    let err = accept_invite(&created.link.expose()).await.unwrap_err();
    assert!(matches!(err, InviteError::Expired), "{err}");
    assert!(err.to_string().contains("expired"));
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawn_invite_fails_and_a_copy_taken_before_opens_a_dead_token() {
    if crate::support::sqlite_only(
        "reads the sealed invite from the SQLite file; pg_suite has the PostgreSQL copy",
    ) {
        return;
    }
    let relay = TestRelay::start(|_| {}).await;
    let created = invite(&relay, "carol", None).await;
    // What someone who copied the database before the withdrawal would hold.
    let db = relay.relay.config().data_dir.join("relay.sqlite3");
    let sealed: Vec<u8> = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT sealed FROM invites", [], |r| r.get(0))
        .unwrap();
    assert!(
        relay
            .relay
            .withdraw_invite(&created.summary.id)
            .await
            .unwrap(),
        "a pending invite can be withdrawn"
    );

    let err = accept_invite(&created.link.expose()).await.unwrap_err();
    assert!(matches!(err, InviteError::Withdrawn), "{err}");
    assert_eq!(err.code(), "invite_withdrawn");

    let copied =
        hushlink_client::invite::open(&URL_SAFE_NO_PAD.encode(sealed), &created.link.fragment)
            .expect("the copy opens with the link's fragment");
    assert_eq!(copied.token_name, "carol");
    let refused = client_of(&copied).authcheck().await.unwrap_err();
    assert_eq!(
        refused.code(),
        "bad_credentials",
        "the withdrawn invite's token was revoked: {refused}"
    );
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_or_mangled_invite_is_not_found() {
    let relay = TestRelay::start(|_| {}).await;
    let created = invite(&relay, "dave", None).await;
    let mut other_key = created.link.clone();
    other_key.key = "0".repeat(50);
    let err = accept_invite(&other_key.expose()).await.unwrap_err();
    assert!(matches!(err, InviteError::NotFound), "{err}");
    let mut wrong_fragment = created.link.clone();
    wrong_fragment.fragment = URL_SAFE_NO_PAD.encode([7u8; 32]).into();
    let err = accept_invite(&wrong_fragment.expose()).await.unwrap_err();
    assert!(
        matches!(err, InviteError::Undecryptable),
        "a wrong fragment cannot open it: {err}"
    );
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_invite_creates_over_https_and_its_links_stay_plain_http() {
    let relay = TestRelay::start(|_| {}).await;
    let tls_dir = tempfile::tempdir().unwrap();
    let identity = TlsIdentity::load_or_generate(tls_dir.path(), &["127.0.0.1".into()]).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let https = tokio::spawn(hushlink_relay::serve_tls(
        listener,
        relay.relay.clone(),
        identity.server_config(),
        std::future::pending(),
    ));
    let address = InviteAddress {
        origin: relay.url.clone(),
        https_port: Some(port),
        fingerprint: Some(identity.fingerprint().to_hex()),
    };
    let created = relay
        .relay
        .create_invite("gail", None, &address)
        .await
        .unwrap();

    let imported = accept_invite(&created.link.expose()).await.unwrap();
    assert_eq!(imported.https_port, Some(port));
    let config = imported.server_config().expect("a pinned profile");
    assert_eq!(
        config.base_url.as_str(),
        format!("https://127.0.0.1:{port}/")
    );
    let shared = Client::new(config)
        .unwrap()
        .share(ShareRequest::new("over the pinned port".into()))
        .await
        .expect("the token creates over the pinned HTTPS listener");
    assert!(
        shared
            .secret_link
            .to_url()
            .as_str()
            .starts_with(&format!("{}/secret/", relay.url)),
        "recipients get the plain-HTTP origin: {}",
        shared.secret_link.to_url()
    );
    https.abort();
    relay.stop().await;
}
