//! The system proxy: plain-HTTP and LAN traffic never goes through it, HTTPS to internet
//! hosts still does (issue 14, item 2).
//!
//! The proxy comes from process-wide environment variables, which parallel tests must not
//! change, so the test runs its client half in a child process (this test binary, filtered
//! to the same test) with `HTTP_PROXY` and friends pointing at a recording proxy on
//! 127.0.0.1. Every address involved is a loopback address: the LAN-looking base is
//! `[::ffff:127.0.0.1]`, which the client's rule judges as the IPv4 address it carries (a
//! LAN host, not "loopback" by the standard library's test), and the kernel delivers to
//! the fixture server's 127.0.0.1 listener.

use std::{
    process::Command,
    sync::{Arc, Mutex},
};

use hushlink_client::{Client, Error, ServerConfig, ShareRequest};
use hushlink_protocol::SecretText;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};
use url::Url;

use crate::support::StubServer;

/// Set in the child process: the LAN-looking base its client talks to.
const CHILD_TARGET: &str = "HUSHLINK_TEST_PROXY_CHILD_TARGET";
/// An HTTPS base on a name that can be on the internet (`.invalid` never resolves, so a
/// broken rule cannot send anything off this machine either).
const PUBLIC_HTTPS: &str = "https://hushlink-proxy-check.invalid/";
const SECRET: &str = "proxy-must-not-see-this";
/// This test's name in the test binary, for the child's filter.
const TEST_NAME: &str = "proxy::plain_http_lan_traffic_never_goes_through_the_system_proxy";

/// A forward proxy on 127.0.0.1 that records each request line and refuses it: it never
/// forwards anything anywhere.
struct RecordingProxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl RecordingProxy {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let record = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let record = record.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&head);
                    let line = text.lines().next().unwrap_or_default().to_owned();
                    // Recorded before answering, so the client's failure implies the record.
                    record.lock().unwrap().push(line);
                    let _ = stream
                        .write_all(
                            b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                        )
                        .await;
                });
            }
        });
        Self { url, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_lan_traffic_never_goes_through_the_system_proxy() {
    if let Ok(target) = std::env::var(CHILD_TARGET) {
        return child(&target).await;
    }
    let proxy = RecordingProxy::start().await;
    let server = StubServer::fixture("v1_share").await;
    let mut target = server.url().clone();
    target.set_host(Some("[::ffff:127.0.0.1]")).unwrap();
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
        .env(CHILD_TARGET, target.as_str())
        // reqwest ignores HTTP_PROXY in a CGI context; make sure this is not one.
        .env_remove("REQUEST_METHOD")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        command.env(name, &proxy.url);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the client half passed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "the child ran exactly this test: {stdout}"
    );

    let seen = proxy.seen();
    assert_eq!(
        seen,
        vec![format!(
            "CONNECT {}:443 HTTP/1.1",
            Url::parse(PUBLIC_HTTPS).unwrap().host_str().unwrap()
        )],
        "the proxy saw the HTTPS call to an internet host (so the child did use it) and \
         nothing of the plain-HTTP LAN call"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "the share went straight to the server");
    assert!(requests[0].body.contains(SECRET), "and carried the secret");
}

/// The client half, in the child process with the proxy variables set.
async fn child(target: &str) {
    let lan = Client::new(ServerConfig::new(Url::parse(target).unwrap())).unwrap();
    lan.share(ShareRequest::new(SecretText::from(SECRET)))
        .await
        .expect("the plain-HTTP LAN share succeeds without the proxy");

    let public = Client::new(ServerConfig::new(Url::parse(PUBLIC_HTTPS).unwrap())).unwrap();
    let err = public
        .status()
        .await
        .expect_err("the recording proxy refuses every request");
    assert!(
        !matches!(err, Error::InsecureUrl { .. } | Error::InvalidUrl { .. }),
        "the HTTPS call was attempted: {err:?}"
    );
}
