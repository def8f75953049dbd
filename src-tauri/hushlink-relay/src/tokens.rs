//! API tokens: who may create secrets from another machine.
//!
//! Creating needs a loopback peer (the app itself) or a valid token sent as HTTP Basic,
//! Onetime style: user name = the token's name, password = the token. Tokens are 256-bit
//! keys shown once at issue; the store keeps only their SHA-256. The live set is cached in
//! memory so checking a token costs no database read; the check compares the presented
//! token's hash against every live hash in constant time.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use hushlink_protocol::SecretText;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::keys::{Key, KeyKind};
pub use crate::model::token::{IssuedToken, TokenIdentity, TokenSummary};
use crate::store::{Storage, TokenRow};

#[derive(Clone)]
struct Live {
    id: String,
    name: String,
    hash: [u8; 32],
}

/// Issue, list, revoke and check API tokens. Cheap to clone.
#[derive(Clone)]
pub struct Tokens {
    store: Arc<dyn Storage>,
    clock: Clock,
    // std RwLock: read on every authenticated request, written on issue/revoke, never held
    // across an await.
    live: Arc<RwLock<Vec<Live>>>,
}

impl Tokens {
    pub(crate) async fn load(store: Arc<dyn Storage>, clock: Clock) -> Result<Self> {
        let live = live_of(store.as_ref()).await?;
        Ok(Self {
            store,
            clock,
            live: Arc::new(RwLock::new(live)),
        })
    }

    /// Reads the live set again: another relay instance on the same database issued or
    /// revoked a token.
    pub(crate) async fn reload(&self) -> Result<()> {
        let live = live_of(self.store.as_ref()).await?;
        *self.live_mut() = live;
        Ok(())
    }

    /// Issues a token for `name` (1 to 100 characters, no `:` since it is the Basic user).
    /// Names are unique among live tokens ([`Error::TokenNameTaken`]), so an administrator
    /// can revoke by name.
    pub async fn issue(&self, name: &str) -> Result<IssuedToken> {
        let name = name.trim();
        if name.is_empty()
            || name.chars().count() > 100
            || name.contains(':')
            || name.chars().any(char::is_control)
        {
            return Err(Error::TokenName);
        }
        let token = Key::generate()?;
        let hash = token.row_id(KeyKind::Token);
        let id = hex::encode(
            &Sha256::digest([b"hushlink-relay/v1/token-id\0".as_slice(), &hash].concat())[..6],
        );
        let row = TokenRow {
            id: id.clone(),
            name: name.to_owned(),
            hash,
            created_at: self.clock.now(),
            revoked_at: None,
        };
        let stored = row.clone();
        let inserted = self.store.insert_token(stored).await?;
        if !inserted {
            return Err(Error::TokenNameTaken(row.name));
        }
        self.live_mut().push(Live {
            id: row.id.clone(),
            name: row.name.clone(),
            hash,
        });
        Ok(IssuedToken {
            summary: TokenSummary {
                id: row.id,
                name: row.name,
                created_at: row.created_at,
                revoked_at: None,
            },
            token: SecretText::new(token.expose()),
        })
    }

    /// Every token, revoked ones included, oldest first.
    pub async fn list(&self) -> Result<Vec<TokenSummary>> {
        let rows = self.store.list_tokens().await?;
        Ok(rows
            .into_iter()
            .map(|r| TokenSummary {
                id: r.id,
                name: r.name,
                created_at: r.created_at,
                revoked_at: r.revoked_at,
            })
            .collect())
    }

    /// Revokes the token with this id; `false` if no live token has it. Takes effect for
    /// the next request.
    pub async fn revoke(&self, id: &str) -> Result<bool> {
        let now = self.clock.now();
        let target = id.to_owned();
        let revoked = self.store.revoke_token(target, now).await?;
        self.live_mut().retain(|live| live.id != id);
        Ok(revoked)
    }

    /// Revokes every live token named `name` (names are unique among live tokens, so
    /// normally one) and returns how many; `0` if none has it. Takes effect for the next
    /// request.
    pub async fn revoke_named(&self, name: &str) -> Result<usize> {
        let now = self.clock.now();
        let target = name.trim().to_owned();
        let ids = self.store.revoke_tokens_named(target, now).await?;
        self.live_mut().retain(|live| !ids.contains(&live.id));
        Ok(ids.len())
    }

    /// When each token last created a secret that the relay still keeps a receipt of (2 x
    /// its TTL), by token id, in Unix seconds. Tokens without one are absent: "not known",
    /// not "never".
    pub async fn last_used(&self) -> Result<HashMap<String, i64>> {
        let ids: Vec<String> = self.list().await?.into_iter().map(|t| t.id).collect();
        let pairs = self.store.tokens_last_used(ids).await?;
        Ok(pairs.into_iter().collect())
    }

    /// The identity proven by Basic credentials, or `None`.
    pub fn verify(&self, user: &str, password: &str) -> Option<TokenIdentity> {
        let Ok(key) = Key::parse(password) else {
            return None;
        };
        let presented = key.row_id(KeyKind::Token);
        let live = self.live.read().unwrap_or_else(|p| p.into_inner());
        let mut found: Option<&Live> = None;
        // Visit every live token so the time taken does not depend on which one matched.
        for candidate in live.iter() {
            if bool::from(candidate.hash.ct_eq(&presented)) {
                found = Some(candidate);
            }
        }
        let found = found?;
        bool::from(found.name.as_bytes().ct_eq(user.as_bytes())).then(|| TokenIdentity {
            id: found.id.clone(),
            name: found.name.clone(),
        })
    }

    fn live_mut(&self) -> std::sync::RwLockWriteGuard<'_, Vec<Live>> {
        self.live.write().unwrap_or_else(|p| p.into_inner())
    }
}

/// The live tokens as stored.
async fn live_of(store: &dyn Storage) -> Result<Vec<Live>> {
    let rows = store.list_tokens().await?;
    Ok(rows
        .into_iter()
        .filter(|row| row.revoked_at.is_none())
        .map(|row| Live {
            id: row.id,
            name: row.name,
            hash: row.hash,
        })
        .collect())
}
