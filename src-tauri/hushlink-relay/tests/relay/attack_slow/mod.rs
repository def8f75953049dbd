//! Issue 14, item 6: slow and half-open connections, against a live relay on 127.0.0.1
//! (`serve` / `serve_tls` in process) with raw sockets, so the test controls every byte.
//! Deadlines are a few hundred milliseconds here; each wait for a close is bounded by
//! [`CLOSE_WITHIN`], which the relay before the fix never met (it held such connections
//! for ever).

mod raw;

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use raw::{fixture, read_answer, refusing_loopback, short, until_closed, Served, CLOSE_WITHIN};

/// A refused peer's connection is closed at accept: without sending a byte it sees the
/// close at once (the relay before the fix waited for its request, to answer 403), and a
/// request it sent is never answered.
#[tokio::test]
async fn refused_peers_are_closed_before_a_byte_is_read() {
    let relay = Served::start(|_| {}, Some(refusing_loopback()), None).await;
    let mut silent = relay.connect().await;
    let (bytes, _) = until_closed(&mut silent)
        .await
        .expect("closed without waiting for a request");
    assert!(bytes.is_empty(), "nothing sent: {bytes:?}");

    let mut asking = relay.connect().await;
    let _ = asking
        .write_all(relay.get("/api/v2/status").as_bytes())
        .await;
    let (bytes, _) = until_closed(&mut asking).await.expect("closed");
    assert!(
        bytes.is_empty(),
        "no answer, not even a 403: {:?}",
        String::from_utf8_lossy(&bytes)
    );
}

/// With TLS the refusal comes before the handshake: a silent client sees the close at once
/// (before the fix the relay waited up to 10 s for its ClientHello), and a real TLS client
/// never completes a handshake (before the fix it did, then got a 403).
#[tokio::test]
async fn refused_peers_are_closed_before_the_tls_handshake() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = hushlink_relay::TlsFiles {
        cert: fixture("cert.pem"),
        key: fixture("key.pem"),
    }
    .load()
    .unwrap();
    let relay = Served::start(|_| {}, Some(refusing_loopback()), Some(tls)).await;
    let mut silent = relay.connect().await;
    let (bytes, _) = until_closed(&mut silent)
        .await
        .expect("closed without waiting for a ClientHello");
    assert!(bytes.is_empty(), "no handshake bytes: {bytes:?}");

    let cert =
        reqwest::Certificate::from_pem(&std::fs::read(fixture("cert.pem")).unwrap()).unwrap();
    let client = reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(cert)
        .build()
        .unwrap();
    let answer = client
        .get(format!(
            "https://127.0.0.1:{}/api/v2/status",
            relay.addr.port()
        ))
        .send()
        .await;
    assert!(
        answer.is_err(),
        "no handshake, so no answer: {:?}",
        answer.map(|a| a.status())
    );
}

/// A head that never ends is cut at the header deadline, even while bytes keep trickling
/// in (a deadline on the whole head, not on silence).
#[tokio::test]
async fn an_unfinished_head_is_closed_at_the_header_deadline() {
    let relay = Served::start(|c| short(&mut c.connections), None, None).await;
    let mut stream = relay.connect().await;
    let started = Instant::now();
    let (mut reader, mut writer) = stream.split();
    let head = format!("GET /api/v2/status HTTP/1.1\r\nHost: {}\r\n", relay.addr);
    writer.write_all(head.as_bytes()).await.unwrap();
    let trickle = async {
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if writer.write_all(b"X-Pad: a\r\n").await.is_err() {
                return;
            }
        }
    };
    let mut received = Vec::new();
    let closed = tokio::time::timeout(CLOSE_WITHIN, async {
        tokio::select! {
            _ = reader.read_to_end(&mut received) => {}
            () = trickle => {}
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "an unfinished head was still held after {CLOSE_WITHIN:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "not cut before its deadline ({:?})",
        started.elapsed()
    );
    assert!(received.is_empty(), "no answer to half a head");
}

/// A body that arrives a byte at a time is cut at the body deadline.
#[tokio::test]
async fn a_slow_body_is_cut_at_the_body_deadline() {
    let relay = Served::start(|c| short(&mut c.connections), None, None).await;
    let mut stream = relay.connect().await;
    let head = format!(
        "POST /api/v2/secret/conceal HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: 1000\r\n\r\n{{\"secret\":{{\"secret\":\"",
        relay.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = stream.split();
    let trickle = async {
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if writer.write_all(b"x").await.is_err() {
                return;
            }
        }
    };
    let closed = tokio::time::timeout(CLOSE_WITHIN, async {
        let mut sink = Vec::new();
        tokio::select! {
            _ = reader.read_to_end(&mut sink) => {}
            () = trickle => {}
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "a slow body was still read after {CLOSE_WITHIN:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "not cut before its deadline ({:?})",
        started.elapsed()
    );
}

/// A kept-alive connection serves a prompt second request, then is closed once it has been
/// idle for the idle deadline (600 ms, longer than the head's 300 ms: its own setting).
#[tokio::test]
async fn an_idle_keep_alive_is_closed_at_the_idle_deadline() {
    let relay = Served::start(|c| short(&mut c.connections), None, None).await;
    let mut stream = relay.connect().await;
    for _ in 0..2 {
        stream
            .write_all(relay.get("/api/v2/status").as_bytes())
            .await
            .unwrap();
        let answer = read_answer(&mut stream).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let idle_since = Instant::now() - Duration::from_millis(100);
    let (bytes, closed) = until_closed(&mut stream)
        .await
        .expect("an idle keep-alive is closed");
    assert!(bytes.is_empty());
    let idle = closed - idle_since;
    assert!(
        idle >= Duration::from_millis(500),
        "idle for {idle:?}: the idle deadline, not the head's, applies"
    );
}

/// The connection over a client's cap is closed at accept, while other clients still
/// connect, and a place the client frees can be taken again.
#[tokio::test]
async fn the_connection_over_a_clients_cap_is_refused() {
    let relay = Served::start(|c| c.connections.max_per_client = 3, None, None).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut stream = relay.connect().await;
        stream
            .write_all(relay.get("/api/v2/status").as_bytes())
            .await
            .unwrap();
        assert!(read_answer(&mut stream).await.starts_with("HTTP/1.1 200"));
        held.push(stream);
    }
    let mut fourth = relay.connect().await;
    let _ = fourth
        .write_all(relay.get("/api/v2/status").as_bytes())
        .await;
    let (bytes, _) = until_closed(&mut fourth)
        .await
        .expect("the fourth connection of 127.0.0.1 is closed");
    assert!(bytes.is_empty(), "{:?}", String::from_utf8_lossy(&bytes));

    let mut other = relay.connect_from("127.0.0.2").await;
    other
        .write_all(relay.get("/api/v2/status").as_bytes())
        .await
        .unwrap();
    assert!(
        read_answer(&mut other).await.starts_with("HTTP/1.1 200"),
        "another client is served"
    );

    drop(held.pop());
    let deadline = Instant::now() + CLOSE_WITHIN;
    loop {
        let mut again = relay.connect().await;
        let _ = again
            .write_all(relay.get("/api/v2/status").as_bytes())
            .await;
        let mut first = [0u8; 12];
        if again.read_exact(&mut first).await.is_ok() {
            assert_eq!(&first, b"HTTP/1.1 200");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the freed place was never given back"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The total cap holds across clients.
#[tokio::test]
async fn the_connection_over_the_total_cap_is_refused() {
    let relay = Served::start(|c| c.connections.max = 2, None, None).await;
    let mut held = Vec::new();
    for source in ["127.0.0.1", "127.0.0.2"] {
        let mut stream = relay.connect_from(source).await;
        stream
            .write_all(relay.get("/api/v2/status").as_bytes())
            .await
            .unwrap();
        assert!(read_answer(&mut stream).await.starts_with("HTTP/1.1 200"));
        held.push(stream);
    }
    let mut third = relay.connect_from("127.0.0.3").await;
    let (bytes, _) = until_closed(&mut third)
        .await
        .expect("a third connection is closed at accept");
    assert!(bytes.is_empty());
}

/// 60 unfinished 4 MiB bodies with invalid credentials (which raised the relay's memory
/// from 41 to 282 MiB before the fix) are each answered 401 after a few KiB, without the
/// relay waiting for the rest, and their connections are closed: nothing is left to hold.
#[tokio::test]
async fn unfinished_large_bodies_with_invalid_credentials_are_refused_unread() {
    let relay = Served::start(|_| {}, None, None).await;
    let addr = relay.addr;
    let attempts = (0..60).map(|i| async move {
        let (path, expected) = if i % 2 == 0 {
            ("/api/v2/secret/conceal", "HTTP/1.1 401")
        } else {
            ("/api/v1/share", "HTTP/1.1 404")
        };
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic YWxpY2U6d3Jvbmc=\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            4 * 1024 * 1024
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&[b' '; 4096]).await.unwrap();
        let (bytes, _) = until_closed(&mut stream)
            .await
            .expect("answered and closed without the rest of the body");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        assert!(text.starts_with(expected), "{path}: {text}");
        if path.starts_with("/api/v1") {
            assert!(
                text.to_ascii_lowercase()
                    .contains("x-ots-intended-status: 401"),
                "v1's way of saying 401: {text}"
            );
        }
    });
    futures_util::future::join_all(attempts).await;
}

/// A caller who may not create (no token, and not admitted by `anonymous_create`) has no
/// use for a large body: after 64 KiB it is answered 401 without the relay waiting for the
/// rest, while its small bodies (a reveal's) are still read.
#[tokio::test]
async fn large_bodies_from_callers_who_may_not_create_are_refused_unread() {
    use hushlink_relay::AnonymousCreate;
    let relay = Served::start(|c| c.anonymous_create = AnonymousCreate::Off, None, None).await;
    let addr = relay.addr;
    let attempts = (0..20).map(|_| async move {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST /api/v2/secret/conceal HTTP/1.1\r\nHost: {addr}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            4 * 1024 * 1024
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let _ = stream.write_all(&[b' '; 80 * 1024]).await;
        let (bytes, _) = until_closed(&mut stream)
            .await
            .expect("answered and closed without the rest of the body");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        assert!(text.starts_with("HTTP/1.1 401"), "{text}");
    });
    futures_util::future::join_all(attempts).await;

    let mut reveal = relay.connect().await;
    let body = "{\"passphrase\":\"not this one\",\"continue\":true}";
    let request = format!(
        "POST /api/v2/secret/{}/reveal HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        "a".repeat(50),
        body.len()
    );
    reveal.write_all(request.as_bytes()).await.unwrap();
    let answer = read_answer(&mut reveal).await;
    assert!(
        answer.starts_with("HTTP/1.1 404"),
        "a small anonymous body is read: {answer}"
    );
}
