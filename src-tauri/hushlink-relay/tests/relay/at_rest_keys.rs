//! A stolen data directory: whether secrets sealed by an older relay still open, and what a
//! wrong or missing passphrase does. (What the files yield with a link from chat history,
//! which needs the relay's private sealing code, is a unit test:
//! `src/operations/at_rest_tests.rs`.)

use std::path::Path;

use hushlink_relay::{BurnError, Client, Clock, Key, NewSecret, Relay, RevealError, SecretText};

fn client() -> Client {
    Client::new("127.0.0.1".parse().unwrap(), None)
}

async fn create(relay: &Relay, value: &str, passphrase: Option<&str>) -> (Key, Key) {
    let created = relay
        .create(
            NewSecret {
                value: Some(SecretText::new(value)),
                passphrase: passphrase.map(SecretText::new),
                ..NewSecret::default()
            },
            None,
            &client(),
        )
        .await
        .unwrap();
    (
        created.receipt.secret_key.unwrap(),
        created.receipt.receipt_key,
    )
}

#[tokio::test]
async fn a_passphrase_secret_is_refused_a_wrong_passphrase_and_burned_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let relay = crate::support::open(crate::support::test_config(dir.path()))
        .await
        .unwrap();
    let (secret, receipt) = create(&relay, "burn me", Some("right passphrase")).await;
    let wrong = SecretText::new("wrong passphrase");
    assert!(
        matches!(
            relay.reveal(&secret, Some(&wrong), &client()).await,
            Err(RevealError::WrongPassphrase { attempts_left: 4 })
        ),
        "a wrong passphrase is counted"
    );
    assert!(
        matches!(
            relay.burn(&receipt, Some(&wrong), &client()).await,
            Err(BurnError::WrongPassphrase { attempts_left: 3 })
        ),
        "a burn that gives a passphrase must give the right one"
    );
    relay
        .burn(&receipt, None, &client())
        .await
        .expect("the receipt alone burns, without the passphrase or the plaintext");
    assert!(matches!(
        relay
            .reveal(
                &secret,
                Some(&SecretText::new("right passphrase")),
                &client()
            )
            .await,
        Err(RevealError::Unknown)
    ));
}

/// Written by the relay before passphrases became part of the value key (schema 6; see
/// `fixtures/README.md`): one secret with passphrase `old passphrase`, one without.
const OLD_PASSPHRASE_SECRET: &str = "0nubefnp1nkvp2uhsdycc9dobs3805hcrezxg6rbo1mjtfpd90";
const OLD_PLAIN_SECRET: &str = "18q8197blog10nbganfnjditbld7t4tnxsz73qytdx3emvralv";
const OLD_CREATED_AT: i64 = 1_800_000_000;

#[tokio::test]
async fn secrets_sealed_by_an_older_relay_still_reveal() {
    if crate::support::sqlite_only(
        "a SQLite file from schema 6; PostgreSQL starts at the current seal",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/relay/fixtures/relay-v6.sqlite3"),
        dir.path().join("relay.sqlite3"),
    )
    .unwrap();
    let relay = Relay::open_with_clock(
        crate::support::test_config(dir.path()),
        Clock::manual(OLD_CREATED_AT + 60),
    )
    .await
    .unwrap();
    let guarded = Key::parse(OLD_PASSPHRASE_SECRET).unwrap();
    assert!(
        matches!(
            relay
                .reveal(&guarded, Some(&SecretText::new("wrong")), &client())
                .await,
            Err(RevealError::WrongPassphrase { .. })
        ),
        "the old hash still tells a wrong passphrase"
    );
    let revealed = relay
        .reveal(
            &guarded,
            Some(&SecretText::new("old passphrase")),
            &client(),
        )
        .await
        .expect("an old passphrase secret reveals with its passphrase");
    assert_eq!(
        revealed.value.expose(),
        "sealed the old way, with a passphrase"
    );
    let plain = relay
        .reveal(&Key::parse(OLD_PLAIN_SECRET).unwrap(), None, &client())
        .await
        .expect("an old secret without passphrase reveals");
    assert_eq!(plain.value.expose(), "sealed the old way, no passphrase");
}
