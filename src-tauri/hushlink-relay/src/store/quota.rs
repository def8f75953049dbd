//! The quota check of a create, inside the create's own writer job: the writer runs jobs one
//! at a time, so concurrent creates cannot both pass the last free place.

use rusqlite::Connection;

use super::usage::usage as live_usage;
use crate::config::Quotas;
use crate::error::Result;
use crate::model::Quota;

/// The quota a new value of `bytes` sealed bytes would exceed, if any: the token's own
/// first (the caller can act on it), then the relay's.
pub(crate) fn exceeded(
    conn: &Connection,
    quotas: &Quotas,
    owner: Option<&str>,
    bytes: usize,
) -> Result<Option<Quota>> {
    let bytes = u64::try_from(bytes).unwrap_or(u64::MAX);
    if let Some(owner) = owner {
        let used = live_usage(conn, Some(owner))?;
        if used.secrets >= quotas.live_secrets_per_token {
            return Ok(Some(Quota::TokenSecrets(quotas.live_secrets_per_token)));
        }
        if used.bytes.saturating_add(bytes) > quotas.live_bytes_per_token {
            return Ok(Some(Quota::TokenBytes(quotas.live_bytes_per_token)));
        }
    }
    let used = live_usage(conn, None)?;
    if used.secrets >= quotas.live_secrets {
        return Ok(Some(Quota::RelaySecrets(quotas.live_secrets)));
    }
    if used.bytes.saturating_add(bytes) > quotas.live_bytes {
        return Ok(Some(Quota::RelayBytes(quotas.live_bytes)));
    }
    Ok(None)
}
