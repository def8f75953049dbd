//! Helpers for driving the operations without HTTP (`ops.rs`, `ops_log.rs`).

use std::net::IpAddr;

use hushlink_relay::{Client, Clock, NewSecret, Relay, RelayConfig, SecretText};

/// A client on loopback with a user agent.
pub fn loopback() -> Client {
    Client::new("127.0.0.1".parse().unwrap(), Some("test-agent/1"))
}

/// A client at a LAN address, without a user agent.
pub fn lan(ip: &str) -> Client {
    Client::new(ip.parse::<IpAddr>().unwrap(), None)
}

/// A relay in a temp dir on `clock`, with the test config changed by `tweak`, on the engine
/// of this run.
pub async fn open(
    clock: Clock,
    tweak: impl FnOnce(&mut RelayConfig),
) -> (Relay, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = super::test_config(dir.path());
    tweak(&mut config);
    (super::open_with_clock(config, clock).await.unwrap(), dir)
}

/// A one-hour secret holding `text`.
pub fn secret(text: &str) -> NewSecret {
    NewSecret {
        value: Some(SecretText::new(text)),
        ttl_secs: Some(3_600),
        ..NewSecret::default()
    }
}
