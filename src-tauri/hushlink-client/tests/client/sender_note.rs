//! The sender's note (Hushlink extension `sender_note`) from the client to the recipient's
//! page of the real relay, over HTTP; and what servers without the extension make of it.

use hushlink_client::{Client, ServerConfig, ShareRequest};
use hushlink_protocol::{note, SecretText};
use hushlink_testkit::TestRelay;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{form, Clients, StubServer};

/// The recipient's page at `path` on `relay`, as a browser gets it (a plain GET).
async fn page(relay: &TestRelay, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(relay.addr()).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: text/html\r\nConnection: close\r\n\r\n",
        relay.addr()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

fn shown_note(page: &str) -> Option<&str> {
    let start = page.find("<dd id=\"sender-note\">")? + "<dd id=\"sender-note\">".len();
    Some(&page[start..start + page[start..].find("</dd>")?])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_note_reaches_the_recipients_page_and_goes_with_the_secret() {
    let relay = TestRelay::start().await;
    let client = Client::new(ServerConfig::new(relay.url())).unwrap();
    for end_to_end in [false, true] {
        let request = ShareRequest {
            sender_note: Some("Sam from IT <it@example.com>".into()),
            ..ShareRequest::new(SecretText::from("hunter2"))
        };
        let shared = if end_to_end {
            client.share_e2e(request).await.unwrap()
        } else {
            client.share(request).await.unwrap()
        };
        let path = format!("/secret/{}", shared.secret_link.key);
        let before = page(&relay, &path).await;
        assert!(before.starts_with("HTTP/1.1 200"), "{before}");
        assert_eq!(
            shown_note(&before),
            Some("Sam from IT &lt;it@example.com&gt;"),
            "end to end: {end_to_end}"
        );
        client.reveal(&shared.secret_link.key, None).await.unwrap();
        let after = page(&relay, &path).await;
        assert!(after.starts_with("HTTP/1.1 404"), "revealed, so gone");
        assert!(!after.contains("Sam from IT"), "the note went with it");
    }

    let plain = client
        .share(ShareRequest::new(SecretText::from("no note")))
        .await
        .unwrap();
    let shown = page(&relay, &format!("/secret/{}", plain.secret_link.key)).await;
    assert_eq!(shown_note(&shown), None, "no note, no line");
}

#[tokio::test]
async fn the_field_is_sent_only_when_set() {
    let server = StubServer::fixture("v1_share").await;
    server
        .client()
        .share(ShareRequest::new(SecretText::from("x")))
        .await
        .unwrap();
    let sent = form(&server.last());
    assert!(sent.iter().all(|(name, _)| name != note::FIELD), "{sent:?}");

    let request = ShareRequest {
        sender_note: Some("Sam".into()),
        ..ShareRequest::new(SecretText::from("x"))
    };
    server.client().share(request).await.unwrap();
    assert!(form(&server.last()).contains(&(note::FIELD.to_owned(), "Sam".to_owned())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_ignores_form_fields_it_does_not_know() {
    // What a relay from before the extension did with `sender_note`, and what Onetime does
    // with any field it does not read: the share succeeds, the field is dropped.
    let relay = TestRelay::start().await;
    let mut stream = tokio::net::TcpStream::connect(relay.addr()).await.unwrap();
    let body = "secret=x&hushlink_field_from_the_future=1";
    let request = format!(
        "POST /api/v1/share HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        relay.addr(),
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"secret_key\""), "{answer}");
}
