//! [`Client`]: one per server profile, with every call of the v1 API plus v2 batch status.

use std::sync::{Arc, OnceLock};

use hushlink_protocol::{limits, v1, v2, KeyRule, Link, LinkKind, SecretText, State};
use reqwest::{redirect, Method};
use serde::{de::DeserializeOwned, Serialize};
use url::Url;

use crate::{
    answer::{interpret, Ctx, Gone},
    config::{checked_base, Options, ServerConfig},
    e2e,
    in_process::InProcess,
    transport::{source_text, tls_config, transport_error, uses_system_proxy},
    Error, Result,
};

mod generation;
mod share_domain;

pub use generation::Generation;
use share_domain::share_domain_base;

/// User agent sent with every request.
pub const USER_AGENT: &str = concat!("hushlink/", env!("CARGO_PKG_VERSION"));
/// Largest answer body read; anything bigger is not an Onetime answer.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// An async client for one Onetime-compatible server. Cheap to clone (shares connections).
#[derive(Clone)]
pub struct Client {
    transport: Transport,
    /// Normalized base URL, ending in `/`.
    base: Url,
    /// Origin of the links this client makes (normalized): `base`, or the profile's
    /// [`ServerConfig::link_base`].
    links: Url,
    /// Whether the server's certificate is pinned ([`ServerConfig::pinned_cert`]).
    pinned: bool,
    /// Basic-auth username and token; both or neither.
    credentials: Option<(String, SecretText)>,
    /// The server's generation once known ([`Client::generation`]); shared by clones.
    generation: Arc<OnceLock<Generation>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("authenticated", &self.credentials.is_some())
            .field("pinned", &self.pinned)
            .field(
                "in_process",
                &matches!(self.transport, Transport::InProcess(_)),
            )
            .finish_non_exhaustive()
    }
}

/// How calls reach the server.
#[derive(Clone)]
enum Transport {
    /// Over the network.
    Http(reqwest::Client),
    /// In this process (the app's own relay): see [`InProcess`].
    InProcess(Arc<dyn InProcess>),
}

/// What share and generate return: the receipt and the two links built from it.
#[derive(Debug, Clone)]
pub struct Shared {
    /// The server's receipt (for generate, with the password in `value`).
    pub receipt: v1::Receipt,
    /// The link to give the recipient (with the `#key` fragment in end-to-end mode).
    pub secret_link: Link,
    /// The link to keep, for status and burn.
    pub receipt_link: Link,
}

impl Client {
    /// A client with default [`Options`].
    pub fn new(config: ServerConfig) -> Result<Self> {
        Self::with_options(config, Options::default())
    }

    /// A client with explicit timeouts and transport options.
    ///
    /// TLS is rustls with the `ring` provider, chosen per client (the process-wide default
    /// provider is neither needed nor changed), and the platform's certificate verifier.
    pub fn with_options(config: ServerConfig, options: Options) -> Result<Self> {
        let base = checked_base(&config.base_url, options.allow_insecure_http)?;
        // A pin over plain HTTP would protect nothing: the token would travel in clear.
        if config.pinned_cert.is_some() && base.scheme() != "https" {
            return Err(Error::InvalidConfig {
                reason: "a pinned certificate needs an https:// server address",
            });
        }
        let links = match &config.link_base {
            Some(url) => checked_base(url, options.allow_insecure_http)?,
            None => base.clone(),
        };
        let credentials = match (config.username, config.api_token) {
            (Some(user), Some(token)) if !user.is_empty() && !token.is_empty() => {
                Some((user, token))
            }
            (None, None) => None,
            _ => {
                return Err(Error::InvalidConfig {
                    reason: "a username and an API token go together",
                })
            }
        };
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .tls_backend_preconfigured(tls_config(&config.extra_roots_pem, config.pinned_cert)?)
            .redirect(redirect::Policy::none())
            .referer(false);
        // Only HTTPS to internet hosts may go through the system proxy (see the rule).
        if !uses_system_proxy(&base) {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| Error::Setup {
            reason: source_text(&e),
        })?;
        Ok(Self {
            transport: Transport::Http(http),
            base,
            links,
            pinned: config.pinned_cert.is_some(),
            credentials,
            generation: Arc::default(),
        })
    }

    /// A client for a server in this process (the app's own relay). `base` is the server's
    /// public origin: the links built from its answers carry it. Calls the [`InProcess`]
    /// trait does not offer (reveal, generate, recent) are [`Error::Unsupported`]; `status`
    /// answers that the server is up.
    pub fn in_process(base: &Url, server: Arc<dyn InProcess>) -> Result<Self> {
        let base =
            hushlink_protocol::link::normalize_base(base).map_err(|e| Error::InvalidUrl {
                reason: e.to_string(),
            })?;
        Ok(Self {
            transport: Transport::InProcess(server),
            links: base.clone(),
            base,
            pinned: false,
            credentials: None,
            generation: Arc::default(),
        })
    }

    /// The in-process server, when this client has one.
    fn local(&self) -> Option<&Arc<dyn InProcess>> {
        match &self.transport {
            Transport::InProcess(server) => Some(server),
            Transport::Http(_) => None,
        }
    }

    /// The normalized base URL (ending in `/`).
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The origin of the links this client makes (the base URL unless the profile set
    /// [`ServerConfig::link_base`]).
    pub fn link_base(&self) -> &Url {
        &self.links
    }

    /// Whether the client accepts only a pinned certificate ([`ServerConfig::pinned_cert`]).
    pub fn is_pinned(&self) -> bool {
        self.pinned
    }

    /// Whether calls carry Basic-auth credentials.
    pub fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }

    /// `GET /api/v1/status`. Works anonymously; with credentials, it also checks them.
    #[tracing::instrument(skip_all)]
    pub async fn status(&self) -> Result<v1::StatusResponse> {
        if self.local().is_some() {
            return Ok(v1::StatusResponse::nominal());
        }
        self.call(
            Method::GET,
            "api/v1/status",
            None::<&()>,
            self.ctx("status", Gone::None, &[]),
        )
        .await
    }

    /// `GET /api/v1/authcheck`: whether the credentials are valid.
    #[tracing::instrument(skip_all)]
    pub async fn authcheck(&self) -> Result<v1::StatusResponse> {
        self.call(
            Method::GET,
            "api/v1/authcheck",
            None::<&()>,
            self.ctx("authcheck", Gone::None, &[]),
        )
        .await
    }

    /// `POST /api/v1/share`: store a secret.
    #[tracing::instrument(skip_all)]
    pub async fn share(&self, request: v1::ShareRequest) -> Result<Shared> {
        if let Some(local) = self.local() {
            let receipt = local.share(request, false).await?;
            return self.shared(receipt);
        }
        let sent = [
            request.secret.expose(),
            request.passphrase.as_ref().map_or("", SecretText::expose),
        ];
        let ctx = self.ctx("share", Gone::None, &sent);
        let receipt: v1::Receipt = self
            .call(Method::POST, "api/v1/share", Some(&request), ctx)
            .await?;
        self.shared(receipt)
    }

    /// Share in end-to-end mode (for Hushlink relays): encrypts the text locally, uploads
    /// only ciphertext, and puts the key in the share link's fragment.
    #[tracing::instrument(skip_all)]
    pub async fn share_e2e(&self, mut request: v1::ShareRequest) -> Result<Shared> {
        let plain = std::mem::take(&mut request.secret);
        let (value, fragment) = e2e::encrypt(&plain);
        request.secret = value;
        let mut shared = match self.local() {
            Some(local) => self.shared(local.share(request, true).await?)?,
            None => self.share(request).await?,
        };
        shared.secret_link = shared.secret_link.with_fragment(fragment);
        Ok(shared)
    }

    /// `POST /api/v1/generate`: the server creates a password; it is in `receipt.value`.
    #[tracing::instrument(skip_all)]
    pub async fn generate(&self, request: v1::GenerateRequest) -> Result<Shared> {
        let sent = [request.passphrase.as_ref().map_or("", SecretText::expose)];
        let ctx = self.ctx("generate", Gone::None, &sent);
        let receipt: v1::Receipt = self
            .call(Method::POST, "api/v1/generate", Some(&request), ctx)
            .await?;
        self.shared(receipt)
    }

    /// `POST /api/v1/secret/KEY`: reveal, and so consume, a secret.
    ///
    /// v1 answers `Unknown secret` both for a gone secret and for a wrong or missing
    /// passphrase. The client then asks the non-consuming v2 status call
    /// (`GET /api/v2/secret/KEY/status`) whether the secret still exists: if it does, the
    /// error is [`Error::WrongPassphrase`] (a passphrase was sent) or
    /// [`Error::PassphraseRequired`] (none was); if the server says it does not,
    /// [`Error::SecretGone`]; if the server cannot say, [`Error::SecretGoneOrWrongPassphrase`].
    #[tracing::instrument(skip_all, fields(key = short(key)))]
    pub async fn reveal(
        &self,
        key: &str,
        passphrase: Option<&SecretText>,
    ) -> Result<v1::RevealResponse> {
        check_key(key)?;
        let request = v1::RevealRequest::new(passphrase.cloned());
        let sent = [key, passphrase.map_or("", SecretText::expose)];
        let ctx = self.ctx("reveal", Gone::Reveal, &sent);
        let path = format!("api/v1/secret/{key}");
        match self.call(Method::POST, &path, Some(&request), ctx).await {
            Err(Error::SecretGoneOrWrongPassphrase) => {
                Err(self.why_unknown(key, passphrase.is_some()).await)
            }
            other => other,
        }
    }

    /// Reveals the secret a share link points to, decrypting end-to-end values with the
    /// link's fragment. The link must be on this client's server.
    pub async fn reveal_link(
        &self,
        link: &Link,
        passphrase: Option<&SecretText>,
    ) -> Result<SecretText> {
        if link.kind != LinkKind::Secret {
            return Err(Error::InvalidUrl {
                reason: "this is a receipt link, not a share link".into(),
            });
        }
        let answer = self.reveal(&link.key, passphrase).await?;
        if e2e::is_encrypted(answer.value.expose()) {
            Ok(e2e::decrypt(
                answer.value.expose(),
                link.fragment.as_ref().map(SecretText::expose),
            )?)
        } else {
            Ok(answer.value)
        }
    }

    /// `POST /api/v1/private/KEY`: the receipt (status) for a metadata key. Does not change
    /// state on current servers (v0.23 moved `new` to `viewed`, which still means unread).
    #[tracing::instrument(skip_all, fields(key = short(metadata_key)))]
    pub async fn receipt(&self, metadata_key: &str) -> Result<v1::Receipt> {
        check_key(metadata_key)?;
        if let Some(local) = self.local() {
            return local.receipt(metadata_key).await;
        }
        let sent = [metadata_key];
        let ctx = self.ctx("receipt", Gone::Receipt, &sent);
        let path = format!("api/v1/private/{metadata_key}");
        self.call(Method::POST, &path, None::<&()>, ctx).await
    }

    /// `POST /api/v1/private/KEY/burn`: destroy the secret before it is read.
    ///
    /// HEAD servers may return the pre-burn receipt (`state: new`) nested in the answer;
    /// the client reports it as `burned`, since a 200 means the burn happened.
    #[tracing::instrument(skip_all, fields(key = short(metadata_key)))]
    pub async fn burn(
        &self,
        metadata_key: &str,
        passphrase: Option<&SecretText>,
    ) -> Result<v1::BurnResponse> {
        check_key(metadata_key)?;
        if let Some(local) = self.local() {
            return local.burn(metadata_key, passphrase).await;
        }
        let request = v1::BurnRequest::new(passphrase.cloned());
        let sent = [metadata_key, passphrase.map_or("", SecretText::expose)];
        let ctx = self.ctx("burn", Gone::Secret, &sent);
        let path = format!("api/v1/private/{metadata_key}/burn");
        let mut answer: v1::BurnResponse =
            self.call(Method::POST, &path, Some(&request), ctx).await?;
        if answer.state.state.is_unread() {
            answer.state.state = State::Burned;
        }
        Ok(answer)
    }

    /// `GET /api/v1/private/recent`: the caller's receipts of the last 30 days. Needs
    /// credentials. A server whose `recent` always fails inside (v0.23.6 answers 404
    /// `An unexpected error occurred :[`) gives [`Error::RecentUnavailable`].
    #[tracing::instrument(skip_all)]
    pub async fn recent(&self) -> Result<Vec<v1::Receipt>> {
        let answer = self
            .call(
                Method::GET,
                "api/v1/private/recent",
                None::<&()>,
                self.ctx("recent", Gone::None, &[]),
            )
            .await;
        match answer {
            // v1 reports its internal faults as 404; a 5xx may pass, so it stays a fault.
            Err(Error::ServerError { status: 404 }) => Err(Error::RecentUnavailable),
            other => other,
        }
    }

    /// `POST /api/v2/secret/status`: states of many *secret* keys in one request. Secrets
    /// that no longer exist are absent from the answer. Servers without v2 (v1-only relays,
    /// API switched off) and v0.23-era servers ([`Client::generation`], whose batch status
    /// always fails) give [`Error::Unsupported`]; fall back to [`Client::receipt`].
    #[tracing::instrument(skip_all, fields(count = keys.len()))]
    pub async fn secret_status_batch(
        &self,
        keys: &[&str],
    ) -> Result<v2::SecretStatusBatchResponse> {
        for key in keys {
            check_key(key)?;
        }
        if let Some(local) = self.local() {
            return local.secret_status_batch(keys).await;
        }
        if self.generation().await == Generation::V023 {
            // v0.23's batch status fails inside on every call (v0.23.6: 500).
            return Err(Error::Unsupported {
                call: "batch status",
            });
        }
        let request = v2::SecretStatusBatchRequest::new(keys.iter().copied());
        let mut ctx = self.ctx("batch status", Gone::None, keys);
        ctx.optional_route = true;
        self.call(Method::POST, "api/v2/secret/status", Some(&request), ctx)
            .await
    }

    /// After a reveal's `Unknown secret`: does the secret still exist? (See [`Client::reveal`].)
    async fn why_unknown(&self, key: &str, passphrase_sent: bool) -> Error {
        let sent = [key];
        let mut ctx = self.ctx("secret status", Gone::None, &sent);
        ctx.optional_route = true;
        let path = format!("api/v2/secret/{key}/status");
        match self
            .call::<v2::Envelope<v2::SecretRecord>>(Method::GET, &path, None::<&()>, ctx)
            .await
        {
            Ok(answer) if answer.record.state.is_unread() => {
                if passphrase_sent {
                    Error::WrongPassphrase
                } else {
                    Error::PassphraseRequired
                }
            }
            Ok(answer)
                if answer.record.state.is_terminal()
                    || answer.record.state.as_str() == "unknown" =>
            {
                Error::SecretGone
            }
            _ => Error::SecretGoneOrWrongPassphrase,
        }
    }

    fn ctx<'a>(&self, call: &'static str, gone: Gone, sent: &'a [&'a str]) -> Ctx<'a> {
        Ctx {
            call,
            gone,
            sent_credentials: self.credentials.is_some(),
            optional_route: false,
            sent,
        }
    }

    /// Builds [`Shared`]: links on the custom domain the server used, else on our base.
    fn shared(&self, receipt: v1::Receipt) -> Result<Shared> {
        let base = share_domain_base(&self.links, &receipt.share_domain)
            .unwrap_or_else(|| self.links.clone());
        let invalid = |what: &str| Error::NotOnetime {
            status: 200,
            excerpt: format!("the answer has no valid {what}"),
        };
        let secret_key = receipt.share_key().ok_or_else(|| invalid("secret_key"))?;
        let secret_link = Link::secret(&base, secret_key).map_err(|_| invalid("secret_key"))?;
        let receipt_link =
            Link::receipt(&base, &receipt.metadata_key).map_err(|_| invalid("metadata_key"))?;
        Ok(Shared {
            receipt,
            secret_link,
            receipt_link,
        })
    }

    /// `POST` to `path` (relative to the base) without credentials or body, outside the
    /// Onetime API (a relay's invites): the status and at most `limit` bytes of the answer,
    /// which the caller interprets. The body is zeroized when dropped: it may be sealed
    /// secrets.
    pub(crate) async fn post_raw(
        &self,
        path: &str,
        limit: usize,
    ) -> Result<(u16, zeroize::Zeroizing<Vec<u8>>)> {
        let url = self.base.join(path).map_err(|e| Error::InvalidUrl {
            reason: e.to_string(),
        })?;
        let Transport::Http(http) = &self.transport else {
            return Err(Error::Unsupported { call: "invites" });
        };
        let mut response = http.post(url).send().await.map_err(transport_error)?;
        let status = response.status().as_u16();
        let mut body = zeroize::Zeroizing::new(Vec::new());
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if body.len() + chunk.len() > limit {
                return Err(Error::NotOnetime {
                    status,
                    excerpt: "the answer is too large".into(),
                });
            }
            append_zeroizing(&mut body, &chunk);
        }
        Ok((status, body))
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        form: Option<&impl Serialize>,
        ctx: Ctx<'_>,
    ) -> Result<T> {
        let url = self.base.join(path).map_err(|e| Error::InvalidUrl {
            reason: e.to_string(),
        })?;
        let Transport::Http(http) = &self.transport else {
            return Err(Error::Unsupported { call: ctx.call });
        };
        let mut request = http.request(method, url);
        if let Some((user, token)) = &self.credentials {
            request = request.basic_auth(user, Some(token.expose()));
        }
        if let Some(form) = form {
            request = request.form(form);
        }
        let mut response = request.send().await.map_err(transport_error)?;
        let status = response.status();
        let headers = response.headers().clone();
        // Zeroized on every path (a too-large answer may already hold part of a secret), and
        // grown without leaving copies behind (see `append_zeroizing`).
        let mut body = zeroize::Zeroizing::new(Vec::new());
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(Error::NotOnetime {
                    status: status.as_u16(),
                    excerpt: "the answer is too large".into(),
                });
            }
            append_zeroizing(&mut body, &chunk);
        }
        tracing::debug!(
            call = ctx.call,
            status = status.as_u16(),
            bytes = body.len(),
            "answer"
        );
        // Success bodies may hold a secret (reveal, generate); `body` is zeroized on drop.
        interpret(&ctx, status.as_u16(), &headers, &body)
    }
}

/// Appends `chunk` to `body`. `Vec` growth would copy the bytes into a new allocation and
/// free the old one without clearing it, leaving a copy of a revealed secret in freed heap
/// memory; here a full buffer moves into a new one of twice the capacity and the old one is
/// zeroized (its whole capacity) as it is dropped.
fn append_zeroizing(body: &mut zeroize::Zeroizing<Vec<u8>>, chunk: &[u8]) {
    let needed = body.len() + chunk.len();
    if needed > body.capacity() {
        let mut bigger =
            zeroize::Zeroizing::new(Vec::with_capacity(needed.max(2 * body.capacity())));
        bigger.extend_from_slice(body);
        *body = bigger;
    }
    body.extend_from_slice(chunk);
}

/// Any key a server may use ([`KeyRule::Wire`]) goes into the path; the server judges it.
fn check_key(key: &str) -> Result<()> {
    KeyRule::Wire.check(key).map_err(|_| Error::InvalidKey {
        reason: "keys are 1 to 128 letters, digits, '-' or '_'",
    })
}

fn short(key: &str) -> &str {
    key.get(..limits::SHORTKEY_LEN).unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::append_zeroizing;

    /// What is zeroized cannot be observed from safe code (freed memory); this checks the
    /// growth that makes it possible: whole chunks, in order, capacity doubling.
    #[test]
    fn answer_bodies_keep_their_bytes_in_order_as_they_grow() {
        let mut body = zeroize::Zeroizing::new(Vec::new());
        let mut expected = Vec::new();
        for n in 0..200u8 {
            let chunk = vec![n; usize::from(n) % 7 + 1];
            append_zeroizing(&mut body, &chunk);
            expected.extend_from_slice(&chunk);
            assert!(body.capacity() < 2 * body.len() + 8, "no runaway growth");
        }
        assert_eq!(body.as_slice(), expected.as_slice());
    }
}
