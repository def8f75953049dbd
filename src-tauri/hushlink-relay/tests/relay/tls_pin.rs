//! The headless relay's second listener for colleagues' apps (`--tls-listen`), through the
//! real binary on 127.0.0.1: HTTPS with the relay's own certificate, printed and pinned by its
//! fingerprint; a client with the pin shares over it, a client with another pin is refused
//! before the relay sees anything; the certificate survives restarts, and a damaged one
//! stops the start instead of being replaced.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use hushlink_client::{CertPin, Client, Error as ClientError, ServerConfig, ShareRequest};
use hushlink_relay::{AccessAction, AccessLogFilter, Relay};
use reqwest::Url;

use crate::support::binary::command;
use crate::support::test_config;

/// A config file with a cheap Argon2 cost (debug builds hash slowly).
fn cheap_config(dir: &Path) -> PathBuf {
    let path = dir.join("relay.toml");
    std::fs::write(
        &path,
        "[relay.passphrase_hashing]\nmemory_kib = 256\niterations = 1\n",
    )
    .unwrap();
    path
}

/// The headless relay with both listeners on 127.0.0.1 (ports 0), killed when dropped.
struct TwoListeners {
    child: Child,
    http: Url,
    https: Url,
    /// As printed after `sha256=`.
    fingerprint: String,
}

impl TwoListeners {
    fn start(data: &Path, extra: &[&str]) -> Self {
        Self::from(spawn(data, extra, TlsListen::Flag))
    }

    fn from((child, first, second): (Child, String, String)) -> Self {
        let http = first
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("the first line is unchanged: {first:?}"));
        let (https, fingerprint) = https_line(&second);
        Self {
            http: Url::parse(&format!("http://{http}")).unwrap(),
            https,
            fingerprint,
            child,
        }
    }

    fn pin(&self) -> CertPin {
        self.fingerprint
            .parse()
            .expect("a fingerprint the client reads")
    }
}

/// How the binary is told where the HTTPS listener goes.
#[derive(Clone, Copy, PartialEq)]
enum TlsListen {
    Flag,
    Env,
}

/// Starts the binary with both listeners on 127.0.0.1; returns it and its two stdout lines.
fn spawn(data: &Path, extra: &[&str], tls_listen: TlsListen) -> (Child, String, String) {
    let config = cheap_config(data.parent().unwrap());
    let mut args = vec![
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        data.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ];
    if tls_listen == TlsListen::Flag {
        args.extend_from_slice(&["--tls-listen", "127.0.0.1:0"]);
    }
    args.extend_from_slice(extra);
    let mut cmd = command(&args);
    if tls_listen == TlsListen::Env {
        cmd.env("HUSHLINK_TLS_LISTEN", "127.0.0.1:0");
    }
    let mut child = cmd
        .env("HUSHLINK_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the relay starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let mut second = String::new();
    out.read_line(&mut second).unwrap();
    (child, first.trim().to_owned(), second.trim().to_owned())
}

/// `listening on https://ADDR:PORT sha256=FINGERPRINT` → (URL, fingerprint).
fn https_line(line: &str) -> (Url, String) {
    let (addr, fingerprint) = line
        .strip_prefix("listening on https://")
        .and_then(|rest| rest.split_once(" sha256="))
        .unwrap_or_else(|| panic!("the HTTPS line follows: {line:?}"));
    (
        Url::parse(&format!("https://{addr}")).unwrap(),
        fingerprint.to_owned(),
    )
}

impl Drop for TwoListeners {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `hushlink-relay ARGS --data-dir DATA`: (exit code, stdout, stderr).
fn run(args: &[&str], data: &Path) -> (i32, String, String) {
    let mut full = args.to_vec();
    full.extend_from_slice(&["--data-dir", data.to_str().unwrap()]);
    let out = command(&full).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

async fn creates(data: &Path) -> usize {
    let relay = Relay::open(test_config(data)).await.unwrap();
    let filter = AccessLogFilter {
        action: Some(AccessAction::Create),
        ..AccessLogFilter::default()
    };
    relay.access_log().query(filter).await.unwrap().len()
}

#[tokio::test]
async fn colleagues_share_over_the_pinned_https_listener_and_others_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut relay = TwoListeners::start(&data, &[]);
    let (code, printed, stderr) = run(&["tls", "fingerprint"], &data);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        printed.lines().last(),
        Some(relay.fingerprint.as_str()),
        "the command prints what the relay serves, alone on its last line"
    );
    let (code, created, stderr) = run(&["token", "create", "alice"], &data);
    assert_eq!(code, 0, "{stderr}");
    let token = created.lines().last().unwrap().to_owned();

    // The colleague's app: pinned HTTPS for calls, plain-HTTP links for recipients.
    let colleague = ServerConfig::new(relay.https.clone())
        .with_pinned_cert(relay.pin())
        .with_link_base(relay.http.clone())
        .with_credentials("alice", token.as_str().into());
    let client = Client::new(colleague.clone()).unwrap();
    let shared = client
        .share(ShareRequest::new("the printer's admin password".into()))
        .await
        .expect("shared over the pinned connection");
    let receipt = client
        .receipt(&shared.receipt.metadata_key)
        .await
        .expect("the receipt, over the pinned connection");
    assert_eq!(receipt.state.as_str(), "new");
    assert_eq!(receipt.custid.as_deref(), Some("alice"), "shared as alice");
    let link = shared.secret_link.to_url();
    assert_eq!(
        link.origin(),
        relay.http.origin(),
        "the recipient's link opens on plain HTTP: {link}"
    );
    let recipient = Client::new(ServerConfig::new(relay.http.clone())).unwrap();
    let value = recipient
        .reveal_link(&shared.secret_link, None)
        .await
        .unwrap();
    assert_eq!(value.expose(), "the printer's admin password");

    // Another certificate's pin: refused in the handshake, before the token or the text
    // could leave.
    let other = CertPin::of_der(b"a certificate an attacker made");
    let intercepted = Client::new(colleague.clone().with_pinned_cert(other)).unwrap();
    let err = intercepted
        .share(ShareRequest::new("must not arrive".into()))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ClientError::PinMismatch {
            presented: relay.fingerprint.clone()
        }
    );
    assert_eq!(err.code(), "tls_pin_mismatch");
    // An unpinned client does not trust the self-signed certificate either.
    let unpinned = ServerConfig::new(relay.https.clone());
    let err = Client::new(unpinned).unwrap().status().await.unwrap_err();
    assert!(matches!(err, ClientError::Tls { .. }), "{err:?}");

    // Restarted (the HTTPS listener from the environment this time): the same certificate,
    // so the pin keeps working.
    relay.child.kill().unwrap();
    relay.child.wait().unwrap();
    assert_eq!(creates(&data).await, 1, "the refused share never arrived");
    let again = TwoListeners::from(spawn(&data, &[], TlsListen::Env));
    assert_eq!(
        again.fingerprint, relay.fingerprint,
        "stable across restarts"
    );
    let pinned = ServerConfig::new(again.https.clone()).with_pinned_cert(relay.pin());
    Client::new(pinned)
        .unwrap()
        .status()
        .await
        .expect("the old pin works after a restart");
}

#[tokio::test]
async fn a_damaged_certificate_stops_the_start_and_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (code, made, stderr) = run(&["tls", "fingerprint"], &data);
    assert_eq!(code, 0, "{stderr}");
    let cert = data.join("tls").join("cert.pem");
    std::fs::write(&cert, "not a certificate\n").unwrap();
    let config = cheap_config(tmp.path());
    let out = command(&[
        "--listen",
        "127.0.0.1:0",
        "--tls-listen",
        "127.0.0.1:0",
        "--data-dir",
        data.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ])
    .env("HUSHLINK_LOG", "off")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing listened");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("cert.pem") && stderr.contains("colleagues' apps pin it"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&cert).unwrap(),
        "not a certificate\n",
        "not replaced behind the colleagues' backs"
    );
    let (code, _, stderr) = run(&["tls", "fingerprint"], &data);
    assert_eq!(code, 1, "the command fails too");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!made.is_empty());
}

#[tokio::test]
async fn the_admins_certificate_serves_both_listeners_when_given() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/relay/fixtures");
    let files = hushlink_relay::TlsFiles {
        cert: fixtures.join("cert.pem"),
        key: fixtures.join("key.pem"),
    };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (mut child, first, second) = spawn(
        &data,
        &[
            "--tls-cert",
            files.cert.to_str().unwrap(),
            "--tls-key",
            files.key.to_str().unwrap(),
        ],
        TlsListen::Flag,
    );
    let main = first
        .strip_prefix("listening on https://")
        .unwrap_or_else(|| panic!("--tls-cert keeps its meaning on --listen: {first:?}"));
    let (https, fingerprint) = https_line(&second);
    let expected = files.fingerprint().unwrap().to_string();
    assert_eq!(
        fingerprint, expected,
        "colleagues pin the admin's certificate"
    );
    let pin: CertPin = fingerprint.parse().unwrap();
    for base in [Url::parse(&format!("https://{main}")).unwrap(), https] {
        let client = Client::new(ServerConfig::new(base.clone()).with_pinned_cert(pin)).unwrap();
        client
            .status()
            .await
            .unwrap_or_else(|e| panic!("{base}: {e}"));
    }
    assert!(
        !data.join("tls").exists(),
        "no certificate of its own is made beside the admin's"
    );
    let _ = child.kill();
    let _ = child.wait();
}
