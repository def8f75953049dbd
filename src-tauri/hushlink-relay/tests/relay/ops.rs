//! The operations without HTTP: what the app, the tray and the recipient pages call.

use hushlink_relay::{
    AccessAction, AccessLogFilter, BurnReason, Client, Clock, CreateError, ReceiptState,
    RevealError, SecretText, Unavailable,
};

use crate::support::ops::{lan, loopback, open, secret};

#[tokio::test]
async fn peek_does_not_consume_and_reveal_happens_once() {
    let (relay, _dir) = open(Clock::system(), |_| {}).await;
    let created = relay
        .create(secret("hello"), None, &loopback())
        .await
        .unwrap();
    let key = created.receipt.secret_key.clone().unwrap();
    let info = relay.peek(&key).await.unwrap().expect("live");
    assert!(!info.has_passphrase && !info.e2e);
    assert!(
        relay.peek(&key).await.unwrap().is_some(),
        "peeking twice changes nothing"
    );
    relay.record_page_view(&key, &loopback());

    let revealed = relay.reveal(&key, None, &loopback()).await.unwrap();
    assert_eq!(revealed.value.expose(), "hello");
    assert!(matches!(
        relay.reveal(&key, None, &loopback()).await,
        Err(RevealError::Unknown)
    ));
    assert!(relay.peek(&key).await.unwrap().is_none());

    let receipt = relay
        .receipt(&created.receipt.receipt_key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(receipt.state, ReceiptState::Received);
    assert_eq!(
        receipt.received_ip.as_deref(),
        Some("127.0.0.1"),
        "the sender learns from where"
    );
    assert!(receipt.secret_key.is_none());
}

#[tokio::test]
async fn wrong_passphrases_burn_the_secret_and_the_receipt_says_why() {
    let (relay, _dir) = open(Clock::system(), |c| c.max_passphrase_attempts = 2).await;
    let mut new = secret("guarded");
    new.passphrase = Some(SecretText::new("right-one"));
    let created = relay.create(new, None, &loopback()).await.unwrap();
    let key = created.receipt.secret_key.clone().unwrap();
    assert!(relay.peek(&key).await.unwrap().unwrap().has_passphrase);
    assert!(matches!(
        relay.reveal(&key, None, &loopback()).await,
        Err(RevealError::PassphraseRequired)
    ));

    let wrong = SecretText::new("wrong-one");
    let first = relay.reveal(&key, Some(&wrong), &loopback()).await;
    assert!(
        matches!(
            first,
            Err(RevealError::WrongPassphrase { attempts_left: 1 })
        ),
        "{first:?}"
    );
    let second = relay.reveal(&key, Some(&wrong), &loopback()).await;
    assert!(
        matches!(second, Err(RevealError::BurnedAfterAttempts)),
        "{second:?}"
    );
    let right = relay
        .reveal(&key, Some(&SecretText::new("right-one")), &loopback())
        .await;
    assert!(
        matches!(right, Err(RevealError::Unknown)),
        "burned, even for the right passphrase"
    );

    let receipt = relay
        .receipt(&created.receipt.receipt_key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(receipt.state, ReceiptState::Burned);
    assert_eq!(receipt.burn_reason, Some(BurnReason::PassphraseAttempts));
    let failed = relay
        .access_log()
        .query(AccessLogFilter {
            action: Some(AccessAction::FailedPassphrase),
            ..AccessLogFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(failed.len(), 2, "each wrong passphrase is logged");
}

#[tokio::test]
async fn expired_secrets_are_unreadable_at_once_and_swept_later() {
    let clock = Clock::manual(1_800_000_000);
    let (relay, _dir) = open(clock.clone(), |_| {}).await;
    let mut new = secret("short-lived");
    new.ttl_secs = Some(60);
    let created = relay.create(new, None, &loopback()).await.unwrap();
    let key = created.receipt.secret_key.clone().unwrap();
    clock.advance(60);
    assert!(
        relay.peek(&key).await.unwrap().is_none(),
        "unreadable the second the TTL ends"
    );
    assert!(matches!(
        relay.reveal(&key, None, &loopback()).await,
        Err(RevealError::Unknown)
    ));
    let receipt = relay
        .receipt(&created.receipt.receipt_key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        receipt.state,
        ReceiptState::Expired,
        "expired before any sweep"
    );

    let swept = relay.sweep().await.unwrap();
    assert_eq!(swept.secrets, 1);
    let expired = relay
        .access_log()
        .query(AccessLogFilter {
            action: Some(AccessAction::Expire),
            ..AccessLogFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(expired.len(), 1);
    let created_line = relay
        .access_log()
        .query(AccessLogFilter {
            action: Some(AccessAction::Create),
            ..AccessLogFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        expired[0].key_id, created_line[0].key_id,
        "one key id follows a secret through the log"
    );

    clock.advance(60);
    assert!(
        relay
            .receipt(&created.receipt.receipt_key)
            .await
            .unwrap()
            .is_none(),
        "receipts live 2 × TTL"
    );
    assert_eq!(relay.sweep().await.unwrap().receipts, 1);
}

#[tokio::test]
async fn creating_from_the_lan_needs_a_token_and_is_rate_limited() {
    let (relay, _dir) = open(Clock::system(), |c| c.rate_limits.creates = 2).await;
    let peer = lan("192.168.1.50");
    assert!(matches!(
        relay.create(secret("x"), None, &peer).await,
        Err(CreateError::NotAuthorized)
    ));
    let issued = relay.tokens().issue("bob").await.unwrap();
    let identity = relay
        .tokens()
        .verify("bob", issued.token.expose())
        .expect("valid token");
    let credentials = hushlink_relay::Credentials {
        identity,
        token: issued.token,
    };
    relay
        .create(secret("1"), Some(&credentials), &peer)
        .await
        .unwrap();
    relay
        .create(secret("2"), Some(&credentials), &peer)
        .await
        .unwrap();
    let third = relay.create(secret("3"), Some(&credentials), &peer).await;
    assert!(
        matches!(third, Err(CreateError::Unavailable(Unavailable::RateLimited { retry_after_secs })) if retry_after_secs > 0),
        "{third:?}"
    );
    for _ in 0..5 {
        relay
            .create(secret("app"), None, &Client::in_process())
            .await
            .expect("the app itself, in process, is not limited");
    }
    assert_eq!(relay.recent(&credentials).await.unwrap().len(), 2);
}

#[tokio::test]
async fn create_validates_size_and_passphrase() {
    let (relay, _dir) = open(Clock::system(), |c| c.max_secret_bytes = 10).await;
    let too_big = relay.create(secret("12345678901"), None, &loopback()).await;
    assert_eq!(
        too_big.unwrap_err().to_string(),
        "Secret value exceeds the maximum size of 10 bytes"
    );
    let mut short = secret("ok");
    short.passphrase = Some(SecretText::new("abc"));
    let err = relay.create(short, None, &loopback()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Passphrase must be at least 4 characters long"
    );
    let empty = relay
        .create(secret(""), None, &loopback())
        .await
        .unwrap_err();
    assert_eq!(empty.to_string(), "You did not provide anything to share");
    assert_eq!(
        relay.status().await.unwrap().live_secrets,
        0,
        "nothing refused was stored"
    );
}

#[tokio::test]
async fn tokens_are_listed_without_their_text_and_revocable() {
    let (relay, dir) = open(Clock::system(), |_| {}).await;
    let issued = relay.tokens().issue("carol").await.unwrap();
    let list = relay.tokens().list().await.unwrap();
    assert_eq!(list, vec![issued.summary.clone()]);
    assert!(relay.tokens().issue("bad:name").await.is_err());
    assert!(relay.tokens().revoke(&issued.summary.id).await.unwrap());
    assert!(
        !relay.tokens().revoke(&issued.summary.id).await.unwrap(),
        "revoking twice is a no-op"
    );
    assert!(relay
        .tokens()
        .verify("carol", issued.token.expose())
        .is_none());
    drop(relay);
    let reopened = crate::support::open(crate::support::test_config(dir.path()))
        .await
        .unwrap();
    let list = reopened.tokens().list().await.unwrap();
    assert!(list[0].revoked_at.is_some(), "revocation is stored");
    assert!(reopened
        .tokens()
        .verify("carol", issued.token.expose())
        .is_none());
}

#[tokio::test]
async fn the_background_sweeper_deletes_expired_secrets_on_its_own() {
    let clock = Clock::manual(1_800_000_000);
    let (relay, _dir) = open(clock.clone(), |c| c.sweep_interval_secs = 1).await;
    let mut new = secret("sweep me");
    new.ttl_secs = Some(60);
    relay.create(new, None, &loopback()).await.unwrap();
    clock.advance(61);
    // The sweeper runs every second of real time; give it a bounded number of periods.
    let filter = AccessLogFilter {
        action: Some(AccessAction::Expire),
        ..AccessLogFilter::default()
    };
    let mut swept = false;
    for _ in 0..50 {
        if !relay
            .access_log()
            .query(filter.clone())
            .await
            .unwrap()
            .is_empty()
        {
            swept = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        swept,
        "the sweeper owned by the relay deleted the expired secret within 5 s"
    );
    assert_eq!(relay.status().await.unwrap().live_secrets, 0);
}

#[tokio::test]
async fn the_end_to_end_mark_is_the_creators_flag() {
    let (relay, _dir) = open(Clock::system(), |_| {}).await;
    let mut flagged = secret("opaque ciphertext");
    flagged.e2e = true;
    let by_flag = relay.create(flagged, None, &loopback()).await.unwrap();
    // The recipient page handles an unmarked value in the client's format after the reveal.
    let unmarked = relay
        .create(secret("hushlink-e2e:v1:AAAA"), None, &loopback())
        .await
        .unwrap();
    for (created, expected) in [(by_flag, true), (unmarked, false)] {
        let key = created.receipt.secret_key.unwrap();
        assert_eq!(relay.peek(&key).await.unwrap().unwrap().e2e, expected);
        assert_eq!(
            relay.reveal(&key, None, &loopback()).await.unwrap().e2e,
            expected
        );
    }
}
