//! A stolen data directory: what its files yield with a link from chat history. Moved here
//! from the integration tests (`tests/relay/at_rest_keys.rs`) because it opens the sealed
//! value with the relay's private sealing code, as a thief with the source would.

use std::path::Path;

use hushlink_protocol::SecretText;
use rusqlite::{Connection, OpenFlags};

use crate::access_log::Client;
use crate::config::RelayConfig;
use crate::keys::{Key, KeyKind};
use crate::model::NewSecret;
use crate::operations::Relay;
use crate::seal::{self, Purpose};

/// A caller on loopback (the operations tests' one client).
pub(super) fn client() -> Client {
    Client::new("127.0.0.1".parse().unwrap(), None)
}

/// Copies every file of the data directory, as a thief with a backup or disk image would.
fn steal(data_dir: &Path, into: &Path) {
    for entry in std::fs::read_dir(data_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, into.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// The sealed value of the live secret behind `secret_key`, read from the database file.
fn sealed_value(db: &Path, secret_key: &Key) -> Vec<u8> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row(
        "SELECT v.value FROM secret_values v JOIN secrets s ON s.id = v.id
         WHERE s.secret_id = ?1",
        [secret_key.row_id(KeyKind::Secret)],
        |r| r.get(0),
    )
    .unwrap()
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
async fn the_data_dir_and_the_link_without_the_passphrase_do_not_open_the_value() {
    let (data, stolen) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let relay = Relay::open(RelayConfig::for_tests(data.path()))
        .await
        .unwrap();
    let (guarded, _) = create(&relay, "guarded by a passphrase", Some("only-in-person")).await;
    let (plain, _) = create(&relay, "guarded by the link alone", None).await;
    steal(data.path(), stolen.path());
    let db = stolen.path().join("relay.sqlite3");

    let open = |key: &Key| {
        let id = key.row_id(KeyKind::Secret);
        seal::open(key.expose(), Purpose::Value, &id, &sealed_value(&db, key))
    };
    assert_eq!(
        open(&plain)
            .expect("control: the thief reads the right blob the right way")
            .as_slice(),
        b"guarded by the link alone",
        "without a passphrase the link is the whole key, by design"
    );
    assert!(
        open(&guarded).is_err(),
        "the data dir and the link opened a passphrase secret's value"
    );
    let revealed = relay
        .reveal(
            &guarded,
            Some(&SecretText::new("only-in-person")),
            &client(),
        )
        .await
        .expect("the recipient with the passphrase still reveals it");
    assert_eq!(revealed.value.expose(), "guarded by a passphrase");
}
