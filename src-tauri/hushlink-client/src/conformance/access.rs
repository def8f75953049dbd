//! Scenarios about access and input: status, passphrases, generate, validation texts and
//! credentials.

use hushlink_protocol::{errors, limits, v1, SecretText, State};

use super::{share_request, unique, Target};
use crate::{Client, Error, ServerConfig};

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
    // Onetime lists receipts by their keys; a Hushlink relay never returns a key to a token
    // (issue 14), so its items are matched by their creation time and lifetime instead.
    let item = recent
        .iter()
        .find(|r| r.metadata_key == mine.receipt.metadata_key)
        .or_else(|| {
            recent
                .iter()
                .find(|r| (r.created, r.ttl) == (mine.receipt.created, mine.receipt.ttl))
        })
        .expect("recent lists the caller's share");
    assert_eq!(item.secret_key, None, "recent items carry no secret key");
}
