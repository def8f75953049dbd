//! Issue 14, item 5: loopback is not trusted with everything. A reverse proxy, an SSH forward
//! or a mesh VPN's serve command on the relay's host makes every remote client a loopback
//! peer, so: who may create without a token is a setting (`anonymous_create`), a request
//! carrying proxy headers is never local, and loopback has the same rate limits as everyone
//! (`rate_limit = "off"` switches them all off, for benchmarks). Live against a relay on
//! 127.0.0.1 and against the real binary; peers of their own through the router.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use axum::body::Body;
use http::{Method, Request};
use hushlink_relay::{AnonymousCreate, Client, NewSecret, Relay, SecretText};
use tower::ServiceExt;

use crate::support::{from_peer, http, test_config, TestRelay};

/// What a forwarding proxy adds; each alone must make a loopback request non-local.
const PROXY_HEADERS: [(&str, &str); 3] = [
    ("Forwarded", "for=203.0.113.9;proto=https"),
    ("X-Forwarded-For", "203.0.113.9"),
    ("X-Real-IP", "203.0.113.9"),
];

/// The status a v1 share at `base` gets ("200", or the intended status of a v1 error),
/// with `header` added when given.
async fn v1_share_status(base: &str, header: Option<(&str, &str)>) -> String {
    let mut request = http()
        .post(format!("{base}/api/v1/share"))
        .form(&[("secret", "the door code"), ("ttl", "600")]);
    if let Some((name, value)) = header {
        request = request.header(name, value);
    }
    let response = request.send().await.expect("the relay answers");
    intended(response.status().as_u16(), response.headers())
}

fn intended(status: u16, headers: &http::HeaderMap) -> String {
    headers
        .get("x-ots-intended-status")
        .map_or_else(|| status.to_string(), |v| v.to_str().unwrap().to_owned())
}

fn app_secret() -> NewSecret {
    NewSecret {
        value: Some(SecretText::new("from the app")),
        ttl_secs: Some(600),
        ..NewSecret::default()
    }
}

#[tokio::test]
async fn loopback_gets_the_same_rate_limit_as_everyone() {
    let relay = TestRelay::start(|c| c.rate_limits.creates = 2).await;
    assert_eq!(v1_share_status(&relay.url, None).await, "200");
    assert_eq!(v1_share_status(&relay.url, None).await, "200");
    assert_eq!(
        v1_share_status(&relay.url, None).await,
        "429",
        "a third create from 127.0.0.1 is over the limit of two, as from any address"
    );
    for _ in 0..5 {
        relay
            .relay
            .create(app_secret(), None, &Client::in_process())
            .await
            .expect("the app itself, in process, is neither refused nor limited");
    }
}

#[tokio::test]
async fn a_loopback_request_with_proxy_headers_is_not_local() {
    let relay = TestRelay::start(|_| {}).await;
    assert_eq!(
        v1_share_status(&relay.url, None).await,
        "200",
        "by default a client on the relay's host creates without a token"
    );
    for header in PROXY_HEADERS {
        assert_eq!(
            v1_share_status(&relay.url, Some(header)).await,
            "401",
            "a loopback peer that forwards for someone ({}) needs a token",
            header.0
        );
    }
}

/// The status of a v1 share sent by `peer` through the router, with `header` if given.
async fn share_from(relay: &Relay, peer: &str, header: Option<(&str, &str)>) -> String {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/share")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some((name, value)) = header {
        request = request.header(name, value);
    }
    let body = Body::from("secret=the+door+code&ttl=600");
    let response = hushlink_relay::router(relay)
        .oneshot(from_peer(peer, request, body))
        .await
        .unwrap();
    intended(response.status().as_u16(), response.headers())
}

#[tokio::test]
async fn anonymous_create_is_off_loopback_or_lan() {
    let dir = tempfile::tempdir().unwrap();
    let open = |name: &str, setting: AnonymousCreate| {
        let mut config = test_config(dir.path().join(name));
        config.anonymous_create = setting;
        config.allow = vec!["203.0.113.0/24".parse().unwrap()];
        crate::support::open(config)
    };
    let off = open("off", AnonymousCreate::Off).await.unwrap();
    let loopback = open("loopback", AnonymousCreate::Loopback).await.unwrap();
    let lan = open("lan", AnonymousCreate::Lan).await.unwrap();
    let table = [
        (&off, "127.0.0.1", "401"),
        (&off, "::1", "401"),
        (&off, "192.168.1.20", "401"),
        (&loopback, "127.0.0.1", "200"),
        (&loopback, "::1", "200"),
        (&loopback, "192.168.1.20", "401"),
        (&lan, "127.0.0.1", "200"),
        (&lan, "192.168.1.20", "200"),
        (&lan, "fd00:1::20", "200"),
        // Admitted to the relay by `allow`, but not the LAN: a token is needed.
        (&lan, "203.0.113.5", "401"),
    ];
    for (relay, peer, expected) in table {
        let setting = relay.config().anonymous_create;
        assert_eq!(
            share_from(relay, peer, None).await,
            expected,
            "{peer} under anonymous_create = {setting:?}"
        );
    }
    for header in PROXY_HEADERS {
        assert_eq!(
            share_from(&lan, "192.168.1.20", Some(header)).await,
            "401",
            "a LAN proxy ({}) is not a LAN client",
            header.0
        );
    }
    off.create(app_secret(), None, &Client::in_process())
        .await
        .expect("with off, the app still creates in process");
}

/// The real binary on 127.0.0.1:0, stopped (killed) on drop.
struct Binary {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Binary {
    /// Starts it with `args`, `env` (and nothing from this process's `HUSHLINK_*`) and
    /// a config file holding `toml`.
    fn start(args: &[&str], env: &[(&str, &str)], toml: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("relay.toml");
        std::fs::write(
            &config,
            format!("{toml}\n[relay.passphrase_hashing]\nmemory_kib = 256\niterations = 1\n"),
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_hushlink-relay"))
            .env_clear()
            .env("HUSHLINK_LOG", "warn")
            .envs(env.iter().copied())
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path().join("data"))
            .arg("--config")
            .arg(&config)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the relay binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("its first line");
        let url = line.trim().strip_prefix("listening on ").map(str::to_owned);
        let Some(url) = url else {
            let _ = child.kill();
            panic!("{args:?} {env:?}: the relay did not start ({line:?})");
        };
        Self {
            child,
            url,
            _dir: dir,
        }
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn the_headless_binary_trusts_loopback_only_as_configured() {
    let default = Binary::start(&[], &[], "");
    assert_eq!(v1_share_status(&default.url, None).await, "200");
    assert_eq!(
        v1_share_status(&default.url, Some(PROXY_HEADERS[1])).await,
        "401",
        "behind a proxy on its host, the headless relay does not take loopback for local"
    );
    drop(default);

    let by_flag = Binary::start(&["--anonymous-create", "off"], &[], "");
    assert_eq!(
        v1_share_status(&by_flag.url, None).await,
        "401",
        "--anonymous-create off"
    );
    drop(by_flag);
    let by_env = Binary::start(&[], &[("HUSHLINK_ANONYMOUS_CREATE", "off")], "");
    assert_eq!(
        v1_share_status(&by_env.url, None).await,
        "401",
        "HUSHLINK_ANONYMOUS_CREATE"
    );
    drop(by_env);
    let by_file = Binary::start(&[], &[], "[relay]\nanonymous_create = \"off\"");
    assert_eq!(
        v1_share_status(&by_file.url, None).await,
        "401",
        "the file's setting"
    );
    drop(by_file);

    let limits = "[relay.rate_limits]\ncreates = 1";
    let limited = Binary::start(&[], &[], limits);
    assert_eq!(v1_share_status(&limited.url, None).await, "200");
    assert_eq!(
        v1_share_status(&limited.url, None).await,
        "429",
        "loopback is limited"
    );
    drop(limited);
    let off_in_file = format!("[relay]\nrate_limit = \"off\"\n{limits}");
    for (args, env, toml) in [
        (&["--rate-limit", "off"][..], &[][..], limits),
        (&[][..], &[("HUSHLINK_RATE_LIMIT", "off")][..], limits),
        (&[][..], &[][..], off_in_file.as_str()),
    ] {
        let unlimited = Binary::start(args, env, toml);
        for n in 0..5 {
            assert_eq!(
                v1_share_status(&unlimited.url, None).await,
                "200",
                "create {n} with {args:?} {env:?} {toml:?}: no rate limit at all"
            );
        }
    }
}
