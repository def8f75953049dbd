//! The access log: who did what to which secret, without any content.
//!
//! A line holds the time, the action, a short key id (a hash of the secret's row id, never
//! the key: see [`crate::keys::key_id`]), the client's IP address and user agent. The app's
//! relay panel reads it through [`crate::AccessLog::query`]; the sweeper drops lines older than
//! [`crate::RelayConfig::access_log_retention_days`].

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AccessAction {
    /// A secret was created.
    Create,
    /// Someone opened the recipient page of a secret (a GET: nothing was revealed).
    ViewPage,
    /// A secret was revealed (and so destroyed).
    Reveal,
    /// A wrong passphrase was tried.
    FailedPassphrase,
    /// A secret was burned (by its sender, or after too many wrong passphrases).
    Burn,
    /// A secret's TTL passed and the sweeper deleted it.
    Expire,
}

impl AccessAction {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::ViewPage => "view_page",
            Self::Reveal => "reveal",
            Self::FailedPassphrase => "failed_passphrase",
            Self::Burn => "burn",
            Self::Expire => "expire",
        }
    }

    /// Parses [`AccessAction::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Create,
            Self::ViewPage,
            Self::Reveal,
            Self::FailedPassphrase,
            Self::Burn,
            Self::Expire,
        ]
        .into_iter()
        .find(|a| a.as_str() == text)
    }
}

/// One line of the access log, as the relay panel shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct AccessLogEntry {
    /// Unix seconds.
    #[ts(type = "number")]
    pub at: i64,
    /// What happened.
    pub action: AccessAction,
    /// Short id of the secret (12 hex digits of a hash); the same for every line about it.
    pub key_id: Option<String>,
    /// The client's address; `None` for the sweeper.
    pub client_ip: Option<String>,
    /// The client's `User-Agent`, truncated to 200 characters.
    pub user_agent: Option<String>,
    /// The name of the API token that created the secret this line is about; `None` for the
    /// app's own secrets and anonymous ones.
    pub token_name: Option<String>,
}

/// Which lines [`crate::AccessLog::query`] returns. All fields are optional; the newest lines come
/// first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccessLogFilter {
    /// Only this action.
    pub action: Option<AccessAction>,
    /// Lines at or after this time (Unix seconds).
    pub since: Option<i64>,
    /// Lines before this time (Unix seconds).
    pub until: Option<i64>,
    /// At most this many lines (default and maximum 1,000).
    pub limit: Option<u32>,
}

/// Who made a request: what the access log records and rate limits key on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// The peer's address (unspecified, `0.0.0.0`, for [`Client::in_process`]).
    pub ip: IpAddr,
    /// The `User-Agent` header, truncated.
    pub user_agent: Option<String>,
    /// The app that embeds the relay, calling it in process rather than over the network.
    in_process: bool,
    /// The request carried proxy headers (`Forwarded`, `X-Forwarded-For`, `X-Real-IP`): its
    /// peer address is a proxy's, and says nothing about where the request came from.
    proxied: bool,
}

impl Client {
    /// Longest user agent kept.
    pub const MAX_USER_AGENT: usize = 200;
    /// What the log says in place of a user agent for [`Client::in_process`].
    pub const IN_PROCESS_AGENT: &'static str = "Hushlink app on this computer";

    /// A network client with this address and user agent (truncated on a character boundary).
    pub fn new(ip: IpAddr, user_agent: Option<&str>) -> Self {
        let user_agent = user_agent.map(|ua| ua.chars().take(Self::MAX_USER_AGENT).collect());
        Self {
            ip,
            user_agent,
            in_process: false,
            proxied: false,
        }
    }

    /// The same client, marked as having come through a proxy (see [`Client::is_proxied`]).
    #[must_use]
    pub fn proxied(mut self, proxied: bool) -> Self {
        self.proxied = proxied;
        self
    }

    /// Whether the request carried proxy headers, so its address is not where it came from:
    /// such a request is never trusted as local ([`crate::AnonymousCreate`]).
    pub fn is_proxied(&self) -> bool {
        self.proxied
    }

    /// The app that embeds this relay, calling in process: the relay's owner. It may create
    /// without a token and is not rate limited. Nothing that arrives over a socket is ever
    /// this client, whatever its address: only code linked into the process can build it.
    pub fn in_process() -> Self {
        Self {
            ip: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
            user_agent: Some(Self::IN_PROCESS_AGENT.to_owned()),
            in_process: true,
            proxied: false,
        }
    }

    /// Whether this is [`Client::in_process`].
    pub fn is_in_process(&self) -> bool {
        self.in_process
    }

    /// The address the access log records: none for the app itself.
    pub(crate) fn logged_ip(&self) -> Option<String> {
        (!self.in_process).then(|| self.ip.to_string())
    }
}
