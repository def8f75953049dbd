use super::*;
use crate::operations::Relay;

fn name(text: &str) -> HostName {
    HostName::parse(text).unwrap_or_else(|| panic!("{text:?} parses"))
}

fn own(bound: &str, tweak: impl FnOnce(&mut RelayConfig)) -> OwnHosts {
    let mut config = RelayConfig::default();
    tweak(&mut config);
    OwnHosts::new(&config, bound.parse().expect("socket address"))
}

#[test]
fn host_names_are_parsed_into_one_canonical_form() {
    assert_eq!(
        name("Relay.Office.LAN.:7143"),
        name("relay.office.lan:7143")
    );
    assert_eq!(name("[0:0:0:0:0:0:0:1]:80"), name("[::1]:80"));
    assert_eq!(name("localhost").port, None);
    assert_eq!(name("10.0.0.1:65535").port, Some(65535));
    for bad in [
        "",
        ":7143",
        "relay:",
        "relay:0",
        "relay:65536",
        "relay:+80",
        "relay:80:81",
        "user@relay",
        "relay/path",
        "re lay",
        "::1",
        "[::1",
        "[nonsense]:80",
        "[::1]x",
        "a..b",
    ] {
        assert_eq!(HostName::parse(bad), None, "{bad:?} is refused");
    }
}

#[test]
fn a_lan_address_answers_to_itself_with_its_port_only() {
    let own = own("192.168.1.5:7143", |_| {});
    assert!(own.accepts(&name("192.168.1.5:7143")));
    for other in [
        "192.168.1.5:7144",
        "192.168.1.5",
        "192.168.1.6:7143",
        "localhost:7143",
        "127.0.0.1:7143",
        "evil.example:7143",
    ] {
        assert!(!own.accepts(&name(other)), "{other} is not this listener");
    }
}

#[test]
fn loopback_answers_to_every_localhost_spelling() {
    let own = own("127.0.0.1:7143", |_| {});
    for host in [
        "127.0.0.1:7143",
        "localhost:7143",
        "LOCALHOST:7143",
        "[::1]:7143",
    ] {
        assert!(own.accepts(&name(host)), "{host}");
    }
    assert!(
        !own.accepts(&name("localhost:8080")),
        "another port is another origin"
    );
    assert!(!own.accepts(&name("localhost.evil.example:7143")));
    let v6 = self::own("[::1]:7143", |_| {});
    assert!(v6.accepts(&name("[::1]:7143")) && v6.accepts(&name("localhost:7143")));
}

#[test]
fn default_ports_may_be_left_out() {
    let own = own("127.0.0.1:80", |_| {});
    assert!(own.accepts(&name("localhost")), "browsers omit :80");
    let own = self::own("127.0.0.1:7143", |_| {});
    assert!(!own.accepts(&name("localhost")));
}

#[test]
fn the_public_url_and_allowed_hosts_are_own_names() {
    let own = own("127.0.0.1:7143", |c| {
        c.public_url = Some("https://Secrets.Office.lan/".into());
        c.allowed_hosts = vec!["sam-laptop.local".into(), "relay.office.lan:8443".into()];
    });
    for host in [
        "secrets.office.lan",
        "secrets.office.lan:443",
        "sam-laptop.local:7143",
        "sam-laptop.local:1234",
        "sam-laptop.local",
        "relay.office.lan:8443",
    ] {
        assert!(own.accepts(&name(host)), "{host}");
    }
    for host in [
        "relay.office.lan:7143",
        "office.lan",
        "secrets.office.lan.evil.example",
    ] {
        assert!(!own.accepts(&name(host)), "{host}");
    }
    // The HTTPS listener for colleagues' apps (7144) is reached by the same name.
    let with_port = self::own("0.0.0.0:7144", |c| {
        c.public_url = Some("http://relay.example:7143".into());
    });
    for host in ["relay.example:7143", "relay.example:7144", "relay.example"] {
        assert!(with_port.accepts(&name(host)), "{host}");
    }
}

#[test]
fn all_addresses_means_every_interface_with_the_port() {
    let own = own("0.0.0.0:7143", |_| {});
    let addrs: Vec<IpAddr> = if_addrs::get_if_addrs()
        .expect("interfaces")
        .iter()
        .map(|i| i.ip())
        .collect();
    assert!(!addrs.is_empty(), "a machine has at least loopback");
    for ip in addrs {
        assert!(
            own.accepts(&HostName::of_ip(ip, 7143)),
            "{ip} is an interface"
        );
        assert!(
            !own.accepts(&HostName::of_ip(ip, 7144)),
            "{ip} with another port"
        );
    }
    assert!(own.accepts(&name("localhost:7143")));
    // TEST-NET-3 is on no machine's interface.
    assert!(!own.accepts(&name("203.0.113.9:7143")));
    assert!(!own.accepts(&name("evil.example:7143")));
}

#[test]
fn allowed_hosts_are_checked_when_the_configuration_is() {
    let config = RelayConfig {
        allowed_hosts: vec!["ok.local".into(), "http://bad/".into()],
        ..RelayConfig::default()
    };
    let err = config.validate().unwrap_err().to_string();
    assert!(err.contains("allowed_hosts"), "{err}");
}

#[test]
fn the_headless_relay_takes_allowed_hosts_from_flags_and_variables() {
    use clap::Parser;
    let args = crate::headless::Args::try_parse_from([
        "hushlink-relay",
        "--allowed-host",
        "sam-laptop.local,relay.office.lan:8443",
        "--allowed-host",
        "other.local",
    ])
    .expect("flags parse");
    let headless = crate::headless::Headless::from_args(args).expect("valid");
    assert_eq!(
        headless.relay.allowed_hosts,
        ["sam-laptop.local", "relay.office.lan:8443", "other.local"]
    );
    let args = crate::headless::Args::try_parse_from(["hushlink-relay", "--allowed-host", "a b"])
        .expect("flags parse");
    assert!(
        crate::headless::Headless::from_args(args).is_err(),
        "a bad name is refused at start"
    );
}

/// Status of `request` through the router of a relay listening on 127.0.0.1:7143.
async fn status_on_loopback(request: http::Request<axum::body::Body>) -> (u16, String) {
    use tower::ServiceExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = Relay::open(RelayConfig::with_data_dir(dir.path()))
        .await
        .expect("relay opens");
    let mut request = request;
    request.extensions_mut().insert(ConnectInfo(PeerAddr {
        addr: "127.0.0.1:50000".parse().expect("addr"),
        tls: false,
    }));
    let router = crate::router_on(&relay, "127.0.0.1:7143".parse().expect("addr"));
    let response = router.oneshot(request).await.expect("infallible");
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn the_authority_in_the_request_line_is_checked_too() {
    let get = |uri: &str| http::Request::builder().method("GET").uri(uri);
    let body = axum::body::Body::empty;
    // Absolute form (proxies) and HTTP/2 (`:authority`, no `Host`): the URI names the host.
    let absolute = get("http://evil.example:7143/api/v2/status")
        .header(header::HOST, "127.0.0.1:7143")
        .body(body())
        .unwrap();
    assert_eq!(
        status_on_loopback(absolute).await.0,
        421,
        "a foreign authority"
    );
    let h2 = get("http://localhost:7143/").body(body()).unwrap();
    let (status, landing) = status_on_loopback(h2).await;
    assert_eq!(status, 200, "an own authority, no Host");
    assert!(
        landing.contains("http://localhost:7143"),
        "the landing page's address comes from the checked authority"
    );
    let twice = get("/api/v2/status")
        .header(header::HOST, "127.0.0.1:7143")
        .header(header::HOST, "evil.example:7143")
        .body(body())
        .unwrap();
    assert_eq!(status_on_loopback(twice).await.0, 400, "two Host headers");
    let (status, page) = status_on_loopback(
        get("/")
            .header(header::HOST, "evil.example:7143")
            .body(body())
            .unwrap(),
    )
    .await;
    assert_eq!(status, 421, "pages too");
    assert!(page.contains("Misdirected"), "{page}");
}
