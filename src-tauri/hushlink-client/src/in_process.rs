//! A server reached in process instead of over the network: the desktop app's own relay.
//!
//! The app embeds a Hushlink relay. Reaching it over HTTP would make the relay decide who the
//! app is from a network address, which a LAN address, a reverse proxy or a rebinding web page
//! can all fake. Instead the app hands the client an [`InProcess`] server: the calls the
//! tracker makes (share, receipt, burn, batch status) go straight to it, with the same wire
//! types and typed errors as over HTTP, so everything above the client works unchanged and
//! the links it builds still carry the relay's public origin (the base URL).

use std::future::Future;
use std::pin::Pin;

use hushlink_protocol::{v1, v2, SecretText};

use crate::error::Result;

/// A boxed future, so [`InProcess`] stays object safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The calls a [`crate::Client`] forwards to a server in the same process.
///
/// Implementations answer exactly what the server would answer over v1/v2 (the same
/// [`v1::Receipt`] fields, the same error kinds: [`crate::Error::ReceiptGone`] for an unknown
/// receipt, [`crate::Error::SecretGone`] for a burn of a gone secret, and so on).
pub trait InProcess: Send + Sync {
    /// `POST /api/v1/share`, as the server's owner (no token, no rate limit). `e2e` marks a
    /// value that is end-to-end ciphertext.
    fn share(&self, request: v1::ShareRequest, e2e: bool) -> BoxFuture<'_, Result<v1::Receipt>>;
    /// `POST /api/v1/private/KEY`.
    fn receipt<'a>(&'a self, metadata_key: &'a str) -> BoxFuture<'a, Result<v1::Receipt>>;
    /// `POST /api/v1/private/KEY/burn`.
    fn burn<'a>(
        &'a self,
        metadata_key: &'a str,
        passphrase: Option<&'a SecretText>,
    ) -> BoxFuture<'a, Result<v1::BurnResponse>>;
    /// `POST /api/v2/secret/status`: live secrets among `keys`.
    fn secret_status_batch<'a>(
        &'a self,
        keys: &'a [&'a str],
    ) -> BoxFuture<'a, Result<v2::SecretStatusBatchResponse>>;
}
