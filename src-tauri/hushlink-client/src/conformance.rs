//! Conformance scenarios: prove that a live, stateful server speaks Onetime v1 the way this
//! client expects (feature `conformance`).
//!
//! Each scenario takes a [`Target`], talks to the server through [`Client`], and panics with
//! a message naming the broken expectation. [`run_all`] runs them all. The relay's tests run
//! them against the relay, and this crate's tests run them against
//! [`crate::test_server`], so one suite proves both sides.
//!
//! Where Onetime servers legitimately differ, scenarios accept every documented answer (for
//! example, a wrong passphrase on reveal is [`Error::WrongPassphrase`] on servers that offer
//! v2 status and [`Error::SecretGoneOrWrongPassphrase`] on v1-only servers).

use std::sync::atomic::{AtomicU64, Ordering};

use hushlink_protocol::{errors, limits, v1, Phase, SecretText, State};
use url::Url;

use crate::{Client, Error, Options, ServerConfig};

/// The server under test.
#[derive(Debug, Clone)]
pub struct Target {
    /// Base URL of the server.
    pub base_url: Url,
    /// A valid account, if the server has accounts: (username, API token). Scenarios that
    /// need one are skipped without it.
    pub account: Option<(String, SecretText)>,
}

impl Target {
    /// An anonymous target.
    pub fn new(base_url: Url) -> Self {
        Self {
            base_url,
            account: None,
        }
    }

    fn client(&self) -> Client {
        Client::with_options(ServerConfig::new(self.base_url.clone()), Options::default())
            .expect("client for the target's base URL")
    }

    fn authed(&self) -> Option<Client> {
        let (user, token) = self.account.clone()?;
        let config = ServerConfig::new(self.base_url.clone()).with_credentials(user, token);
        Some(Client::new(config).expect("client with credentials"))
    }
}

/// Runs every scenario in order.
pub async fn run_all(target: &Target) {
    status_is_nominal(target).await;
    share_then_reveal_exactly_once(target).await;
    burn_before_reveal(target).await;
    passphrase_protects_reveal(target).await;
    passphrase_protects_burn(target).await;
    generate_returns_a_password(target).await;
    invalid_input_is_rejected_with_documented_texts(target).await;
    unknown_keys_are_gone(target).await;
    concurrent_reveals_have_one_winner(target).await;
    end_to_end_secrets_round_trip(target).await;
    batch_status_when_offered(target).await;
    credentials_are_checked(target).await;
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A secret text unique to this run, so scenarios cannot see each other's values.
fn unique(label: &str) -> SecretText {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    SecretText::new(format!("conformance {label} #{n} · pässwörd ✓"))
}

fn share_request(text: &SecretText, passphrase: Option<&str>) -> v1::ShareRequest {
    v1::ShareRequest {
        passphrase: passphrase.map(SecretText::from),
        ttl: Some(3600),
        ..v1::ShareRequest::new(text.clone())
    }
}

fn assert_gone(result: Result<impl std::fmt::Debug, Error>, what: &str) {
    match result {
        Err(Error::SecretGone | Error::SecretGoneOrWrongPassphrase) => {}
        other => panic!("{what}: expected the secret to be gone, got {other:?}"),
    }
}

/// `GET /status` answers `nominal`.
pub async fn status_is_nominal(target: &Target) {
    let status = target
        .client()
        .status()
        .await
        .expect("status call succeeds");
    assert!(
        status.is_nominal(),
        "status must be \"nominal\", got {:?}",
        status.status
    );
}

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

/// A passphrase-protected secret: wrong and missing passphrases fail without consuming it.
pub async fn passphrase_protects_reveal(target: &Target) {
    let client = target.client();
    let text = unique("passphrase");
    let shared = client
        .share(share_request(&text, Some("correct-horse-42")))
        .await
        .expect("share with passphrase");
    assert_eq!(
        shared.receipt.needs_passphrase(),
        Some(true),
        "share answer says a passphrase is needed"
    );
    let key = &shared.secret_link.key;
    match client
        .reveal(key, Some(&SecretText::from("wrong-passphrase")))
        .await
    {
        Err(Error::WrongPassphrase | Error::SecretGoneOrWrongPassphrase) => {}
        other => {
            panic!("reveal with a wrong passphrase: expected a passphrase error, got {other:?}")
        }
    }
    match client.reveal(key, None).await {
        Err(Error::PassphraseRequired | Error::SecretGoneOrWrongPassphrase) => {}
        other => {
            panic!("reveal without the passphrase: expected a passphrase error, got {other:?}")
        }
    }
    let receipt = client
        .receipt(&shared.receipt.metadata_key)
        .await
        .expect("receipt");
    assert!(
        receipt.state.is_unread(),
        "failed reveals do not consume the secret, got {}",
        receipt.state
    );
    let revealed = client
        .reveal(key, Some(&SecretText::from("correct-horse-42")))
        .await
        .expect("reveal with the passphrase");
    assert_eq!(
        revealed.value, text,
        "the right passphrase reveals the text"
    );
}

/// Burning a passphrase-protected secret needs the passphrase (`Double check that passphrase`).
pub async fn passphrase_protects_burn(target: &Target) {
    let client = target.client();
    let shared = client
        .share(share_request(
            &unique("burn-passphrase"),
            Some("burn-me-please"),
        ))
        .await
        .expect("share");
    let metadata_key = &shared.receipt.metadata_key;
    assert_eq!(
        client
            .burn(metadata_key, Some(&SecretText::from("not-it")))
            .await
            .map(|_| ()),
        Err(Error::WrongPassphrase),
        "burn with a wrong passphrase answers {:?}",
        errors::DOUBLE_CHECK_PASSPHRASE
    );
    let burned = client
        .burn(metadata_key, Some(&SecretText::from("burn-me-please")))
        .await
        .expect("burn with the passphrase");
    assert_eq!(burned.state.state, State::Burned);
}

/// generate → the answer carries the password; revealing gives the same password.
pub async fn generate_returns_a_password(target: &Target) {
    let client = target.client();
    let generated = client
        .generate(v1::GenerateRequest {
            ttl: Some(600),
            ..Default::default()
        })
        .await
        .expect("generate succeeds");
    let value = generated
        .receipt
        .generated_value()
        .cloned()
        .expect("generate answers with the password in value");
    assert!(!value.is_empty(), "generated password is not empty");
    let revealed = client
        .reveal(&generated.secret_link.key, None)
        .await
        .expect("reveal of a generated secret");
    assert_eq!(revealed.value, value, "reveal gives the generated password");
}

/// Empty and oversized secrets are refused with the documented texts.
pub async fn invalid_input_is_rejected_with_documented_texts(target: &Target) {
    let client = target.client();
    let empty = client
        .share(v1::ShareRequest::new(SecretText::default()))
        .await;
    assert_eq!(
        empty.map(|_| ()),
        Err(Error::Rejected {
            message: errors::NOTHING_TO_SHARE.into()
        }),
        "empty secret"
    );
    let big = SecretText::new("x".repeat(limits::MAX_SECRET_BYTES + 1));
    let too_big = client.share(v1::ShareRequest::new(big)).await;
    assert_eq!(
        too_big.map(|_| ()),
        Err(Error::Rejected {
            message: errors::SECRET_TOO_LARGE.into()
        }),
        "oversized secret"
    );
    let exact = SecretText::new("y".repeat(limits::MAX_SECRET_BYTES));
    client
        .share(v1::ShareRequest::new(exact))
        .await
        .expect("exactly 10,000 bytes is allowed");
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

/// Auth: anonymous callers need credentials for authcheck and recent; bad tokens are refused
/// everywhere; a valid account sees its own shares in recent.
pub async fn credentials_are_checked(target: &Target) {
    let anonymous = target.client();
    assert_eq!(
        anonymous.recent().await.map(|_| ()),
        Err(Error::CredentialsRequired),
        "recent without credentials"
    );
    assert_eq!(
        anonymous.authcheck().await.map(|_| ()),
        Err(Error::CredentialsRequired),
        "authcheck without credentials"
    );
    let Some(authed) = target.authed() else {
        return;
    };
    let (user, _) = target.account.clone().expect("account");
    authed
        .authcheck()
        .await
        .expect("authcheck with valid credentials");
    let wrong = Client::new(
        ServerConfig::new(target.base_url.clone())
            .with_credentials(user, SecretText::from("wrong-token")),
    )
    .expect("client");
    assert_eq!(
        wrong.status().await.map(|_| ()),
        Err(Error::BadCredentials),
        "a bad token is refused even on status"
    );
    let shared = wrong.share(share_request(&unique("bad-creds"), None)).await;
    assert_eq!(
        shared.map(|_| ()),
        Err(Error::BadCredentials),
        "no anonymous fallback with bad credentials"
    );
    let mine = authed
        .share(share_request(&unique("recent"), None))
        .await
        .expect("share with credentials");
    let recent = authed.recent().await.expect("recent with credentials");
    let item = recent
        .iter()
        .find(|r| r.metadata_key == mine.receipt.metadata_key)
        .expect("recent lists the caller's share");
    assert_eq!(item.secret_key, None, "recent items carry no secret key");
}
