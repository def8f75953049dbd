//! With every log level on, a full share → reveal → burn cycle logs no secret, passphrase,
//! token or whole key.

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use hushlink_client::{Client, ServerConfig, ShareRequest};
use hushlink_protocol::SecretText;
use hushlink_testkit::TestRelay;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn trace_logs_hold_no_secret_passphrase_token_or_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    // Global, not scoped: tests on other threads of this binary hit the same callsites, and a
    // scoped subscriber can lose events to interest cached while none was listening. Only
    // this test installs a subscriber; the others' events land here too, harmlessly.
    tracing::subscriber::set_global_default(subscriber).expect("only this test sets a subscriber");

    let server = TestRelay::start().await;
    let token = server
        .relay()
        .tokens()
        .issue("alice@example.com")
        .await
        .unwrap()
        .token;
    let config = ServerConfig::new(server.url())
        .with_credentials("alice@example.com", SecretText::new(token.expose()));
    let client = Client::new(config).unwrap();
    let request = ShareRequest {
        passphrase: Some(SecretText::from("pass-do-not-log")),
        ..ShareRequest::new(SecretText::from("secret-do-not-log"))
    };
    let shared = client.share(request).await.unwrap();
    let wrong = client
        .reveal(
            &shared.secret_link.key,
            Some(&SecretText::from("wrong-do-not-log")),
        )
        .await;
    assert!(wrong.is_err());
    client
        .reveal(
            &shared.secret_link.key,
            Some(&SecretText::from("pass-do-not-log")),
        )
        .await
        .unwrap();
    let other = client
        .share(ShareRequest::new(SecretText::from("secret-do-not-log")))
        .await
        .unwrap();
    client
        .burn(&other.receipt.metadata_key, None)
        .await
        .unwrap();
    client
        .secret_status_batch(&[&other.secret_link.key])
        .await
        .unwrap();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("share"),
        "the calls were logged at all:\n{logs}"
    );
    for hidden in [
        "secret-do-not-log",
        "pass-do-not-log",
        "wrong-do-not-log",
        token.expose(),
        &shared.secret_link.key,
        &shared.receipt.metadata_key,
        &other.receipt.metadata_key,
        &other.secret_link.key,
    ] {
        assert!(!logs.contains(hidden), "{hidden} in the logs:\n{logs}");
    }
}
