//! The suite on PostgreSQL (`HUSHLINK_TEST_ENGINE=postgres`, issue 18): that it really runs
//! there, and the PostgreSQL counterparts of the tests that read SQLite's files: the data
//! directory (tables and WAL) and a `pg_dump` hold no secret text, key, link, passphrase or
//! token; no receipt key is kept for a token; an invite's sealed row copied before its
//! withdrawal opens only a dead token.

use std::path::Path;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hushlink_client::invite::accept_invite;
use hushlink_client::{Client as ApiClient, ServerConfig};
use hushlink_relay::{Client, Clock, InviteAddress, NewSecret, Relay, SecretText};
use hushlink_testkit::TestPostgres;

use crate::support::engine::{cluster, database_name, database_of};
use crate::support::{postgres_only, share, test_config, TestRelay};

/// Every file under `dir`, recursively.
fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The database a [`TestRelay`] of this run stands on.
async fn database_of_relay(relay: &TestRelay) -> String {
    let url = database_of(relay.relay.config().data_dir.clone()).await;
    database_name(&url).to_owned()
}

#[tokio::test]
async fn the_suite_runs_on_postgres_when_asked() {
    if postgres_only("checks where TestRelay keeps its data") {
        return;
    }
    let relay = TestRelay::start(|_| {}).await;
    share(&relay, &[("secret", "kept in PostgreSQL")]).await;
    let data_dir = relay.relay.config().data_dir.clone();
    assert!(
        !data_dir.join("relay.sqlite3").exists(),
        "no SQLite file beside a relay on PostgreSQL"
    );
    let database = database_of_relay(&relay).await;
    let rows = tokio::task::spawn_blocking(move || {
        cluster().query(&database, "SELECT count(*) FROM secret_values")
    })
    .await
    .unwrap();
    assert_eq!(
        rows.trim(),
        "1",
        "the secret is a row in the relay's database"
    );
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_directory_and_dump_hold_no_secret_text_keys_links_or_tokens() {
    if postgres_only("searches PostgreSQL's data directory") {
        return;
    }
    // A cluster of its own: the search covers every byte the server wrote, and only this
    // test's (the shared cluster holds the whole suite's databases).
    let pg = Arc::new(
        tokio::task::spawn_blocking(TestPostgres::start)
            .await
            .unwrap(),
    );
    let url = format!("{}&sslrootcert={}", pg.url(), pg.ca_path().display());
    let dir = tempfile::tempdir().unwrap();
    let relay = Relay::open_on_postgres(test_config(dir.path()), Clock::system(), &url)
        .await
        .unwrap();
    let client = Client::new("127.0.0.1".parse().unwrap(), None);
    // Token names are stored in clear: finding this one proves the search sees the data.
    let marker = "at-rest-marker-token-name";
    let token = relay.tokens().issue(marker).await.unwrap();
    let mut needles = vec![token.token.expose().to_owned()];
    for i in 0..20 {
        let text = format!("needle-secret-text-{i}-correct-horse-battery");
        let passphrase = (i % 2 == 0).then(|| format!("needle-passphrase-{i}"));
        let new = NewSecret {
            value: Some(SecretText::new(text.clone())),
            passphrase: passphrase.clone().map(SecretText::new),
            ..NewSecret::default()
        };
        let created = relay.create(new, None, &client).await.unwrap();
        let secret_key = created.receipt.secret_key.as_ref().unwrap();
        if i % 4 == 1 {
            relay.reveal(secret_key, None, &client).await.unwrap();
        }
        let secret_key = secret_key.expose().to_owned();
        needles.extend([
            text,
            format!("/secret/{secret_key}"),
            secret_key,
            created.receipt.receipt_key.expose().to_owned(),
        ]);
        needles.extend(passphrase);
    }
    let generated = NewSecret {
        value: None,
        generate_length: Some(40),
        ..NewSecret::default()
    };
    let generated = relay.create(generated, None, &client).await.unwrap();
    needles.push(generated.generated.unwrap().expose().to_owned());
    drop(relay);

    let searched = Arc::clone(&pg);
    let (files, dump) = tokio::task::spawn_blocking(move || {
        searched.checkpoint();
        let mut files = Vec::new();
        files_under(&searched.data_dir(), &mut files);
        let dump = searched.pg_dump(hushlink_testkit::postgres::DATABASE);
        (files, dump)
    })
    .await
    .unwrap();
    // Text search (std's, fast even in a debug build) over a lossy decoding: ASCII needles
    // survive it byte for byte, and every needle is ASCII.
    let mut marker_seen = false;
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue; // a file the server removed meanwhile (a recycled WAL segment)
        };
        let text = String::from_utf8_lossy(&bytes);
        marker_seen |= text.contains(marker);
        for needle in &needles {
            assert!(
                !text.contains(needle.as_str()),
                "{} holds a secret, key or token ({} bytes)",
                path.display(),
                needle.len()
            );
        }
    }
    assert!(
        marker_seen,
        "the search of the data directory finds stored text"
    );
    let dump = String::from_utf8(dump).expect("a plain-text dump");
    assert!(dump.contains(marker), "the dump holds the tables");
    for needle in &needles {
        let hex: String = needle.bytes().map(|b| format!("{b:02x}")).collect();
        assert!(
            !dump.contains(needle.as_str()) && !dump.contains(&hex),
            "the dump holds a secret, key or token ({} bytes)",
            needle.len()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_keeps_no_receipt_key_sealed_for_the_token() {
    if postgres_only("PostgreSQL's columns (attack_recent checks SQLite's)") {
        return;
    }
    let relay = TestRelay::start(|_| {}).await;
    let database = database_of_relay(&relay).await;
    let columns = tokio::task::spawn_blocking(move || {
        cluster().query(
            &database,
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'secrets'",
        )
    })
    .await
    .unwrap();
    let columns: Vec<&str> = columns.lines().collect();
    assert!(columns.contains(&"owner"), "{columns:?}");
    assert!(
        !columns.iter().any(|c| c.contains("receipt_key")),
        "no receipt key sealed under the token is kept: {columns:?}"
    );
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_of_a_withdrawn_invite_opens_a_dead_token() {
    if postgres_only("reads the sealed invite from PostgreSQL (invites.rs reads SQLite)") {
        return;
    }
    let relay = TestRelay::start(|_| {}).await;
    let created = relay
        .relay
        .create_invite("carol", None, &InviteAddress::plain(relay.url.clone()))
        .await
        .unwrap();
    // What someone who copied the database before the withdrawal would hold.
    let database = database_of_relay(&relay).await;
    let sealed = tokio::task::spawn_blocking(move || {
        cluster().query(&database, "SELECT encode(sealed, 'hex') FROM invites")
    })
    .await
    .unwrap();
    let sealed = hex::decode(sealed.trim()).expect("hex");
    assert!(relay
        .relay
        .withdraw_invite(&created.summary.id)
        .await
        .unwrap());
    let err = accept_invite(&created.link.expose()).await.unwrap_err();
    assert_eq!(err.code(), "invite_withdrawn");
    let copied =
        hushlink_client::invite::open(&URL_SAFE_NO_PAD.encode(sealed), &created.link.fragment)
            .expect("the copy opens with the link's fragment");
    assert_eq!(copied.token_name, "carol");
    let client = ApiClient::new(
        ServerConfig::new(copied.origin.parse().unwrap())
            .with_credentials(copied.token_name.clone(), copied.token.clone()),
    )
    .unwrap();
    let refused = client.authcheck().await.unwrap_err();
    assert_eq!(refused.code(), "bad_credentials", "{refused}");
    relay.stop().await;
}
