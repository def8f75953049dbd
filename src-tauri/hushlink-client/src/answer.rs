//! Turning an HTTP answer into a value or an [`Error`]: the protocol's error mapping.
//!
//! Pure functions of (call context, status, headers, body), so every row of the mapping
//! table in `docs/protocol.md` is unit-testable without a server.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hushlink_protocol::errors::{classify_v1, V1ErrorKind};
use reqwest::header::{HeaderMap, LOCATION, RETRY_AFTER};
use serde::{de::DeserializeOwned, Deserialize};
use url::Url;

use crate::Error;

/// Longest excerpt of a foreign answer kept in [`Error::NotOnetime`].
pub(crate) const EXCERPT_CHARS: usize = 200;
/// Longest server message kept in [`Error::Rejected`].
const MESSAGE_CHARS: usize = 300;

/// What an "unknown" answer means for the call that got it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gone {
    /// Reveal: `Unknown secret` is also a wrong or missing passphrase.
    Reveal,
    /// Burn: the secret (or its receipt) is gone.
    Secret,
    /// Receipt: the receipt is gone.
    Receipt,
    /// Calls that name no key: an unknown-secret answer is just a refusal.
    None,
}

/// The call an answer belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    /// Name used in [`Error::Unsupported`] and logs.
    pub call: &'static str,
    pub gone: Gone,
    /// Whether a Basic `Authorization` header was sent.
    pub sent_credentials: bool,
    /// A route older or foreign servers may lack: a plain 404/405 means unsupported.
    pub optional_route: bool,
    /// Everything sensitive we sent (secret, passphrase, token, key): redacted from excerpts.
    pub sent: &'a [&'a str],
}

/// Union of the v1 and v2 error bodies.
#[derive(Debug, Default, Deserialize)]
struct AnyErrorBody {
    #[serde(default)]
    message: Option<serde_json::Value>,
    #[serde(default)]
    error: Option<serde_json::Value>,
    #[serde(default)]
    error_type: Option<String>,
    #[serde(default)]
    retry_after: Option<serde_json::Value>,
}

/// Decodes a success body or maps an error answer.
pub(crate) fn interpret<T: DeserializeOwned>(
    ctx: &Ctx<'_>,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Error> {
    if (300..400).contains(&status) {
        return Err(Error::Redirected {
            status,
            location: location_origin(headers),
        });
    }
    if (200..300).contains(&status) {
        return decode_success(ctx, status, body);
    }
    let retry_after = retry_after(headers, SystemTime::now());
    let parsed: Option<AnyErrorBody> = serde_json::from_slice(body).ok();
    if status == 429 {
        let from_body = parsed
            .as_ref()
            .and_then(|b| json_u64(b.retry_after.as_ref()));
        return Err(Error::RateLimited {
            retry_after: retry_after.or(from_body.map(Duration::from_secs)),
        });
    }
    let Some(parsed) = parsed else {
        return Err(match status {
            401 => auth_error(ctx),
            404 | 405 | 501 if ctx.optional_route => Error::Unsupported { call: ctx.call },
            500..=599 => Error::ServerError { status },
            _ => not_onetime(ctx, status, body),
        });
    };
    let text = json_text(parsed.message.as_ref()).or_else(|| json_text(parsed.error.as_ref()));
    if parsed.error_type.as_deref() == Some("RecordNotFound") {
        return Err(gone(ctx.gone).unwrap_or_else(|| not_onetime(ctx, status, body)));
    }
    let Some(text) = text else {
        return Err(match status {
            401 => auth_error(ctx),
            500..=599 => Error::ServerError { status },
            _ => not_onetime(ctx, status, body),
        });
    };
    Err(match classify_v1(&text) {
        V1ErrorKind::NotAuthorized => auth_error(ctx),
        V1ErrorKind::UnknownSecret => gone(ctx.gone).unwrap_or_else(|| rejected(ctx, &text)),
        V1ErrorKind::WrongPassphrase => Error::WrongPassphrase,
        V1ErrorKind::RateLimited => Error::RateLimited { retry_after },
        // `{"message":"Not Found"}` is HEAD's answer to a key under 20 characters: no such
        // key. `{"error":"Not Found"}` is an unknown route.
        V1ErrorKind::NotFound if json_text(parsed.message.as_ref()).is_some() => match ctx.gone {
            // A key that short cannot exist, passphrase or not.
            Gone::Reveal => Error::SecretGone,
            other => gone(other).unwrap_or(Error::Unsupported { call: ctx.call }),
        },
        V1ErrorKind::NotFound => Error::Unsupported { call: ctx.call },
        V1ErrorKind::ServerFault => Error::ServerError { status },
        V1ErrorKind::AuthDisabled => Error::AuthDisabled,
        V1ErrorKind::Rejected => match status {
            401 => auth_error(ctx),
            500..=599 => Error::ServerError { status },
            _ => rejected(ctx, &text),
        },
    })
}

fn decode_success<T: DeserializeOwned>(
    ctx: &Ctx<'_>,
    status: u16,
    body: &[u8],
) -> Result<T, Error> {
    match serde_json::from_slice::<T>(body) {
        Ok(value) => Ok(value),
        Err(_) => {
            // Some v0.24.x builds wrapped v1 bodies in {"success":..,"data":..} (reference §8.14).
            #[derive(Deserialize)]
            struct Wrapped<T> {
                data: T,
            }
            serde_json::from_slice::<Wrapped<T>>(body)
                .map(|w| w.data)
                .map_err(|_| not_onetime(ctx, status, body))
        }
    }
}

fn gone(gone: Gone) -> Option<Error> {
    match gone {
        Gone::Reveal => Some(Error::SecretGoneOrWrongPassphrase),
        Gone::Secret => Some(Error::SecretGone),
        Gone::Receipt => Some(Error::ReceiptGone),
        Gone::None => None,
    }
}

fn auth_error(ctx: &Ctx<'_>) -> Error {
    if ctx.sent_credentials {
        Error::BadCredentials
    } else {
        Error::CredentialsRequired
    }
}

fn rejected(ctx: &Ctx<'_>, text: &str) -> Error {
    Error::Rejected {
        message: truncate(&redact(text, ctx.sent), MESSAGE_CHARS),
    }
}

fn not_onetime(ctx: &Ctx<'_>, status: u16, body: &[u8]) -> Error {
    Error::NotOnetime {
        status,
        excerpt: excerpt(body, ctx.sent),
    }
}

/// Start of a body for an error message: lossy UTF-8, whitespace collapsed, control
/// characters dropped, everything in `sent` replaced by `[redacted]`, at most
/// [`EXCERPT_CHARS`] characters.
pub(crate) fn excerpt(body: &[u8], sent: &[&str]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = redact(&text, sent);
    let collapsed: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if collapsed.is_empty() {
        "(empty answer)".into()
    } else {
        truncate(&collapsed, EXCERPT_CHARS)
    }
}

fn redact(text: &str, sent: &[&str]) -> String {
    let mut out = text.to_owned();
    for s in sent.iter().filter(|s| !s.is_empty()) {
        out = out.replace(s, "[redacted]");
    }
    out
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn json_text(value: Option<&serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn json_u64(value: Option<&serde_json::Value>) -> Option<u64> {
    match value? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Origin of a redirect target, without path or query (they may carry a key).
fn location_origin(headers: &HeaderMap) -> String {
    headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Url::parse(v).ok())
        .map(|u| u.origin().ascii_serialization())
        .filter(|o| o != "null")
        .unwrap_or_else(|| "an address on the same server".into())
}

/// `Retry-After` as delay-seconds or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = parse_imf_fixdate(value)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Unix seconds of an IMF-fixdate (RFC 9110 §5.6.7), the only date form servers must send.
fn parse_imf_fixdate(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split([' ', ':']).collect();
    let [_weekday, day, month, year, hour, minute, second, "GMT"] = parts[..] else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let (day, year): (u64, u64) = (day.parse().ok()?, year.parse().ok()?);
    let (h, m, sec): (u64, u64, u64) = (
        hour.parse().ok()?,
        minute.parse().ok()?,
        second.parse().ok()?,
    );
    if !(1..=31).contains(&day) || year < 1970 || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    // Days from civil date (Howard Hinnant's algorithm), March-based years.
    let (y, mo) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * mo + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

#[cfg(test)]
mod tests;
