//! Scenarios about a secret's life: share, reveal once, burn, unknown keys, races, e2e and
//! batch status.

use hushlink_protocol::{limits, Phase, State};

use super::{assert_gone, share_request, unique, Target};
use crate::Error;

/// share → receipt `new` → reveal returns the text → receipt `received` → reveal again: gone.
pub async fn share_then_reveal_exactly_once(target: &Target) {
    let client = target.client();
    let text = unique("reveal-once");
    let shared = client
        .share(share_request(&text, None))
        .await
        .expect("share succeeds");
    let r = &shared.receipt;
    assert_eq!(r.state, State::New, "a fresh share is in state new");
    assert!(
        r.ttl
            .is_some_and(|t| (limits::TTL_MIN_SECS..=3600).contains(&t)),
        "ttl is the granted lifetime: {:?}",
        r.ttl
    );
    assert_eq!(
        r.needs_passphrase(),
        Some(false),
        "share answer says no passphrase is needed"
    );
    assert!(
        r.generated_value().is_none(),
        "share never echoes the secret"
    );
    assert!(
        limits::is_valid_key(&r.metadata_key) && r.metadata_key.len() >= limits::SERVER_KEY_MIN_LEN,
        "metadata key looks like a key"
    );
    let secret_key = shared.secret_link.key.clone();
    assert!(
        secret_key.len() >= limits::SERVER_KEY_MIN_LEN,
        "secret keys are at least 20 characters"
    );
    assert_ne!(
        secret_key, r.metadata_key,
        "secret and metadata keys differ"
    );

    let before = client
        .receipt(&r.metadata_key)
        .await
        .expect("receipt of a fresh secret");
    assert_eq!(
        before.state.phase(),
        Phase::Unread,
        "receipt before reveal is unread, got {}",
        before.state
    );
    assert_eq!(
        before.share_key(),
        Some(secret_key.as_str()),
        "receipt carries the secret key while unread"
    );

    let revealed = client
        .reveal(&secret_key, None)
        .await
        .expect("first reveal succeeds");
    assert_eq!(
        revealed.value, text,
        "reveal returns exactly the shared text"
    );

    let after = client
        .receipt(&r.metadata_key)
        .await
        .expect("receipt after reveal");
    assert_eq!(
        after.state,
        State::Received,
        "receipt after reveal is received"
    );
    assert_eq!(
        after.share_key(),
        None,
        "received receipts no longer carry the secret key"
    );
    assert!(
        after.received.is_some(),
        "received receipts carry the reveal time"
    );

    assert_gone(client.reveal(&secret_key, None).await, "second reveal");
    assert_gone(
        client.burn(&r.metadata_key, None).await,
        "burn after reveal",
    );
}

/// share → burn → receipt `burned`; reveal and a second burn are gone.
pub async fn burn_before_reveal(target: &Target) {
    let client = target.client();
    let shared = client
        .share(share_request(&unique("burn"), None))
        .await
        .expect("share succeeds");
    let burned = client
        .burn(&shared.receipt.metadata_key, None)
        .await
        .expect("burn succeeds");
    assert_eq!(
        burned.state.state,
        State::Burned,
        "burn answer nests the burned receipt"
    );
    assert!(
        burned
            .secret_shortkey
            .as_deref()
            .is_some_and(|s| shared.secret_link.key.starts_with(s)),
        "secret_shortkey is a prefix of the secret key"
    );
    let receipt = client
        .receipt(&shared.receipt.metadata_key)
        .await
        .expect("receipt after burn");
    assert_eq!(receipt.state, State::Burned, "receipt after burn is burned");
    assert_eq!(
        receipt.share_key(),
        None,
        "burned receipts carry no secret key"
    );
    assert_gone(
        client.reveal(&shared.secret_link.key, None).await,
        "reveal after burn",
    );
    assert_gone(
        client.burn(&shared.receipt.metadata_key, None).await,
        "second burn",
    );
}

/// Keys that never existed: reveal and burn are gone, the receipt is gone.
pub async fn unknown_keys_are_gone(target: &Target) {
    let client = target.client();
    let key = "0".repeat(62);
    assert_gone(client.reveal(&key, None).await, "reveal of an unknown key");
    assert_gone(client.burn(&key, None).await, "burn of an unknown key");
    assert_eq!(
        client.receipt(&key).await.map(|_| ()),
        Err(Error::ReceiptGone),
        "receipt of an unknown key"
    );
}

/// Eight concurrent reveals of one secret: exactly one gets the text.
pub async fn concurrent_reveals_have_one_winner(target: &Target) {
    let client = target.client();
    let text = unique("race");
    let shared = client
        .share(share_request(&text, None))
        .await
        .expect("share");
    let key = shared.secret_link.key.clone();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (client, key) = (client.clone(), key.clone());
            tokio::spawn(async move { client.reveal(&key, None).await })
        })
        .collect();
    let mut winners = 0;
    for task in tasks {
        match task.await.expect("reveal task") {
            Ok(answer) => {
                assert_eq!(answer.value, text, "the winner gets the text");
                winners += 1;
            }
            Err(e) => assert!(
                matches!(e, Error::SecretGone | Error::SecretGoneOrWrongPassphrase),
                "losers see gone, got {e:?}"
            ),
        }
    }
    assert_eq!(winners, 1, "exactly one concurrent reveal wins");
}

/// End-to-end mode: the server stores ciphertext; the link fragment decrypts it.
pub async fn end_to_end_secrets_round_trip(target: &Target) {
    let client = target.client();
    let text = unique("e2e");
    let shared = client
        .share_e2e(share_request(&text, None))
        .await
        .expect("e2e share");
    assert!(
        shared.secret_link.fragment.is_some(),
        "the share link carries the key in its fragment"
    );
    let revealed = client
        .reveal_link(&shared.secret_link, None)
        .await
        .expect("reveal and decrypt");
    assert_eq!(revealed, text, "decrypted text equals the shared text");
}

/// v2 batch status, where offered: live secrets are listed, consumed ones are not.
pub async fn batch_status_when_offered(target: &Target) {
    let client = target.client();
    let a = client
        .share(share_request(&unique("batch-a"), None))
        .await
        .expect("share a");
    let b = client
        .share(share_request(&unique("batch-b"), None))
        .await
        .expect("share b");
    let keys = [a.secret_link.key.as_str(), b.secret_link.key.as_str()];
    let before = match client.secret_status_batch(&keys).await {
        Ok(answer) => answer,
        Err(Error::Unsupported { .. }) => return,
        Err(e) => panic!("batch status: expected records or Unsupported, got {e:?}"),
    };
    assert_eq!(before.records.len(), 2, "both live secrets are listed");
    assert!(
        before.records.iter().all(|r| r.state.is_unread()),
        "both are unread"
    );
    client.reveal(keys[0], None).await.expect("reveal a");
    let after = client
        .secret_status_batch(&keys)
        .await
        .expect("batch status after reveal");
    let listed: Vec<_> = after
        .records
        .iter()
        .filter_map(|r| r.secret_key())
        .collect();
    assert_eq!(
        listed,
        [keys[1]],
        "a revealed secret is absent from batch status"
    );
}
