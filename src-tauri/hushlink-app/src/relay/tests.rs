use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use super::*;

const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn switch_in(dir: &Path) -> RelaySwitch {
    RelaySwitch::new(dir.join("relay"), Arc::new(|_| {}))
}

/// A port nothing listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind((LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("an ephemeral port")
        .port()
}

/// Loopback at `port`, with HTTPS on an ephemeral port (never the default 7144, which
/// parallel tests would share).
fn on_lo(ip: IpAddr, port: u16) -> Endpoint {
    Endpoint {
        interface: "lo".into(),
        ip,
        port,
        https_port: free_port(),
    }
}

/// What quitting the app does to the relay: it stops without being switched off.
async fn quit(switch: &RelaySwitch) {
    if let Some(running) = switch.inner.lock().await.running.take() {
        stop(running).await;
    }
}

#[tokio::test]
async fn starts_serves_and_stops_on_loopback() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (heard, mut log) = tokio::sync::mpsc::unbounded_channel();
    let sink: LogSink = Arc::new(move |line| {
        let _ = heard.send(line);
    });
    let switch = RelaySwitch::new(dir.path().join("relay"), sink);
    let panel = switch
        .start_on(on_lo(LOCALHOST, free_port()))
        .await
        .expect("starts");
    let anonymous = raw_share(&panel, None).await;
    assert!(
        anonymous
            .to_ascii_lowercase()
            .contains("x-ots-intended-status: 401")
            && !anonymous.contains("secret_key"),
        "no network client creates without a token on the app's relay, loopback included: {anonymous}"
    );
    let relay = switch.relay().await.expect("running");
    let issued = relay.tokens().issue("colleague").await.expect("a token");
    let share = raw_share(&panel, Some(("colleague", issued.token.expose()))).await;
    assert!(
        share.contains("secret_key"),
        "created through the relay with a token: {share}"
    );
    let line = tokio::time::timeout(Duration::from_secs(10), log.recv())
        .await
        .expect("a log line in time")
        .expect("the feed is open");
    assert_eq!(line.action, hushlink_relay::AccessAction::Create);
    assert!(panel.running && panel.local_only);
    assert_eq!(panel.interface.as_deref(), Some("lo"));
    assert!(
        panel.qr_svg.is_none(),
        "a phone cannot open a loopback address: no QR code"
    );
    let bind = SocketAddr::new(panel.bind.parse().expect("an IP"), panel.port);
    tokio::net::TcpStream::connect(bind)
        .await
        .expect("the relay accepts connections while running");

    let panel = switch.stop().await;
    assert!(!panel.running && panel.url.is_none() && panel.counts.is_none());
    assert!(
        tokio::net::TcpStream::connect(bind).await.is_err(),
        "nothing listens after stop"
    );
    assert!(
        !RelaySettings::load(switch.settings_path()).enabled,
        "switched off is saved as off"
    );
}

#[tokio::test]
async fn a_busy_port_is_reported_and_nothing_binds_elsewhere() {
    let dir = tempfile::tempdir().expect("temp dir");
    let squatter = std::net::TcpListener::bind((LOCALHOST, 0)).expect("binds");
    let port = squatter.local_addr().expect("address").port();
    let switch = switch_in(dir.path());

    let error = switch
        .start_on(on_lo(LOCALHOST, port))
        .await
        .expect_err("the port is taken");
    assert!(
        matches!(error, SwitchError::PortBusy { port: p } if p == port),
        "{error:?}"
    );
    assert!(switch.relay().await.is_none(), "no relay runs anywhere");
    let panel = switch.panel().await;
    assert!(!panel.running && panel.url.is_none());
    assert_eq!(panel.port, DEFAULT_PORT, "the saved port is unchanged");
    let Some(RelayProblem::PortBusy {
        port: busy,
        free_port: Some(offer),
    }) = panel.problem
    else {
        panic!("the panel says the port is busy and offers another: {panel:?}");
    };
    assert_eq!(busy, port);
    assert_ne!(offer, port);
    assert!(
        std::net::TcpListener::bind((LOCALHOST, offer)).is_ok(),
        "the offered port is free"
    );
    assert!(
        !switch.settings_path().exists(),
        "a failed start saves nothing"
    );
    let json = serde_json::to_string(&switch.panel().await).expect("serializes");
    assert!(
        json.contains("\"code\":\"relay_port_busy\""),
        "the UI branches on the code: {json}"
    );
    drop(squatter);
}

#[tokio::test]
async fn a_restart_with_saved_settings_starts_on_the_same_port() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let switch = switch_in(dir.path());
    assert!(
        switch.resume().await.is_none(),
        "a relay that was never on stays off"
    );
    let https_port = free_port();
    let first = switch
        .start_with_https(Some("lo".into()), Some(port), Some(https_port))
        .await
        .expect("starts on loopback");
    assert_eq!(
        (first.bind.as_str(), first.port, first.https_port),
        ("127.0.0.1", port, https_port)
    );
    quit(&switch).await;
    drop(switch);

    let again = switch_in(dir.path());
    let panel = again
        .resume()
        .await
        .expect("it was on, so it comes back")
        .expect("starts");
    assert!(panel.running);
    assert_eq!(
        (
            panel.bind.as_str(),
            panel.port,
            panel.https_port,
            panel.interface.as_deref()
        ),
        ("127.0.0.1", port, https_port, Some("lo")),
        "both ports come back as saved"
    );
    again.stop().await;
}

#[tokio::test]
async fn follows_its_interface_to_a_new_address_on_the_same_port() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let switch = switch_in(dir.path());
    switch
        .start_on(on_lo(LOCALHOST, port))
        .await
        .expect("starts");
    let same = [("lo".to_owned(), LOCALHOST)];
    assert!(switch.follow_with(&same).await.is_none(), "nothing changed");
    assert!(
        switch.follow_with(&[]).await.is_none(),
        "an interface without an address keeps its relay"
    );

    // 127.0.0.2 is loopback too on Linux: a stand-in for a DHCP renewal.
    let moved_ip = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    let panel = switch
        .follow_with(&[("lo".to_owned(), moved_ip)])
        .await
        .expect("the address changed");
    assert!(panel.running);
    assert_eq!(
        panel.url.as_deref(),
        Some(&*format!("http://127.0.0.2:{port}/"))
    );
    tokio::net::TcpStream::connect((moved_ip, port))
        .await
        .expect("serving on the new address");
    assert!(
        tokio::net::TcpStream::connect((LOCALHOST, port))
            .await
            .is_err(),
        "not on the old one"
    );
    switch.stop().await;
}

#[tokio::test]
async fn waits_for_a_saved_interface_that_is_not_connected_yet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    RelaySettings {
        enabled: true,
        interface: Some("hushlink-test0".into()),
        port,
        https_port: free_port(),
    }
    .save(&dir.path().join("relay.json"))
    .expect("saves");
    let switch = switch_in(dir.path());
    let outcome = switch.resume().await.expect("it was on");
    assert!(matches!(outcome, Err(SwitchError::NoInterface { .. })));
    let panel = switch.panel().await;
    assert_eq!(
        panel.problem,
        Some(RelayProblem::InterfaceDown {
            interface: "hushlink-test0".into()
        })
    );
    assert!(!panel.running);

    let panel = switch
        .follow_with(&[("hushlink-test0".to_owned(), LOCALHOST)])
        .await
        .expect("it came up");
    assert!(panel.running && panel.problem.is_none());
    assert_eq!(panel.port, port);
    switch.stop().await;
}

#[test]
fn a_missing_saved_interface_falls_back_to_the_default_unless_waiting() {
    let saved = RelaySettings {
        enabled: true,
        interface: Some("wlan0".into()),
        port: 8000,
        https_port: 8443,
    };
    let found = vec![
        ("lo".to_owned(), LOCALHOST),
        ("eth0".to_owned(), IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5))),
    ];
    let fallback = resolve(&saved, None, None, false, &found, None).expect("a default");
    assert_eq!(
        fallback,
        Endpoint {
            interface: "eth0".into(),
            ip: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5)),
            port: 8000,
            https_port: 8443,
        }
    );
    assert!(matches!(
        resolve(&saved, None, None, true, &found, None),
        Err(SwitchError::NoInterface { interface }) if interface == "wlan0"
    ));
    assert!(
        matches!(
            resolve(&saved, Some("wlan1".into()), Some(9), false, &found, None),
            Err(SwitchError::NoInterface { .. })
        ),
        "an interface the person chose is never swapped for another"
    );
    let chosen =
        resolve(&saved, Some("lo".into()), Some(9000), false, &found, None).expect("lo exists");
    assert_eq!(
        chosen,
        Endpoint {
            https_port: 8443,
            ..on_lo(LOCALHOST, 9000)
        }
    );
}

/// A v1 share over a raw HTTP/1.1 request (the app crate has no HTTP client), with HTTP
/// Basic credentials (name, token) when given.
async fn raw_share(panel: &RelayPanelStatus, basic: Option<(&str, &str)>) -> String {
    use base64::Engine;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let authorization = basic.map_or_else(String::new, |(name, token)| {
        let pair = base64::engine::general_purpose::STANDARD.encode(format!("{name}:{token}"));
        format!("Authorization: Basic {pair}\r\n")
    });
    let mut stream = tokio::net::TcpStream::connect((panel.bind.as_str(), panel.port))
        .await
        .expect("connects");
    let body = "secret=hello&ttl=600";
    let request = format!(
        "POST /api/v1/share HTTP/1.1\r\nHost: {}:{}\r\n{authorization}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        panel.bind,
        panel.port,
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("reads");
    answer
}
