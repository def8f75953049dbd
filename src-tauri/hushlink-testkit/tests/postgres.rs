//! The throwaway PostgreSQL over real TLS with the driver the relay uses: the kit's CA
//! verifies the server, plain text and unknown CAs are refused, a restarted server is
//! reachable again on the same URL.

use std::sync::Arc;

use hushlink_testkit::TestPostgres;
use tokio_postgres::{Client, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

/// A TLS connector trusting only `ca_der` (none when `None`: every server is unknown).
fn tls(ca_der: Option<&[u8]>) -> MakeRustlsConnect {
    let mut roots = rustls::RootCertStore::empty();
    if let Some(der) = ca_der {
        roots
            .add(der.to_vec().into())
            .expect("the kit's CA is a valid certificate");
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("default TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    MakeRustlsConnect::new(config)
}

async fn connect(url: &str, ca_der: &[u8]) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, tls(Some(ca_der))).await?;
    tokio::spawn(connection);
    Ok(client)
}

/// Whether this session is encrypted, and the server's `synchronous_commit`.
async fn session(client: &Client) -> Result<(bool, String), tokio_postgres::Error> {
    let row = client
        .query_one(
            "SELECT ssl, current_setting('synchronous_commit') FROM pg_stat_ssl
             WHERE pid = pg_backend_pid()",
            &[],
        )
        .await?;
    Ok((row.get(0), row.get(1)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_answers_over_verified_tls_and_comes_back_after_a_restart() {
    let pg = Arc::new(
        tokio::task::spawn_blocking(TestPostgres::start)
            .await
            .unwrap(),
    );
    let url = pg.url();
    assert!(url.ends_with("sslmode=require"), "{url}");

    let client = connect(&url, pg.ca_der()).await.expect("connects over TLS");
    assert_eq!(
        session(&client).await.unwrap(),
        (true, "on".to_owned()),
        "the session is encrypted and commits wait for the disk"
    );
    client
        .batch_execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)")
        .await
        .expect("the relay's role may create tables in its database");

    let stopping = Arc::clone(&pg);
    tokio::task::spawn_blocking(move || stopping.stop())
        .await
        .unwrap();
    assert!(
        client.query_one("SELECT 1", &[]).await.is_err(),
        "a stopped server answers nothing"
    );
    assert!(connect(&url, pg.ca_der()).await.is_err(), "nor accepts");

    let starting = Arc::clone(&pg);
    tokio::task::spawn_blocking(move || starting.start_again())
        .await
        .unwrap();
    let again = connect(&url, pg.ca_der()).await.expect("reconnects");
    let n: i32 = again
        .query_one("SELECT n FROM kept", &[])
        .await
        .expect("the committed row survived the restart")
        .get(0);
    assert_eq!(n, 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_refuses_plain_text_and_unverified_servers_are_refused() {
    let pg = tokio::task::spawn_blocking(TestPostgres::start)
        .await
        .unwrap();
    let plain = pg.url().replace("sslmode=require", "sslmode=disable");
    let refused = tokio_postgres::connect(&plain, NoTls).await;
    assert!(refused.is_err(), "pg_hba.conf accepts TCP only over TLS");
    let unknown_ca = tokio_postgres::connect(&pg.url(), tls(None)).await;
    assert!(
        unknown_ca.is_err(),
        "a server whose CA the client does not trust is refused"
    );

    let other = pg.new_database();
    assert_ne!(other, pg.url());
    let client = connect(&other, pg.ca_der()).await.expect("connects");
    let name: String = client
        .query_one("SELECT current_database()", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        name, "hushlink_0",
        "a fresh database per test on one cluster"
    );
}
