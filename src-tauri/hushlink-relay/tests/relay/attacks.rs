//! The attack suite of issue 14: one test per weakness, each failing on the relay before
//! its fix. Attackers that need an address of their own are simulated through the router
//! (`oneshot` with connect info), so no traffic leaves this machine; the rest run against a
//! live relay on 127.0.0.1, or call its operations directly where an attacker needs
//! many addresses at once.

use std::net::{IpAddr, Ipv4Addr};

use axum::body::Body;
use http::{Method, Request};
use hushlink_relay::{
    BurnReason, Client, Key, NewSecret, PassphraseHashing, ReceiptState, Relay, RelayConfig,
    RevealError, SecretText, Unavailable,
};
use tower::ServiceExt;

use crate::support::{from_peer, test_config};

/// A relay opened in a temp dir with `tweak` applied; keep the dir alive with it.
async fn open(tweak: impl FnOnce(&mut RelayConfig)) -> (Relay, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    tweak(&mut config);
    (crate::support::open(config).await.unwrap(), dir)
}

/// The status code of `method path` sent by `peer` through the router.
async fn status_from(relay: &Relay, peer: &str, method: Method, path: &str) -> u16 {
    let request = Request::builder().method(method).uri(path);
    hushlink_relay::router(relay)
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
    let response = hushlink_relay::router(relay)
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

/// A guarded secret: `value` behind `passphrase`; returns its share and receipt keys.
async fn guarded(relay: &Relay, value: &str, passphrase: &str) -> (Key, Key) {
    let new = NewSecret {
        value: Some(SecretText::new(value)),
        passphrase: Some(SecretText::new(passphrase)),
        ttl_secs: Some(3_600),
        ..NewSecret::default()
    };
    let loopback = Client::new(IpAddr::V4(Ipv4Addr::LOCALHOST), None);
    let created = relay.create(new, None, &loopback).await.unwrap();
    let receipt = created.receipt;
    (receipt.secret_key.unwrap(), receipt.receipt_key)
}

/// Item 10: wrong guesses racing each other at one secret never run more passphrase
/// checks than the secret allows; the last allowed one burns it.
///
/// 12 guessers, each from its own LAN address with a budget of one wrong passphrase, send
/// their guesses at once. Afterwards each address's budget shows whether its guess was
/// checked: one whose guess never ran is not charged for it. Argon2 is set slow enough that
/// every guess is in flight before the first check ends, which is when counting after the
/// check let them all through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_wrong_guesses_run_at_most_the_allowed_checks() {
    const GUESSERS: u8 = 12;
    let (relay, _dir) = open(|c| {
        c.max_passphrase_attempts = 5;
        c.rate_limits.passphrase_failures = 1;
        c.passphrase_hashing = PassphraseHashing {
            memory_kib: 4 * 1024,
            iterations: 1,
        };
    })
    .await;
    let (target, receipt) = guarded(&relay, "the vault code", "correct horse").await;
    let guesser = |n: u8| Client::new(IpAddr::V4(Ipv4Addr::new(10, 9, 0, n)), None);

    let mut guesses = Vec::new();
    for n in 1..=GUESSERS {
        let (relay, key) = (relay.clone(), target.clone());
        guesses.push(tokio::spawn(async move {
            let wrong = SecretText::new(format!("guess {n}"));
            relay.reveal(&key, Some(&wrong), &guesser(n)).await
        }));
    }
    let (mut wrong, mut burned) = (0, 0);
    for guess in guesses {
        match guess.await.unwrap() {
            Err(RevealError::WrongPassphrase { .. }) => wrong += 1,
            Err(RevealError::BurnedAfterAttempts) => burned += 1,
            Err(
                RevealError::Unknown | RevealError::Unavailable(Unavailable::RateLimited { .. }),
            ) => {}
            other => panic!("a wrong guess got {other:?}"),
        }
    }
    assert_eq!(
        burned, 1,
        "one guess, the last allowed check, burned the secret"
    );
    assert!(
        wrong <= 4,
        "the others were told they were wrong, or (settling after the burn) that it is gone"
    );

    // Which guessers were charged for a check: their one wrong passphrase is used up, so a
    // probe from them is refused before anything else. Probed one at a time, so no probe
    // waits on another's check; a probe secret used up by uncharged probers is replaced.
    let mut probe = guarded(&relay, "another", "another passphrase").await.0;
    let mut charged = 0;
    for n in 1..=GUESSERS {
        let wrong = SecretText::new("probe");
        match relay.reveal(&probe, Some(&wrong), &guesser(n)).await {
            Err(RevealError::Unavailable(Unavailable::RateLimited { .. })) => charged += 1,
            Err(RevealError::WrongPassphrase { .. }) => {}
            Err(RevealError::BurnedAfterAttempts) => {
                probe = guarded(&relay, "another", "another passphrase").await.0;
            }
            other => panic!("a probe got {other:?}"),
        }
    }
    assert_eq!(
        charged, 5,
        "exactly the five allowed checks ran; every other guess was refused before Argon2"
    );

    let right = relay
        .reveal(
            &target,
            Some(&SecretText::new("correct horse")),
            &guesser(GUESSERS + 1),
        )
        .await;
    assert!(
        matches!(right, Err(RevealError::Unknown)),
        "burned, even for the right passphrase: {right:?}"
    );
    let receipt = relay.receipt(&receipt).await.unwrap().unwrap();
    assert_eq!(
        (receipt.state, receipt.burn_reason),
        (ReceiptState::Burned, Some(BurnReason::PassphraseAttempts))
    );
}

/// Item 13: a browser that once reached the relay over HTTPS is told to stay on HTTPS
/// (`Strict-Transport-Security`), so a network attacker cannot strip a later visit to
/// plain HTTP; plain-HTTP answers carry no such header (browsers would ignore it anyway).
#[tokio::test]
async fn answers_over_tls_carry_strict_transport_security() {
    let (relay, _dir) = open(|_| {}).await;
    let server = crate::support::tls::TlsServer::start(relay).await;
    let (client, port) = (server.client.clone(), server.port);
    for path in ["/api/v1/status", "/api/v1/nothing-here", "/secret/unknown"] {
        let answer = client
            .get(format!("https://127.0.0.1:{port}{path}"))
            .send()
            .await
            .expect("TLS request");
        assert_eq!(
            answer
                .headers()
                .get("strict-transport-security")
                .map(|v| v.to_str().unwrap()),
            Some("max-age=31536000"),
            "{path} over TLS ({})",
            answer.status()
        );
    }
    server.stop().await;

    let plain = crate::support::TestRelay::start(|_| {}).await;
    let answer = crate::support::http()
        .get(plain.api("/api/v1/status"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert!(
        answer.headers().get("strict-transport-security").is_none(),
        "plain HTTP answers carry no HSTS"
    );
}

/// Item 13: the database's WAL and shared-memory files hold recent ciphertexts and hashes;
/// like the database they are the relay user's alone (`0600`), whatever the umask, and
/// files an older relay left readable are narrowed on the next start.
#[cfg(unix)]
#[tokio::test]
async fn the_database_its_wal_and_shm_are_owner_only() {
    if crate::support::sqlite_only(
        "modes of the SQLite files; PostgreSQL keeps its data directory 0700",
    ) {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    };
    let (relay, dir) = open(|_| {}).await;
    let new = NewSecret {
        value: Some(SecretText::new("in the WAL for a while")),
        ..NewSecret::default()
    };
    relay
        .create(new, None, &Client::in_process())
        .await
        .unwrap();
    let files = ["relay.sqlite3", "relay.sqlite3-wal", "relay.sqlite3-shm"]
        .map(|name| dir.path().join(name));
    for file in &files {
        assert_eq!(mode(file), 0o600, "{} is owner-only", file.display());
    }
    drop(relay);

    for file in &files {
        if file.exists() {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    let reopened = Relay::open(test_config(dir.path())).await.unwrap();
    for file in files.iter().filter(|file| file.exists()) {
        assert_eq!(mode(file), 0o600, "{} narrowed on start", file.display());
    }
    drop(reopened);
}
