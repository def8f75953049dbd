//! The switch's HTTPS listener for colleagues' apps: the certificate the panel shows is the
//! one served (a client pinned to it gets through, one pinned to another does not), it
//! stays across restarts, a busy HTTPS port is told like a busy plain one, and nothing is
//! announced on loopback.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use hushlink_client::{CertPin, Client, ServerConfig};

use super::*;

const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn free_port() -> u16 {
    std::net::TcpListener::bind((LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("an ephemeral port")
        .port()
}

fn loopback() -> Endpoint {
    Endpoint {
        interface: "lo".into(),
        ip: LOCALHOST,
        port: free_port(),
        https_port: free_port(),
    }
}

/// A client of the switch's HTTPS port that trusts exactly the certificate `pin`.
fn pinned(panel: &RelayPanelStatus, pin: CertPin, name: &str, token: &str) -> Client {
    let base =
        url::Url::parse(&format!("https://{}:{}/", panel.bind, panel.https_port)).expect("a URL");
    let mut config = ServerConfig::new(base).with_pinned_cert(pin);
    config.username = Some(name.to_owned());
    config.api_token = Some(hushlink_relay::SecretText::new(token));
    Client::new(config).expect("a client")
}

#[tokio::test(flavor = "multi_thread")]
async fn serves_https_with_the_certificate_the_panel_shows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let switch = RelaySwitch::new(dir.path().join("relay"), Arc::new(|_| {}));
    let endpoint = loopback();
    let panel = switch.start_on(endpoint.clone()).await.expect("starts");
    assert_eq!(panel.https_port, endpoint.https_port);
    let shown = panel
        .fingerprint
        .clone()
        .expect("the panel shows the fingerprint while running");
    assert_eq!(
        shown.len(),
        32 * 3 - 1,
        "AB:CD:… for reading aloud: {shown}"
    );
    let pin: CertPin = shown.parse().expect("what the panel shows is a pin");

    let relay = switch.relay().await.expect("running");
    let issued = relay.tokens().issue("Sam").await.expect("a token");
    pinned(&panel, pin, "Sam", issued.token.expose())
        .authcheck()
        .await
        .expect("a client pinned to the shown fingerprint reaches the relay with its token");

    let other = CertPin::of_der(b"some other certificate");
    let refused = pinned(&panel, other, "Sam", issued.token.expose())
        .authcheck()
        .await;
    assert!(
        refused.is_err(),
        "a client pinned to another certificate is refused before it sends its token"
    );
    assert!(
        switch
            .inner
            .lock()
            .await
            .running
            .as_ref()
            .is_some_and(|r| r.announcer.is_none()),
        "nothing is announced on mDNS for a relay on loopback"
    );

    // The same certificate after a restart: colleagues' pins keep working.
    switch.stop().await;
    assert!(
        tokio::net::TcpStream::connect((LOCALHOST, endpoint.https_port))
            .await
            .is_err(),
        "the HTTPS listener stops with the relay"
    );
    let again = switch.start_on(loopback()).await.expect("starts again");
    assert_eq!(again.fingerprint.as_deref(), Some(shown.as_str()));
    assert_eq!(
        RelaySettings::load(switch.settings_path()).https_port,
        again.https_port,
        "the HTTPS port is saved"
    );
    switch.stop().await;
}

#[tokio::test]
async fn a_busy_https_port_is_reported_and_nothing_binds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let squatter = std::net::TcpListener::bind((LOCALHOST, 0)).expect("binds");
    let busy = squatter.local_addr().expect("address").port();
    let switch = RelaySwitch::new(dir.path().join("relay"), Arc::new(|_| {}));
    let endpoint = Endpoint {
        https_port: busy,
        ..loopback()
    };

    let error = switch
        .start_on(endpoint.clone())
        .await
        .expect_err("the HTTPS port is taken");
    assert!(
        matches!(error, SwitchError::HttpsPortBusy { port } if port == busy),
        "{error:?}"
    );
    assert!(switch.relay().await.is_none(), "no relay runs");
    assert!(
        tokio::net::TcpStream::connect((LOCALHOST, endpoint.port))
            .await
            .is_err(),
        "the plain port was let go too"
    );
    let panel = switch.panel().await;
    let Some(RelayProblem::HttpsPortBusy {
        port,
        free_port: Some(offer),
    }) = panel.problem.clone()
    else {
        panic!("the panel says the HTTPS port is busy and offers another: {panel:?}");
    };
    assert_eq!(port, busy);
    assert!(
        offer != busy && offer != endpoint.port,
        "neither the busy port nor the relay's plain one"
    );
    let json = serde_json::to_string(&panel).expect("serializes");
    assert!(
        json.contains("\"code\":\"relay_https_port_busy\""),
        "the UI branches on the code: {json}"
    );
    assert!(
        !switch.settings_path().exists(),
        "a failed start saves nothing"
    );

    let same = Endpoint {
        https_port: endpoint.port,
        ..endpoint
    };
    assert!(
        matches!(
            switch.start_on(same).await,
            Err(SwitchError::SamePort { .. })
        ),
        "one port cannot serve both"
    );
    drop(squatter);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dhcp_move_keeps_the_https_port_and_the_certificate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let switch = RelaySwitch::new(dir.path().join("relay"), Arc::new(|_| {}));
    let before = switch.start_on(loopback()).await.expect("starts");
    // 127.0.0.2 is loopback too on Linux: a stand-in for a DHCP renewal.
    let moved_ip = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    let after = switch
        .follow_with(&[("lo".to_owned(), moved_ip)])
        .await
        .expect("the address changed");
    assert_eq!(after.bind, "127.0.0.2");
    assert_eq!(
        (after.https_port, after.fingerprint.as_deref()),
        (before.https_port, before.fingerprint.as_deref()),
        "colleagues' profiles keep their port and pin across a move"
    );
    let pin: CertPin = after
        .fingerprint
        .as_deref()
        .expect("shown")
        .parse()
        .expect("a pin");
    let relay = switch.relay().await.expect("running");
    let issued = relay.tokens().issue("Kim").await.expect("a token");
    pinned(&after, pin, "Kim", issued.token.expose())
        .authcheck()
        .await
        .expect("HTTPS follows to the new address");
    assert!(
        tokio::net::TcpStream::connect((LOCALHOST, before.https_port))
            .await
            .is_err(),
        "nothing is left on the old address"
    );
    switch.stop().await;
}
