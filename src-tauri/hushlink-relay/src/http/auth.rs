//! HTTP Basic authentication, Onetime style: user name = the token's name, password = the
//! token. A request without `Authorization` is anonymous; a request WITH one must carry valid
//! credentials even on routes that allow anonymous callers (reference §2), so a typo in a
//! token is reported instead of silently creating anonymous secrets.

use base64::Engine;
use http::header::AUTHORIZATION;
use http::HeaderMap;
use hushlink_protocol::SecretText;
use zeroize::Zeroizing;

use crate::model::Credentials;
use crate::tokens::Tokens;

/// Who the caller is.
#[derive(Debug)]
pub enum Auth {
    /// No `Authorization` header.
    Anonymous,
    /// Valid token credentials.
    Token(Credentials),
    /// An `Authorization` header that is not valid Basic credentials of a live token.
    Invalid,
}

impl Auth {
    /// Reads and checks the `Authorization` header.
    pub fn from_headers(headers: &HeaderMap, tokens: &Tokens) -> Self {
        let Some(value) = headers.get(AUTHORIZATION) else {
            return Self::Anonymous;
        };
        let Some(encoded) = value.to_str().ok().and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("basic").then_some(rest.trim())
        }) else {
            return Self::Invalid;
        };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
            return Self::Invalid;
        };
        let decoded = Zeroizing::new(decoded);
        let Ok(text) = std::str::from_utf8(&decoded) else {
            return Self::Invalid;
        };
        let Some((user, password)) = text.split_once(':') else {
            return Self::Invalid;
        };
        if user.is_empty() || password.is_empty() {
            return Self::Invalid;
        }
        match tokens.verify(user, password) {
            Some(identity) => Self::Token(Credentials {
                identity,
                token: SecretText::new(password),
            }),
            None => Self::Invalid,
        }
    }

    /// The credentials, when valid.
    pub fn credentials(&self) -> Option<&Credentials> {
        match self {
            Self::Token(credentials) => Some(credentials),
            _ => None,
        }
    }

    /// v1 `custid`: the token's name, or `anon`.
    pub fn custid(&self) -> String {
        self.credentials()
            .map_or_else(|| "anon".to_owned(), |c| c.identity.name.clone())
    }
}
