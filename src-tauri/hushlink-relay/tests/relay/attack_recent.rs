//! Issue 14, item 1: a token lets its holder create secrets and list the states of its own
//! receipts, and nothing else. Live, against a relay on 127.0.0.1: `recent` in every
//! spelling of v1 and v2 never returns a share key or a receipt key, and the store keeps
//! nothing that would let the relay rebuild one for the token.

use hushlink_relay::Key;
use hushlink_relay::{key_id, KeyKind};

use crate::support::{http, json, TestRelay};

/// Creates a secret with the token over v1; returns (share key, receipt key).
async fn share_with_token(relay: &TestRelay, name: &str, token: &str) -> (String, String) {
    let (status, body) = json(
        http()
            .post(relay.api("/api/v1/share"))
            .basic_auth(name, Some(token))
            .form(&[("secret", "the payroll password"), ("ttl", "3600")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "a token creates: {body}");
    (
        body["secret_key"].as_str().unwrap().to_owned(),
        body["metadata_key"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_lists_states_of_its_receipts_but_never_their_keys() {
    let relay = TestRelay::start(|_| {}).await;
    let issued = relay.relay.tokens().issue("sam").await.unwrap();
    let token = issued.token.expose().to_owned();
    let (live, live_receipt) = share_with_token(&relay, "sam", &token).await;
    let (revealed, revealed_receipt) = share_with_token(&relay, "sam", &token).await;
    let reveal = http()
        .post(relay.api(&format!("/api/v1/secret/{revealed}")))
        .send()
        .await
        .unwrap();
    assert_eq!(reveal.status(), 200, "the recipient reveals one of them");
    let id_of = |key: &str| key_id(&Key::parse(key).unwrap().row_id(KeyKind::Secret));

    let spellings = ["private", "metadata", "receipt"];
    for version in ["v1", "v2"] {
        for spelling in spellings {
            let path = format!("/api/{version}/{spelling}/recent");
            let response = http()
                .get(relay.api(&path))
                .basic_auth("sam", Some(&token))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{path} answers the token");
            let text = response.text().await.unwrap();
            for key in [&live, &live_receipt, &revealed, &revealed_receipt] {
                let head = &key[..16];
                assert!(
                    !text.contains(head),
                    "{path} must not carry any key, nor part of one: {text}"
                );
            }
            let body: serde_json::Value = serde_json::from_str(&text).unwrap();
            let items = if version == "v1" {
                body.as_array().unwrap().clone()
            } else {
                body["records"].as_array().unwrap().clone()
            };
            assert_eq!(items.len(), 2, "{path} lists both receipts: {text}");
            let states: Vec<(&str, &str)> = items
                .iter()
                .map(|i| (i["key_id"].as_str().unwrap(), i["state"].as_str().unwrap()))
                .collect();
            let revealed_state = if version == "v1" {
                "received"
            } else {
                "revealed"
            };
            assert_eq!(
                states,
                [
                    (id_of(&live).as_str(), "new"),
                    (id_of(&revealed).as_str(), revealed_state)
                ],
                "{path}: each receipt by its access-log key id and state, oldest first"
            );
            for item in &items {
                assert!(item["created"].as_u64().is_some(), "{path}: times: {item}");
            }
        }
    }
    // Hushlink's own client still reads the answer, the key id where the receipt key was.
    let client = hushlink_client::Client::new(
        hushlink_client::ServerConfig::new(relay.url.parse().unwrap())
            .with_credentials("sam", hushlink_client::SecretText::new(&token)),
    )
    .unwrap();
    let listed = client.recent().await.expect("the client parses recent");
    let ids: Vec<&str> = listed.iter().map(|r| r.metadata_key.as_str()).collect();
    assert_eq!(ids, [id_of(&live), id_of(&revealed)]);
    assert!(listed.iter().all(|r| r.share_key().is_none()));
    relay.stop().await;
}

#[tokio::test]
async fn the_store_keeps_no_receipt_key_sealed_for_the_token() {
    if crate::support::sqlite_only("SQLite's columns; pg_suite checks PostgreSQL's") {
        return;
    }
    let relay = TestRelay::start(|_| {}).await;
    let issued = relay.relay.tokens().issue("sam").await.unwrap();
    share_with_token(&relay, "sam", issued.token.expose()).await;
    let path = relay.relay.config().data_dir.join("relay.sqlite3");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('secrets')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(columns.iter().any(|c| c == "owner"), "{columns:?}");
    assert!(
        !columns.iter().any(|c| c == "owner_receipt_key"),
        "no receipt key sealed under the token is kept: {columns:?}"
    );
    relay.stop().await;
}
