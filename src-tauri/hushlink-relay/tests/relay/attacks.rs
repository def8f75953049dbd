//! The attack suite of issue 14: one test per weakness, each failing on the relay before
//! its fix. Attackers that need an address of their own are simulated through the router
//! (`oneshot` with connect info), so no traffic leaves this machine; the rest run against a
//! live relay on 127.0.0.1.

use axum::body::Body;
use http::{Method, Request};
use hushlink_relay::{Relay, RelayConfig};
use tower::ServiceExt;

use crate::common::{from_peer, test_config};

/// A relay opened in a temp dir with `tweak` applied; keep the dir alive with it.
async fn open(tweak: impl FnOnce(&mut RelayConfig)) -> (Relay, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    tweak(&mut config);
    (Relay::open(config).await.unwrap(), dir)
}

/// The status code of `method path` sent by `peer` through the router.
async fn status_from(relay: &Relay, peer: &str, method: Method, path: &str) -> u16 {
    let request = Request::builder().method(method).uri(path);
    relay
        .router()
        .oneshot(from_peer(peer, request, Body::empty()))
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Item 12: shared CGNAT space holds an ISP's other customers or a mesh VPN's peers
/// anywhere, so it is not "the LAN" unless the operator allows it.
#[tokio::test]
async fn cgnat_peers_are_refused_unless_allowed() {
    let (default, _dir) = open(|_| {}).await;
    let (allowing, _dir2) = open(|c| c.allow = vec!["100.64.0.0/10".parse().unwrap()]).await;
    for peer in ["100.64.0.1", "100.100.100.100", "::ffff:100.127.255.254"] {
        assert_eq!(
            status_from(&default, peer, Method::GET, "/api/v1/status").await,
            403,
            "{peer} is not a LAN peer by default"
        );
        assert_eq!(
            status_from(&allowing, peer, Method::GET, "/api/v1/status").await,
            200,
            "{peer} is admitted by --allow 100.64.0.0/10"
        );
    }
    assert_eq!(
        status_from(&default, "192.168.1.9", Method::GET, "/api/v1/status").await,
        200,
        "the private ranges stay LAN"
    );
}

/// The intended status (`X-Ots-Intended-Status`, v1 answers 404 for most errors) of a v1
/// reveal of `key` sent by `peer`.
async fn v1_reveal_from(relay: &Relay, peer: &str, key: &str) -> String {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/secret/{key}"));
    let response = relay
        .router()
        .oneshot(from_peer(peer, request, Body::empty()))
        .await
        .unwrap();
    response.headers().get("x-ots-intended-status").map_or_else(
        || response.status().as_u16().to_string(),
        |v| v.to_str().unwrap().to_owned(),
    )
}

/// Item 11: one IPv6 host holds a whole /64 and can use a fresh address per request; the
/// limits count it once.
#[tokio::test]
async fn fresh_ipv6_addresses_from_one_64_share_a_rate_limit() {
    let (relay, _dir) = open(|c| c.rate_limits.reveals = 3).await;
    // A well-formed key of no secret: every reveal is counted, none consumes anything.
    let key = "0dbvie5bc9ec88xnt5mh0we4j65gj1pp95nr25xkddh22uv08fc5ryzlrzge6i";
    for peer in ["fd00:7::1", "fd00:7::2", "fd00:7::a:b:c:d"] {
        assert_eq!(
            v1_reveal_from(&relay, peer, key).await,
            "404",
            "{peer}: within the limit, the key is simply unknown"
        );
    }
    assert_eq!(
        v1_reveal_from(&relay, "fd00:7::ffff:1234", key).await,
        "429",
        "a fourth address of the same /64 is the same client"
    );
    assert_eq!(
        v1_reveal_from(&relay, "fd00:7:0:1::1", key).await,
        "404",
        "the next /64 is someone else"
    );
}
