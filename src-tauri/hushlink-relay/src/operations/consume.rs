//! Reveal and burn: the operations that destroy a secret.
//!
//! Order of work in a reveal, and why:
//! 1. rate limits (cheap, in memory);
//! 2. a secret without passphrase is taken in one job: the conditional `DELETE … RETURNING`
//!    (exactly once under any concurrency), the receipt update and the log line commit
//!    together, and only then is the value decrypted and returned;
//! 3. with a passphrase, one check is reserved first, on the secret (a conditional update
//!    of its attempt count) and on the client's wrong-passphrase limit; only then does the
//!    Argon2id check run on the blocking pool. Concurrent guesses therefore never run more
//!    checks than either limit allows, nor queue Argon2 work beyond them. The take is then
//!    the same single statement, so two correct callers still get one value.
//!
//! What proves a passphrase right depends on how the value is sealed (`seal::ValueSeal`):
//! for version 2 the Argon2id work derives the passphrase's key and the passphrase is right
//! when the value decrypts under it and the link (the relay keeps no hash to compare with);
//! for version 1 rows, written by older relays, it is compared with the stored hash.

use hushlink_protocol::SecretText;

use super::secrets::unseal_secret_key;
use super::Relay;
use crate::access_log::{AccessAction, Client};
use crate::error::{Error, Result};
use crate::keys::{key_id, Key, KeyKind, RowId};
use crate::model::*;
use crate::ratelimit::Bucket;
use crate::seal::{self, PassphraseKey, ValueSeal};
use crate::store::{self, Attempt, LogLine, Reservation, Take};

impl Relay {
    /// Reveals a secret: returns its value once, after its deletion is committed.
    pub async fn reveal(
        &self,
        secret_key: &Key,
        passphrase: Option<&SecretText>,
        client: &Client,
    ) -> Result<Revealed, RevealError> {
        let inner = &self.inner;
        let now = inner.clock.now();
        let limited =
            |retry_after_secs| RevealError::from(Unavailable::rate_limited(retry_after_secs));
        inner
            .limiter
            .hit(Bucket::Reveal, client.ip, now)
            .map_err(limited)?;
        let id = secret_key.row_id(KeyKind::Secret);
        let passphrase = passphrase.filter(|p| !p.is_empty());

        let mut checked = false;
        let mut passphrase_key = None;
        if let Some(passphrase) = passphrase {
            let Some(sealed) = inner.store.peek_sealed(id, now).await? else {
                return Err(RevealError::Unknown);
            };
            if let Some(proof) = Proof::of(sealed, secret_key) {
                match self
                    .check_passphrase(&id, passphrase, proof, client, now)
                    .await?
                {
                    Check::Right(key) => {
                        checked = true;
                        passphrase_key = key;
                    }
                    Check::Wrong(Attempt::Counted(failed)) => {
                        return Err(RevealError::WrongPassphrase {
                            attempts_left: inner
                                .config
                                .max_passphrase_attempts
                                .saturating_sub(failed),
                        })
                    }
                    Check::Wrong(Attempt::Burned) => return Err(RevealError::BurnedAfterAttempts),
                    Check::Wrong(Attempt::Gone) | Check::Gone => return Err(RevealError::Unknown),
                    Check::Limited(retry_after_secs) => return Err(limited(retry_after_secs)),
                }
            }
        }

        let ip = client.ip.to_string();
        let line = LogLine::by(now, AccessAction::Reveal, key_id(&id), client);
        let taken = match inner.store.take_secret(id, now, checked, ip, line).await? {
            Take::Taken(taken) => taken,
            Take::NeedsPassphrase => return Err(RevealError::PassphraseRequired),
            Take::Gone => return Err(RevealError::Unknown),
        };
        let value = seal::open_value(
            secret_key.expose(),
            taken.seal,
            passphrase_key.as_ref(),
            &id,
            &taken.value,
        )?;
        tracing::debug!(key_id = %key_id(&id), "secret revealed");
        Ok(Revealed {
            value,
            e2e: taken.e2e,
        })
    }

    /// Burns the secret behind a receipt. A passphrase is not needed (the receipt key is the
    /// sender's proof), but one that is given must be right.
    pub async fn burn(
        &self,
        receipt_key: &Key,
        passphrase: Option<&SecretText>,
        client: &Client,
    ) -> Result<Burned, BurnError> {
        let inner = &self.inner;
        let now = inner.clock.now();
        let limited =
            |retry_after_secs| BurnError::from(Unavailable::rate_limited(retry_after_secs));
        inner
            .limiter
            .hit(Bucket::Reveal, client.ip, now)
            .map_err(limited)?;
        let receipt_id = receipt_key.row_id(KeyKind::Receipt);
        let Some(row) = inner.store.receipt(receipt_id, now).await? else {
            return Err(BurnError::Unknown);
        };
        if row.state_at(now) != crate::model::StoredState::New {
            return Err(BurnError::Unknown);
        }
        let secret_key = unseal_secret_key(receipt_key, &receipt_id, &row.sealed_secret_key)?
            .ok_or(BurnError::Unknown)?;
        let secret_id = row.secret_id;
        if let Some(passphrase) = passphrase.filter(|p| !p.is_empty()) {
            let sealed = inner.store.peek_sealed(secret_id, now).await?;
            if let Some(proof) = sealed.and_then(|s| Proof::of(s, &secret_key)) {
                match self
                    .check_passphrase(&secret_id, passphrase, proof, client, now)
                    .await?
                {
                    Check::Right(_) => {}
                    Check::Wrong(Attempt::Counted(failed)) => {
                        return Err(BurnError::WrongPassphrase {
                            attempts_left: inner
                                .config
                                .max_passphrase_attempts
                                .saturating_sub(failed),
                        })
                    }
                    Check::Wrong(Attempt::Burned | Attempt::Gone) | Check::Gone => {
                        return Err(BurnError::Unknown)
                    }
                    Check::Limited(retry_after_secs) => return Err(limited(retry_after_secs)),
                }
            }
        }
        let line = LogLine::by(now, AccessAction::Burn, key_id(&secret_id), client);
        let burned = inner
            .store
            .burn(receipt_id, now, line)
            .await?
            .ok_or(BurnError::Unknown)?;
        Ok(Burned {
            secret_shortkey: secret_key.short().to_owned(),
            receipt: Receipt::from_row(burned, receipt_key.clone(), None, now),
        })
    }

    /// Checks `passphrase` by `proof` under a reservation: one of the
    /// client's wrong-passphrase budget and one of the secret's attempts are taken before
    /// the Argon2id work and given back when the passphrase proves right or the check
    /// cannot run.
    ///
    /// Runs as its own task: a request dropped mid-check (the client hung up) must not
    /// leave its reservation unsettled, or a secret whose last attempt was reserved could
    /// be neither revealed nor burned.
    async fn check_passphrase(
        &self,
        id: &RowId,
        passphrase: &SecretText,
        proof: Proof,
        client: &Client,
        now: i64,
    ) -> Result<Check> {
        let (relay, id, passphrase, client) =
            (self.clone(), *id, passphrase.clone(), client.clone());
        tokio::spawn(async move {
            relay
                .reserved_check(&id, passphrase, proof, &client, now)
                .await
        })
        .await
        .map_err(|_| Error::StoreClosed)?
    }

    async fn reserved_check(
        &self,
        id: &RowId,
        passphrase: SecretText,
        proof: Proof,
        client: &Client,
        now: i64,
    ) -> Result<Check> {
        let inner = &self.inner;
        if let Err(retry_after_secs) = inner.limiter.hit(Bucket::PassphraseFailure, client.ip, now)
        {
            return Ok(Check::Limited(retry_after_secs));
        }
        let refund = || {
            inner
                .limiter
                .refund(Bucket::PassphraseFailure, client.ip, now);
        };
        let (id, max) = (*id, inner.config.max_passphrase_attempts);
        let reservation = inner
            .store
            .reserve_attempt(id, now, max)
            .await
            .inspect_err(|_| refund())?;
        let reserved = match reservation {
            Reservation::Reserved(n) => n,
            // The checks in flight decide the secret's fate within a hash's time.
            Reservation::Exhausted => {
                refund();
                return Ok(Check::Limited(1));
            }
            Reservation::Gone => {
                refund();
                return Ok(Check::Gone);
            }
        };
        let verified = self
            .argon(move |memory| proof.check(&passphrase, &id, memory))
            .await
            .and_then(|verdict| verdict);
        match verified {
            Ok(Verdict::Right(key)) => {
                refund();
                Ok(Check::Right(key))
            }
            Ok(Verdict::Wrong) => Ok(Check::Wrong(
                self.wrong_passphrase(&id, reserved, client, now).await?,
            )),
            Err(err) => {
                refund();
                let _ = inner.store.release_attempt(id).await;
                Err(err)
            }
        }
    }

    /// Settles a reserved check that found the passphrase wrong, with its log lines.
    async fn wrong_passphrase(
        &self,
        id: &RowId,
        reserved: u32,
        client: &Client,
        now: i64,
    ) -> Result<Attempt> {
        let inner = &self.inner;
        let id = *id;
        let max = inner.config.max_passphrase_attempts;
        let failed = LogLine::by(now, AccessAction::FailedPassphrase, key_id(&id), client);
        let burned = LogLine::by(now, AccessAction::Burn, key_id(&id), client);
        inner
            .store
            .fail_attempt(id, now, reserved, max, failed, burned)
            .await
    }
}

/// What proves a passphrase right.
enum Proof {
    /// Seal version 1 (older relays' rows): the passphrase's Argon2id PHC hash.
    Hash(String),
    /// Seal version 2: the value decrypts under the link and the passphrase's key, derived
    /// with these Argon2id salt and cost.
    Decrypts {
        params: String,
        secret_key: Key,
        value: Vec<u8>,
    },
}

impl Proof {
    /// The proof for a live secret; `None` when it has no passphrase.
    fn of(sealed: store::Sealed, secret_key: &Key) -> Option<Self> {
        let params = sealed.passphrase?;
        Some(match sealed.seal {
            ValueSeal::Link => Self::Hash(params),
            ValueSeal::LinkAndPassphrase => Self::Decrypts {
                params,
                secret_key: secret_key.clone(),
                value: sealed.value,
            },
        })
    }

    /// The Argon2id work; an error when the check could not run. A version 2 value that
    /// fails to authenticate counts as a wrong passphrase: that is all the relay can tell.
    fn check(
        self,
        passphrase: &SecretText,
        id: &RowId,
        memory: &seal::ArgonMemory,
    ) -> Result<Verdict> {
        match self {
            Self::Hash(phc) => Ok(if seal::verify_passphrase(passphrase, &phc, memory) {
                Verdict::Right(None)
            } else {
                Verdict::Wrong
            }),
            Self::Decrypts {
                params,
                secret_key,
                value,
            } => {
                let key = seal::passphrase_key(passphrase, &params, memory)?;
                let opened = seal::open_value(
                    secret_key.expose(),
                    ValueSeal::LinkAndPassphrase,
                    Some(&key),
                    id,
                    &value,
                );
                Ok(if opened.is_ok() {
                    Verdict::Right(Some(key))
                } else {
                    Verdict::Wrong
                })
            }
        }
    }
}

/// What the Argon2id work found.
enum Verdict {
    /// The passphrase is right; for a version 2 value, its key.
    Right(Option<PassphraseKey>),
    /// The passphrase is wrong.
    Wrong,
}

/// The outcome of a reserved passphrase check.
enum Check {
    /// The passphrase is right; for a version 2 value, its key.
    Right(Option<PassphraseKey>),
    /// Wrong; what the failure did to the secret.
    Wrong(Attempt),
    /// Not checked: the client's wrong-passphrase limit is reached, or every remaining
    /// attempt of the secret is being checked; retry after this many seconds.
    Limited(u64),
    /// Not checked: the secret is gone.
    Gone,
}
