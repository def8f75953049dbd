//! Create, peek, receipts, status and recent: the operations that leave a secret in place.
//! The API handlers, the recipient pages and the tests all go through these.

use std::sync::Arc;

use hushlink_protocol::{limits, SecretText};
use rand::rngs::OsRng;
use rand::{Rng, TryRngCore};

use super::Relay;
use crate::access_log::{AccessAction, Client};
use crate::error::{Error, Result};
use crate::keys::{key_id, Key, KeyKind, RowId};
use crate::model::*;
use crate::ratelimit::Bucket;
use crate::seal::{self, Purpose};
use crate::store::{LogLine, NewRow};

/// Characters of generated passwords: letters and digits without look-alikes (0/O, 1/l/I),
/// plus symbols that survive shells and URLs.
const GENERATE_ALPHABET: &[u8] =
    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%*+-=?@^_";

/// Most keys one batch status call may ask about.
pub const MAX_STATUS_KEYS: usize = 100;

impl Relay {
    /// Creates a secret. Needs `credentials`, the app itself ([`Client::in_process`]), or a
    /// client that [`crate::RelayConfig::anonymous_create`] admits by its address (never one
    /// that came through a proxy). Only the app itself skips the rate limit.
    pub async fn create(
        &self,
        new: NewSecret,
        credentials: Option<&Credentials>,
        client: &Client,
    ) -> Result<Created, CreateError> {
        self.create_with_note(new, None, credentials, client).await
    }

    /// [`Relay::create`] with the sender's note for the recipient (Hushlink extension
    /// `sender_note`, [`hushlink_protocol::note`]): trimmed, refused when it breaks the rule,
    /// sealed under the secret key like the value and shown on the secret's page
    /// ([`Relay::peek_page`]) until the value is gone.
    pub async fn create_with_note(
        &self,
        new: NewSecret,
        sender_note: Option<&str>,
        credentials: Option<&Credentials>,
        client: &Client,
    ) -> Result<Created, CreateError> {
        let sender_note = sender_note
            .map(hushlink_protocol::note::normalize)
            .transpose()?
            .flatten();
        let inner = &self.inner;
        let config = &inner.config;
        let now = inner.clock.now();
        let anonymous_allowed = client.is_in_process()
            || config
                .anonymous_create
                .admits(client.ip, client.is_proxied());
        if credentials.is_none() && !anonymous_allowed {
            return Err(CreateError::NotAuthorized);
        }
        if !client.is_in_process() {
            inner
                .limiter
                .hit(Bucket::Create, client.ip, now)
                .map_err(Unavailable::rate_limited)?;
        }
        let (value, generated) = match new.value {
            Some(value) if !value.is_empty() => (value, false),
            Some(_) => return Err(CreateError::Empty),
            None => {
                let length = new
                    .generate_length
                    .unwrap_or(limits::GENERATE_LENGTH_DEFAULT);
                if length > limits::GENERATE_LENGTH_MAX {
                    return Err(CreateError::GenerateLengthTooLong);
                }
                (generate_password(length.max(1)), true)
            }
        };
        if value.len() > config.max_secret_bytes {
            return Err(CreateError::TooLarge {
                max_bytes: config.max_secret_bytes,
            });
        }
        let passphrase = new.passphrase.filter(|p| !p.is_empty());
        if let Some(p) = &passphrase {
            let chars = p.expose().chars().count();
            if chars < config.passphrase_min_chars {
                return Err(CreateError::PassphraseTooShort {
                    min_chars: config.passphrase_min_chars,
                });
            }
            if chars > config.passphrase_max_chars {
                return Err(CreateError::PassphraseTooLong {
                    max_chars: config.passphrase_max_chars,
                });
            }
        }
        // The passphrase becomes part of the value's key (seal version 2); the row keeps the
        // key's salt and cost, no hash.
        let (passphrase_params, passphrase_key) = match passphrase {
            Some(p) => {
                let cost = config.passphrase_hashing;
                let (params, key) = self
                    .argon(move |memory| seal::new_passphrase_key(&p, cost, memory))
                    .await??;
                (Some(params), Some(key))
            }
            None => (None, None),
        };
        let ttl = config.clamp_ttl(new.ttl_secs);
        let (mut row, secret_key, receipt_key) = seal_new(
            &value,
            passphrase_params.zip(passphrase_key),
            Sealing {
                e2e: new.e2e,
                kind: if generated {
                    SecretKind::Generate
                } else {
                    SecretKind::Conceal
                },
                owner: credentials.map(|c| c.identity.id.clone()),
                ttl: i64::try_from(ttl).unwrap_or(i64::MAX),
                now,
            },
        )?;
        let secret_id = row.secret_id;
        row.note = sender_note
            .map(|note| {
                seal::seal(
                    secret_key.expose(),
                    Purpose::SenderNote,
                    &secret_id,
                    note.as_bytes(),
                )
            })
            .transpose()?;
        let line = LogLine::by(now, AccessAction::Create, key_id(&secret_id), client)
            .with_token_name(credentials.map(|c| c.identity.name.clone()));
        let quotas = config.quotas;
        let stored = inner.store.create_secret(row, line, quotas).await??;
        tracing::debug!(key_id = %key_id(&secret_id), ttl, "secret created");
        Ok(Created {
            receipt: Receipt::from_row(stored, receipt_key, Some(secret_key), now),
            generated: generated.then_some(value),
        })
    }

    /// Whether a secret exists and what its page must ask for. Reveals and logs nothing.
    pub async fn peek(&self, secret_key: &Key) -> Result<Option<SecretInfo>> {
        let id = secret_key.row_id(KeyKind::Secret);
        let now = self.inner.clock.now();
        let row = self.inner.store.peek_secret(id, now).await?;
        Ok(row.map(|r| SecretInfo {
            has_passphrase: r.passphrase.is_some(),
            e2e: r.e2e,
            created_at: r.created_at,
            expires_at: r.expires_at,
        }))
    }

    /// What the recipient's page shows of a live secret: [`Relay::peek`] and the sender's
    /// note, unsealed with the link's key. Reveals and logs nothing.
    pub async fn peek_page(&self, secret_key: &Key) -> Result<Option<PageInfo>> {
        let id = secret_key.row_id(KeyKind::Secret);
        let now = self.inner.clock.now();
        let Some(row) = self.inner.store.peek_secret(id, now).await? else {
            return Ok(None);
        };
        let sender_note = row
            .note
            .as_deref()
            .map(|sealed| seal::open_text(secret_key.expose(), Purpose::SenderNote, &id, sealed))
            .transpose()?;
        Ok(Some(PageInfo {
            info: SecretInfo {
                has_passphrase: row.passphrase.is_some(),
                e2e: row.e2e,
                created_at: row.created_at,
                expires_at: row.expires_at,
            },
            sender_note,
        }))
    }

    /// Counts a recipient-page GET (`/secret/KEY`, `/receipt/KEY`, `/private/KEY`) against
    /// the client's `rate_limits.page_views`; `Err(retry_after_secs)` once over it. Checked
    /// before any lookup, so a flood of made-up keys is refused as early as real ones.
    pub fn hit_page_view(&self, client: &Client) -> std::result::Result<(), u64> {
        self.inner
            .limiter
            .hit(Bucket::PageView, client.ip, self.inner.clock.now())
    }

    /// Logs that the recipient page of a live secret was opened (a GET; nothing revealed),
    /// once per secret, client and rate-limit window: repeated views add no access-log row
    /// and no live event. Does not wait for the commit.
    pub fn record_page_view(&self, secret_key: &Key, client: &Client) {
        let now = self.inner.clock.now();
        let secret_id = secret_key.row_id(KeyKind::Secret);
        if !self
            .inner
            .logged_views
            .first(secret_id, crate::ratelimit::client_of(client.ip), now)
        {
            return;
        }
        let line = LogLine::by(now, AccessAction::ViewPage, key_id(&secret_id), client);
        self.inner.store.log_detached(line);
    }

    /// The receipt for a receipt key, `None` if unknown or past 2 × TTL.
    pub async fn receipt(&self, receipt_key: &Key) -> Result<Option<Receipt>> {
        let id = receipt_key.row_id(KeyKind::Receipt);
        let now = self.inner.clock.now();
        let Some(row) = self.inner.store.receipt(id, now).await? else {
            return Ok(None);
        };
        let secret_key = unseal_secret_key(receipt_key, &id, &row.sealed_secret_key)?;
        Ok(Some(Receipt::from_row(
            row,
            receipt_key.clone(),
            secret_key,
            now,
        )))
    }

    /// The state of each secret key (the tracker's batch poll). Unknown keys and keys whose
    /// receipt has expired map to `None`. At most [`MAX_STATUS_KEYS`] keys are looked at.
    pub async fn secret_states(&self, secret_keys: &[Key]) -> Result<Vec<Option<SecretStatus>>> {
        let ids: Vec<_> = secret_keys
            .iter()
            .take(MAX_STATUS_KEYS)
            .map(|k| k.row_id(KeyKind::Secret))
            .collect();
        let now = self.inner.clock.now();
        let rows = self.inner.store.receipts_of_secrets(ids, now).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                row.map(|row| {
                    let state = ReceiptState::from(row.state_at(now));
                    SecretStatus {
                        state,
                        has_passphrase: row.has_passphrase,
                        created_at: row.created_at,
                        updated_at: row.updated_at,
                        ttl: u64::try_from(row.ttl).unwrap_or(0),
                        remaining_secs: (state == ReceiptState::New)
                            .then(|| u64::try_from(row.secret_expires_at - now).unwrap_or(0)),
                        received_at: row.received_at,
                    }
                })
            })
            .collect())
    }

    /// The states of the receipts created with this token in the last 30 days, oldest
    /// first. Never a key: the relay keeps none for the token, so a stolen token cannot read
    /// or burn what it created (issue 14, item 1).
    pub async fn recent(&self, credentials: &Credentials) -> Result<Vec<RecentReceipt>> {
        let now = self.inner.clock.now();
        let owner = credentials.identity.id.clone();
        let rows = self
            .inner
            .store
            .recent(owner, now - 30 * 86_400, now)
            .await?;
        Ok(rows
            .iter()
            .map(|row| RecentReceipt::from_row(row, now))
            .collect())
    }

    /// Runs Argon2 work on the blocking pool, at most one per core at a time.
    pub(crate) async fn argon<T: Send + 'static>(
        &self,
        work: impl FnOnce(&seal::ArgonMemory) -> T + Send + 'static,
    ) -> Result<T> {
        let _permit = self
            .inner
            .argon
            .acquire()
            .await
            .map_err(|_| Error::StoreClosed)?;
        let memory = Arc::clone(&self.inner.argon_memory);
        tokio::task::spawn_blocking(move || work(&memory))
            .await
            .map_err(|_| Error::StoreClosed)
    }
}

pub(crate) fn unseal_secret_key(
    receipt_key: &Key,
    receipt_id: &RowId,
    sealed: &[u8],
) -> Result<Option<Key>> {
    if sealed.is_empty() {
        return Ok(None);
    }
    let text = seal::open_text(
        receipt_key.expose(),
        Purpose::SecretKeyInReceipt,
        receipt_id,
        sealed,
    )?;
    Key::parse(text.expose())
        .map(Some)
        .map_err(|_| Error::Corrupt)
}

/// What a new row records besides its value and passphrase.
pub(crate) struct Sealing {
    /// Marked end-to-end by its creator.
    pub e2e: bool,
    /// Share or generate.
    pub kind: SecretKind,
    /// Id of the creating API token.
    pub owner: Option<String>,
    /// Granted lifetime in seconds.
    pub ttl: i64,
    /// Creation time.
    pub now: i64,
}

/// Mints the secret and receipt keys of a new secret and seals it: the value under the
/// secret key (and the passphrase's key, given its Argon2id parameters), and the secret key
/// under the receipt key for the receipt. The one sealing path of [`Relay::create`] and of
/// [`crate::bulk`].
pub(crate) fn seal_new(
    value: &SecretText,
    passphrase: Option<(String, seal::PassphraseKey)>,
    sealing: Sealing,
) -> Result<(NewRow, Key, Key)> {
    let secret_key = Key::mint(KeyKind::Secret)?;
    let receipt_key = Key::mint(KeyKind::Receipt)?;
    seal_under(value, passphrase, sealing, secret_key, receipt_key)
}

/// [`seal_new`] with the keys given (tests seal under keys of older relays with it).
pub(crate) fn seal_under(
    value: &SecretText,
    passphrase: Option<(String, seal::PassphraseKey)>,
    sealing: Sealing,
    secret_key: Key,
    receipt_key: Key,
) -> Result<(NewRow, Key, Key)> {
    let (passphrase_params, passphrase_key) = passphrase.unzip();
    let secret_id = secret_key.row_id(KeyKind::Secret);
    let receipt_id = receipt_key.row_id(KeyKind::Receipt);
    let (sealed_value, value_seal) = seal::seal_value(
        secret_key.expose(),
        passphrase_key.as_ref(),
        &secret_id,
        value.expose().as_bytes(),
    )?;
    let row = NewRow {
        secret_id,
        receipt_id,
        value: sealed_value,
        seal: value_seal,
        // Sealed by `Relay::create_with_note`, which holds the note.
        note: None,
        passphrase: passphrase_params,
        e2e: sealing.e2e,
        kind: sealing.kind,
        owner: sealing.owner,
        sealed_secret_key: seal::seal(
            receipt_key.expose(),
            Purpose::SecretKeyInReceipt,
            &receipt_id,
            secret_key.expose().as_bytes(),
        )?,
        ttl: sealing.ttl,
        now: sealing.now,
    };
    Ok((row, secret_key, receipt_key))
}

/// A password of `length` characters from [`GENERATE_ALPHABET`], drawn from the OS RNG.
fn generate_password(length: usize) -> SecretText {
    let mut rng = OsRng.unwrap_err();
    let text: String = (0..length)
        .map(|_| char::from(GENERATE_ALPHABET[rng.random_range(0..GENERATE_ALPHABET.len())]))
        .collect();
    SecretText::new(text)
}
