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
