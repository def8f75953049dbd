//! Conformance scenarios: prove that a live, stateful server speaks Onetime v1 the way this
//! client expects (feature `conformance`).
//!
//! Each scenario takes a [`Target`], talks to the server through [`Client`], and panics with
//! a message naming the broken expectation. [`run_all`] runs them all. The relay's tests run
//! them against the relay, and this crate's tests run them against the relay with and without
//! its v2 routes, so one suite proves both sides.
//!
//! Where Onetime servers legitimately differ, scenarios accept every documented answer (for
//! example, a wrong passphrase on reveal is [`Error::WrongPassphrase`] on servers that offer
//! v2 status and [`Error::SecretGoneOrWrongPassphrase`] on v1-only servers).

use std::sync::atomic::{AtomicU64, Ordering};

use hushlink_protocol::{v1, SecretText};
use url::Url;

use crate::{Client, Error, Options, ServerConfig};

mod access;
mod lifecycle;

pub use access::{
    credentials_are_checked, generate_returns_a_password,
    invalid_input_is_rejected_with_documented_texts, passphrase_protects_burn,
    passphrase_protects_reveal, status_is_nominal,
};
pub use lifecycle::{
    batch_status_when_offered, burn_before_reveal, concurrent_reveals_have_one_winner,
    end_to_end_secrets_round_trip, share_then_reveal_exactly_once, unknown_keys_are_gone,
};

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

    pub(super) fn client(&self) -> Client {
        Client::with_options(ServerConfig::new(self.base_url.clone()), Options::default())
            .expect("client for the target's base URL")
    }

    pub(super) fn authed(&self) -> Option<Client> {
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
pub(super) fn unique(label: &str) -> SecretText {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    SecretText::new(format!("conformance {label} #{n} · pässwörd ✓"))
}

pub(super) fn share_request(text: &SecretText, passphrase: Option<&str>) -> v1::ShareRequest {
    v1::ShareRequest {
        passphrase: passphrase.map(SecretText::from),
        ttl: Some(3600),
        ..v1::ShareRequest::new(text.clone())
    }
}

pub(super) fn assert_gone(result: Result<impl std::fmt::Debug, Error>, what: &str) {
    match result {
        Err(Error::SecretGone | Error::SecretGoneOrWrongPassphrase) => {}
        other => panic!("{what}: expected the secret to be gone, got {other:?}"),
    }
}
