//! Located keys (`keys` module docs) through the whole relay: new rows sort in creation order
//! in both unique indexes, and links minted before located keys still open their rows.

use hushlink_protocol::SecretText;
use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};

use super::at_rest_tests::client;
use super::secrets::{seal_under, Sealing};
use crate::access_log::AccessAction;
use crate::config::RelayConfig;
use crate::keys::{key_id, Key};
use crate::model::{NewSecret, ReceiptState, SecretKind};
use crate::operations::Relay;
use crate::store::LogLine;

#[tokio::test]
async fn new_rows_take_the_tail_of_both_key_indexes() {
    let data = tempfile::tempdir().unwrap();
    let relay = Relay::open(RelayConfig::for_tests(data.path()))
        .await
        .unwrap();
    for n in 0..40 {
        relay
            .create(
                NewSecret {
                    value: Some(SecretText::new(format!("value {n}"))),
                    ..NewSecret::default()
                },
                None,
                &client(),
            )
            .await
            .unwrap();
    }
    let conn = Connection::open_with_flags(
        data.path().join("relay.sqlite3"),
        OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut stmt = conn
        .prepare("SELECT secret_id, receipt_id FROM secrets ORDER BY id")
        .unwrap();
    let rows: Vec<(Vec<u8>, Vec<u8>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(rows.len(), 40);
    for pair in rows.windows(2) {
        assert!(
            pair[0].0 < pair[1].0,
            "secret row ids out of creation order"
        );
        assert!(
            pair[0].1 < pair[1].1,
            "receipt row ids out of creation order"
        );
    }
}

#[tokio::test]
async fn links_minted_before_located_keys_still_open_their_rows() {
    let data = tempfile::tempdir().unwrap();
    let relay = Relay::open(RelayConfig::for_tests(data.path()))
        .await
        .unwrap();
    let now = relay.clock().now();
    // Keys as every relay minted them before: 256 random bits, rows under the plain hash.
    let (secret_key, receipt_key) = (Key::generate().unwrap(), Key::generate().unwrap());
    let (row, secret_key, receipt_key) = seal_under(
        &SecretText::new("sent last year"),
        None,
        Sealing {
            e2e: false,
            kind: SecretKind::Conceal,
            owner: None,
            ttl: 3_600,
            now,
        },
        secret_key,
        receipt_key,
    )
    .unwrap();
    // The ids exactly as an older relay stored them, computed here rather than by `row_id`,
    // so a change to how unlocated keys are looked up cannot pass unnoticed.
    let stored_as_before = |tag: &[u8], key: &Key| -> [u8; 32] {
        Sha256::new()
            .chain_update(tag)
            .chain_update(key.expose().as_bytes())
            .finalize()
            .into()
    };
    assert_eq!(
        row.secret_id,
        stored_as_before(b"hushlink-relay/v1/row/secret\0", &secret_key)
    );
    assert_eq!(
        row.receipt_id,
        stored_as_before(b"hushlink-relay/v1/row/receipt\0", &receipt_key)
    );
    let line = LogLine::by(now, AccessAction::Create, key_id(&row.secret_id), &client());
    let quotas = relay.config().quotas;
    relay
        .inner
        .store
        .create_secret(row, line, quotas)
        .await
        .unwrap()
        .unwrap();

    let receipt = relay
        .receipt(&receipt_key)
        .await
        .unwrap()
        .expect("the old receipt link finds its row");
    assert_eq!(receipt.secret_key.as_ref(), Some(&secret_key));
    assert_eq!(receipt.state, ReceiptState::New);
    assert!(relay.peek(&secret_key).await.unwrap().is_some());
    let revealed = relay.reveal(&secret_key, None, &client()).await.unwrap();
    assert_eq!(revealed.value.expose(), "sent last year");
    let receipt = relay.receipt(&receipt_key).await.unwrap().unwrap();
    assert_eq!(receipt.state, ReceiptState::Received);
}

#[tokio::test]
async fn a_located_key_opens_only_its_own_kind_of_row() {
    let data = tempfile::tempdir().unwrap();
    let relay = Relay::open(RelayConfig::for_tests(data.path()))
        .await
        .unwrap();
    let created = relay
        .create(
            NewSecret {
                value: Some(SecretText::new("for the recipient")),
                ..NewSecret::default()
            },
            None,
            &client(),
        )
        .await
        .unwrap();
    let secret_key = created.receipt.secret_key.clone().unwrap();
    let receipt_key = created.receipt.receipt_key.clone();
    assert!(
        relay.receipt(&secret_key).await.unwrap().is_none(),
        "the share link opened the receipt"
    );
    assert!(
        relay.peek(&receipt_key).await.unwrap().is_none(),
        "the receipt link found the secret"
    );
    assert!(relay.reveal(&receipt_key, None, &client()).await.is_err());
    assert!(relay.receipt(&receipt_key).await.unwrap().is_some());
    let revealed = relay.reveal(&secret_key, None, &client()).await.unwrap();
    assert_eq!(revealed.value.expose(), "for the recipient");
}
