//! Importing a colleague's relay from a one-time invite, against the real relay on 127.0.0.1
//! with its plain-HTTP listener (links, the invite) and its pinned HTTPS listener (the API):
//! the profile is pinned, the token lands in the keyring only, shares go through it with
//! plain-HTTP links, an invite works once, and another certificate is refused.

use std::sync::Arc;
use std::time::Duration;

use hushlink_client::SecretText;
use hushlink_relay::{InviteAddress, InviteState, TlsIdentity};
use hushlink_testkit::TestRelay;
use hushlink_tracker::keychain::token_account;
use hushlink_tracker::{CreateRequest, MemoryKeychain, Profile, ProfileKind};

use crate::common::{Harness, START_SECS};

/// A relay serving plain HTTP and HTTPS with its own certificate, as the app's relay does.
async fn tls_relay() -> TestRelay {
    TestRelay::builder()
        .manual_clock(START_SECS)
        .tls()
        .config(|c| c.name = Some("Front office".into()))
        .start()
        .await
}

/// A one-time invite for `name` naming both listeners and the certificate.
async fn invite(relay: &TestRelay, name: &str) -> (String, String) {
    let fingerprint = relay.identity().fingerprint().to_hex();
    invite_at(relay, name, relay.https_addr().port(), &fingerprint).await
}

/// A one-time invite for `name` naming this HTTPS port and certificate fingerprint.
async fn invite_at(
    relay: &TestRelay,
    name: &str,
    https_port: u16,
    fingerprint: &str,
) -> (String, String) {
    let created = relay
        .relay()
        .create_invite(
            name,
            None,
            &InviteAddress {
                origin: relay.origin(),
                https_port: Some(https_port),
                fingerprint: Some(fingerprint.to_owned()),
            },
        )
        .await
        .expect("invite created");
    (created.link.expose(), created.summary.id)
}

fn request(profile: &Profile, text: &str) -> CreateRequest {
    CreateRequest {
        label: "Wi-Fi".into(),
        profile_id: Some(profile.id.clone()),
        secret: SecretText::new(text),
        passphrase: None,
        expiry_secs: Some(3600),
        recipient: None,
        email_recipient: false,
        notify: None,
        end_to_end: false,
        sender_note: None,
    }
}

fn custom_profiles(h: &Harness) -> Vec<Profile> {
    h.tracker
        .profiles()
        .into_iter()
        .filter(|p| p.kind == ProfileKind::Custom)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_becomes_the_default_pinned_profile_with_its_token_in_the_keyring() {
    let mut relay = tls_relay().await;
    let (link, _) = invite(&relay, "alice").await;
    let h = Harness::new(None);

    let profile = h.tracker.import_invite(&link).await.expect("imports");
    assert_eq!(profile.name, "Front office", "named after the relay");
    assert_eq!(profile.kind, ProfileKind::Custom);
    assert_eq!(
        profile.base_url,
        relay.https_url().to_string(),
        "calls go to the HTTPS port"
    );
    assert_eq!(
        profile.link_origin.as_deref(),
        Some(format!("{}/", relay.origin()).as_str()),
        "links carry the plain-HTTP origin"
    );
    assert_eq!(
        profile.pinned_cert,
        Some(relay.identity().fingerprint().to_string()),
        "pinned to the invite's certificate"
    );
    assert_eq!(profile.username.as_deref(), Some("alice"));
    assert!(profile.hushlink_relay && profile.has_token && profile.is_default);

    let token = h
        .keychain
        .get(&token_account(&profile.id))
        .expect("keychain answers")
        .expect("the token is in the keyring");
    assert!(!token.is_empty());
    let files =
        std::fs::read_to_string(h.dir.path().join("config/profiles.json")).expect("profiles saved");
    assert!(
        !files.contains(token.as_str()),
        "the token never reaches the profiles file"
    );
    let check = h
        .tracker
        .check_connection(&profile.id)
        .await
        .expect("the pinned relay answers");
    assert!(check.authenticated, "the relay accepts the invite's token");

    let created = h
        .tracker
        .create(request(&profile, "guest network: hunter2"))
        .await
        .expect("shares through the pinned profile");
    assert!(
        created
            .share_link
            .starts_with(&format!("{}/secret/", relay.origin())),
        "a recipient's browser opens the plain-HTTP page: {}",
        created.share_link
    );
    let revealed = hushlink_client::Client::new(hushlink_client::ServerConfig::new(
        format!("{}/", relay.origin()).parse().expect("url"),
    ))
    .expect("client")
    .reveal_link(
        &hushlink_client::Link::parse(&created.share_link).expect("a share link"),
        None,
    )
    .await
    .expect("the recipient reveals it over plain HTTP");
    assert_eq!(revealed.expose(), "guest network: hunter2");
    let entry = h
        .tracker
        .refresh(&created.entry.id)
        .await
        .expect("its receipt is read through the pinned profile");
    assert_eq!(entry.state, hushlink_tracker::SecretState::Opened);

    let mut e2e = request(&profile, "end to end over the pin");
    e2e.end_to_end = true;
    let sealed = h
        .tracker
        .create(e2e)
        .await
        .expect("an end-to-end share through the pinned relay");
    assert!(
        sealed
            .share_link
            .starts_with(&format!("{}/secret/", relay.origin())),
        "{}",
        sealed.share_link
    );
    let log = relay
        .relay()
        .access_log()
        .query(hushlink_relay::AccessLogFilter {
            action: Some(hushlink_relay::AccessAction::Create),
            ..Default::default()
        })
        .await
        .expect("log");
    assert!(
        log.iter().any(|e| e.token_name.as_deref() == Some("alice")),
        "the relay names the colleague who created it: {log:?}"
    );

    let again = h
        .tracker
        .import_invite(&link)
        .await
        .expect_err("an invite works once");
    assert_eq!(again.code(), "invite_used", "{again}");
    assert_eq!(custom_profiles(&h).len(), 1, "no second profile");
    h.tracker.shutdown().await;
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_presenting_another_certificate_is_refused_before_the_token_is_sent() {
    let mut relay = tls_relay().await;
    let h = Harness::new(None);
    // The invite names the relay's certificate, but its HTTPS port presents another one: what
    // an impostor on the LAN (or a relay whose certificate was replaced) shows.
    let other_dir = tempfile::tempdir().expect("temp dir");
    let impostor = TlsIdentity::load_or_generate(other_dir.path(), &[]).expect("certificate");
    assert_ne!(impostor.fingerprint(), relay.identity().fingerprint());
    let impostor_tls = relay.serve_tls_with(&impostor).await;
    let port = impostor_tls.addr().port();
    let fingerprint = relay.identity().fingerprint().to_hex();
    let (link, _) = invite_at(&relay, "alice", port, &fingerprint).await;
    let profile = h.tracker.import_invite(&link).await.expect("imports");

    let err = h
        .tracker
        .check_connection(&profile.id)
        .await
        .expect_err("another certificate");
    assert_eq!(err.code(), "tls_pin_mismatch", "{err}");
    let err = h
        .tracker
        .create(request(&profile, "must not leave"))
        .await
        .expect_err("nothing is shared with an impostor");
    assert_eq!(err.code(), "tls_pin_mismatch", "{err}");
    let status = relay.relay().status().await.expect("status");
    assert_eq!(status.live_secrets, 0, "no secret reached the relay");

    // A new invite naming the certificate really there (the relay was set up again) renews
    // the same profile's pin, and then it shares.
    let (link, _) = invite_at(&relay, "alice-2", port, &impostor.fingerprint().to_hex()).await;
    let renewed = h.tracker.import_invite(&link).await.expect("re-imports");
    assert_eq!(renewed.id, profile.id, "the same relay keeps one profile");
    assert_eq!(
        renewed.pinned_cert,
        Some(impostor.fingerprint().to_string())
    );
    assert_eq!(renewed.username.as_deref(), Some("alice-2"));
    h.tracker
        .create(request(&renewed, "now it may"))
        .await
        .expect("shares with the new pin");
    h.tracker.shutdown().await;
    impostor_tls.stop().await;
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_withdrawn_damaged_unknown_foreign_and_unreachable_invites_fail_apart() {
    let mut relay = tls_relay().await;
    let h = Harness::new(None);

    let (withdrawn, id) = invite(&relay, "bob").await;
    assert!(relay.relay().withdraw_invite(&id).await.expect("withdraws"));
    let err = h.tracker.import_invite(&withdrawn).await.expect_err("gone");
    assert_eq!(err.code(), "invite_withdrawn", "{err}");

    let (expired, _) = invite(&relay, "carol").await;
    relay.advance(Duration::from_secs(25 * 3600));
    let err = h.tracker.import_invite(&expired).await.expect_err("late");
    assert_eq!(err.code(), "invite_expired", "{err}");

    let err = h
        .tracker
        .import_invite(&format!("{}/secret/abc", relay.origin()))
        .await
        .expect_err("a secret link is not an invite");
    assert_eq!(err.code(), "invite_link_invalid", "{err}");

    let (damaged, _) = invite(&relay, "dan").await;
    let (path, _) = damaged.split_once('#').expect("a fragment");
    let err = h
        .tracker
        .import_invite(&format!("{path}#{}", "A".repeat(43)))
        .await
        .expect_err("another key opens nothing");
    assert_eq!(err.code(), "invite_undecryptable", "{err}");
    let err = h
        .tracker
        .import_invite(&damaged)
        .await
        .expect_err("and the invite was used up by that attempt");
    assert_eq!(err.code(), "invite_used", "{err}");
    let err = h
        .tracker
        .import_invite(&format!(
            "{}/invite/{}#{}",
            relay.origin(),
            "x".repeat(52),
            "A".repeat(43)
        ))
        .await
        .expect_err("no such invite");
    assert_eq!(err.code(), "invite_not_found", "{err}");

    let (link, _) = invite(&relay, "dave").await;
    let path_and_fragment = &link[relay.origin().len()..];
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let err = h
        .tracker
        .import_invite(&format!("http://127.0.0.1:{port}{path_and_fragment}"))
        .await
        .expect_err("nobody there");
    assert_eq!(err.code(), "server_unreachable", "{err}");

    assert!(custom_profiles(&h).is_empty(), "no failure left a profile");
    h.tracker.shutdown().await;
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_without_https_makes_no_profile_and_no_keyring_spends_no_invite() {
    let mut relay = tls_relay().await;
    let plain = relay
        .relay()
        .create_invite("erin", None, &InviteAddress::plain(relay.origin()))
        .await
        .expect("invite");
    let h = Harness::new(None);
    let err = h
        .tracker
        .import_invite(&plain.link.expose())
        .await
        .expect_err("the token would travel in clear");
    assert_eq!(err.code(), "invite_without_tls", "{err}");
    assert!(custom_profiles(&h).is_empty());

    let locked = Harness::with_keychain(None, Arc::new(MemoryKeychain::unavailable()));
    let (link, id) = invite(&relay, "frank").await;
    let err = locked
        .tracker
        .import_invite(&link)
        .await
        .expect_err("no keyring to keep the token");
    assert_eq!(err.code(), "keyring_unavailable", "{err}");
    let state = relay
        .relay()
        .list_invites()
        .await
        .expect("list")
        .into_iter()
        .find(|i| i.id == id)
        .expect("listed")
        .state;
    assert_eq!(
        state,
        InviteState::Pending,
        "the invite is still there to use"
    );
    h.tracker.shutdown().await;
    locked.tracker.shutdown().await;
    relay.stop().await;
}
