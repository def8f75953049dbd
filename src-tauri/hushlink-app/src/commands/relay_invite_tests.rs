//! Invites made through the command path, accepted by a colleague's client
//! (`hushlink_client::accept_invite`) over the relay's plain-HTTP port on 127.0.0.1; and a
//! damaged certificate, which the switch refuses to replace.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use hushlink_client::invite::{accept_invite, InviteError};
use hushlink_client::{CertPin, Client, ServerConfig};

use super::*;
use crate::relay::invites::InviteStatus;
use crate::relay::Endpoint;

const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn free_port() -> u16 {
    std::net::TcpListener::bind((LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("an ephemeral port")
        .port()
}

async fn running_switch(dir: &std::path::Path) -> (RelaySwitch, RelayPanelStatus) {
    let switch = RelaySwitch::new(dir.join("relay"), Arc::new(|_| {}));
    let panel = switch
        .start_on(Endpoint {
            interface: "lo".into(),
            ip: LOCALHOST,
            port: free_port(),
            https_port: free_port(),
        })
        .await
        .expect("starts");
    (switch, panel)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invite_from_the_panel_is_accepted_once_with_the_pinned_https_details() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (switch, panel) = running_switch(dir.path()).await;
    let made = invite(&switch, "  Sam  ").await.expect("an invite");
    assert_eq!(made.invite.name, "Sam", "the name is trimmed");
    assert_eq!(made.invite.status, InviteStatus::Pending);
    assert_eq!(
        made.invite.expires_at - made.invite.created_at,
        86_400_000,
        "24 hours by default (Unix milliseconds, like every time the UI gets)"
    );
    assert!(made
        .qr_svg
        .as_deref()
        .is_some_and(|svg| svg.contains("<svg")));
    let url = panel.url.clone().expect("running");
    assert!(
        made.link.starts_with(&format!("{url}invite/")) && made.link.contains('#'),
        "a link on the address colleagues use, with its key in the fragment: {}",
        made.link.split('#').next().unwrap_or_default()
    );

    let accepted = accept_invite(&made.link).await.expect("accepted");
    assert_eq!(accepted.token_name, "Sam");
    assert_eq!(accepted.origin, url.trim_end_matches('/'));
    assert_eq!(accepted.https_port, Some(panel.https_port));
    let shown: CertPin = panel
        .fingerprint
        .as_deref()
        .expect("shown")
        .parse()
        .expect("a pin");
    assert_eq!(
        accepted.fingerprint.as_deref(),
        Some(shown.to_hex().as_str()),
        "the invite pins the certificate the panel shows"
    );

    // What the colleague's app then does: the token over the pinned HTTPS port.
    let https =
        url::Url::parse(&format!("https://127.0.0.1:{}/", panel.https_port)).expect("a URL");
    let mut config = ServerConfig::new(https).with_pinned_cert(shown);
    config.username = Some(accepted.token_name.clone());
    config.api_token = Some(accepted.token.clone());
    Client::new(config)
        .expect("a client")
        .authcheck()
        .await
        .expect("the invited token works over the pinned HTTPS port");

    assert!(
        matches!(accept_invite(&made.link).await, Err(InviteError::Used)),
        "an invite is used once"
    );
    let relay = switch.relay().await.expect("running");
    let listed: Vec<_> = crate::relay::invites::tokens(&relay)
        .await
        .expect("tokens")
        .into_iter()
        .map(|t| (t.name, t.revoked_at.is_none()))
        .collect();
    assert_eq!(
        listed,
        [("Sam".to_owned(), true)],
        "the invite's token stays live"
    );
    switch.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_withdrawn_invite_cannot_be_accepted_and_its_token_is_revoked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (switch, _) = running_switch(dir.path()).await;
    let made = invite(&switch, "Kim").await.expect("an invite");
    let relay = switch.relay().await.expect("running");
    assert!(relay
        .withdraw_invite(&made.invite.id)
        .await
        .expect("withdraws"));
    assert!(
        matches!(accept_invite(&made.link).await, Err(InviteError::Withdrawn)),
        "withdrawn before use"
    );
    let invites = relay.list_invites().await.expect("listed");
    assert_eq!(
        invites
            .into_iter()
            .map(|i| InviteStatus::from(i.state))
            .collect::<Vec<_>>(),
        [InviteStatus::Withdrawn]
    );
    let tokens = crate::relay::invites::tokens(&relay).await.expect("tokens");
    assert!(
        tokens.iter().all(|t| t.revoked_at.is_some()),
        "nobody received the token, so it does not outlive the invite"
    );
    assert_eq!(
        invite(&switch, " ").await.expect_err("no name").code,
        ErrorCode::NameRequired.as_str()
    );
    switch.stop().await;
    assert_eq!(
        invite(&switch, "Lee").await.expect_err("off").code,
        ErrorCode::RelayOff.as_str(),
        "no invite without a running relay"
    );
}

#[tokio::test]
async fn a_damaged_certificate_is_never_replaced_and_the_person_is_told_how_to_recover() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tls = dir.path().join("relay").join("tls");
    std::fs::create_dir_all(&tls).expect("fixture");
    std::fs::write(tls.join("cert.pem"), "not a certificate").expect("fixture");
    std::fs::write(tls.join("key.pem"), "not a key").expect("fixture");
    let switch = RelaySwitch::new(dir.path().join("relay"), Arc::new(|_| {}));
    let error = switch
        .start_on(Endpoint {
            interface: "lo".into(),
            ip: LOCALHOST,
            port: free_port(),
            https_port: free_port(),
        })
        .await
        .expect_err("a pinned certificate that cannot be used stops the start");
    assert!(switch.relay().await.is_none(), "nothing runs");
    let told = start_error(error);
    assert_eq!(told.code, ErrorCode::RelayFailed.as_str());
    assert!(
        told.message.starts_with("The relay's TLS certificate in ")
            && told.message.contains("colleagues' apps pin it"),
        "says what is wrong and why it is not replaced: {}",
        told.message
    );
    assert_eq!(
        std::fs::read_to_string(tls.join("cert.pem")).expect("still there"),
        "not a certificate",
        "the pair is left for the person to restore"
    );
}
