//! The access log through the operations: what it records, how it filters, and that it
//! holds no keys.

use hushlink_relay::{AccessAction, AccessLogFilter, Client, Clock, Key};

use crate::support::ops::{lan, loopback, open, secret};

#[tokio::test]
async fn access_log_filters_by_action_and_time_and_holds_no_keys() {
    let clock = Clock::manual(1_800_000_000);
    let (relay, _dir) = open(clock.clone(), |_| {}).await;
    let first = relay.create(secret("a"), None, &loopback()).await.unwrap();
    clock.advance(100);
    let second = relay.create(secret("b"), None, &loopback()).await.unwrap();
    relay
        .reveal(
            second.receipt.secret_key.as_ref().unwrap(),
            None,
            &loopback(),
        )
        .await
        .unwrap();
    let log = relay.access_log();
    let all = log.query(AccessLogFilter::default()).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].action, AccessAction::Reveal, "newest first");
    assert_eq!(all[0].user_agent.as_deref(), Some("test-agent/1"));
    let later = log
        .query(AccessLogFilter {
            since: Some(1_800_000_050),
            ..AccessLogFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(later.len(), 2);
    let earlier = log
        .query(AccessLogFilter {
            until: Some(1_800_000_050),
            ..AccessLogFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(earlier.len(), 1);
    let keys = [&first.receipt, &second.receipt]
        .iter()
        .flat_map(|r| {
            [
                r.receipt_key.expose().to_owned(),
                r.secret_key.as_ref().map(Key::expose).unwrap().to_owned(),
            ]
        })
        .collect::<Vec<_>>();
    for line in &all {
        let id = line.key_id.as_deref().unwrap();
        assert!(
            keys.iter().all(|k| !k.contains(id)),
            "the key id is not part of a key"
        );
    }
}

#[tokio::test]
async fn log_lines_name_the_token_that_created_the_secret() {
    let (relay, _dir) = open(Clock::system(), |_| {}).await;
    let issued = relay.tokens().issue("Sam's laptop").await.unwrap();
    let credentials = hushlink_relay::Credentials {
        identity: relay
            .tokens()
            .verify("Sam's laptop", issued.token.expose())
            .expect("valid token"),
        token: issued.token,
    };
    let colleague = lan("10.77.0.3");
    let theirs = relay
        .create(secret("theirs"), Some(&credentials), &colleague)
        .await
        .unwrap();
    let ours = relay
        .create(secret("ours"), None, &Client::in_process())
        .await
        .unwrap();
    for created in [&theirs, &ours] {
        let key = created.receipt.secret_key.clone().unwrap();
        relay.reveal(&key, None, &lan("10.77.0.4")).await.unwrap();
    }
    let key_of = |created: &hushlink_relay::Created| {
        let lines_key = created.receipt.secret_key.clone().unwrap();
        hushlink_relay::key_id(&lines_key.row_id(hushlink_relay::KeyKind::Secret))
    };
    let lines = relay
        .access_log()
        .query(AccessLogFilter::default())
        .await
        .unwrap();
    let about = |key_id: &str| -> Vec<(AccessAction, Option<String>, Option<String>)> {
        lines
            .iter()
            .filter(|l| l.key_id.as_deref() == Some(key_id))
            .map(|l| (l.action, l.token_name.clone(), l.client_ip.clone()))
            .collect()
    };
    let name = Some("Sam's laptop".to_owned());
    assert_eq!(
        about(&key_of(&theirs)),
        vec![
            (AccessAction::Reveal, name.clone(), Some("10.77.0.4".into())),
            (AccessAction::Create, name, Some("10.77.0.3".into())),
        ]
    );
    assert_eq!(
        about(&key_of(&ours)),
        vec![
            (AccessAction::Reveal, None, Some("10.77.0.4".into())),
            (AccessAction::Create, None, None),
        ],
        "the app's own secrets name no token and no address"
    );
}
